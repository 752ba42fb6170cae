"""A clerk's correction is verified again; a marriage certificate is in both spouses' stores."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from core.records import PersonRecord
from storage.db import session_scope
from storage.models import DocumentSubject, RegisteredDocument
from storage.population import open_register
from tests.api.service_env import CITIZEN, OTHER_CITIZEN, Harness, png_bytes

THIRD = "036085000222"


def _patch(h: Harness, doc_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    r = h.client.patch(
        f"/api/v1/documents/{doc_id}", json={"fields": fields}, headers=h.auth("clerk", "lan")
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _confirm(h: Harness, doc_id: str, id_number: str, relation: str) -> dict[str, Any]:
    r = h.client.post(
        f"/api/v1/documents/{doc_id}/subjects/{id_number}/confirm",
        json={"relation": relation},
        headers=h.auth("clerk", "lan"),
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _approve(h: Harness, doc_id: str) -> None:
    r = h.client.post(f"/api/v1/documents/{doc_id}/approve", headers=h.auth("clerk", "lan"))
    assert r.status_code == 200, r.text


def _audit(h: Harness, citizen: str, doc_id: str) -> list[dict[str, Any]]:
    r = h.client.get(f"/api/v1/audit?citizen_id_number={citizen}", headers=h.auth("admin"))
    assert r.status_code == 200
    return [e for e in r.json()["events"] if e["document_id"] == doc_id]


def test_a_correction_is_verified_again_against_the_register(embedded: Harness) -> None:
    h = embedded
    open_register(h.settings).upsert(
        [
            PersonRecord(
                id_number=CITIZEN,
                full_name="Nguyễn Thị Minh Hằng",
                date_of_birth="1992-08-15",
                sex="female",
            )
        ]
    )
    dossier = h.open_dossier()
    comp = h.wait(h.upload(dossier, f"ks_{CITIZEN}.png", png_bytes(seed=21)).json()["id"])
    doc = comp["documents"][0]
    assert doc["review_status"] == "verified"

    wrong = _patch(h, doc["id"], {"full_name": "Nguyễn Thị Minh Hà"})
    assert wrong["verification"]["status"] == "mismatch"
    assert wrong["verification"]["mismatched_fields"] == ["full_name"]
    assert wrong["reverification"]["matches_register"] is False
    assert "full_name" in wrong["reverification"]["message"]
    assert wrong["review_status"] == "needs_review"

    no_marks = _patch(h, doc["id"], {"full_name": "Nguyen Thi Minh Hang"})
    assert no_marks["verification"]["status"] == "mismatch"  # diacritics count
    assert no_marks["verification"]["diacritics_only_fields"] == ["full_name"]

    dob = _patch(h, doc["id"], {"full_name": "Nguyễn Thị Minh Hằng", "date_of_birth": "1992-08-16"})
    assert dob["verification"]["mismatched_fields"] == ["date_of_birth"]

    fixed = _patch(h, doc["id"], {"date_of_birth": "1992-08-15"})
    assert fixed["verification"]["status"] == "match"
    assert fixed["reverification"]["status"] == "match"
    assert fixed["reverification"]["matches_register"] is True
    assert fixed["review_status"] == "needs_review"  # a person still approves it
    assert fixed["corrected_fields"]["full_name"]["original"] == "Nguyễn Thị Minh Hằng"

    # the fresh verification is stored, not only answered
    stored = h.client.get(f"/api/v1/documents/{doc['id']}", headers=h.auth("officer")).json()
    assert stored["verification"]["status"] == "match"
    assert stored["verification"]["checked_after_correction_at"]
    assert stored["review_status"] == "needs_review"
    approved = h.client.post(f"/api/v1/documents/{doc['id']}/approve", headers=h.auth("clerk"))
    assert approved.json()["review_status"] == "approved"

    # an id number the register does not know
    unknown = _patch(h, doc["id"], {"id_number": THIRD})
    assert unknown["verification"]["status"] == "not_found"
    assert unknown["review_status"] == "needs_review"
    # ... and the corrected id number moved the document to that citizen's store
    assert unknown["citizen_id_number"] == THIRD
    mine = h.client.get(f"/api/v1/citizens/{CITIZEN}/documents", headers=h.auth("officer"))
    assert doc["id"] not in [d["id"] for d in mine.json()["documents"]]


def test_a_marriage_certificate_is_in_both_spouses_stores(embedded: Harness) -> None:
    h = embedded
    dossier = h.open_dossier(CITIZEN)
    name = f"ket_hon_{OTHER_CITIZEN}_{CITIZEN}.png"  # husband, then wife (the dossier's)
    comp = h.wait(h.upload(dossier, name, png_bytes(seed=22)).json()["id"])
    [doc] = comp["documents"]
    assert doc["doc_type"] == "marriage_certificate"
    assert doc["citizen_id_number"] == CITIZEN
    assert doc["subject_id_numbers"] == [CITIZEN, OTHER_CITIZEN]
    # the husband is the citizen's only once a clerk confirms him; both see it once approved
    _confirm(h, doc["id"], OTHER_CITIZEN, "spouse")
    _approve(h, doc["id"])

    for spouse in (CITIZEN, OTHER_CITIZEN):
        for role in ("officer", "citizen"):
            auth = h.auth(role, spouse if role == "citizen" else None)
            listed = h.client.get(f"/api/v1/citizens/{spouse}/documents", headers=auth)
            assert [d["id"] for d in listed.json()["documents"]] == [doc["id"]], (spouse, role)
        auth = h.auth("citizen", spouse)
        assert h.client.get(f"/api/v1/documents/{doc['id']}", headers=auth).status_code == 200
        assert h.client.get(doc["file_url"], headers=auth).status_code == 200
    stranger = h.auth("citizen", THIRD)
    assert h.client.get(f"/api/v1/documents/{doc['id']}", headers=stranger).status_code == 404
    assert h.client.get(doc["file_url"], headers=stranger).status_code == 404

    # one document, linked twice: not copied
    with session_scope(h.settings.effective_database_url) as s:
        assert s.scalar(select(func.count()).select_from(RegisteredDocument)) == 1
        roles = dict(
            s.execute(
                select(DocumentSubject.role, func.count()).group_by(DocumentSubject.role)
            ).all()
        )
        assert roles == {"husband_id_number": 1, "wife_id_number": 1}

    # each read is audited with the citizen who read it; a staff read, for both spouses
    husband_reads = _audit(h, OTHER_CITIZEN, doc["id"])
    assert {("document.read", "citizen", OTHER_CITIZEN)} <= {
        (e["action"], e["role"], e["actor"]) for e in husband_reads
    }
    assert all(e["citizen_id_number"] == OTHER_CITIZEN for e in husband_reads)
    h.client.get(f"/api/v1/documents/{doc['id']}", headers=h.auth("officer", "officer-7"))
    for spouse in (CITIZEN, OTHER_CITIZEN):
        assert any(
            e["actor"] == "officer-7" and e["action"] == "document.read"
            for e in _audit(h, spouse, doc["id"])
        ), spouse

    # the dossier (the wife's) shows the certificate: the husband's trail records that too
    h.client.get(f"/api/v1/dossiers/{dossier}", headers=h.auth("officer", "officer-8"))
    r = h.client.get(f"/api/v1/audit?citizen_id_number={OTHER_CITIZEN}", headers=h.auth("admin"))
    assert any(
        e["actor"] == "officer-8" and e["action"] == "dossier.read" for e in r.json()["events"]
    )

    # a misread spouse id corrected by the clerk: the store follows the correction
    fixed = _patch(h, doc["id"], {"husband_id_number": THIRD})
    assert fixed["subject_id_numbers"] == [CITIZEN, THIRD]
    other = h.auth("citizen", OTHER_CITIZEN)
    assert h.client.get(f"/api/v1/documents/{doc['id']}", headers=other).status_code == 404
    assert (
        h.client.get(f"/api/v1/citizens/{OTHER_CITIZEN}/documents", headers=other).json()[
            "documents"
        ]
        == []
    )
    # the corrected husband is named, not yet confirmed, and the corrected paper not approved
    third = h.auth("citizen", THIRD)
    assert h.client.get(f"/api/v1/documents/{doc['id']}", headers=third).status_code == 404
    _confirm(h, doc["id"], THIRD, "spouse")
    _approve(h, doc["id"])
    assert (
        h.client.get(f"/api/v1/documents/{doc['id']}", headers=h.auth("citizen", THIRD)).status_code
        == 200
    )
