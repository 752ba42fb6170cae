"""The pipeline the counter journey runs (``sohoa serve --pipeline``): the file name says which
paper it is and whose (a 12-digit id number), the fields are that person's register entry as the
paper would print them, and ``khac`` in the name makes the paper's name differ from the register
outright; then verified against the register as the real pipeline's stage 6 does. The fault
pipeline supplies the page. The pages are what the journey tests; the OCR has its own tests."""

from __future__ import annotations

import re
from dataclasses import replace

from core.records import ExtractionResult
from core.settings import Settings
from ocr_service.pipeline.verification import verify
from storage.population import open_register
from workers.faults import extract as fault_extract

__all__ = ["OTHER_NAME", "PAPERS", "extract"]

OTHER_NAME = "Nguyễn Thị Hằng"  # what a ``khac`` paper prints (the register has a middle name)

# file-name word -> (document type, the field holding the id number, the field holding the name)
PAPERS: dict[str, tuple[str, str, str]] = {
    "to-khai": ("application_form", "id_number", "full_name"),
    "gcn-qsdd": ("land_use_certificate", "owner_id_number", "owner_name"),
    "cccd-truoc": ("citizen_id_front", "id_number", "full_name"),
    "cccd-sau": ("citizen_id_back", "id_number", ""),
    "khai-sinh": ("birth_certificate", "id_number", "full_name"),
}


def extract(data: bytes, name: str, settings: Settings) -> ExtractionResult:
    out = fault_extract(data, name, settings)
    lowered = name.lower()
    paper = next((p for word, p in PAPERS.items() if word in lowered), None)
    number = re.search(r"(?<!\d)(\d{12})(?!\d)", name)
    register = open_register(settings)
    person = register.get(number.group(1)) if number else None
    if paper is None or number is None or person is None:
        raise ValueError(f"the counter pipeline does not know the paper {name!r}")
    doc_type, id_field, name_field = paper
    fields = {id_field: person.id_number}
    if name_field:
        fields[name_field] = OTHER_NAME if "khac" in lowered else person.full_name
    if doc_type in ("citizen_id_front", "citizen_id_back", "birth_certificate"):
        fields |= {"date_of_birth": person.date_of_birth, "sex": person.sex}
    out.documents = [
        replace(
            d,
            doc_type=doc_type,
            fields=fields,
            field_confidence=dict.fromkeys(fields, 0.95),
            field_source=dict.fromkeys(fields, "ocr"),
        )
        for d in out.documents
    ]
    out.documents = verify(out.documents, register)
    return out
