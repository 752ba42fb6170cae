"""Attention first: why a document needs the clerk, in which order, and the dossier's stage."""

from __future__ import annotations

from typing import Any

from ocr_service.attention import (
    attention_first,
    disagreeing_readings,
    dossier_stage,
    field_review_messages,
    needs_clerk,
    reason_required_fields,
    reasons_of,
    review_message,
)
from storage.models import Citizen, Component, DocumentSubject, Dossier, RegisteredDocument

CITIZEN = "001192012345"
OTHER = "079301000111"


def _doc(
    name: str,
    review: str = "verified",
    *,
    verification: dict[str, Any] | None = None,
    confidence: dict[str, float] | None = None,
    unconfirmed: bool = False,
    signature: str | None = None,
) -> RegisteredDocument:
    subjects = [DocumentSubject(citizen=Citizen(id_number=CITIZEN), role="id", confirmed=True)]
    if unconfirmed:
        subjects.append(
            DocumentSubject(citizen=Citizen(id_number=OTHER), role="x", confirmed=False)
        )
    return RegisteredDocument(
        id=name,
        doc_type="birth_certificate",
        review_status=review,
        verification=verification or {"status": "match"},
        field_confidence=confidence or {"full_name": 0.95},
        corrected_fields={},
        subjects=subjects,
        signature={"status": signature} if signature else None,
    )


MISMATCH = {
    "status": "mismatch",
    "mismatched_fields": ["full_name", "date_of_birth"],
    "diacritics_only_fields": ["full_name"],
}


def test_each_reason_is_named_with_its_fields() -> None:
    doc = _doc("a", "needs_review", verification=MISMATCH)
    reasons = {r.code: r.fields for r in reasons_of(doc)}
    assert reasons == {"mismatch": ["date_of_birth"], "diacritics": ["full_name"]}
    assert reason_required_fields(doc) == ["full_name", "date_of_birth"]
    # the surer reader read the name the same way: a difference on paper, no misread hint
    reread = _doc("b", "needs_review", verification={**MISMATCH, "reread_fields": ["full_name"]})
    assert {r.code: r.fields for r in reasons_of(reread)} == {
        "mismatch": ["full_name", "date_of_birth"]
    }
    low = _doc("c", confidence={"full_name": 0.5, "sex": 0.99})
    assert [(r.code, r.fields) for r in reasons_of(low)] == [("low_confidence", ["full_name"])]
    other = _doc("d", unconfirmed=True)
    assert [(r.code, r.fields) for r in reasons_of(other)] == [("subject_unconfirmed", [OTHER])]
    assert reasons_of(_doc("e")) == [] and not needs_clerk(_doc("e"))
    pending = _doc("f", "approved", signature="pending")
    assert [r.code for r in reasons_of(pending)] == ["signing_pending"]
    assert [r.code for r in reasons_of(_doc("g", "approved", signature="valid"))] == []


def test_documents_needing_the_clerk_come_first_the_most_serious_first() -> None:
    docs = [
        _doc("approved", "approved", signature="valid"),
        _doc("verified"),
        _doc("low", confidence={"full_name": 0.4}),
        _doc("mismatch", "needs_review", verification=MISMATCH),
        _doc("other-person", unconfirmed=True),
        _doc("verified-2"),
    ]
    order = [d.id for d in attention_first(docs)]
    assert order == ["other-person", "mismatch", "low", "verified", "verified-2", "approved"]


def _dossier(*components: tuple[str, list[RegisteredDocument]]) -> Dossier:
    dossier = Dossier(id="d", procedure_code="x", created_by="lan")
    dossier.components = [
        Component(id=f"c{i}", status=status, documents=docs)
        for i, (status, docs) in enumerate(components)
    ]
    return dossier


def test_the_dossier_is_never_complete_while_a_document_needs_review() -> None:
    assert dossier_stage(_dossier()) == "received"
    assert dossier_stage(_dossier(("processing", []), ("done", [_doc("a")]))) == "received"
    assert dossier_stage(_dossier(("failed", []), ("done", [_doc("a")]))) == "received"
    review = _doc("b", "needs_review", verification=MISMATCH)
    assert dossier_stage(_dossier(("done", [_doc("a"), review]))) == "digitized"
    assert dossier_stage(_dossier(("done", [_doc("a", unconfirmed=True)]))) == "digitized"
    assert dossier_stage(_dossier(("done", [_doc("a"), _doc("c", "approved")]))) == "reviewed"
    pending = _doc("p", "approved", signature="pending")
    assert dossier_stage(_dossier(("done", [pending]))) == "reviewed"
    done = [_doc("a", "approved", signature="valid"), _doc("c", "approved")]
    assert dossier_stage(_dossier(("done", done))) == "complete"


def test_a_field_the_sources_read_differently_needs_the_clerk_until_corrected() -> None:
    doc = _doc("r")
    doc.field_readings = {"sex": {"ocr": "male", "qr": "female"}}
    doc.field_review = {"sex": "ocr/qr disagree; qr taken"}
    assert [(r.code, r.fields) for r in reasons_of(doc)] == [("field_review", ["sex"])]
    assert needs_clerk(doc)
    # a verified document with a disagreement waits behind a mismatch, before a low confidence
    mismatch = _doc("m", "needs_review", verification=MISMATCH)
    low = _doc("l", confidence={"full_name": 0.4})
    assert [d.id for d in attention_first([low, doc, mismatch])] == ["m", "r", "l"]
    doc.corrected_fields = {"sex": {"value": "female", "original": "female", "by": "lan"}}
    assert reasons_of(doc) == [] and disagreeing_readings(doc) == {
        "sex": {"ocr": "male", "qr": "female"}
    }
    assert field_review_messages(doc) == {
        "sex": "Chữ in và mã QR đọc khác nhau; đã lấy theo mã QR — đối chiếu bản giấy."
    }


def test_a_document_without_readings_stored_has_no_field_reason() -> None:
    doc = _doc("old")
    doc.field_readings, doc.field_review = None, None
    assert reasons_of(doc) == [] and disagreeing_readings(doc) == {}
    assert field_review_messages(doc) == {}
    same = _doc("same")
    same.field_readings = {"sex": {"qr": "female", "mrz": "female"}}
    assert disagreeing_readings(same) == {} and reasons_of(same) == []


def test_every_reason_the_extractors_give_is_said_in_vietnamese() -> None:
    said = {
        "mrz/ocr/qr disagree; mrz taken": (
            "Chữ in, mã QR và MRZ đọc khác nhau; đã lấy theo MRZ — đối chiếu bản giấy."
        ),
        "ocr/qr disagree; the print kept": (
            "Chữ in và mã QR đọc khác nhau; giữ theo chữ in — đối chiếu bản giấy."
        ),
        "read from the QR code only: check it against the print": (
            "Chỉ đọc được từ mã QR; đối chiếu với chữ in trên giấy tờ."
        ),
        "partly hidden on the card": (
            "Bị che một phần trên thẻ, không lấy lại từ mã QR; đối chiếu bản giấy."
        ),
        "OCR slip: '@' is no letter an address prints": (
            "Đọc nhầm: '@' không phải chữ của địa chỉ; nhập theo bản giấy."
        ),
        "OCR slip: a word of the address ends in ă or â, as no word does: a letter was lost": (
            "Đọc nhầm: một chữ của địa chỉ kết thúc bằng ă hoặc â, điều không chữ nào có"
            " (mất một chữ cái); nhập theo bản giấy."
        ),
        "OCR slip: a word of the address is no word, number or abbreviation an address writes": (
            "Đọc nhầm: một chữ của địa chỉ không phải tiếng, số hay chữ viết tắt mà địa chỉ"
            " dùng; nhập theo bản giấy."
        ),
        "a tone mark read that makes no usual name: the usual one taken; check it": (
            "Dấu thanh đọc được không tạo thành tên thường gặp; đã lấy dấu của tên thường gặp"
            " — đối chiếu bản giấy."
        ),
        "OCR slip: an address opens with a word or a number, not '/'": (
            "Đọc nhầm: địa chỉ không mở đầu bằng '/'; nhập theo bản giấy."
        ),
        "misread: the number fits no id's structure and contradicts the card's birth date"
        " or sex; type it from the card": (
            "Đọc nhầm: dãy số không đúng cấu trúc số định danh và trái với ngày sinh hoặc giới"
            " tính trên thẻ; nhập theo bản giấy."
        ),
        "not read to its end: an address ends with its province; type it from the paper": (
            "Chưa đọc hết: địa chỉ phải kết thúc bằng tên tỉnh, thành phố; nhập theo bản giấy."
        ),
        "at the image's edge: may be cut off; check it against the paper": (
            "Nằm sát mép ảnh, có thể bị cắt mất một phần; đối chiếu bản giấy."
        ),
        "may be cut short by glare: its line ends where the card is washed out": (
            "Dòng chữ dừng ở chỗ ảnh bị lóa sáng, có thể bị mất một phần; đối chiếu bản giấy."
        ),
        "may be cut short by glare: its line begins where the card is washed out": (
            "Dòng chữ bắt đầu ở chỗ ảnh bị lóa sáng, có thể mất phần đầu; nhập theo bản giấy."
        ),
        "something new": "Cần đối chiếu bản giấy.",
    }
    assert {reason: review_message(reason) for reason in said} == said
