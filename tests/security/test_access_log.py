"""A citizen's right to know who processed their data (issue #17, item 14).

Law 91/2025/QH15 on personal data protection (in force since 1 January 2026), Art. 4 cl. 1
point a: the data subject has the right to know about the processing of their personal data.
``GET /api/v1/me/access-log`` tells the signed-in citizen who read, corrected, approved or
reused their documents and dossiers, when, and for which dossier; their own rows only.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from storage.db import session_scope
from storage.models import AuditEvent
from tests.security.conftest import CITIZEN_A, CITIZEN_B, World

LOG = "/api/v1/me/access-log"
CITIZEN_C = "036085000333"


def _log(w: World, caller: str, **params: Any) -> dict[str, Any]:
    r = w.client.get(LOG, headers=w.headers(caller), params=params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_a_citizen_sees_who_read_their_document_when_and_for_which_dossier(world: World) -> None:
    w = world
    doc = w.ids["document_a"]
    rid = uuid.uuid4().hex
    r = w.client.get(
        f"/api/v1/documents/{doc}?dossier_id={w.ids['dossier_b']}",
        headers={**w.headers("officer"), "X-Request-ID": rid},
    )
    assert r.status_code == 200
    w.client.get(f"/api/v1/documents/{doc}/file", headers=w.headers("owner"))

    entries = _log(w, "owner")["entries"]
    officer_read = next(e for e in entries if e["action"] == "document.read" and e["actor"])
    assert officer_read["actor"] == "officer-minh"  # the staff member, by user name
    assert officer_read["actor_role"] == "officer"
    assert officer_read["actor_label"] == "Cán bộ giải quyết"
    assert officer_read["action_label"] == "Xem giấy tờ"
    assert officer_read["document_id"] == doc
    assert officer_read["digitization_code"] == w.ids["code_a"]
    assert officer_read["doc_type"] == "birth_certificate"
    assert officer_read["dossier_id"] == w.ids["dossier_b"]  # the purpose: B's dossier
    assert officer_read["procedure_code"] == "1.001612"
    # the reuse into B's dossier (the world's officer did it) is there too, with its dossier
    reuse = next(e for e in entries if e["action"] == "document.reuse")
    assert (reuse["actor"], reuse["dossier_id"]) == ("officer-minh", w.ids["dossier_b"])
    # the citizen's own reads are theirs: "Bạn", no id number echoed as an actor
    mine = next(e for e in entries if e["action"] == "document.file")
    assert (mine["actor"], mine["actor_label"], mine["actor_role"]) == (None, "Bạn", "citizen")
    # intake: the clerk opened A's dossier and uploaded the scan
    actions = {e["action"] for e in entries}
    assert {"dossier.create", "component.upload", "document.approve"} <= actions
    # newest first
    assert [e["at"] for e in entries] == sorted((e["at"] for e in entries), reverse=True)


def test_a_citizen_sees_their_own_rows_only(world: World) -> None:
    w = world
    w.client.get(f"/api/v1/documents/{w.ids['document_a']}", headers=w.headers("clerk"))
    w.client.get(f"/api/v1/dossiers/{w.ids['dossier_a']}", headers=w.headers("clerk"))
    theirs = _log(w, "other")["entries"]
    assert theirs  # B's own dossier and document
    text = str(theirs)
    for marker in (CITIZEN_A, w.ids["document_a"], w.ids["code_a"], w.ids["dossier_a"]):
        assert marker not in text
    assert {e["document_id"] for e in theirs} <= {w.ids["document_b"], None}
    with session_scope(w.settings.effective_database_url) as s:
        rows_of_b = {
            e.id
            for e in s.scalars(select(AuditEvent).where(AuditEvent.citizen_id_number == CITIZEN_B))
        }
    assert len(theirs) <= len(rows_of_b)


def test_staff_have_no_access_log_of_their_own(world: World) -> None:
    for caller in ("clerk", "officer", "admin"):
        r = world.client.get(LOG, headers=world.headers(caller))
        assert r.status_code == 403, (caller, r.text)
    r = world.client.get(LOG)
    assert r.status_code == 401


def test_reads_of_a_paper_not_yet_theirs_are_not_shown_until_confirmed(world: World) -> None:
    """C's dossier holds a paper printing A's id (a misread, or A's own certificate brought by
    a relative): staff reads of it are logged, but A is told only once a clerk confirms the
    paper is A's. The stranger an OCR misread named learns nothing."""
    w = world
    clerk = w.headers("clerk")
    dossier = w.client.post(
        "/api/v1/dossiers",
        json={"procedure_code": "2.000001", "citizen_id_number": CITIZEN_C},
        headers=clerk,
    ).json()["id"]
    r = w.client.post(
        f"/api/v1/dossiers/{dossier}/components",
        files={"file": (f"ks_{CITIZEN_A}.png", w.next_png(), "image/png")},
        headers=clerk,
    )
    [doc] = w.wait(r.json()["id"])["documents"]
    assert [(s["id_number"], s["confirmed"]) for s in doc["subjects"]] == [(CITIZEN_A, False)]
    officer = {**w.headers("officer"), "X-Request-ID": "read-the-misread-paper"}
    assert w.client.get(f"/api/v1/documents/{doc['id']}", headers=officer).status_code == 200
    assert w.client.get(f"/api/v1/dossiers/{dossier}", headers=officer).status_code == 200
    with session_scope(w.settings.effective_database_url) as s:
        logged = list(
            s.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.request_id == "read-the-misread-paper",
                    AuditEvent.citizen_id_number == CITIZEN_A,
                )
            )
        )
    assert sorted(logged) == ["document.read", "dossier.read"]  # the admin's trail has them

    def shown() -> str:
        return str(_log(w, "owner", limit=200)["entries"])

    assert doc["id"] not in shown() and dossier not in shown()
    r = w.client.post(
        f"/api/v1/documents/{doc['id']}/subjects/{CITIZEN_A}/confirm",
        json={"relation": "child"},
        headers=clerk,
    )
    assert r.status_code == 200, r.text
    after = _log(w, "owner", limit=200)["entries"]
    about_it = {e["action"] for e in after if e["document_id"] == doc["id"]}
    assert {"document.read", "document.subject.confirm"} <= about_it
    assert any(e["action"] == "dossier.read" and e["dossier_id"] == dossier for e in after)


def test_the_log_is_paged_and_reading_it_is_audited_but_not_listed(world: World) -> None:
    w = world
    for _ in range(3):
        w.client.get(f"/api/v1/documents/{w.ids['document_a']}", headers=w.headers("officer"))
    everything = _log(w, "owner", limit=200)
    assert everything["next_offset"] is None
    total = len(everything["entries"])
    assert total >= 5
    assert all(e["action"] != "access_log.read" for e in everything["entries"])
    seen: list[dict[str, Any]] = []
    offset: int | None = 0
    while offset is not None:
        page = _log(w, "owner", limit=2, offset=offset)
        assert len(page["entries"]) <= 2
        seen += page["entries"]
        offset = page["next_offset"]
    assert seen == everything["entries"]
    trail = w.client.get(
        f"/api/v1/audit?citizen_id_number={CITIZEN_A}", headers=w.headers("admin")
    ).json()["events"]
    reads = [e for e in trail if e["action"] == "access_log.read"]
    assert reads and all(e["actor"] == CITIZEN_A and e["role"] == "citizen" for e in reads)
