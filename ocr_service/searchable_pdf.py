"""Searchable PDF: each page image with an invisible, correctly-Unicode text layer on top.

The text is drawn in render mode 3 (invisible) with a glyph-less Type 0 font whose codes
are UTF-16 code units (Identity-H) and whose ToUnicode CMap maps each code to itself, so
``pdftotext`` and viewers extract Vietnamese exactly; each line is stretched horizontally
to its box so selections line up with the scan. This is OCRmyPDF's approach.
"""

from __future__ import annotations

import io
import math
import unicodedata
import zlib
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
import pikepdf
from pikepdf import Dictionary, Name

from core.records import ProcessedPage

__all__ = ["make_searchable_pdf"]

_CHAR_ASPECT = 2  # glyph advance = half the font size: a neutral guess for stretching
# Tesseract's one-glyph font (Apache-2.0) if installed; the text layer works without it.
_GLYPHLESS_TTF = Path("/usr/share/tesseract-ocr/5/tessdata/pdf.ttf")
_JPEG_QUALITY = 80
_A4_LONG_INCHES = 11.69

_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def _glyphless_font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    descriptor = Dictionary(
        Type=Name.FontDescriptor,
        FontName=Name.GlyphLessFont,
        Flags=5,
        FontBBox=[0, 0, 1000 // _CHAR_ASPECT, 1000],
        ItalicAngle=0,
        Ascent=1000,
        Descent=-1,
        CapHeight=1000,
        StemV=80,
    )
    if _GLYPHLESS_TTF.is_file():
        descriptor.FontFile2 = pdf.make_stream(_GLYPHLESS_TTF.read_bytes())
    cid_font = Dictionary(
        Type=Name.Font,
        Subtype=Name.CIDFontType2,
        BaseFont=Name.GlyphLessFont,
        CIDSystemInfo=Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor),
        DW=1000 // _CHAR_ASPECT,
        # Every CID is drawn with glyph 1, the font's single (empty) glyph.
        CIDToGIDMap=pdf.make_stream(zlib.compress(b"\x00\x01" * 65536), Filter=Name.FlateDecode),
    )
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type0,
            BaseFont=Name.GlyphLessFont,
            Encoding=Name("/Identity-H"),
            DescendantFonts=[pdf.make_indirect(cid_font)],
            ToUnicode=pdf.make_stream(_TO_UNICODE),
        )
    )


def _stamp_font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type1,
            BaseFont=Name.Helvetica,
            Encoding=Name.WinAnsiEncoding,
        )
    )


def _encode_text(text: str) -> bytes:
    """NFC text as UTF-16BE code units (the codes of our Identity-H font)."""
    return unicodedata.normalize("NFC", text).encode("utf-16-be")


def _pdf_string(data: bytes) -> bytes:
    return b"<" + data.hex().encode() + b">"


def _ascii(text: str) -> str:
    """The stamp uses a standard font: fold Vietnamese to ASCII (đ→d, ế→e)."""
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in folded if ord(c) < 128 and not unicodedata.combining(c))


def _image_xobject(pdf: pikepdf.Pdf, image: np.ndarray) -> pikepdf.Object:
    """The page image as a JPEG XObject (grey when the scan has no colour)."""
    if image.ndim == 3:
        b, g, r = (image[:, :, i].astype(np.int16) for i in range(3))
        spread = np.maximum(np.abs(b - g), np.maximum(np.abs(g - r), np.abs(b - r)))
        is_grey = float(np.percentile(spread, 99)) < 12
    else:
        is_grey = True
    if is_grey and image.ndim == 3:
        image = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, _JPEG_QUALITY])
    if not ok:
        raise ValueError("could not encode the page image")
    h, w = image.shape[:2]
    return pdf.make_stream(
        jpeg.tobytes(),
        Type=Name.XObject,
        Subtype=Name.Image,
        Width=w,
        Height=h,
        ColorSpace=Name.DeviceGray if is_grey else Name.DeviceRGB,
        BitsPerComponent=8,
        Filter=Name.DCTDecode,
    )


def _page_dpi(page: ProcessedPage) -> float:
    if page.dpi and page.dpi > 30:
        return float(page.dpi)
    # Unknown (a photo): size the page like A4 on its long side.
    return max(page.width, page.height) / _A4_LONG_INCHES


def _text_ops(page: ProcessedPage, scale: float, height_pt: float) -> list[bytes]:
    ops = [b"q", b"BT", b"3 Tr"]
    for line in page.text.lines:
        text = line.text.strip()
        if not text:
            continue
        q = np.asarray(line.box, dtype=np.float64)
        top = q[1] - q[0]
        width_px = float(np.hypot(*top))
        height_px = float(np.hypot(*(q[3] - q[0])))
        if width_px < 1 or height_px < 1:
            continue
        angle = math.atan2(-top[1], top[0])  # PDF y axis points up
        size = height_px * scale
        natural = len(unicodedata.normalize("NFC", text)) * size / _CHAR_ASPECT
        stretch = 100.0 * width_px * scale / natural if natural > 0 else 100.0
        # Baseline: a little above the box's bottom-left corner (descenders below it).
        bx, by = q[3] + (q[0] - q[3]) * 0.2
        x, y = bx * scale, height_pt - by * scale
        c, s = math.cos(angle), math.sin(angle)
        ops.append(f"/FOcr {size:.2f} Tf {stretch:.2f} Tz".encode())
        ops.append(f"{c:.5f} {s:.5f} {-s:.5f} {c:.5f} {x:.2f} {y:.2f} Tm".encode())
        ops.append(_pdf_string(_encode_text(text + " ")) + b" Tj")
    ops += [b"ET", b"Q"]  # Q restores render mode and scaling for what follows
    return ops


def _stamp_ops(stamp: str, width_pt: float, height_pt: float) -> list[bytes]:
    text = _ascii(stamp)[:80]
    size = 7.0
    text_w = len(text) * size * 0.6
    x = max(4.0, width_pt - text_w - 10)
    y = height_pt - 14
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return [
        b"q 1 g",
        f"{x - 3:.2f} {y - 3:.2f} {text_w + 6:.2f} {size + 5:.2f} re f".encode(),
        b"0 g BT 0 Tr 100 Tz",
        f"/FStamp {size:.1f} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm".encode(),
        f"({escaped}) Tj".encode(),
        b"ET Q",
    ]


def make_searchable_pdf(
    pages: Sequence[ProcessedPage], *, first_page_stamp: str | None = None
) -> bytes:
    """A PDF with one page per ``ProcessedPage``: the image, the invisible OCR text, and on
    the first page the visible ``first_page_stamp`` (the digitization result code) in the
    top-right corner."""
    pdf = pikepdf.new()
    font = _glyphless_font(pdf)
    stamp_font = _stamp_font(pdf) if first_page_stamp else None
    for index, page in enumerate(pages):
        dpi = _page_dpi(page)
        scale = 72.0 / dpi
        width_pt, height_pt = page.width * scale, page.height * scale
        ops = [b"q", f"{width_pt:.3f} 0 0 {height_pt:.3f} 0 0 cm".encode(), b"/Im0 Do", b"Q"]
        ops += _text_ops(page, scale, height_pt)
        fonts = Dictionary(FOcr=font)
        if index == 0 and first_page_stamp and stamp_font is not None:
            ops += _stamp_ops(first_page_stamp, width_pt, height_pt)
            fonts.FStamp = stamp_font
        resources = Dictionary(XObject=Dictionary(Im0=_image_xobject(pdf, page.image)), Font=fonts)
        pdf_page = pikepdf.Page(
            Dictionary(
                Type=Name.Page,
                MediaBox=[0, 0, round(width_pt, 3), round(height_pt, 3)],
                Resources=resources,
                Contents=pdf.make_stream(b"\n".join(ops)),
            )
        )
        pdf.pages.append(pdf_page)
    pdf.docinfo[Name.Producer] = "sohoa"
    out = io.BytesIO()
    pdf.save(out, compress_streams=True)
    return out.getvalue()
