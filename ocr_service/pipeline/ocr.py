"""Stage 3, OCR: a prepared page's lines read, in reading order (``OcrEngine.read``).

A page printed on a patterned background (guilloche, a watermarked emblem, a card's
colours) is read from a copy with the background taken off (ocr_service.background); the
page keeps its own pixels for everything else (QR codes, the searchable PDF, display).
A born-digital PDF page whose text layer is trusted is not read: its own lines are put in
reading order (``text_layer_page``), over its rendering as it came.
A card back whose machine-readable zone reads as one only turned a half turn is kept turned
(``_turned_by_mrz``): the line classifier that turned it upright can be fooled by a small,
blurred card, the MRZ's check digits cannot.
"""

from __future__ import annotations

import re

import numpy as np

from classifiers.card_codes import find_mrz, parse_mrz
from core.errors import OcrEngineError, SohoaError
from core.records import OcrLine, OcrResult, PageImage, PageText, ProcessedPage
from ocr_service import preprocess as pp
from ocr_service.background import remove_background
from ocr_service.engine import OcrEngine
from ocr_service.engine.reading_order import reading_order
from ocr_service.pipeline.preprocessing import PreparedPage

__all__ = ["ocr_page", "ocr_result", "text_layer_page"]


def ocr_page(page: PreparedPage, *, engine: OcrEngine) -> ProcessedPage:
    """Read the lines under the boxes preprocessing found; a failure of the models is the
    taxonomy's (retryable) ``OcrEngineError``."""
    steps = list(page.steps)
    image, rotation = page.image, page.rotation
    try:
        lines, plain = _read(engine, image, page.quads)
        turned = _turned_by_mrz(engine, image, lines)
    except SohoaError:
        raise
    except Exception as exc:
        raise OcrEngineError(
            f"{page.source}: OCR failed on page {page.page} ({exc}); retry."
        ) from exc
    if turned is not None:
        image, lines, plain = turned
        rotation = (rotation + 180) % 360
        steps.append("turned 180° (its MRZ reads so)")
    if plain:
        steps.append("background removed")
    text = PageText(
        page=page.page,
        width=int(image.shape[1]),
        height=int(image.shape[0]),
        lines=lines,
        rotation=rotation,
    )
    return ProcessedPage(
        source=page.source,
        page=page.page,
        image=image,
        text=text,
        dpi=page.dpi,
        steps=steps,
    )


def _read(
    engine: OcrEngine, image: np.ndarray, quads: list[np.ndarray]
) -> tuple[list[OcrLine], bool]:
    """The lines under ``quads``, read from the page with its background taken off when it
    has one; and whether it had."""
    plain = remove_background(image)
    return engine.read(image if plain is None else plain, quads), plain is not None


# An MRZ line read upside down still reads as a line of ASCII capitals, digits and signs
# with no space ('<' turned is read '>'), and its check digits fail. Three of the four TD1
# checks (document number, birth date, expiry, composite) pass by luck a few times in a
# thousand. (A Vietnamese letter, even a capital one, is never in an MRZ line.)
_MRZ_SHAPED = re.compile(r"[^\sa-zà-ỹ]{25,34}")
_MRZ_CHECKS_TRUSTED = 3


def _mrz_checks(lines: list[OcrLine]) -> int:
    """How many of the TD1 MRZ's check digits pass among the lines (0 without an MRZ)."""
    found = find_mrz([line.text for line in lines])
    mrz = parse_mrz(*found) if found else None
    return mrz.checks_passed if mrz else 0


def _turned_by_mrz(
    engine: OcrEngine, image: np.ndarray, lines: list[OcrLine]
) -> tuple[np.ndarray, list[OcrLine], bool] | None:
    """The page turned a half turn, its lines found and read again there (and whether its
    background was taken off), when two or more lines have an MRZ line's shape but fail its
    check digits as the page stands and pass them turned; else None. The lines are found
    again: the detector does not find the same boxes on upside-down print."""
    shaped = sum(1 for line in lines if _MRZ_SHAPED.fullmatch(line.text.replace(" ", "")))
    if shaped < 2:
        return None
    checks = _mrz_checks(lines)
    if checks >= _MRZ_CHECKS_TRUSTED:
        return None
    image = pp.rotate_quarter(image, 180)
    turned, plain = _read(engine, image, engine.detect(image))
    if _mrz_checks(turned) < _MRZ_CHECKS_TRUSTED:
        return None
    return image, turned, plain


def text_layer_page(page: PageImage, source: str) -> ProcessedPage:
    """A page with its own text (``page.text_lines``, from a trusted PDF text layer): its
    lines in the engine's reading order, over the rendered image, with nothing preprocessed
    (a rendering is upright, level and clean)."""
    found = page.text_lines or []
    width, height = int(page.image.shape[1]), int(page.image.shape[0])
    order = reading_order([np.asarray(line.box, dtype=np.float32) for line in found], width)
    lines: list[OcrLine] = [found[i] for i in order]
    return ProcessedPage(
        source=source,
        page=page.page,
        image=page.image,
        text=PageText(page=page.page, width=width, height=height, lines=lines),
        dpi=page.dpi,
        steps=["text layer"],
        from_text_layer=True,
    )


def ocr_result(source: str, pages: list[ProcessedPage]) -> OcrResult:
    """The ``sohoa ocr --json`` record of one file."""
    return OcrResult(source=source, pages=[p.text for p in pages])
