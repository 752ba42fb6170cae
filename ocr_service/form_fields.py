"""A filled-in PDF form's fields (AcroForm widgets): drawn as they appear, their values read.

A citizen who fills a declaration form in a PDF reader leaves the typed values in the form's
fields, not in the page's content: the page's text layer lacks them, and pdfium draws them
only with a form environment (``PdfDocument.init_forms``, which also builds the appearance of
a field that has none, when the form says ``/NeedAppearances``). With one, every widget is
drawn as a reader shows it but for digital-signature widgets (``/FT /Sig``): those are hidden
while the page is rendered, which keeps the rendering of a signed letter as it was (its
signature stamp is no text of the letter's body; README, "Filled-in PDF forms"). The values of
text and choice fields are read exactly, each a line at its widget's rectangle; a check box or
radio button is read as the ballot box a typed form prints for a choice, ☒ ticked, ☐ not, at
its rectangle, so the option it stands before reads as chosen ("Giới tính: ☐ Nam ☒ Nữ").
"""

from __future__ import annotations

import ctypes
import unicodedata
from typing import Any

import cv2
import numpy as np

from core.records import OcrLine

__all__ = ["TICKED", "UNTICKED", "field_lines", "hide_signatures"]

# Fields whose value is text a reader sees: a text field, a combo box, a list box.
_TEXT_FIELDS = frozenset({6, 4, 5})  # FPDF_FORMFIELD_TEXTFIELD, _COMBOBOX, _LISTBOX
_SIGNATURE = 7  # FPDF_FORMFIELD_SIGNATURE
_BUTTONS = frozenset({2, 3})  # FPDF_FORMFIELD_CHECKBOX, _RADIOBUTTON
TICKED, UNTICKED = "\u2612", "\u2610"  # ☒ ☐: a choice's box as a typed form prints it
_PASSWORD = 1 << 13  # a text field's "Password" flag: shown as dots, its value not read
# A field's border (1-2 pt, at 250 dpi under 8 px) is left out of the ink round its value.
_BORDER_INSET = 8
_INK_CONTRAST = 64  # gray levels below the field's ground that are ink


def _widgets(page: Any) -> list[tuple[Any, int]]:
    """The page's widget annotations that the rendering shows, with their field type; the
    caller closes them. Empty without a form environment."""
    import pypdfium2.raw as pdfium_c

    formenv = page.formenv
    if not formenv:
        return []
    hidden = pdfium_c.FPDF_ANNOT_FLAG_HIDDEN | pdfium_c.FPDF_ANNOT_FLAG_NOVIEW
    found = []
    for index in range(pdfium_c.FPDFPage_GetAnnotCount(page)):
        annot = pdfium_c.FPDFPage_GetAnnot(page, index)
        if not annot:
            continue
        if (
            pdfium_c.FPDFAnnot_GetSubtype(annot) != pdfium_c.FPDF_ANNOT_WIDGET
            or pdfium_c.FPDFAnnot_GetFlags(annot) & hidden
        ):
            pdfium_c.FPDFPage_CloseAnnot(annot)
            continue
        found.append((annot, pdfium_c.FPDFAnnot_GetFormFieldType(formenv, annot)))
    return found


def hide_signatures(page: Any) -> None:
    """Hide the page's digital-signature widgets from its rendering (in memory only)."""
    import pypdfium2.raw as pdfium_c

    for annot, kind in _widgets(page):
        try:
            if kind == _SIGNATURE:
                flags = pdfium_c.FPDFAnnot_GetFlags(annot)
                pdfium_c.FPDFAnnot_SetFlags(annot, flags | pdfium_c.FPDF_ANNOT_FLAG_HIDDEN)
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)


def field_lines(page: Any, image: np.ndarray) -> list[OcrLine]:
    """The values of the page's shown text and choice fields, a line each (a multi-line value:
    a line per line of it, its rectangle shared among them from the top), and its check boxes
    and radio buttons, ☒ or ☐ each, boxed at its rectangle; confidence 1.0, a value's boxed
    in the pixels of ``image``, the page's rendering (crop box and /Rotate counted): round the
    ink the rendering shows in the widget's rectangle, as tall as the type as a text line's box
    is (a field's rectangle is padded round its value, and a box a row tall would run a value
    into the row below), or the rectangle where nothing is drawn."""
    import pypdfium2.raw as pdfium_c

    height, width = int(image.shape[0]), int(image.shape[1])
    gray = image if image.ndim == 2 else cv2.cvtColor(image[:, :, :3], cv2.COLOR_BGR2GRAY)
    lines: list[OcrLine] = []
    rect = pdfium_c.FS_RECTF()
    dx, dy = ctypes.c_int(), ctypes.c_int()

    def device(x: float, y: float) -> tuple[int, int]:
        pdfium_c.FPDF_PageToDevice(page, 0, 0, width, height, 0, x, y, dx, dy)
        return dx.value, dy.value

    for annot, kind in _widgets(page):
        try:
            if kind not in _TEXT_FIELDS | _BUTTONS or not pdfium_c.FPDFAnnot_GetRect(annot, rect):
                continue
            corners = [
                device(x, y) for x in (rect.left, rect.right) for y in (rect.bottom, rect.top)
            ]
            xs, ys = [c[0] for c in corners], [c[1] for c in corners]
            x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
            if kind in _BUTTONS:
                mark = TICKED if pdfium_c.FPDFAnnot_IsChecked(page.formenv, annot) else UNTICKED
                box = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
                lines.append(OcrLine(text=mark, box=box, confidence=1.0))  # type: ignore[arg-type]
                continue
            if pdfium_c.FPDFAnnot_GetFormFieldFlags(page.formenv, annot) & _PASSWORD and kind == 6:
                continue
            value = _value(page.formenv, annot)
            texts = [" ".join(part.split()) for part in value.splitlines()]
            texts = [text for text in texts if text]
            if not texts:
                continue
            step = (y1 - y0) / len(texts)
            for i, text in enumerate(texts):
                top, bottom = round(y0 + i * step), round(y0 + (i + 1) * step)
                bx0, by0, bx1, by1 = _ink_box(gray, (x0, top, x1, bottom))
                box = ((bx0, by0), (bx1, by0), (bx1, by1), (bx0, by1))
                lines.append(OcrLine(text=text, box=box, confidence=1.0))  # type: ignore[arg-type]
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return lines


def _ink_box(gray: np.ndarray, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """The box (x0, y0, x1, y1) round the ink within ``box`` of ``gray``, inside its border:
    pixels ``_INK_CONTRAST`` levels darker than the field's ground (its median); ``box``
    itself when it shows none."""
    inset = _BORDER_INSET
    x0, y0 = max(box[0] + inset, 0), max(box[1] + inset, 0)
    x1, y1 = min(box[2] - inset, gray.shape[1]), min(box[3] - inset, gray.shape[0])
    if x1 <= x0 or y1 <= y0:
        return box
    region = gray[y0:y1, x0:x1]
    ys, xs = np.nonzero(region < int(np.median(region)) - _INK_CONTRAST)
    if not len(xs):
        return box
    return x0 + int(xs.min()), y0 + int(ys.min()), x0 + int(xs.max()) + 1, y0 + int(ys.max()) + 1


def _value(formenv: Any, annot: Any) -> str:
    """The field's value as pdfium holds it (UTF-16LE, NUL-ended), NFC; "" if none."""
    import pypdfium2.raw as pdfium_c

    size = pdfium_c.FPDFAnnot_GetFormFieldValue(formenv, annot, None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFAnnot_GetFormFieldValue(
        formenv, annot, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), size
    )
    text = buffer.raw[: size - 2].decode("utf-16-le", errors="replace")
    return unicodedata.normalize("NFC", text)
