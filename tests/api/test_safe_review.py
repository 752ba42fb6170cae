"""Safe review (issue 16 item 5): the register's value beside the value read, a reason to
approve a difference from the register (audited with the values), and no approval of a
paper about someone else until the clerk confirms how they relate to the dossier's citizen."""

from __future__ import annotations

from typing import Any

from core.records import PersonRecord
from storage.db import session_scope
from storage.models import RegisteredDocument
from storage.population import open_register
from tests.api.service_env import CITIZEN, OTHER_CITIZEN, Harness, png_bytes

NAME = "Nguyễn Thị Minh Hằng"  # what the fake pipeline reads


def _register(h: Harness, full_name: str = NAME) -> None:
    open_register(h.settings).upsert(
        [PersonRecord(CITIZEN, full_name=full_name, date_of_birth="1992-08-15", sex="female")]
    )


def _document(h: Harness, seed: int) -> dict[str, Any]:
    dossier = h.open_dossier()
    comp = h.wait(h.upload(dossier, f"ks_{CITIZEN}.png", png_bytes(seed=seed)).json()["id"])
    doc: dict[str, Any] = comp["documents"][0]
    return doc


def _compare(h: Harness, doc_id: str) -> dict[str, Any]:
    r = h.client.get(f"/api/v1/documents/{doc_id}/register", headers=h.auth("clerk", "lan"))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _approve(h: Harness, doc_id: str, body: dict[str, Any] | None = None) -> Any:
    return h.client.post(
        f"/api/v1/documents/{doc_id}/approve",
        headers=h.auth("clerk", "lan"),
        **({"json": body} if body is not None else {}),
    )


def _audit(h: Harness, doc_id: str, action: str) -> list[dict[str, Any]]:
    r = h.client.get(f"/api/v1/audit?citizen_id_number={CITIZEN}", headers=h.auth("admin"))
    return [e for e in r.json()["events"] if e["document_id"] == doc_id and e["action"] == action]


def test_the_register_value_is_shown_beside_the_value_read(embedded: Harness) -> None:
    h = embedded
    _register(h, "Nguyễn Thị Minh Hàng")  # differs only in a tone mark
    doc = _document(h, 31)
    body = _compare(h, doc["id"])
    by_field = {f["field"]: f for f in body["fields"]}
    name = by_field["full_name"]
    assert (name["value"], name["register_value"]) == (NAME, "Nguyễn Thị Minh Hàng")
    assert name["outcome"] == "diacritics" and name["reread_confirmed"] is False
    assert name["hint"] == "Chỉ khác dấu — có thể do đọc sai dấu"
    assert name["label"] == "Họ, chữ đệm và tên" and name["id_number"] == CITIZEN
    # the fake pipeline reads no date of birth: absent, beside the register's
    assert by_field["date_of_birth"]["outcome"] == "absent"
    assert by_field["date_of_birth"]["register_value"] == "1992-08-15"
    assert body["reason_required_fields"] == []  # the pipeline ran without this register

    # a correction is compared as corrected; a real difference is "khác dữ liệu"
    h.client.patch(
        f"/api/v1/documents/{doc['id']}",
        json={"fields": {"full_name": "Nguyễn Thị Minh Hà"}},
        headers=h.auth("clerk", "lan"),
    )
    body = _compare(h, doc["id"])
    [name] = [f for f in body["fields"] if f["field"] == "full_name"]
    assert (name["value"], name["outcome"], name["hint"]) == (
        "Nguyễn Thị Minh Hà",
        "mismatch",
        "Khác dữ liệu dân cư",
    )
    assert body["reason_required_fields"] == ["full_name"]
    # the read is audited (personal data: the register's values), naming the dossier served
    [row] = _audit(h, doc["id"], "document.register")[:1]
    assert row["actor"] == "lan" and row["detail"]["dossier_id"] == doc["dossier_id"]


def test_a_reread_that_confirmed_the_paper_drops_the_misread_hint(embedded: Harness) -> None:
    h = embedded
    _register(h, "Nguyễn Thị Minh Hàng")
    doc = _document(h, 32)
    with session_scope(h.settings.effective_database_url) as s:
        row = s.get(RegisteredDocument, doc["id"])
        assert row is not None
        row.verification = {
            "status": "mismatch",
            "mismatched_fields": ["full_name"],
            "diacritics_only_fields": ["full_name"],
            "reread_fields": ["full_name"],
        }
    [name] = [f for f in _compare(h, doc["id"])["fields"] if f["field"] == "full_name"]
    assert name["outcome"] == "diacritics" and name["reread_confirmed"] is True
    assert "đọc sai dấu" not in name["hint"] and "Giấy tờ ghi đúng như vậy" in name["hint"]
    got = h.client.get(f"/api/v1/documents/{doc['id']}", headers=h.auth("clerk")).json()
    assert got["verification"]["reread_fields"] == ["full_name"]


def test_approving_a_difference_from_the_register_needs_a_reason(embedded: Harness) -> None:
    h = embedded
    _register(h)
    doc = _document(h, 33)
    h.client.patch(
        f"/api/v1/documents/{doc['id']}",
        json={"fields": {"full_name": "Nguyễn Thị Minh Hà"}},
        headers=h.auth("clerk", "lan"),
    )
    for body in (None, {}, {"reason": "   "}):
        r = _approve(h, doc["id"], body)
        assert r.status_code == 422, r.text
        error = r.json()["error"]
        assert error["code"] == "approval_reason_required"
        assert error["details"] == {"fields": ["full_name"]}
    assert _approve(h, doc["id"], {"reason": "x" * 501}).status_code == 422  # bounded
    still = h.client.get(f"/api/v1/documents/{doc['id']}", headers=h.auth("clerk")).json()
    assert still["review_status"] == "needs_review" and not _audit(h, doc["id"], "document.approve")

    reason = "Giấy khai sinh bản chính ghi như vậy; CSDL dân cư chưa cập nhật."
    r = _approve(h, doc["id"], {"reason": reason})
    assert r.status_code == 200, r.text
    assert r.json()["review_status"] == "approved"
    [row] = _audit(h, doc["id"], "document.approve")
    assert row["detail"]["approval_reason"] == reason
    assert row["detail"]["differences"] == [
        {"field": "full_name", "read": NAME, "approved": "Nguyễn Thị Minh Hà", "register": NAME}
    ]


def test_a_matching_document_is_approved_without_a_reason_and_none_is_audited(
    embedded: Harness,
) -> None:
    h = embedded
    _register(h)
    doc = _document(h, 34)
    r = _approve(h, doc["id"])
    assert r.status_code == 200, r.text
    [row] = _audit(h, doc["id"], "document.approve")
    assert "approval_reason" not in row["detail"] and "differences" not in row["detail"]


def test_a_paper_about_someone_else_needs_the_relation_confirmed(embedded: Harness) -> None:
    h = embedded
    dossier = h.open_dossier(CITIZEN)
    # a birth certificate naming another citizen, in CITIZEN's dossier
    comp = h.wait(h.upload(dossier, f"ks_{OTHER_CITIZEN}.png", png_bytes(seed=35)).json()["id"])
    [doc] = comp["documents"]
    assert [s["confirmed"] for s in doc["subjects"] if s["id_number"] == OTHER_CITIZEN] == [False]
    r = _approve(h, doc["id"])
    assert r.status_code == 409, r.text
    assert r.json()["error"]["code"] == "subject_unconfirmed"
    assert r.json()["error"]["details"] == {"id_numbers": [OTHER_CITIZEN]}
    assert not _audit(h, doc["id"], "document.approve")
    r = h.client.post(
        f"/api/v1/documents/{doc['id']}/subjects/{OTHER_CITIZEN}/confirm",
        json={"relation": "child"},
        headers=h.auth("clerk", "lan"),
    )
    assert r.status_code == 200, r.text
    r = _approve(h, doc["id"])
    assert r.status_code == 200 and r.json()["review_status"] == "approved", r.text
