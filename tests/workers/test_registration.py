"""Digitization codes and who a document belongs to."""

from __future__ import annotations

from datetime import UTC, datetime

from core.records import DocumentResult, Verification
from ocr_service.registration import (
    citizen_for_document,
    is_valid_digitization_code,
    new_digitization_code,
    review_status_for,
    subjects_for_fields,
)


def test_codes_are_well_formed_unique_and_checked() -> None:
    codes = {new_digitization_code(datetime(2026, 11, 21, tzinfo=UTC)) for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert code.startswith("SH-20261121-") and len(code) == len("SH-20261121-XXXXXXXX-C")
        assert is_valid_digitization_code(code)
    code = next(iter(codes))
    # any single mistyped symbol is caught
    body = code[12:20]
    for i, ch in enumerate(body):
        wrong = "0" if ch != "0" else "1"
        assert not is_valid_digitization_code(code[: 12 + i] + wrong + code[13 + i :])
    assert not is_valid_digitization_code("SH-2026-ABC-1")
    assert not is_valid_digitization_code("XX" + code[2:])


def test_document_goes_to_its_subject_or_the_dossiers_citizen() -> None:
    def doc(**fields: str) -> DocumentResult:
        return DocumentResult(source="s", pages=[1], doc_type="x", fields=fields)

    assert citizen_for_document(doc(id_number="079301000111"), "001192012345") == "079301000111"
    assert citizen_for_document(doc(), "001192012345") == "001192012345"
    assert citizen_for_document(doc(id_number="123"), "001192012345") == "001192012345"
    marriage = doc(husband_id_number="079301000111", wife_id_number="001192012345")
    assert citizen_for_document(marriage, "001192012345") == "001192012345"
    assert citizen_for_document(doc(owner_id_number="036085000222"), "001192012345") == (
        "036085000222"
    )


def test_only_register_matches_skip_review() -> None:
    d = DocumentResult(source="s", pages=[1], doc_type="x")
    for status, expected in [
        ("match", "verified"),
        ("mismatch", "needs_review"),
        ("not_found", "needs_review"),
        ("not_applicable", "needs_review"),
    ]:
        d.verification = Verification(status)  # type: ignore[arg-type]
        assert review_status_for(d) == expected


def test_every_subject_of_a_document_gets_it_in_their_store() -> None:
    dossier = "001192012345"
    marriage = {"husband_id_number": "079301000111", "wife_id_number": dossier}
    assert subjects_for_fields(marriage, dossier) == {
        "079301000111": "husband_id_number",
        dossier: "wife_id_number",
    }
    # a child's birth certificate brought by a parent: the child's store only
    assert subjects_for_fields({"id_number": "079301000111"}, dossier) == {
        "079301000111": "id_number"
    }
    assert subjects_for_fields({"full_name": "A", "id_number": "12"}, dossier) == {
        dossier: "dossier"
    }
