"""The look of a filled-in form's fields the reader would draw: Vietnamese letters, ticked boxes.

A form that says ``/NeedAppearances true`` (or whose field has no appearance stream) leaves it
to the reader to draw its fields' values; pdfium draws them in Helvetica (WinAnsi), which has no
ă, ơ, ư, đ nor the tone-marked letters (U+1EA0–U+1EF9): the page picture the clerk sees, archives
and signs would lose them. Before such a form is rendered, each of those fields gets an
appearance stream drawn here, in Noto Sans (Noto Serif for a Times field; fonts-noto-core, SIL
OFL 1.1, the font of the copy's stamp and signature block) cut to Vietnamese Latin and embedded
once per document: its rectangle and rotation (/MK /R), background and border (/MK, /BS), the
font size of /DA (0: fitted), colour, alignment (/Q), multiline, comb and password flags; a list
box shows its options with the chosen ones highlighted; a bold or italic /DA font is drawn in
that Noto cut when it is installed. A check box or radio button with no look for its state gets
one: /MK background and border, and when ticked the /MK /CA mark (PDF 32000-1 12.7.4.2.3).
Signature fields, push buttons and fields whose appearance stands are not touched. Only the
in-memory copy pdfium renders is changed.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ocr_service.vietnamese_font import vietnamese_subset

__all__ = ["FIELD_FONTS", "field_entry", "with_field_appearances"]

_NOTO = Path("/usr/share/fonts/truetype/noto")  # fonts-noto-core (Dockerfile, Makefile)
FIELD_FONTS = {"sans": _NOTO / "NotoSans-Regular.ttf", "serif": _NOTO / "NotoSerif-Regular.ttf"}
# Acrobat's names for the bold and italic standard fonts in a form's /DR (Helvetica, Times,
# Courier); any other font is bold or italic when its name or /BaseFont says so.
_STANDARD_CUTS = {
    "HeBo": "Bold", "HeOb": "Italic", "HeBO": "BoldItalic", "TiBo": "Bold", "TiIt": "Italic",
    "TiBI": "BoldItalic", "CoBo": "Bold", "CoOb": "Italic", "CoBO": "BoldItalic",
}  # fmt: skip
# Field flags (PDF 32000-1, 12.7.4): a text field's, then a choice field's.
_MULTILINE, _PASSWORD, _COMB = 1 << 12, 1 << 13, 1 << 24
_COMBO = 1 << 17
_RADIO, _PUSHBUTTON = 1 << 15, 1 << 16  # a button field's
_HIDDEN = 0b100010  # annotation flags Hidden, NoView
_PAD = 2.0  # points between a field's border and its text, as readers leave
_AUTO_MAX = 12.0  # the largest fitted size of a multi-line field or a list box, as Acrobat's
_AUTO_MIN = 4.0
_HIGHLIGHT = "0.6 0.75 0.85 rg"  # a list box's chosen option (pdfium's colour)


@dataclass(frozen=True)
class _Font:
    """A font cut to Vietnamese Latin: its file, glyph ids and widths (per 1000 em)."""

    data: bytes
    name: str
    gid: dict[int, int]  # code point -> glyph id
    widths: list[int]  # by glyph id
    ascent: float
    descent: float  # negative
    bbox: tuple[int, int, int, int]
    cap_height: float
    italic_angle: float = 0.0

    def width(self, text: str, size: float) -> float:
        return sum(self.widths[self.gid.get(ord(c), 0)] for c in text) * size / 1000.0

    def encode(self, text: str) -> str:
        """``text`` as a hex string of two-byte glyph ids (Identity-H), .notdef for the rest."""
        return "<" + "".join(f"{self.gid.get(ord(c), 0):04X}" for c in text) + ">"


@lru_cache(maxsize=8)
def _font(path: Path) -> _Font:
    """The font at ``path`` cut to Vietnamese Latin (values are NFC: every letter is one
    glyph) and its metrics, once per process."""
    from fontTools.ttLib import TTFont

    data = vietnamese_subset(path)
    font = TTFont(io.BytesIO(data))
    scale = 1000.0 / font["head"].unitsPerEm
    order = font.getGlyphOrder()
    widths = [round(font["hmtx"][g][0] * scale) for g in order]
    cmap = {cp: font.getGlyphID(g) for cp, g in font.getBestCmap().items()}
    head = font["head"]
    bbox = (head.xMin, head.yMin, head.xMax, head.yMax)
    os2 = font["OS/2"]
    return _Font(
        data=data,
        name=font["name"].getDebugName(6) or path.stem,
        gid=cmap,
        widths=widths,
        ascent=font["hhea"].ascent * scale,
        descent=font["hhea"].descent * scale,
        bbox=tuple(round(v * scale) for v in bbox),  # type: ignore[arg-type]
        cap_height=getattr(os2, "sCapHeight", 700) * scale,
        italic_angle=float(font["post"].italicAngle),
    )


def _embed(pdf: Any, font: _Font) -> Any:
    """The font as a Type0 (Identity-H) font object of ``pdf``, with a ToUnicode map."""
    import pikepdf

    name = pikepdf.Name("/SOHOAA+" + re.sub(r"[^A-Za-z0-9-]", "", font.name))
    file = pikepdf.Stream(pdf, font.data)
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=name,
        Flags=32 | (64 if font.italic_angle else 0),  # nonsymbolic, italic
        FontBBox=pikepdf.Array(font.bbox),
        ItalicAngle=round(font.italic_angle, 2),
        Ascent=round(font.ascent),
        Descent=round(font.descent),
        CapHeight=round(font.cap_height),
        StemV=80,
        FontFile2=file,
    )
    cid = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.CIDFontType2,
        BaseFont=name,
        CIDSystemInfo=pikepdf.Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor),
        W=pikepdf.Array([0, pikepdf.Array(font.widths)]),
        CIDToGIDMap=pikepdf.Name.Identity,
    )
    pairs = sorted((g, cp) for cp, g in font.gid.items() if cp <= 0xFFFF)
    chunks = [pairs[i : i + 100] for i in range(0, len(pairs), 100)]  # 100 a block, as the spec
    cmap = "\n".join(
        f"{len(chunk)} beginbfchar\n"
        + "\n".join(f"<{g:04X}> <{cp:04X}>" for g, cp in chunk)
        + "\nendbfchar"
        for chunk in chunks
    )
    to_unicode = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{cmap}\nendcmap CMapName currentdict /CMap defineresource pop end end"
    )
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type0,
            BaseFont=name,
            Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=pikepdf.Array([pdf.make_indirect(cid)]),
            ToUnicode=pikepdf.Stream(pdf, to_unicode.encode("ascii")),
        )
    )


# --- which fields --------------------------------------------------------------------------


def field_entry(field: Any, key: str, default: Any = None) -> Any:
    """A form field's ``key``, its own or the nearest parent field's (as the spec inherits)."""
    for _ in range(32):  # a parent chain this deep is damaged, or a loop
        if field is None:
            return default
        if key in field:
            return field[key]
        field = field.get("/Parent")
    return default


def _widgets_to_draw(pdf: Any) -> list[Any]:
    """The shown widgets whose look the reader must draw: text and choice fields, all of them
    when the form says /NeedAppearances, else those with no normal appearance stream; check
    boxes and radio buttons with no look for their state (/AS), when the form says
    /NeedAppearances or the widget has no appearance at all."""
    import pikepdf

    form = pdf.Root.get("/AcroForm")
    if not isinstance(form, pikepdf.Dictionary) or not form.get("/Fields"):
        return []
    need_all = bool(form.get("/NeedAppearances", False))
    found = []
    for page in pdf.pages:
        for annot in page.obj.get("/Annots") or []:
            if not isinstance(annot, pikepdf.Dictionary) or annot.get("/Subtype") != "/Widget":
                continue
            kind = field_entry(annot, "/FT")
            if int(annot.get("/F", 0)) & _HIDDEN or kind not in ("/Tx", "/Ch", "/Btn"):
                continue
            appearance = annot.get("/AP")
            if kind == "/Btn":
                if _button_to_draw(annot, need_all):
                    found.append(annot)
                continue
            stands = isinstance(appearance, pikepdf.Dictionary) and isinstance(
                appearance.get("/N"), pikepdf.Stream
            )
            if need_all or not stands:
                found.append(annot)
    return found


def with_field_appearances(pdf: Any) -> bytes | None:
    """The PDF ``pdf`` (pikepdf, in memory; changed) with the appearance of every text and
    choice field the reader would draw built here, as bytes for the renderer; None when it
    has no such field (render the original)."""
    import pikepdf

    try:
        widgets = _widgets_to_draw(pdf)
    except (pikepdf.PdfError, ValueError, TypeError, AttributeError):
        return None  # a damaged form: leave it to the renderer as it is
    if not widgets:
        return None
    embedded: dict[Path, Any] = {}
    form = pdf.Root.AcroForm
    drawn = 0
    for annot in widgets:
        try:
            if field_entry(annot, "/FT") == "/Btn":
                _set_button_looks(pdf, annot, form)
                drawn += 1
                continue
            path = _font_path(*_font_style(annot, form))
            if path not in embedded:
                embedded[path] = _embed(pdf, _font(path))
            look = _appearance(pdf, annot, form, embedded[path], _font(path))
            # the normal look only: a stale /D (pressed) look would show the old value
            annot.AP = pikepdf.Dictionary(N=look)
            drawn += 1
        except (pikepdf.PdfError, ValueError, TypeError, AttributeError, KeyError, OSError):
            continue  # this field (or the font is missing) stays as the renderer draws it
    if not drawn:
        return None  # none drawn here (no font): the renderer draws them all, as it can
    if drawn == len(widgets):
        # every field the reader had to draw has its look now: pdfium must not redraw them
        form.NeedAppearances = False
    # else /NeedAppearances stays as the form set it: a field left undrawn here still needs
    # pdfium's look (without the flag pdfium would show nothing for it), at the cost of
    # pdfium redrawing the others in its own font
    out = io.BytesIO()
    try:
        pdf.save(out)
    except (pikepdf.PdfError, ValueError, OSError):
        return None  # cannot be written back: the renderer draws the fields as it can
    return out.getvalue()


# --- one field's look ----------------------------------------------------------------------


def _da(annot: Any, form: Any) -> str:
    return str(field_entry(annot, "/DA", None) or form.get("/DA", "") or "")


def _font_style(annot: Any, form: Any) -> tuple[str, str]:
    """The family (serif for a field set in a Times face, else sans) and the cut (Regular,
    Bold, Italic, BoldItalic) of the font the field's /DA names."""
    match = re.search(r"/([^\s/]+)\s+[-\d.]+\s+Tf", _da(annot, form))
    if not match:
        return "sans", "Regular"
    name = match.group(1)
    try:
        base = str(form.DR.Font[f"/{name}"].get("/BaseFont", ""))
    except (AttributeError, KeyError, TypeError):
        base = ""
    both = f"{name} {base}"
    serif = re.search(r"Times|TiRo|Serif", both, re.IGNORECASE) or (
        name.startswith("Ti") and name in _STANDARD_CUTS
    )
    family = "serif" if serif else "sans"
    cut = _STANDARD_CUTS.get(name)
    if cut is None:
        bold = re.search(r"Bold|Black|Heavy", both, re.IGNORECASE)
        italic = re.search(r"Italic|Oblique", both, re.IGNORECASE)
        cut = ("Bold" if bold else "") + ("Italic" if italic else "") or "Regular"
    return family, cut


def _font_path(family: str, cut: str) -> Path:
    """The file of ``family``'s ``cut``: the Noto cut beside the regular one (fonts-noto-core
    has them), the regular one when that cut is not installed."""
    regular = FIELD_FONTS[family]
    path = regular.with_name(regular.name.replace("-Regular", f"-{cut}"))
    return path if path.exists() else regular


def _font_size_and_colour(da: str) -> tuple[float, str]:
    size_m = re.search(r"([-\d.]+)\s+Tf", da)
    size = abs(float(size_m.group(1))) if size_m else 0.0
    colour = re.findall(r"((?:[-\d.]+\s+){1,4})(g|rg|k)\b", da)
    fill = f"{colour[-1][0].strip()} {colour[-1][1]}" if colour else "0 g"
    return size, fill


def _colour(values: Any, stroke: bool) -> str | None:
    """A /MK colour array as a fill (or stroke) operator; None when absent or transparent."""
    try:
        numbers = [float(v) for v in values]
    except TypeError:
        return None
    op = {1: "g", 3: "rg", 4: "k"}.get(len(numbers))
    if op is None:
        return None
    return " ".join(f"{v:g}" for v in numbers) + " " + (op.upper() if stroke else op)


def _num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _value(annot: Any) -> str:
    import pikepdf

    value = field_entry(annot, "/V", "")
    if isinstance(value, pikepdf.Array):
        value = next(iter(value), "")  # a multi-select choice: its first value shown
    text = str(value)
    text = text[1:] if text.startswith("/") and field_entry(annot, "/FT") == "/Ch" else text
    return unicodedata.normalize("NFC", text)


def _options(annot: Any) -> list[tuple[str, str]]:
    """A choice field's options as (export value, shown text)."""
    import pikepdf

    out = []
    for opt in field_entry(annot, "/Opt", []) or []:
        if isinstance(opt, pikepdf.Array):
            pair = [str(v) for v in opt]
            out.append((pair[0], pair[-1]))
        else:
            out.append((str(opt), str(opt)))
    return [(unicodedata.normalize("NFC", e), unicodedata.normalize("NFC", s)) for e, s in out]


def _wrap(text: str, font: _Font, size: float, width: float) -> list[str]:
    """``text``'s lines (its own breaks kept), each broken at spaces (or inside a word too
    long) to fit ``width``."""
    lines: list[str] = []
    for para in re.split(r"\r\n|\r|\n", text):
        line = ""
        for word in para.split(" "):
            candidate = f"{line} {word}" if line else word
            if font.width(candidate, size) <= width or not line:
                line = candidate
            else:
                lines.append(line)
                line = word
            while font.width(line, size) > width and len(line) > 1:  # a word wider than the field
                cut = len(line)
                while cut > 1 and font.width(line[:cut], size) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines


def _frame(annot: Any) -> tuple[float, float, list[float], Any]:
    """A widget's look's width and height (turned by /MK /R), the matrix that turns it onto
    the rectangle, and its /MK."""
    import pikepdf

    x0, y0, x1, y1 = (float(v) for v in annot.Rect)
    w, h = abs(x1 - x0), abs(y1 - y0)
    mk = annot.get("/MK") or pikepdf.Dictionary()
    rotate = int(mk.get("/R", 0)) % 360
    if rotate in (90, 270):
        w, h = h, w
    matrix: list[float] = {
        0: [1.0, 0, 0, 1, 0, 0],
        90: [0, 1, -1, 0, h, 0],
        180: [-1, 0, 0, -1, w, h],
        270: [0, -1, 1, 0, 0, w],
    }.get(rotate, [1.0, 0, 0, 1, 0, 0])
    return w, h, matrix, mk


def _background_and_border(
    annot: Any, mk: Any, w: float, h: float, *, circle: bool = False
) -> tuple[list[str], float]:
    """The operators that fill a widget's background and stroke its border (/MK /BG /BC,
    /BS), round for a radio button (``circle``, as readers draw one), and how wide the border
    is inside it."""
    import pikepdf

    ops: list[str] = []
    background = _colour(mk.get("/BG"), stroke=False)
    if background:
        shape = _circle(w / 2, h / 2, min(w, h) / 2) if circle else f"0 0 {_num(w)} {_num(h)} re"
        ops.append(f"q {background} {shape} f Q")
    border_colour = _colour(mk.get("/BC"), stroke=True)
    bs = annot.get("/BS") or pikepdf.Dictionary()
    border = float(bs.get("/W", 1)) if border_colour else 0.0
    if border_colour and border > 0:
        border_style = str(bs.get("/S", "/S"))
        half = border / 2
        if circle:
            dash = "[3] 0 d " if border_style == "/D" else ""
            ring = _circle(w / 2, h / 2, min(w, h) / 2 - half)
            ops.append(f"q {border_colour} {_num(border)} w {dash}{ring} S Q")
        elif border_style == "/U":
            line = f"0 {_num(half)} m {_num(w)} {_num(half)} l"
            ops.append(f"q {border_colour} {_num(border)} w {line} S Q")
        else:
            dash = "[3] 0 d " if border_style == "/D" else ""
            ops.append(
                f"q {border_colour} {_num(border)} w {dash}{_num(half)} {_num(half)} "
                f"{_num(w - border)} {_num(h - border)} re S Q"
            )
        if border_style in ("/B", "/I"):
            border *= 2  # a bevelled or inset border is drawn twice as wide inside
    return ops, border


def _appearance(pdf: Any, annot: Any, form: Any, font_obj: Any, font: _Font) -> Any:
    import pikepdf

    w, h, matrix, mk = _frame(annot)
    ops, border = _background_and_border(annot, mk, w, h)
    da = _da(annot, form)
    size, fill = _font_size_and_colour(da)
    flags = int(field_entry(annot, "/Ff", 0))
    inner_x = border + _PAD
    iw, ih = max(w - 2 * inner_x, 1.0), max(h - 2 * border, 1.0)
    line_h = (font.ascent - font.descent) / 1000.0  # per point of size
    text_ops: list[str] = []
    kind = str(field_entry(annot, "/FT"))
    is_list = kind == "/Ch" and not flags & _COMBO
    if is_list:
        size = size or _AUTO_MAX
        top = int(field_entry(annot, "/TI", 0) or 0)
        chosen_raw = field_entry(annot, "/V", [])
        chosen_all = chosen_raw if isinstance(chosen_raw, pikepdf.Array) else [chosen_raw]
        chosen = {unicodedata.normalize("NFC", str(v)) for v in chosen_all}
        y = h - border
        for export, shown in _options(annot)[top:]:
            if y - size * line_h < border - 0.01:
                break
            y -= size * line_h
            if export in chosen or shown in chosen:
                band = f"{_num(border)} {_num(y)} {_num(w - 2 * border)} {_num(size * line_h)}"
                text_ops.append(f"q {_HIGHLIGHT} {band} re f Q")
            base = y - font.descent * size / 1000.0
            text_ops.append(_show(font, shown, size, fill, inner_x, base, iw, 0))
    else:
        text = _value(annot)
        if kind == "/Ch":  # a combo box shows the option's text for its export value
            text = dict(_options(annot)).get(text, text)
        if kind == "/Tx" and flags & _PASSWORD:
            text = "*" * len(text)
        quad = int(field_entry(annot, "/Q", form.get("/Q", 0)) or 0)
        max_len = int(field_entry(annot, "/MaxLen", 0) or 0)
        if kind == "/Tx" and flags & _MULTILINE:
            if not size:
                size = _AUTO_MAX
                while size > _AUTO_MIN and (
                    len(_wrap(text, font, size, iw)) * size * line_h > ih - 2 * _PAD
                ):
                    size -= 0.5
            y = h - border - _PAD - font.ascent * size / 1000.0
            for line in _wrap(text, font, size, iw):
                text_ops.append(_show(font, line, size, fill, inner_x, y, iw, quad))
                y -= size * line_h
        elif kind == "/Tx" and flags & _COMB and max_len > 0:
            cell = w / max_len
            if not size:
                size = min(ih / line_h, cell * 1000.0 / max(font.widths) if font.widths else ih)
            base = (h - size * line_h) / 2 - font.descent * size / 1000.0
            for i, char in enumerate(text[:max_len]):
                x = i * cell + (cell - font.width(char, size)) / 2
                text_ops.append(_show(font, char, size, fill, x, base, cell, 0))
        else:
            if not size:  # fitted: the line fills the field's height, shrunk to its width
                size = max(_AUTO_MIN, min((ih - 2 * _PAD) / line_h, 1000.0))
                natural = font.width(text, size)
                if natural > iw > 0:
                    size = max(_AUTO_MIN, size * iw / natural)
            base = (h - size * line_h) / 2 - font.descent * size / 1000.0
            text_ops.append(_show(font, text, size, fill, inner_x, base, iw, quad))
    if text_ops:
        clip = f"{_num(border)} {_num(border)} {_num(w - 2 * border)} {_num(h - 2 * border)}"
        ops.append(f"/Tx BMC q {clip} re W n " + "\n".join(text_ops) + " Q EMC")
    look = _form_xobject(pdf, ops, w, h, matrix)
    look.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(SohoaF=font_obj))
    return look


def _form_xobject(pdf: Any, ops: list[str], w: float, h: float, matrix: list[float]) -> Any:
    """A look: the operators ``ops`` as a form XObject ``w`` by ``h``, turned by ``matrix``."""
    import pikepdf

    return pikepdf.Stream(
        pdf,
        "\n".join(ops).encode("ascii"),
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Form,
        BBox=pikepdf.Array([0, 0, w, h]),
        Matrix=pikepdf.Array(matrix),
    )


def _show(
    font: _Font, text: str, size: float, fill: str, x: float, y: float, width: float, quad: int
) -> str:
    """One line of text at baseline ``y``, in a box from ``x`` ``width`` wide, aligned by
    ``quad`` (0 left, 1 centre, 2 right)."""
    if quad in (1, 2):
        x += (width - font.width(text, size)) / (2 if quad == 1 else 1)
    return f"BT {fill} /SohoaF {_num(size)} Tf {_num(x)} {_num(y)} Td {font.encode(text)} Tj ET"


# --- a check box's or a radio button's look ------------------------------------------------

# The mark a button's /MK /CA names (a character of ZapfDingbats, PDF 32000-1 12.7.4.2.3, as
# readers draw it), drawn here as a path in a unit box centred on 0: (operators, its share of
# the box). Fill (f) or stroke (S) takes the colour of /DA.
_CHECK = ("-0.36 0.02 m -0.1 -0.3 l 0.38 0.34 l S", 1.0)
_MARKS = {
    "4": _CHECK,  # ✔, a check box's own
    "3": _CHECK,  # ✓
    "8": ("-0.4 -0.4 m 0.4 0.4 l -0.4 0.4 m 0.4 -0.4 l S", 1.0),  # ✖ a cross
    "7": ("-0.4 -0.4 m 0.4 0.4 l -0.4 0.4 m 0.4 -0.4 l S", 1.0),  # ✗
    "l": ("", 0.6),  # ● a radio button's own: a dot (drawn by _circle)
    "n": ("-0.38 -0.38 0.76 0.76 re f", 0.8),  # ■
    "u": ("0 0.5 m 0.5 0 l 0 -0.5 l -0.5 0 l h f", 0.8),  # ◆
    "H": (
        "0 0.5 m 0.118 0.162 l 0.476 0.155 l 0.19 -0.062 l 0.294 -0.405 l 0 -0.2 l "
        "-0.294 -0.405 l -0.19 -0.062 l -0.476 0.155 l -0.118 0.162 l h f",
        0.9,
    ),  # ★
}
_MARK_EM = 0.75  # a ZapfDingbats mark's height per point of font size


def _circle(cx: float, cy: float, r: float) -> str:
    """A circle's path, four Bézier quarters."""
    k = 0.5523 * r
    pts = [(cx + r, cy), (cx, cy + r), (cx - r, cy), (cx, cy - r), (cx + r, cy)]
    path = [f"{_num(pts[0][0])} {_num(pts[0][1])} m"]
    for (ax, ay), (bx, by) in zip(pts, pts[1:], strict=False):
        # the control points leave a along its tangent and reach b along b's
        c1 = (ax - k * (ay - cy) / r, ay + k * (ax - cx) / r)
        c2 = (bx + k * (by - cy) / r, by - k * (bx - cx) / r)
        path.append(" ".join(_num(v) for v in (*c1, *c2, bx, by)) + " c")
    return " ".join(path) + " h"


def _normal_looks(annot: Any) -> Any:
    import pikepdf

    appearance = annot.get("/AP")
    return appearance.get("/N") if isinstance(appearance, pikepdf.Dictionary) else None


def _button_states(annot: Any) -> tuple[str, str]:
    """A check box's or radio button's on state (the name of its look that is not /Off) and
    the state it is in (/AS; without one, on when the field's value is its on state)."""
    import pikepdf

    normal = _normal_looks(annot)
    looks = normal if isinstance(normal, pikepdf.Dictionary) else pikepdf.Dictionary()
    names = [str(k) for k in looks if k != "/Off"]
    state = annot.get("/AS")
    value = field_entry(annot, "/V")
    parent = annot.get("/Parent")
    alone = parent is None or len(parent.get("/Kids") or []) <= 1  # the field's one widget
    if names:
        on = names[0]
    elif isinstance(state, pikepdf.Name) and state != "/Off":
        on = str(state)
    elif isinstance(value, pikepdf.Name) and value != "/Off" and alone:
        on = str(value)
    else:
        on = "/Yes"
    if isinstance(state, pikepdf.Name):
        return on, str(state)
    return on, on if isinstance(value, pikepdf.Name) and str(value) == on else "/Off"


def _button_look_stands(annot: Any) -> bool:
    """Whether the button has a normal look for the state it is in."""
    import pikepdf

    normal = _normal_looks(annot)
    if isinstance(normal, pikepdf.Stream):
        return True  # one look for every state
    if not isinstance(normal, pikepdf.Dictionary):
        return False
    return isinstance(normal.get(_button_states(annot)[1]), pikepdf.Stream)


def _button_to_draw(annot: Any, need_all: bool) -> bool:
    """Whether a button is a check box or radio button with no look for its state that the
    reader must draw; a damaged one is left to the renderer."""
    import pikepdf

    try:
        if int(field_entry(annot, "/Ff", 0)) & _PUSHBUTTON:
            return False
        return (need_all or annot.get("/AP") is None) and not _button_look_stands(annot)
    except (pikepdf.PdfError, ValueError, TypeError, AttributeError, KeyError):
        return False


def _set_button_looks(pdf: Any, annot: Any, form: Any) -> None:
    """Give a check box or radio button the looks of its on and off states it lacks (the
    looks it has stay), and the state it is in (/AS)."""
    import pikepdf

    on, state = _button_states(annot)
    normal = _normal_looks(annot)
    looks = pikepdf.Dictionary()
    if isinstance(normal, pikepdf.Dictionary):
        for name, look in normal.items():
            if isinstance(look, pikepdf.Stream):
                looks[name] = look
    for name in (on, "/Off"):
        if name not in looks:
            looks[name] = _button_look(pdf, annot, form, checked=name != "/Off")
    annot.AP = pikepdf.Dictionary(N=looks)
    annot.AS = pikepdf.Name(state if state in (on, "/Off") else "/Off")


def _button_look(pdf: Any, annot: Any, form: Any, *, checked: bool) -> Any:
    """One state's look: background and border, and when ``checked`` the mark /MK /CA names
    (a check for a check box, a dot for a radio button, by default) in the colour of /DA,
    centred, its size from /DA (0: fitted inside the border)."""

    w, h, matrix, mk = _frame(annot)
    radio = bool(int(field_entry(annot, "/Ff", 0)) & _RADIO)
    ops, border = _background_and_border(annot, mk, w, h, circle=radio)
    if checked:
        size, fill = _font_size_and_colour(_da(annot, form))
        stroke = re.sub(r"\b(g|rg|k)$", lambda m: m.group(1).upper(), fill)
        caption = str(mk.get("/CA", "") or "")[:1] or ("l" if radio else "4")
        path, share = _MARKS.get(caption, _MARKS["l" if radio else "4"])
        room = max(min(w, h) - 2 * border - 2, 1.0)
        extent = min(room, size * _MARK_EM) if size else room * 0.8
        extent *= share
        if not path:  # the dot
            mark = f"{_circle(w / 2, h / 2, extent / 2)} f"
        else:
            line = 0.16 if path == _CHECK[0] else 0.12
            mark = (
                f"1 0 0 1 {_num(w / 2)} {_num(h / 2)} cm {_num(extent)} 0 0 {_num(extent)} 0 0 cm "
                f"{_num(line)} w 1 J 1 j {path}"
            )
        ops.append(f"q {fill} {stroke} {mark} Q")
    return _form_xobject(pdf, ops, w, h, matrix)
