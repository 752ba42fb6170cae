"""Stage 3, OCR: a prepared page's lines read, in reading order (``OcrEngine.read``).

A page printed on a patterned background (guilloche, a watermarked emblem, a card's
colours) is read from a copy with the background taken off (ocr_service.background); the
page keeps its own pixels for everything else (QR codes, the searchable PDF, display).
A born-digital PDF page whose text layer is trusted is not read: its own lines are put in
reading order (``text_layer_page``), over its rendering as it came.
"""

from __future__ import annotations

import numpy as np

from core.errors import OcrEngineError, SohoaError
from core.records import OcrLine, OcrResult, PageImage, PageText, ProcessedPage
from ocr_service.background import remove_background
from ocr_service.engine import OcrEngine
from ocr_service.engine.reading_order import reading_order
from ocr_service.pipeline.preprocessing import PreparedPage

__all__ = ["ocr_page", "ocr_result", "text_layer_page"]


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
