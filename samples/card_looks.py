"""How the card versions look in hand: colour security backgrounds, hologram sheen, barcode.

Drawn, not copied: pastel gradients, guilloche rosettes (epitrochoids, like the drum
rosette of the CCCD) and fine wave families in each version's colours, a faint rainbow
laminate over part of the card, and a 1-D barcode for the 2016 CCCD back.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw

__all__ = ["LOOKS", "Look", "barcode", "hologram", "security_background"]

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Look:
    """One card side's colours: a two-tone gradient, rosette and wave colours, rosette centre."""

    top: RGB
    bottom: RGB
    rosette: tuple[RGB, ...]
    waves: tuple[RGB, ...]
    centre: tuple[float, float]  # rosette centre, fractions of the card's width and height
    hologram: tuple[float, float, float, float]  # sheen box, fractions of the card


# (card_version, side) → look. The 9-digit CMND is light blue with a large rosette; the 2016
# CCCD blue-green with a sunburst behind the text; the 2021 chip card blue with a pink-orange
# band at the top; the 2024 card sky blue turning pink; backs are paler.
LOOKS: dict[tuple[str, str], Look] = {
    ("cmnd_9digit", "front"): Look(
        (205, 228, 240),
        (222, 238, 230),
        ((120, 170, 215), (90, 160, 170)),
        ((150, 190, 220), (170, 210, 190)),
        (0.62, 0.55),
        (0.05, 0.05, 0.35, 0.45),
    ),
    ("cmnd_9digit", "back"): Look(
        (244, 226, 226),
        (240, 236, 222),
        ((215, 150, 160), (200, 170, 130)),
        ((230, 180, 180), (215, 200, 160)),
        (0.5, 0.5),
        (0.55, 0.05, 0.95, 0.4),
    ),
    ("cccd_2016", "front"): Look(
        (208, 232, 236),
        (226, 240, 222),
        ((100, 170, 190), (200, 160, 110)),
        ((140, 195, 205), (185, 215, 170)),
        (0.66, 0.58),
        (0.02, 0.3, 0.3, 0.85),
    ),
    ("cccd_2016", "back"): Look(
        (226, 236, 242),
        (236, 240, 234),
        ((140, 175, 200), (170, 190, 150)),
        ((170, 200, 215), (195, 215, 185)),
        (0.5, 0.45),
        (0.5, 0.55, 0.95, 0.95),
    ),
    ("2021", "front"): Look(
        (240, 212, 206),
        (206, 226, 242),
        ((210, 120, 110), (110, 160, 210)),
        ((220, 170, 160), (150, 190, 225)),
        (0.6, 0.62),
        (0.04, 0.38, 0.3, 0.85),
    ),
    ("2021", "back"): Look(
        (222, 232, 244),
        (236, 236, 244),
        ((130, 160, 210), (190, 150, 190)),
        ((165, 190, 225), (205, 185, 215)),
        (0.55, 0.4),
        (0.3, 0.02, 0.62, 0.45),
    ),
    ("2024", "front"): Look(
        (206, 228, 246),
        (244, 218, 226),
        ((110, 160, 220), (220, 130, 160)),
        ((160, 195, 230), (230, 175, 195)),
        (0.7, 0.55),
        (0.02, 0.35, 0.28, 0.8),
    ),
    ("2024", "back"): Look(
        (222, 236, 246),
        (240, 228, 236),
        ((130, 175, 215), (205, 150, 180)),
        ((170, 205, 230), (220, 190, 210)),
        (0.6, 0.5),
        (0.4, 0.1, 0.8, 0.5),
    ),
}


def security_background(rng: random.Random, w: int, h: int, look: Look) -> Image.Image:
    """A card-sized RGB background: gradient, fine wave families and a guilloche rosette."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ang = rng.uniform(-0.5, 0.5) + math.pi / 2
    t = (xx / w - 0.5) * math.cos(ang) + (yy / h - 0.5) * math.sin(ang) + 0.5
    t = np.clip(t, 0, 1)[..., None]
    top, bottom = np.array(look.top, np.float32), np.array(look.bottom, np.float32)
    base = top * (1 - t) + bottom * t
    # faint mottling, like offset-printed tints
    nrng = np.random.default_rng(rng.getrandbits(32))
    mottle = cv2.GaussianBlur(nrng.normal(0, 6, (h, w)).astype(np.float32), (0, 0), w / 200)
    img = Image.fromarray(np.clip(base + mottle[..., None], 0, 255).astype(np.uint8), "RGB")
    layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    lw = max(1, round(w / 900))
    # wave families across the whole card
    xs = np.linspace(0, w, 500)
    for fam, col in enumerate(look.waves):
        freq = rng.uniform(3.0, 7.0) * 2 * math.pi / w
        amp = rng.uniform(0.03, 0.08) * h
        n = rng.randint(28, 44)
        for i in range(n):
            y0 = h * (i + 0.5) / n
            ph = i * rng.uniform(0.12, 0.25) + fam * 1.3
            ys = y0 + amp * np.sin(xs * freq + ph) + amp * 0.5 * np.sin(xs * freq * 2.3 - ph)
            d.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=(*col, 130), width=lw)
    # rosette: epitrochoids around the centre, a few nested rings
    cx, cy = look.centre[0] * w, look.centre[1] * h
    ts = np.linspace(0, 2 * math.pi, 2400)
    for k, r_out in enumerate((0.42, 0.32, 0.22, 0.13)):
        col = look.rosette[k % len(look.rosette)]
        big = r_out * h
        petals = rng.choice([18, 24, 30, 36])
        small = big / petals
        dist = small * rng.uniform(2.0, 4.0)
        for rot in range(3):
            off = rot * math.pi / (petals * 1.5)
            px = (big - small) * np.cos(ts + off) + dist * np.cos((big - small) / small * ts)
            py = (big - small) * np.sin(ts + off) - dist * np.sin((big - small) / small * ts)
            pts = list(zip((cx + px).tolist(), (cy + py).tolist(), strict=True))
            d.line(pts, fill=(*col, 150), width=lw)
    img.paste(layer, (0, 0), layer)
    return img


def hologram(rng: random.Random, img: Image.Image, box: tuple[float, float, float, float]) -> None:
    """A faint iridescent laminate sheen (rainbow bands fading out) over `box`, in place."""
    x0, y0, x1, y1 = (round(v) for v in box)
    w, h = x1 - x0, y1 - y0
    if w < 4 or h < 4:
        return
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ang = rng.uniform(0, math.pi)
    s = (xx * math.cos(ang) + yy * math.sin(ang)) / max(w, h)
    hue = ((s * rng.uniform(1.5, 3.0) + rng.random()) % 1.0) * 179
    hsv = np.stack([hue, np.full_like(hue, 160), np.full_like(hue, 255)], -1).astype(np.uint8)
    rainbow = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB).astype(np.float32)
    # soft elliptical falloff: strongest in the middle of the box
    r2 = ((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2
    alpha = np.clip(1 - r2, 0, 1) * rng.uniform(0.2, 0.35)
    region = np.asarray(img.crop((x0, y0, x1, y1)), dtype=np.float32)
    # screen blend: the sheen lightens and tints, it never darkens the print
    screen = 255 - (255 - region) * (255 - rainbow) / 255
    out = region * (1 - alpha[..., None]) + screen * alpha[..., None]
    img.paste(Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "RGB"), (x0, y0))


def barcode(
    draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], data: str, module: float
) -> None:
    """A 1-D barcode (Code 128-like bars derived from `data`) filling `box` from the left."""
    x0, y0, x1, y1 = box
    bits: list[int] = [1, 1, 0, 1, 0, 0]  # start pattern
    for ch in data:
        v = ord(ch) * 37 % 251
        bits += [(v >> k) & 1 for k in range(8)] + [0]
    bits += [1, 1, 0, 0, 1, 1, 1]  # stop pattern
    x = x0
    for b in bits:
        if x + module > x1:
            break
        if b:
            draw.rectangle([x, y0, x + module - 1, y1], fill=(15, 15, 20))
        x += module
