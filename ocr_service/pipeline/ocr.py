"""Stage 3, OCR: a prepared page's lines read, in reading order (``OcrEngine.read``)."""

from __future__ import annotations

from core.errors import OcrEngineError, SohoaError
from core.records import OcrResult, PageText, ProcessedPage
from ocr_service.engine import OcrEngine
from ocr_service.pipeline.preprocessing import PreparedPage

__all__ = ["ocr_page", "ocr_result"]


def ocr_page(page: PreparedPage, *, engine: OcrEngine) -> ProcessedPage:
    """Read the lines under the boxes preprocessing found; a failure of the models is the
    taxonomy's (retryable) ``OcrEngineError``."""
    try:
        lines = engine.read(page.image, page.quads)
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
        steps=page.steps,
    )


def ocr_result(source: str, pages: list[ProcessedPage]) -> OcrResult:
    """The ``sohoa ocr --json`` record of one file."""
    return OcrResult(source=source, pages=[p.text for p in pages])
