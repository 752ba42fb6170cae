"""The pipeline the review journey runs (``sohoa serve --pipeline``): the fault pipeline's
documents (a 12-digit number in the file name is the paper's id number), a name read
differently when the file name says ``khac``, the birth date read three ways (printed text, QR
code, MRZ; the MRZ's taken) when it says ``lech``, then verified against the server's population
register as the real pipeline's stage 6 does. The journey uploads pages rendered by
``render_birth_certificate``; their text lines and boxes, known from the rendering, stand for
the OCR's, so the page can light up and scroll to a field's line. The review pages are what
the journey tests; the OCR has its own tests."""

from __future__ import annotations

import re
from dataclasses import replace

from core.records import ExtractionResult, OcrLine
from core.settings import Settings
from ocr_service.pipeline.verification import verify
from storage.population import open_register
from tests.web.render_page import render_birth_certificate
from workers.faults import extract as fault_extract

__all__ = ["DISPUTED_BIRTH", "MISREAD_NAME", "extract"]

MISREAD_NAME = "Nguyễn Thị Minh Hà"  # what a "khac" paper says (the register: "... Hằng")
# How a "lech" paper's sources read the birth date (made up): the print differs from the QR
# code and the MRZ, whose reading (the register's) is taken.
DISPUTED_BIRTH = {"ocr": "1992-08-18", "qr": "1992-08-15", "mrz": "1992-08-15"}


def _lines(name: str) -> list[OcrLine]:
    ids = re.findall(r"(?<!\d)(\d{12})(?!\d)", name)
    page = render_birth_certificate(
        id_number=ids[0] if ids else "001192012345",
        printed_name=MISREAD_NAME if "khac" in name.lower() else None,
    )
    return [
        OcrLine(line["text"], tuple(tuple(p) for p in line["box"]), line["confidence"])  # type: ignore[arg-type]
        for line in page.lines
    ]


def extract(data: bytes, name: str, settings: Settings) -> ExtractionResult:
    out = fault_extract(data, name, settings)
    for page in out.pages:
        if (page.width, page.height) == (1240, 1754):  # a rendered certificate
            page.text.lines = _lines(name)
    if "khac" in name.lower():
        out.documents = [
            replace(d, fields={**d.fields, "full_name": MISREAD_NAME}) for d in out.documents
        ]
    if "lech" in name.lower():
        out.documents = [
            replace(
                d,
                fields={**d.fields, "date_of_birth": DISPUTED_BIRTH["mrz"]},
                field_source={**d.field_source, "date_of_birth": "mrz"},
                field_readings={"date_of_birth": dict(DISPUTED_BIRTH)},
                field_review={"date_of_birth": "mrz/ocr/qr disagree; mrz taken"},
            )
            for d in out.documents
        ]
    out.documents = verify(out.documents, open_register(settings))
    return out
