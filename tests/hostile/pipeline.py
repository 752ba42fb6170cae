"""A job pipeline for hostile-input drills: the REAL page loader, no OCR model.

``ocr_service.pages.load_pages`` is what every upload meets first in the real pipeline
(sniffing, pixel limits, page limits, PDF decryption checks); after it each page becomes one
``other`` document, so the drill is fast and deterministic but the decoding is the real one.
Used as ``sohoa serve --pipeline tests.hostile.pipeline:extract``.
"""

from __future__ import annotations

from core.records import (
    DocumentResult,
    ExtractionResult,
    OcrLine,
    PageText,
    ProcessedPage,
    Verification,
)
from core.settings import Settings
from ocr_service.pages import load_pages

__all__ = ["extract"]


def extract(data: bytes, name: str, settings: Settings) -> ExtractionResult:
    out = ExtractionResult()
    for page in load_pages(data, name, settings):
        h, w = page.image.shape[:2]
        line = OcrLine(
            text=f"Trang {page.page}", box=((0, 0), (w, 0), (w, 10), (0, 10)), confidence=0.9
        )
        text = PageText(page=page.page, width=w, height=h, lines=[line])
        out.pages.append(
            ProcessedPage(source=name, page=page.page, image=page.image, text=text, dpi=150)
        )
        out.documents.append(
            DocumentResult(
                source=name,
                pages=[page.page],
                doc_type="other",
                fields={},
                field_confidence={},
                verification=Verification("not_applicable"),
                doc_type_confidence=0.5,
                field_source={},
            )
        )
    return out
