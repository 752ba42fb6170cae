"""The procedure catalogue, a dossier's checklist and reusing a paper from the citizen's store
(issue 16 item 3): one click instead of scanning, recorded as a reuse; a wrong code records
nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from storage.db import session_scope
from storage.models import ReuseEvent
from tests.api.service_env import CITIZEN, OTHER_CITIZEN, Harness, png_bytes


def _open(h: Harness, procedure: str, citizen: str = CITIZEN, **extra: str) -> dict[str, Any]:
    r = h.client.post(
        "/api/v1/dossiers",
        json={"procedure_code": procedure, "citizen_id_number": citizen, **extra},
        headers=h.auth("clerk"),
    )
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def _birth_certificate(h: Harness, citizen: str, *, approve: bool = True) -> dict[str, Any]:
    """A birth certificate of ``citizen`` registered (and approved) in a dossier of their own."""
    dossier = _open(h, "dang-ky-khai-sinh", citizen)["id"]
    comp = h.wait(
        h.upload(dossier, f"ks_{citizen}.png", png_bytes(seed=len(h.headers))).json()["id"]
    )
    [doc] = comp["documents"]
    assert doc["doc_type"] == "birth_certificate"
    if approve:
        h.approve(doc["id"])
    return doc


def _checklist(h: Harness, dossier: str) -> dict[str, Any]:
    r = h.client.get(f"/api/v1/dossiers/{dossier}/checklist", headers=h.auth("clerk"))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _reuses(h: Harness) -> int:
    with session_scope(h.settings.effective_database_url) as s:
        return int(s.scalar(select(func.count()).select_from(ReuseEvent)) or 0)


def test_the_catalogue_route(embedded: Harness) -> None:
    h = embedded
    r = h.client.get("/api/v1/procedures", headers=h.auth("officer"))
    assert r.status_code == 200
    procedures = {p["code"]: p for p in r.json()["procedures"]}
    residence = procedures["dang-ky-thuong-tru"]
    assert residence["processing_days"] == 7 and "Luật Cư trú" in residence["legal_source"]
    assert residence["components"][0]["doc_types"] == ["application_form"]
    assert h.client.get("/api/v1/procedures").status_code == 401


def test_opening_gives_the_return_date_and_keeps_the_contact(embedded: Harness) -> None:
    h = embedded
    opened = _open(
        h, "dang-ky-thuong-tru", applicant_phone="0912 345 678", applicant_email="a@example.org"
    )
    due = date.fromisoformat(opened["due_on"])
    assert due > date.fromisoformat(opened["created_at"][:10])
    assert due.weekday() < 5
    assert (opened["applicant_phone"], opened["applicant_email"]) == (
        "0912 345 678",
        "a@example.org",
    )
    assert _open(h, "1.001612")["due_on"] is None  # a code typed by hand: no catalogue time
    for bad in ({"applicant_phone": "call me"}, {"applicant_email": "not-an-email"}):
        r = h.client.post(
            "/api/v1/dossiers",
            json={"procedure_code": "dang-ky-thuong-tru", "citizen_id_number": CITIZEN, **bad},
            headers=h.auth("clerk"),
        )
        assert r.status_code == 422, bad


def test_a_paper_in_the_store_is_reused_with_one_click(embedded: Harness) -> None:
    h = embedded
    doc = _birth_certificate(h, CITIZEN)
    dossier = _open(h, "dang-ky-thuong-tru")["id"]
    items = {i["component"]["key"]: i for i in _checklist(h, dossier)["items"]}
    assert items["to-khai"]["status"] == "missing"
    kin = items["quan-he-nhan-than"]
    assert kin["status"] == "available"
    assert [c["digitization_code"] for c in kin["candidates"]] == [doc["digitization_code"]]

    before = _reuses(h)
    r = h.client.post(
        f"/api/v1/dossiers/{dossier}/reuses",
        json={"digitization_code": doc["digitization_code"]},
        headers=h.auth("clerk", "lan"),
    )
    assert r.status_code == 201, r.text
    assert (r.json()["document_id"], r.json()["dossier_id"]) == (doc["id"], dossier)
    assert _reuses(h) == before + 1
    # recorded as a reuse, as the officer's: the document's history shows it
    history = h.client.get(f"/api/v1/documents/{doc['id']}/reuses", headers=h.auth("officer"))
    assert [e["dossier_id"] for e in history.json()["reuses"]] == [dossier]
    kin = {i["component"]["key"]: i for i in _checklist(h, dossier)["items"]}["quan-he-nhan-than"]
    assert kin["status"] == "reused" and kin["documents"][0]["id"] == doc["id"]
    # a second click answers the first reuse, records nothing more
    again = h.client.post(
        f"/api/v1/dossiers/{dossier}/reuses",
        json={"digitization_code": doc["digitization_code"]},
        headers=h.auth("clerk"),
    )
    assert again.status_code == 200 and again.json()["id"] == r.json()["id"]
    assert _reuses(h) == before + 1
    audit = h.client.get(f"/api/v1/audit?citizen_id_number={CITIZEN}", headers=h.auth("admin"))
    rows = [e for e in audit.json()["events"] if e["action"] == "document.reuse"]
    assert rows and rows[0]["actor"] == "lan" and rows[0]["detail"]["dossier_id"] == dossier


def test_a_code_that_does_not_exist_records_nothing(embedded: Harness) -> None:
    h = embedded
    dossier = _open(h, "dang-ky-thuong-tru")["id"]
    before = _reuses(h)
    r = h.client.post(
        f"/api/v1/dossiers/{dossier}/reuses",
        json={"digitization_code": "SH-20261206-ABCDEFGH-0"},
        headers=h.auth("clerk"),
    )
    assert r.status_code == 404
    assert "SH-20261206-ABCDEFGH-0" in r.json()["error"]["message"]
    assert "Chưa ghi nhận gì" in r.json()["error"]["message"]
    assert _reuses(h) == before
    r = h.client.post(
        f"/api/v1/dossiers/{dossier}/reuses",
        json={"digitization_code": ""},
        headers=h.auth("clerk"),
    )
    assert r.status_code == 422


def test_only_the_citizens_own_approved_papers_are_offered_or_reused(embedded: Harness) -> None:
    h = embedded
    theirs = _birth_certificate(h, OTHER_CITIZEN)
    unapproved = _birth_certificate(h, CITIZEN, approve=False)
    dossier = _open(h, "dang-ky-thuong-tru")["id"]
    kin = {i["component"]["key"]: i for i in _checklist(h, dossier)["items"]}["quan-he-nhan-than"]
    assert kin["status"] == "missing" and kin["candidates"] == []
    before = _reuses(h)
    for doc in (theirs, unapproved):
        r = h.client.post(
            f"/api/v1/dossiers/{dossier}/reuses",
            json={"digitization_code": doc["digitization_code"]},
            headers=h.auth("clerk"),
        )
        assert r.status_code == 409, r.text
    assert _reuses(h) == before
    # roles: a citizen learns nothing, an admin may not
    url = f"/api/v1/dossiers/{dossier}/checklist"
    assert h.client.get(url, headers=h.auth("citizen")).status_code == 404
    assert h.client.get(url, headers=h.auth("admin")).status_code == 403


def test_a_procedure_outside_the_catalogue_has_no_checklist(embedded: Harness) -> None:
    h = embedded
    body = _checklist(h, _open(h, "1.001612")["id"])
    assert body["procedure"] is None and body["items"] == [] and body["due_on"] is None
