"""Drawing primitives that record ground-truth lines (text + box) as they draw."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

__all__ = ["GtLine", "Page", "FONT_FAMILIES", "SANS_FAMILIES", "MONO_FAMILIES", "font_path"]

_FONT_DIRS = [Path("/usr/share/fonts/truetype")]

# family → (regular, bold, italic, bold italic) file names. Liberation Serif/Sans are NOT
# used: the installed versions lack ơ/ư and the Vietnamese precomposed glyphs (ạ, ậ, ễ...).
FONT_FAMILIES: dict[str, tuple[str, str, str, str]] = {
    "FreeSerif": (
        "freefont/FreeSerif.ttf",
        "freefont/FreeSerifBold.ttf",
        "freefont/FreeSerifItalic.ttf",
        "freefont/FreeSerifBoldItalic.ttf",
    ),
    "Noto Serif": (
        "noto/NotoSerif-Regular.ttf",
        "noto/NotoSerif-Bold.ttf",
        "noto/NotoSerif-Italic.ttf",
        "noto/NotoSerif-BoldItalic.ttf",
    ),
    "DejaVu Serif": (
        "dejavu/DejaVuSerif.ttf",
        "dejavu/DejaVuSerif-Bold.ttf",
        "dejavu/DejaVuSerif-Italic.ttf",
        "dejavu/DejaVuSerif-BoldItalic.ttf",
    ),
}
SANS_FAMILIES: dict[str, tuple[str, str, str, str]] = {
    "FreeSans": (
        "freefont/FreeSans.ttf",
        "freefont/FreeSansBold.ttf",
        "freefont/FreeSansOblique.ttf",
        "freefont/FreeSansBoldOblique.ttf",
    ),
    "Noto Sans": (
        "noto/NotoSans-Regular.ttf",
        "noto/NotoSans-Bold.ttf",
        "noto/NotoSans-Italic.ttf",
        "noto/NotoSans-BoldItalic.ttf",
    ),
    "DejaVu Sans": (
        "dejavu/DejaVuSans.ttf",
        "dejavu/DejaVuSans-Bold.ttf",
        "dejavu/DejaVuSans-Oblique.ttf",
        "dejavu/DejaVuSans-BoldOblique.ttf",
    ),
}
MONO_FAMILIES = {
    "DejaVu Sans Mono": "dejavu/DejaVuSansMono.ttf",
    "Liberation Mono": "liberation/LiberationMono-Regular.ttf",
    "FreeMono Bold": "freefont/FreeMonoBold.ttf",
}


def font_path(rel: str) -> str:
    for d in _FONT_DIRS:
        p = d / rel
        if p.exists():
            return str(p)
    raise FileNotFoundError(
        f"font {rel} not installed (apt-get install fonts-dejavu fonts-liberation fonts-freefont-ttf fonts-noto-core)"
    )


@lru_cache(maxsize=512)
def _truetype(rel: str, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_path(rel), px, layout_engine=ImageFont.Layout.RAQM)


@dataclass
class GtLine:
    text: str
    box: list[list[float]]  # 4 corners clockwise from top-left

    def export(self) -> dict[str, object]:
        return {"text": self.text, "box": [[round(x, 1), round(y, 1)] for x, y in self.box]}


Seg = tuple[str, ImageFont.FreeTypeFont]


@dataclass
class Page:
    """One rendered page: an RGB image and its ground-truth lines in reading order.

    Lines are recorded as they are drawn, so renderers draw in reading order, or move the
    recorded lines where the drawing order has to differ (the 2021 card back's captions).
    """

    width: int
    height: int
    dpi: int
    family: tuple[str, str, str, str]
    bg: tuple[int, int, int] = (255, 255, 255)
    ink: tuple[int, int, int] = (20, 20, 25)
    lines: list[GtLine] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.img = Image.new("RGB", (self.width, self.height), self.bg)
        self.draw = ImageDraw.Draw(self.img)

    # -- fonts -------------------------------------------------------------
    def px(self, pt: float) -> int:
        return max(6, round(pt * self.dpi / 72))

    def mm(self, v: float) -> float:
        return v * self.dpi / 25.4

    def font(
        self,
        pt: float,
        bold: bool = False,
        italic: bool = False,
        family: tuple[str, str, str, str] | None = None,
    ) -> ImageFont.FreeTypeFont:
        fam = family or self.family
        idx = (1 if bold else 0) + (2 if italic else 0)
        return _truetype(fam[idx], self.px(pt))

    def mono(self, rel: str, pt: float) -> ImageFont.FreeTypeFont:
        return _truetype(rel, self.px(pt))

    # -- text --------------------------------------------------------------
    @staticmethod
    def seg_width(segs: list[Seg]) -> float:
        return sum(f.getlength(t) for t, f in segs)

    def text(
        self,
        x: float,
        y: float,
        segs: list[Seg] | str,
        font: ImageFont.FreeTypeFont | None = None,
        *,
        align: str = "left",
        fill: tuple[int, int, int] | None = None,
        record: bool = True,
        underline: bool = False,
        gap: float = 0.0,
    ) -> tuple[float, float, float, float]:
        """Draw segments on baseline y; x is left/center/right edge per `align`.

        Records one GtLine (segments joined) unless record=False. Returns the ink bbox.
        """
        if isinstance(segs, str):
            assert font is not None
            segs = [(segs, font)]
        segs = [(t, f) for t, f in segs if t]
        total = self.seg_width(segs) + gap * max(0, len(segs) - 1)
        if align == "center":
            x0 = x - total / 2
        elif align == "right":
            x0 = x - total
        else:
            x0 = x
        cx = x0
        boxes = []
        for t, f in segs:
            self.draw.text((cx, y), t, font=f, fill=fill or self.ink, anchor="ls")
            boxes.append(self.draw.textbbox((cx, y), t, font=f, anchor="ls"))
            cx += f.getlength(t) + gap
        if not boxes:
            return (x0, y, x0, y)
        left = min(b[0] for b in boxes)
        t_ = min(b[1] for b in boxes)
        r = max(b[2] for b in boxes)
        b_ = max(b[3] for b in boxes)
        if underline:
            uy = b_ + self.px(2)
            self.draw.line([(left, uy), (r, uy)], fill=fill or self.ink, width=max(1, self.px(0.7)))
        if record:
            text = _join_segments([t for t, _ in segs], spaced=gap > 0)
            if text.strip():
                pad = max(1.0, self.px(1.2))
                self.lines.append(
                    GtLine(
                        text,
                        [
                            [left - pad, t_ - pad],
                            [r + pad, t_ - pad],
                            [r + pad, b_ + pad],
                            [left - pad, b_ + pad],
                        ],
                    )
                )
        return (left, t_, r, b_)

    def dotted_leader(self, x0: float, x1: float, y: float) -> None:
        """Dotted leader printed on forms ('.........'), drawn as dots, not recorded as text."""
        step = self.px(3.6)
        r = max(0.7, self.px(0.22))
        x = x0 + step / 2
        while x < x1 - r:
            self.draw.ellipse([x - r, y - r, x + r, y + r], fill=(120, 120, 120))
            x += step

    def wrap_words(
        self, first_width: float, width: float, words: list[str], font: ImageFont.FreeTypeFont
    ) -> list[str]:
        """Greedy word wrap; first line may have less room (after a label)."""
        lines: list[str] = []
        cur = ""
        avail = first_width
        for w in words:
            cand = f"{cur} {w}" if cur else w
            if font.getlength(cand) <= avail or (not cur and avail == width):
                cur = cand
            else:
                lines.append(cur)
                cur = w
                avail = width
        lines.append(cur)
        return lines

    def field(
        self,
        x: float,
        y: float,
        label: str,
        value: str,
        *,
        lf: ImageFont.FreeTypeFont,
        vf: ImageFont.FreeTypeFont,
        right: float,
        leading: float,
        leaders: bool = False,
        indent: float = 0.0,
        value_newline: bool = False,
    ) -> float:
        """Label then value on the same line, wrapping the value to following lines.

        Returns the baseline y after the last line. Dotted leaders fill the rest of each line.
        """
        label = f"{label} " if label else ""
        label_w = lf.getlength(label)
        if value_newline:
            self.text(x, y, [(label.strip(), lf)])
            y += leading
            first_w = right - x - indent
            start_x = x + indent
            lines = self.wrap_words(first_w, right - x - indent, value.split(), vf)
            for ln in lines:
                bb = self.text(start_x, y, [(ln, vf)])
                if leaders:
                    self.dotted_leader(bb[2] + self.px(2), right, y)
                y += leading
            return y
        first_w = right - x - label_w
        lines = self.wrap_words(first_w, right - x - indent, value.split(), vf)
        if lines and lines[0] and vf.getlength(lines[0]) > first_w:
            # value does not fit at all after the label: put it all on the next lines
            lines = [""] + self.wrap_words(
                right - x - indent, right - x - indent, value.split(), vf
            )
        for i, ln in enumerate(lines):
            if i == 0:
                bb = self.text(x, y, [(label, lf), (ln, vf)])
            else:
                if not ln:
                    continue
                bb = self.text(x + indent, y, [(ln, vf)])
            if leaders:
                self.dotted_leader(bb[2] + self.px(2), right, y)
            y += leading
        return y

    # -- graphics ----------------------------------------------------------
    def hline(
        self,
        x0: float,
        x1: float,
        y: float,
        width: float = 1.0,
        color: tuple[int, int, int] | None = None,
    ) -> None:
        self.draw.line([(x0, y), (x1, y)], fill=color or self.ink, width=max(1, round(width)))

    def rect(
        self,
        box: tuple[float, float, float, float],
        width: float = 1.0,
        color: tuple[int, int, int] | None = None,
        fill: tuple[int, int, int] | None = None,
    ) -> None:
        self.draw.rectangle(box, outline=color or self.ink, width=max(1, round(width)), fill=fill)

    def signature(
        self,
        rng: random.Random,
        cx: float,
        cy: float,
        w: float,
        h: float,
        color: tuple[int, int, int] = (25, 40, 140),
    ) -> None:
        """Handwritten-looking signature: a few looping cursive strokes plus a flourish."""
        # draw on a local layer (page-sized layers are slow at 300 dpi)
        ox, oy = int(cx - w), int(cy - 2 * h)
        lw_, lh_ = int(2 * w), int(4 * h)
        layer = Image.new("L", (lw_, lh_), 0)
        d = ImageDraw.Draw(layer)
        cx, cy = cx - ox, cy - oy
        pen = max(2, round(self.px(0.9)))
        x_start = cx - w / 2
        n_strokes = rng.randint(1, 3)
        seg_w = w / n_strokes
        for s in range(n_strokes):
            loops = rng.randint(2, 4)
            amp = h * rng.uniform(0.3, 0.55)
            slant = rng.uniform(0.2, 0.45)
            ph = rng.uniform(0, math.pi)
            env = [rng.uniform(0.4, 1.0) for _ in range(loops + 3)]
            pts = []
            n = 140
            x0 = x_start + s * seg_w
            for i in range(n + 1):
                t = i / n
                k = t * (loops + 1)
                e = env[int(k)] + (env[int(k) + 1] - env[int(k)]) * (
                    k - int(k)
                )  # letter heights vary
                ang = t * loops * 2 * math.pi + ph
                yy = cy - amp * e * math.sin(ang) - h * 0.2 * t
                xx = x0 + t * seg_w * 0.95 + amp * 0.3 * math.cos(ang) + (cy - yy) * slant
                pts.append((xx, yy))
            d.line(pts, fill=255, width=pen, joint="curve")
        # flourish: a long shallow stroke under or through the name
        fx0 = cx - w * rng.uniform(0.4, 0.55)
        fy = cy + h * rng.uniform(0.1, 0.45)
        pts = [
            (
                fx0 + w * k / 40,
                fy - h * 0.25 * math.sin(k / 40 * math.pi) + (k / 40) * h * rng.uniform(-0.3, 0.1),
            )
            for k in range(41)
        ]
        d.line(pts, fill=255, width=pen, joint="curve")
        layer = layer.filter(ImageFilter.GaussianBlur(0.7))
        self.img.paste(Image.new("RGB", layer.size, color), (ox, oy), layer)

    def stamp(
        self,
        rng: random.Random,
        cx: float,
        cy: float,
        radius: float,
        ring_text: str,
        center_text: str = "",
        color: tuple[int, int, int] = (215, 30, 35),
    ) -> None:
        """Red round seal (con dấu) with ring text and star, blended semi-transparently."""
        size = int(radius * 2 + 8)
        layer = Image.new("L", (size, size), 0)
        d = ImageDraw.Draw(layer)
        c = size / 2
        lw = max(2, round(radius * 0.035))
        d.ellipse([c - radius, c - radius, c + radius, c + radius], outline=255, width=lw)
        r2 = radius * 0.68
        d.ellipse([c - r2, c - r2, c + r2, c + r2], outline=255, width=max(1, lw - 1))
        # ring text, one glyph at a time around the circle
        fpx = max(8, round(radius * 0.2))
        f = _truetype(SANS_FAMILIES["DejaVu Sans"][1], fpx)
        text = ring_text.upper()
        rr = (radius + r2) / 2
        span = 1.75 * math.pi
        n = len(text)
        for i, ch in enumerate(text):
            a = -math.pi / 2 - span / 2 + span * (i + 0.5) / max(n, 1)
            gl = Image.new("L", (fpx * 2, fpx * 2), 0)
            ImageDraw.Draw(gl).text((fpx, fpx), ch, font=f, fill=255, anchor="mm")
            gl = gl.rotate(-math.degrees(a) - 90, resample=Image.Resampling.BICUBIC)
            px_ = c + rr * math.cos(a) - fpx
            py_ = c + rr * math.sin(a) - fpx
            layer.paste(255, (round(px_), round(py_)), gl)
        # star
        rs = r2 * 0.45
        pts = []
        for k in range(10):
            rad = rs if k % 2 == 0 else rs * 0.4
            ang = -math.pi / 2 + k * math.pi / 5
            pts.append((c + rad * math.cos(ang), c - r2 * 0.15 + rad * math.sin(ang)))
        d.polygon(pts, fill=255)
        if center_text:
            f2 = _truetype(SANS_FAMILIES["DejaVu Sans"][1], max(7, round(radius * 0.13)))
            d.text((c, c + r2 * 0.5), center_text, font=f2, fill=255, anchor="mm")
        # ink irregularity: random dropout then blur
        arr = np.asarray(layer, dtype=np.float32) / 255.0
        nrng = np.random.default_rng(rng.randrange(2**32))
        arr *= np.clip(nrng.normal(0.85, 0.25, arr.shape), 0.25, 1.0)
        layer = Image.fromarray((arr * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.8))
        layer = layer.rotate(rng.uniform(-30, 30), resample=Image.Resampling.BICUBIC)
        alpha = np.asarray(layer, dtype=np.float32) / 255.0 * rng.uniform(0.65, 0.85)
        x0, y0 = round(cx - size / 2), round(cy - size / 2)
        self._blend_multiply(alpha, x0, y0, color)

    def _blend_multiply(
        self, alpha: np.ndarray, x0: int, y0: int, color: tuple[int, int, int]
    ) -> None:
        h, w = alpha.shape
        X0, Y0 = max(0, x0), max(0, y0)
        X1, Y1 = min(self.img.width, x0 + w), min(self.img.height, y0 + h)
        if X1 <= X0 or Y1 <= Y0:
            return
        a = alpha[Y0 - y0 : Y1 - y0, X0 - x0 : X1 - x0, None]
        region = np.asarray(self.img.crop((X0, Y0, X1, Y1)), dtype=np.float32)
        ink = np.array(color, dtype=np.float32)
        # multiply blend: red ink over black text stays dark, over paper turns red
        mixed = region * (1 - a) + (region * ink / 255.0) * a
        self.img.paste(Image.fromarray(np.clip(mixed, 0, 255).astype(np.uint8)), (X0, Y0))

    def emblem(self, cx: float, cy: float, r: float) -> None:
        """National emblem placeholder: red disc, yellow star, gear-ish ring."""
        d = self.draw
        d.ellipse(
            [cx - r, cy - r, cx + r, cy + r],
            fill=(200, 30, 30),
            outline=(190, 150, 40),
            width=max(2, round(r * 0.12)),
        )
        pts = []
        for k in range(10):
            rad = r * 0.55 if k % 2 == 0 else r * 0.22
            ang = -math.pi / 2 + k * math.pi / 5
            pts.append((cx + rad * math.cos(ang), cy - r * 0.1 + rad * math.sin(ang)))
        d.polygon(pts, fill=(250, 215, 40))
        d.arc(
            [cx - r * 0.85, cy - r * 0.85, cx + r * 0.85, cy + r * 0.85],
            20,
            160,
            fill=(250, 215, 40),
            width=max(2, round(r * 0.15)),
        )

    def guilloche(
        self,
        rng: random.Random,
        box: tuple[float, float, float, float],
        colors: list[tuple[int, int, int]],
        n: int = 40,
    ) -> None:
        """Security background: families of phase-shifted sine waves in pale colours."""
        x0, y0, x1, y1 = box
        xs = np.linspace(x0, x1, 400)
        layer = Image.new("RGBA", self.img.size, (0, 0, 0, 0))
        d = ImageDraw.Draw(layer)
        for fam in range(3):
            col = colors[fam % len(colors)]
            freq = rng.uniform(2.0, 6.0) * 2 * math.pi / (x1 - x0)
            amp = rng.uniform(0.04, 0.12) * (y1 - y0)
            f2 = rng.uniform(0.5, 1.5) * freq
            for i in range(n):
                base_y = y0 + (y1 - y0) * (i + rng.random() * 0.2) / n
                ph = i * rng.uniform(0.15, 0.3) + fam
                ys = base_y + amp * np.sin(xs * freq + ph) + amp * 0.4 * np.sin(xs * f2 - ph * 1.7)
                d.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=col + (120,), width=1)
        self.img.paste(layer, (0, 0), layer)
        self.draw = ImageDraw.Draw(self.img)


def _join_segments(parts: list[str], *, spaced: bool) -> str:
    """Segments drawn edge to edge join as-is; segments drawn with a gap join with a space."""
    out = (" " if spaced else "").join(parts)
    return " ".join(out.split())
