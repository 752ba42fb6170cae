"""The look of a filled-in form's text and choice fields, drawn in a font with Vietnamese letters.

A form that says ``/NeedAppearances true`` (or whose field has no appearance stream) leaves it
to the reader to draw its fields' values; pdfium draws them in Helvetica (WinAnsi), which has no
ă, ơ, ư, đ nor the tone-marked letters (U+1EA0–U+1EF9): the page picture the clerk sees, archives
and signs would lose them. Before such a form is rendered, each of those fields gets an
appearance stream drawn here, in Noto Sans (Noto Serif for a Times field; fonts-noto-core, SIL
OFL 1.1, the font of the copy's stamp and signature block) cut to Vietnamese Latin and embedded
once per document: its rectangle and rotation (/MK /R), background and border (/MK, /BS), the
font size of /DA (0: fitted), colour, alignment (/Q), multiline, comb and password flags; a list
box shows its options with the chosen ones highlighted. Signature fields, buttons and fields
whose appearance stands are not touched. Only the in-memory copy pdfium renders is changed.
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
# Field flags (PDF 32000-1, 12.7.4): a text field's, then a choice field's.
_MULTILINE, _PASSWORD, _COMB = 1 << 12, 1 << 13, 1 << 24
_COMBO = 1 << 17
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

    def width(self, text: str, size: float) -> float:
        return sum(self.widths[self.gid.get(ord(c), 0)] for c in text) * size / 1000.0

    def encode(self, text: str) -> str:
        """``text`` as a hex string of two-byte glyph ids (Identity-H), .notdef for the rest."""
        return "<" + "".join(f"{self.gid.get(ord(c), 0):04X}" for c in text) + ">"


@lru_cache(maxsize=2)
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
    )


def _embed(pdf: Any, font: _Font) -> Any:
    """The font as a Type0 (Identity-H) font object of ``pdf``, with a ToUnicode map."""
    import pikepdf

    name = pikepdf.Name("/SOHOAA+" + re.sub(r"[^A-Za-z0-9-]", "", font.name))
    file = pikepdf.Stream(pdf, font.data)
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=name,
        Flags=32,
        FontBBox=pikepdf.Array(font.bbox),
        ItalicAngle=0,
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
    """The shown text and choice widgets whose look the reader must draw: all of them when the
    form says /NeedAppearances, else those with no normal appearance stream."""
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
            if int(annot.get("/F", 0)) & _HIDDEN or field_entry(annot, "/FT") not in ("/Tx", "/Ch"):
                continue
            appearance = annot.get("/AP")
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
    embedded: dict[str, Any] = {}
    form = pdf.Root.AcroForm
    drawn = 0
    for annot in widgets:
        try:
            style = _font_style(annot, form)
            if style not in embedded:
                embedded[style] = _embed(pdf, _font(FIELD_FONTS[style]))
            # the normal look only: a stale /D (pressed) look would show the old value
            annot.AP = pikepdf.Dictionary(N=_appearance(pdf, annot, form, embedded[style], style))
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


def _font_style(annot: Any, form: Any) -> str:
    """Serif for a field set in a Times face, else sans."""
    match = re.search(r"/([^\s/]+)\s+[-\d.]+\s+Tf", _da(annot, form))
    if not match:
        return "sans"
    name = match.group(1)
    try:
        base = str(form.DR.Font[f"/{name}"].get("/BaseFont", ""))
    except (AttributeError, KeyError, TypeError):
        base = ""
    return "serif" if re.search(r"Times|TiRo|Serif", name + base, re.IGNORECASE) else "sans"


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


def _appearance(pdf: Any, annot: Any, form: Any, font_obj: Any, style: str) -> Any:
    import pikepdf

    font = _font(FIELD_FONTS[style])
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
    ops: list[str] = []
    background = _colour(mk.get("/BG"), stroke=False)
    if background:
        ops.append(f"q {background} 0 0 {_num(w)} {_num(h)} re f Q")
    border_colour = _colour(mk.get("/BC"), stroke=True)
    bs = annot.get("/BS") or pikepdf.Dictionary()
    border = float(bs.get("/W", 1)) if border_colour else 0.0
    if border_colour and border > 0:
        border_style = str(bs.get("/S", "/S"))
        half = border / 2
        if border_style == "/U":
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
    return pikepdf.Stream(
        pdf,
        "\n".join(ops).encode("ascii"),
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Form,
        BBox=pikepdf.Array([0, 0, w, h]),
        Matrix=pikepdf.Array(matrix),
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(SohoaF=font_obj)),
    )


def _show(
    font: _Font, text: str, size: float, fill: str, x: float, y: float, width: float, quad: int
) -> str:
    """One line of text at baseline ``y``, in a box from ``x`` ``width`` wide, aligned by
    ``quad`` (0 left, 1 centre, 2 right)."""
    if quad in (1, 2):
        x += (width - font.width(text, size)) / (2 if quad == 1 else 1)
    return f"BT {fill} /SohoaF {_num(size)} Tf {_num(x)} {_num(y)} Td {font.encode(text)} Tj ET"
