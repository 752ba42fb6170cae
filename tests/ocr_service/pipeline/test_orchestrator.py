"""The stages after OCR, in the orchestrator's order: understand → re-read disputed fields →
verify (the OCR of stages 1-3 replaced by a page of known lines)."""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import pytest

from core.records import PersonRecord, ProcessedPage
from core.settings import Settings
from ocr_service.engine import OcrEngine, Recognition
from ocr_service.engine.tesseract_rec import TesseractRecognizer
from ocr_service.pipeline import (
    extract_file,
    orchestrator,
    reread_disputed_fields,
    understand,
    verify,
)
from tests.classifiers._helpers import MemoryRegister, page_from_rows

BIRTH = [
    (1400, 150, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    (900, 450, "GIẤY KHAI SINH"),
    (250, 600, "Họ, chữ đệm, tên: Trần Văn Đức"),
    (250, 670, "Ngày, tháng, năm sinh: 01/02/1989"),
    (250, 740, "Số định danh cá nhân: 036089001234"),
]


def _person(name: str) -> PersonRecord:
    return PersonRecord("036089001234", name, "1989-02-01", "male")


def _pages() -> list[ProcessedPage]:
    image = np.full((3508, 2480, 3), 255, np.uint8)
    return [ProcessedPage("birth.jpg", 1, image, page_from_rows(BIRTH))]


class _Reads:
    """A recognizer reading every crop as the same text."""

    name = "reads"

    def __init__(self, text: str) -> None:
        self.text = text

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        return [Recognition(self.text, 0.9) for _ in crops]


class _Tesseract(TesseractRecognizer):
    """Reads words (the fast mode's first reader) without running Tesseract."""

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        raise AssertionError("the tie-break is not needed when both readings agree")


def _fast_engine(second_reading: str) -> OcrEngine:
    return OcrEngine(
        detector=cast(Any, None),
        recognizer=_Tesseract(),
        orientation=cast(Any, None),
        second_reader=_Reads(second_reading),
    )


def test_understanding_does_not_verify_verification_does() -> None:
    documents = understand("birth.jpg", _pages())
    assert [d.doc_type for d in documents] == ["birth_certificate"]
    assert documents[0].verification.status == "not_applicable"
    register = MemoryRegister([_person("Trần Văn Đức")])
    assert verify(documents, register)[0].verification.status == "match"
    assert verify(documents, None)[0].verification.status == "not_applicable"
    assert verify(documents, MemoryRegister())[0].verification.status == "not_found"


def test_a_field_disputed_by_diacritics_is_read_again_then_verified() -> None:
    pages = _pages()
    documents = understand("birth.jpg", pages)
    register = MemoryRegister([_person("Trần Văn Dức")])
    assert verify(documents, register)[0].verification.diacritics_only_fields == ["full_name"]
    engine = _fast_engine("Họ, chữ đệm, tên: Trần Văn Dức")
    again = reread_disputed_fields("birth.jpg", pages, documents, engine=engine, register=register)
    assert again[0].fields["full_name"] == "Trần Văn Dức"
    assert pages[0].text.lines[2].text == "Họ, chữ đệm, tên: Trần Văn Dức"
    assert again[0].verification.status == "not_applicable"  # stage 6 verifies
    assert verify(again, register)[0].verification.status == "match"


def test_a_field_read_again_the_same_way_is_recorded_as_the_papers() -> None:
    """The surer reader agrees with the first: the paper says so (``reread_fields``), and the
    page may drop its "probably a misread" hint; verification keeps it while it still differs."""
    pages = _pages()
    documents = understand("birth.jpg", pages)
    register = MemoryRegister([_person("Trần Văn Dức")])
    engine = _fast_engine("Họ, chữ đệm, tên: Trần Văn Đức")  # as first read
    again = reread_disputed_fields("birth.jpg", pages, documents, engine=engine, register=register)
    assert again[0].fields["full_name"] == "Trần Văn Đức"
    [verified] = verify(again, register)
    assert verified.verification.diacritics_only_fields == ["full_name"]
    assert verified.verification.reread_fields == ["full_name"]
    assert verified.verification.export()["reread_fields"] == ["full_name"]
    # a field the reader changed into agreement is no longer disputed, nor listed
    changed = reread_disputed_fields(
        "birth.jpg",
        _pages(),
        understand("birth.jpg", _pages()),
        engine=_fast_engine("Họ, chữ đệm, tên: Trần Văn Dức"),
        register=register,
    )
    assert verify(changed, register)[0].verification.reread_fields == []
    assert "reread_fields" not in verify(changed, register)[0].verification.export()


def test_nothing_is_read_again_without_a_dispute() -> None:
    pages = _pages()
    documents = understand("birth.jpg", pages)
    engine = _fast_engine("never read")
    register = MemoryRegister([_person("Trần Văn Đức")])
    same = reread_disputed_fields("birth.jpg", pages, documents, engine=engine, register=register)
    assert same is documents
    assert pages[0].text.lines[2].text == "Họ, chữ đệm, tên: Trần Văn Đức"


def test_extract_file_runs_the_stages_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    pages = _pages()
    monkeypatch.setattr(orchestrator, "ocr_file", lambda data, name, **_: pages)
    register = MemoryRegister([_person("Trần Văn Dức")])
    engine = _fast_engine("Họ, chữ đệm, tên: Trần Văn Dức")
    result = extract_file(
        b"scan", "birth.jpg", engine=engine, register=register, settings=Settings()
    )
    assert result.pages is pages
    (document,) = result.documents
    assert document.fields["full_name"] == "Trần Văn Dức"  # read again (stage 5)
    assert document.verification.status == "match"  # then verified (stage 6)
