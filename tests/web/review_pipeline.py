"""The pipeline the review journey runs (``sohoa serve --pipeline``): the fault pipeline's
documents (its page image and one line per page, a 12-digit number in the file name is the
paper's id number), a name read differently when the file name says ``khac``, then verified
against the server's population register as the real pipeline's stage 6 does. The review
pages are what the journey tests; the OCR has its own tests."""

from __future__ import annotations

from dataclasses import replace

from core.records import ExtractionResult
from core.settings import Settings
from ocr_service.pipeline.verification import verify
from storage.population import open_register
from workers.faults import extract as fault_extract

__all__ = ["MISREAD_NAME", "extract"]

MISREAD_NAME = "Nguyễn Thị Minh Hà"  # what a "khac" paper says (the register: "... Hằng")


def extract(data: bytes, name: str, settings: Settings) -> ExtractionResult:
    out = fault_extract(data, name, settings)
    if "khac" in name.lower():
        out.documents = [
            replace(d, fields={**d.fields, "full_name": MISREAD_NAME}) for d in out.documents
        ]
    out.documents = verify(out.documents, open_register(settings))
    return out
