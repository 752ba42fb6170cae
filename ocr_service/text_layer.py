"""A born-digital PDF page's own text: its lines, in the rendered image's pixels, when trusted.

A page drawn by a word processor carries its text exactly; OCRing its rendering reads it
less well and takes a second or two. The layer is read with pdfium (the renderer's own text
extraction) and used only when it can be trusted; otherwise the page is OCRed as a scan
(as OCRmyPDF's ``--skip-text`` and Paperless-ngx decide). It is trusted when all hold:

- there is enough of it: at least ``_MIN_LETTERS`` letters (a page with a few words drawn
  over a scan, or text outlined into curves, is a scan to read);
- it is drawn visibly: under ``_MAX_INVISIBLE`` of the characters invisible: in render mode
  3 or 7 (an earlier OCR laid under a page image, which is as good as that OCR was), or not
  seen on the rendering, their box off the page or without ``_MIN_INK_CONTRAST`` levels of
  contrast in it (white on white, under a filled box: text a sender meant hidden, such as
  personal data blacked out); the few that are, are left out, as the OCR would not see them;
- images cover under ``_MAX_IMAGE_AREA`` of the page (the rest of its text may be in them);
- it is Unicode: under ``_MAX_UNMAPPED`` of the characters lack a Unicode mapping (pdfium's
  unicode-map error, U+FFFD, private use, a surrogate half or an unassigned code point; the
  few that do are left out), letters are most of what is drawn, and under
  ``_MAX_SUSPECT_WORDS`` of the words are suspect: with a letter outside ASCII yet no
  Vietnamese syllable. Legacy 8-bit Vietnamese fonts (TCVN3 ".VnTime", VNI) map their
  glyphs to Latin-1 code points, so their text decodes to words like "ViÖt" and "Vieät";
  plain-ASCII words (abbreviations, English) are not suspect;
- no annotation the rendering shows draws text (a form filled in with a PDF editor's
  typewriter, a text stamp): an annotation's text is not in the page's text layer, and the
  page is OCRed, whose rendering shows it. Form fields (widgets) count for neither: a filled
  field's value is added to the layer's lines (ocr_service.form_fields), and a signature
  widget is not drawn;
- it is upright as the page is shown (/Rotate counted): under ``_MAX_TURNED`` of the
  letters are at another angle (the few that are, a margin note written sideways, are left
  out; more, and the page is OCRed, whose preprocessing turns pages).
"""

from __future__ import annotations

import ctypes
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from core.normalize import is_syllable
from core.records import OcrLine

__all__ = ["read_text_layer"]

_MIN_LETTERS = 40
_MAX_INVISIBLE = 0.05
_MAX_IMAGE_AREA = 0.2
_MAX_UNMAPPED = 0.02
_MIN_LETTER_SHARE = 0.5  # of the characters drawn (not spaces)
_MAX_SUSPECT_WORDS = 0.1
_MAX_TURNED = 0.05
_UPRIGHT_TOLERANCE = math.radians(2.0)
# Gray levels (of 255) between the lightest and darkest pixel of a character's box for it to
# be seen: a glyph's antialiased ink on its ground differs by far more, a box filled over text
# or white text on white by nothing.
_MIN_INK_CONTRAST = 32
# A gap wider than this many type heights between two characters of one pdfium line splits it:
# the two blocks of a letterhead set on one baseline are two lines, as the detector finds them.
_SPLIT_GAP = 2.0

_LINE_END_HYPHEN = 0x02  # pdfium's code for a hyphen ending a line ("86/KH-" ⏎ "UBND")
_INVISIBLE_MODES = frozenset({3, 7})  # FPDF_TEXTRENDERMODE_INVISIBLE, _CLIP
# What a character that is none decodes to: U+FFFD, private use, a lone surrogate half or a
# code point no character holds (a damaged ToUnicode map; a surrogate cannot be written as
# UTF-8, so it would fail the JSON and the database downstream).
_NO_CHARACTER = "\ufffd"
_NO_CHARACTER_CATEGORIES = frozenset({"Co", "Cs", "Cn"})
_WORD_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_WORD_BREAKS = re.compile(r"[\s\-‐–—/]+")
_ABBREVIATION = 5  # letters at most of an all-capitals abbreviation ("HĐND", "QĐ")


@dataclass
class _Char:
    text: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in image pixels
    size: float  # the type's height in image pixels (0: a space or break, without a box)


def read_text_layer(page: Any, image: np.ndarray) -> list[OcrLine] | None:
    """The lines of pdfium ``page`` (a ``pypdfium2.PdfPage``) in the pixels of ``image``, its
    rendering (its whole crop box, as shown), content order, confidence 1.0; or None when the
    layer is not to be trusted (the module's rules)."""
    if _image_share(page) >= _MAX_IMAGE_AREA or _annotation_text(page):
        return None
    textpage = page.get_textpage()
    try:
        chars = list(_chars(page, textpage, image))
    finally:
        textpage.close()
    drawn = [c for c in chars if c.text.strip()]
    letters = [c for c in drawn if c.text.isalpha()]
    if len(letters) < _MIN_LETTERS or len(letters) < _MIN_LETTER_SHARE * len(drawn):
        return None
    invisible = sum(c.text == _INVISIBLE for c in drawn)
    unmapped = sum(c.text == _UNMAPPED for c in drawn)
    turned = sum(c.text == _TURNED for c in drawn)
    if invisible >= _MAX_INVISIBLE * len(drawn) or unmapped >= _MAX_UNMAPPED * len(drawn):
        return None
    if turned >= _MAX_TURNED * len(drawn):
        return None
    lines = _lines(chars)
    if _suspect_share(" ".join(line.text for line in lines)) >= _MAX_SUSPECT_WORDS:
        return None
    return lines


# Markers put in place of a character's text for the counts above; none is a letter.
_INVISIBLE, _UNMAPPED, _TURNED = "\x00i", "\x00u", "\x00t"


def _image_share(page: Any) -> float:
    """The part of the page's area its images cover (their boxes summed, at most 1)."""
    import pypdfium2.raw as pdfium_c

    x0, y0, x1, y1 = page.get_cropbox()
    area = max((x1 - x0) * (y1 - y0), 1.0)
    covered = 0.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=5):
        left, bottom, right, top = obj.get_bounds()
        w = min(right, x1) - max(left, x0)
        h = min(top, y1) - max(bottom, y0)
        if w > 0 and h > 0:
            covered += w * h
    return min(covered / area, 1.0)


def _annotation_text(page: Any) -> bool:
    """Whether an annotation the rendering shows (neither a widget, whose value is read from
    the form, nor a popup, nor hidden) draws text in its appearance."""
    import pypdfium2.raw as pdfium_c

    not_drawn = (pdfium_c.FPDF_ANNOT_WIDGET, pdfium_c.FPDF_ANNOT_POPUP)
    hidden = pdfium_c.FPDF_ANNOT_FLAG_HIDDEN | pdfium_c.FPDF_ANNOT_FLAG_NOVIEW

    def has_text(objects: list[Any]) -> bool:
        for obj in objects:
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                return True
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                count = pdfium_c.FPDFFormObj_CountObjects(obj)
                if has_text([pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(count)]):
                    return True
        return False

    for index in range(pdfium_c.FPDFPage_GetAnnotCount(page)):
        annot = pdfium_c.FPDFPage_GetAnnot(page, index)
        if not annot:
            continue
        try:
            if pdfium_c.FPDFAnnot_GetSubtype(annot) in not_drawn:
                continue
            if pdfium_c.FPDFAnnot_GetFlags(annot) & hidden:
                continue
            count = pdfium_c.FPDFAnnot_GetObjectCount(annot)
            if has_text([pdfium_c.FPDFAnnot_GetObject(annot, i) for i in range(count)]):
                return True
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return False


def _chars(page: Any, textpage: Any, image: np.ndarray) -> Iterator[_Char]:
    """Every character of the page in content order, its box in ``image``'s pixels; a line
    break pdfium infers is a "\\n". An invisible (or unseen), unmapped or turned character has
    a marker for its text."""
    import pypdfium2.raw as pdfium_c

    height, width = int(image.shape[0]), int(image.shape[1])
    gray = image if image.ndim == 2 else cv2.cvtColor(image[:, :, :3], cv2.COLOR_BGR2GRAY)
    rotate = page.get_rotation()  # clockwise, as /Rotate
    rect = pdfium_c.FS_RECTF()
    dx, dy = ctypes.c_int(), ctypes.c_int()

    def device(x: float, y: float) -> tuple[int, int]:
        pdfium_c.FPDF_PageToDevice(page, 0, 0, width, height, 0, x, y, dx, dy)
        return dx.value, dy.value

    for index in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage, index)
        if code in (0x0D, 0x0A):
            if code == 0x0A:
                yield _Char("\n", (0.0, 0.0, 0.0, 0.0), 0.0)
            continue
        if code == _LINE_END_HYPHEN:
            code = ord("-")
        text = chr(code) if code <= 0x10FFFF else _NO_CHARACTER
        if unicodedata.category(text) == "Cc" and text not in "\t":
            continue  # no glyph of the text (pdfium's own markers)
        if not text.strip():
            yield _Char(" ", (0.0, 0.0, 0.0, 0.0), 0.0)
            continue
        obj = pdfium_c.FPDFText_GetTextObject(textpage, index)
        if obj and pdfium_c.FPDFTextObj_GetTextRenderMode(obj) in _INVISIBLE_MODES:
            text = _INVISIBLE
        elif (
            pdfium_c.FPDFText_HasUnicodeMapError(textpage, index) == 1
            or text == _NO_CHARACTER
            or unicodedata.category(text) in _NO_CHARACTER_CATEGORIES
        ):
            text = _UNMAPPED
        else:
            # pdfium's angle is clockwise in page space, and /Rotate turns the page clockwise
            angle = pdfium_c.FPDFText_GetCharAngle(textpage, index)
            turned = (angle + math.radians(rotate)) % (2 * math.pi)
            if angle >= 0 and min(turned, 2 * math.pi - turned) > _UPRIGHT_TOLERANCE:
                text = _TURNED  # (pdfium answers -1 when it cannot tell)
        # the loose box: the font's ascent to descent, as tall as the line's type
        pdfium_c.FPDFText_GetLooseCharBox(textpage, index, rect)
        corners = [device(x, y) for x in (rect.left, rect.right) for y in (rect.bottom, rect.top)]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        box = (min(xs), min(ys), max(xs), max(ys))
        if text not in (_INVISIBLE, _UNMAPPED) and not _seen(gray, box):
            text = _INVISIBLE
        yield _Char(text, box, float(box[3] - box[1]))


def _seen(gray: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """Whether the rendering shows anything in ``box`` (x0, y0, x1, y1) of ``gray``, its gray
    levels (as the OCR sees it): the box is on the page and its pixels differ by
    ``_MIN_INK_CONTRAST`` levels."""
    x0, y0 = max(box[0], 0), max(box[1], 0)
    x1, y1 = min(box[2], gray.shape[1]), min(box[3], gray.shape[0])
    if x1 <= x0 or y1 <= y0:
        return False
    region = gray[y0:y1, x0:x1]
    return int(region.max()) - int(region.min()) >= _MIN_INK_CONTRAST


def _lines(chars: list[_Char]) -> list[OcrLine]:
    """pdfium's lines (its inferred breaks), each split where a gap of ``_SPLIT_GAP`` type
    heights lies between two characters or the next is not level; a line's box spans its
    characters' loose boxes."""
    lines: list[OcrLine] = []
    run: list[_Char] = []

    def close() -> None:
        text = unicodedata.normalize("NFC", "".join(c.text for c in run))
        text = " ".join(text.split())
        boxed = [c for c in run if c.size > 0]
        if text and boxed:
            x0 = min(c.box[0] for c in boxed)
            x1 = max(c.box[2] for c in boxed)
            y0 = min(c.box[1] for c in boxed)
            y1 = max(c.box[3] for c in boxed)
            box = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
            lines.append(OcrLine(text=text, box=box, confidence=1.0))  # type: ignore[arg-type]
        run.clear()

    last: _Char | None = None
    for char in chars:
        if char.text == "\n":
            close()
            last = None
            continue
        if char.text in (_TURNED, _UNMAPPED, _INVISIBLE):
            continue  # a few of them (more and the page is not trusted): left out
        if char.size > 0:
            if last is not None and _apart(last, char):
                close()
            last = char
        run.append(char)
    close()
    return lines


def _apart(last: _Char, char: _Char) -> bool:
    """Whether ``char`` starts a new line after ``last``: a wide gap, or not level with it."""
    middle = (char.box[1] + char.box[3]) / 2
    gap = char.box[0] - last.box[2]
    return gap > _SPLIT_GAP * last.size or not last.box[1] <= middle <= last.box[3]


def _suspect_share(text: str) -> float:
    """The share of the words (with a letter, without a digit) that have a letter outside
    ASCII and are not a Vietnamese syllable nor a short abbreviation in capitals: mojibake
    of a legacy 8-bit font encoding."""
    words = [_WORD_EDGES.sub("", w) for w in _WORD_BREAKS.split(text)]
    words = [w for w in words if any(c.isalpha() for c in w) and not any(c.isdigit() for c in w)]
    if not words:
        return 1.0
    return sum(map(_suspect, words)) / len(words)


def _suspect(word: str) -> bool:
    if word.isascii() or is_syllable(word):
        return False
    return not (word.isupper() and len(word) <= _ABBREVIATION)
