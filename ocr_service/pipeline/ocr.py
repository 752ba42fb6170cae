"""Stage 3, OCR: a prepared page's lines read, in reading order (``OcrEngine.read``).

A page printed on a patterned background (guilloche, a watermarked emblem, a card's
colours) is read from a copy with the background taken off (ocr_service.background); the
page keeps its own pixels for everything else (QR codes, the searchable PDF, display).
"""

from __future__ import annotations

from core.errors import OcrEngineError, SohoaError
from core.records import OcrResult, PageText, ProcessedPage
from ocr_service.background import remove_background
from ocr_service.engine import OcrEngine
from ocr_service.pipeline.preprocessing import PreparedPage

__all__ = ["ocr_page", "ocr_result"]


def ocr_page(page: PreparedPage, *, engine: OcrEngine) -> ProcessedPage:
    """Read the lines under the boxes preprocessing found; a failure of the models is the
    taxonomy's (retryable) ``OcrEngineError``."""
    steps = list(page.steps)
    plain = remove_background(page.image)
    if plain is not None:
        steps.append("background removed")
    try:
        lines = engine.read(page.image if plain is None else plain, page.quads)
    except SohoaError:
        raise
    except Exception as exc:
        raise OcrEngineError(
            f"{page.source}: OCR failed on page {page.page} ({exc}); retry."
        ) from exc
    text = PageText(
        page=page.page,
        width=int(page.image.shape[1]),
        height=int(page.image.shape[0]),
        lines=lines,
        rotation=page.rotation,
    )
    return ProcessedPage(
        source=page.source,
        page=page.page,
        image=page.image,
        text=text,
        dpi=page.dpi,
        steps=steps,
    )


def ocr_result(source: str, pages: list[ProcessedPage]) -> OcrResult:
    """The ``sohoa ocr --json`` record of one file."""
    return OcrResult(source=source, pages=[p.text for p in pages])
