"""The pipeline: load pages → preprocess → OCR → understand → re-read disputed fields →
verify → register, one plain function a stage, run in that order by ``orchestrator``."""

from __future__ import annotations

from core.records import ExtractionResult, ProcessedPage
from ocr_service.pipeline.disputed import read_disputed_lines, reread_disputed_fields
from ocr_service.pipeline.ocr import ocr_page, ocr_result, text_layer_page
from ocr_service.pipeline.orchestrator import extract_file, ocr_file, register_documents
from ocr_service.pipeline.preprocessing import PreparedPage, preprocess_page
from ocr_service.pipeline.understanding import understand
from ocr_service.pipeline.verification import verify

__all__ = [
    "ExtractionResult",
    "PreparedPage",
    "ProcessedPage",
    "extract_file",
    "ocr_file",
    "ocr_page",
    "ocr_result",
    "preprocess_page",
    "read_disputed_lines",
    "register_documents",
    "reread_disputed_fields",
    "text_layer_page",
    "understand",
    "verify",
]
