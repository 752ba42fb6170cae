"""Stage 3, OCR: a prepared page's lines read, in reading order (``OcrEngine.read``).

A page printed on a patterned background (guilloche, a watermarked emblem, a card's
colours) is read from a copy with the background taken off (ocr_service.background); the
page keeps its own pixels for everything else (QR codes, the searchable PDF, display).
A born-digital PDF page whose text layer is trusted is not read: its own lines are put in
reading order (``text_layer_page``), over its rendering as it came.
A card back whose machine-readable zone reads as one only turned a half turn is kept turned
(``_turned_by_mrz``): the line classifier that turned it upright can be fooled by a small,
blurred card, the MRZ's check digits cannot. So is a card that types as no document as
read, with a doubtful reading, and as a document turned (``_turned_by_type``).
"""

from __future__ import annotations

import re

import numpy as np

from classifiers.card_codes import find_mrz, parse_mrz
from classifiers.classify import classify_page
from classifiers.doctypes import OTHER
from classifiers.text_lines import layout_lines
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
        turned, why = _turned_by_mrz(engine, image, lines), "its MRZ reads so"
        if turned is None:
            turned = _turned_by_type(engine, image, lines, page.page)
            why = "it reads as a document so"
    except SohoaError:
        raise
    except Exception as exc:
        raise OcrEngineError(
            f"{page.source}: OCR failed on page {page.page} ({exc}); retry."
        ) from exc
    if turned is not None:
        image, lines, plain = turned
        rotation = (rotation + 180) % 360
        steps.append(f"turned 180° ({why})")
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


def _mrz_shaped(lines: list[OcrLine]) -> int:
    """How many lines have an MRZ line's shape (either way up)."""
    return sum(1 for line in lines if _MRZ_SHAPED.fullmatch(line.text.replace(" ", "")))


def _turned_by_mrz(
    engine: OcrEngine, image: np.ndarray, lines: list[OcrLine]
) -> tuple[np.ndarray, list[OcrLine], bool] | None:
    """The page turned a half turn, its lines found and read again there (and whether its
    background was taken off), when two or more lines have an MRZ line's shape but fail its
    check digits as the page stands and pass them turned; else None. The lines are found
    again: the detector does not find the same boxes on upside-down print."""
    if _mrz_shaped(lines) < 2:
        return None
    checks = _mrz_checks(lines)
    if checks >= _MRZ_CHECKS_TRUSTED:
        return None
    image = pp.rotate_quarter(image, 180)
    turned, plain = _read(engine, image, engine.detect(image))
    if _mrz_checks(turned) < _MRZ_CHECKS_TRUSTED:
        return None
    return image, turned, plain


# ID-1, the citizen card's format (85.6 × 54 mm): an image this shape is a card flattened
# or cropped tight (within 12%, as ``preprocess.warp_quad`` takes a measured shape for
# one), nearer it than A4's (a letter, which types as no document, is never read twice).
_CARD_RATIO = 53.98 / 85.6
_A4_RATIO = 1 / 1.4142
_CARD_RATIO_SLACK = 0.12

# Upside-down print reads as gibberish the recognizers doubt; a page of a card's shape that
# is no card reads confidently. Measured on the first reading of the pages the rule reached
# without this gate (1454e36): mean line confidence 0.20-0.75 on the 11 generated counter
# cards of seeds 5-7 (0.29 on the one that typed turned), 0.940-0.946 on the 2 pages of
# ../shared/real (printed text of a card's proportions, read twice at up to 2.73x the CPU).
# The middle of the gap; one upside-down card typed, not a calibrated threshold.
_TURN_BELOW_CONFIDENCE = 0.85


def _card_shaped(image: np.ndarray) -> bool:
    h, w = image.shape[:2]
    ratio = min(h, w) / max(h, w, 1)
    to_card, to_a4 = abs(np.log(ratio / _CARD_RATIO)), abs(np.log(ratio / _A4_RATIO))
    return bool(to_card < min(_CARD_RATIO_SLACK, to_a4))


def _doubtful(lines: list[OcrLine]) -> bool:
    """Whether the lines' mean confidence is below ``_TURN_BELOW_CONFIDENCE`` (no lines:
    nothing to turn)."""
    return bool(lines) and sum(ln.confidence for ln in lines) / len(lines) < _TURN_BELOW_CONFIDENCE


def _page_type(image: np.ndarray, lines: list[OcrLine], page: int) -> str:
    text = PageText(page=page, width=int(image.shape[1]), height=int(image.shape[0]), lines=lines)
    return classify_page(layout_lines(text), text.height).doc_type


def _turned_by_type(
    engine: OcrEngine, image: np.ndarray, lines: list[OcrLine], page: int
) -> tuple[np.ndarray, list[OcrLine], bool] | None:
    """The page turned a half turn, its lines found and read again there, when it has a
    card's shape, no MRZ-shaped lines (the MRZ rule decides those), a doubtful reading
    (``_TURN_BELOW_CONFIDENCE``) and types as no document as it stands, and types as one
    turned; else None. The line classifier that turned it upright can be fooled by a small,
    blurred card; upside down its print reads as doubtful gibberish, the right way up its
    title, labels or number line often still type it."""
    if not _card_shaped(image) or _mrz_shaped(lines) >= 2 or not _doubtful(lines):
        return None
    if _page_type(image, lines, page) != OTHER:
        return None
    image = pp.rotate_quarter(image, 180)
    turned, plain = _read(engine, image, engine.detect(image))
    if _page_type(image, turned, page) == OTHER:
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
