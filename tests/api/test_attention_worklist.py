"""Attention first (issue 16 item 4): the dossier lists what needs the clerk first and why, its
stage covers review, "approve all verified" is one action, and today's work has filters."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.db import session_scope
from storage.models import AuditEvent
from tests.api.service_env import CITIZEN, OTHER_CITIZEN, Harness, png_bytes


def _dossier(h: Harness, dossier_id: str) -> dict[str, Any]:
    r = h.client.get(f"/api/v1/dossiers/{dossier_id}", headers=h.auth("clerk", "lan"))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _worklist(h: Harness, *filters: str, who: str = "lan") -> list[dict[str, Any]]:
    query = "&".join(f"filter={f}" for f in filters)
    r = h.client.get(f"/api/v1/worklist?{query}", headers=h.auth("clerk", who))
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


def _open(h: Harness, clerk: str) -> str:
    r = h.client.post(
        "/api/v1/dossiers",
        json={"procedure_code": "1.001612", "citizen_id_number": CITIZEN},
        headers=h.auth("clerk", clerk),
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_a_dossier_puts_what_needs_the_clerk_first_and_is_never_done_before_review(
    embedded: Harness,
) -> None:
    h = embedded
    dossier = _open(h, "lan")
    # two verified papers of the citizen, one about another person, one that fails
    for seed, name in ((41, f"ks_{CITIZEN}.png"), (42, f"ks_{OTHER_CITIZEN}.png")):
        h.wait(h.upload(dossier, name, png_bytes(seed=seed)).json()["id"])
    h.wait(h.upload(dossier, f"cccd_{CITIZEN}.png", png_bytes(seed=43)).json()["id"])
    failed = h.wait(h.upload(dossier, "fail-permanent.png", png_bytes(seed=44)).json()["id"])
    assert failed["status"] == "failed"

    body = _dossier(h, dossier)
    assert body["status"] == "failed" and body["stage"] == "received"
    kinds = [
        (i["kind"], i["needs_clerk"], [r["code"] for r in i["reasons"]]) for i in body["attention"]
    ]
    assert kinds == [
        ("component", True, ["failed"]),
        ("document", True, ["subject_unconfirmed"]),
        ("document", False, []),
        ("document", False, []),
    ]
    [other] = [i for i in body["attention"] if i["reasons"] and i["kind"] == "document"]
    assert other["reasons"][0]["fields"] == [OTHER_CITIZEN]
    assert "chưa xác nhận quan hệ" in other["reasons"][0]["message"]

    # a dossier where every component was digitized: a document still needs the clerk
    dossier = _open(h, "lan")
    for seed, name in ((45, f"ks_{CITIZEN}.png"), (46, f"ks_{OTHER_CITIZEN}.png")):
        h.wait(h.upload(dossier, name, png_bytes(seed=seed)).json()["id"])
    h.wait(h.upload(dossier, f"cccd_{CITIZEN}.png", png_bytes(seed=47)).json()["id"])
    body = _dossier(h, dossier)
    assert body["status"] == "done" and body["stage"] == "digitized"
    [other] = [i for i in body["attention"] if i["needs_clerk"]]
    assert body["attention"][0] == other

    # approve all verified: the two verified ones, each signed; the other person's is left
    r = h.client.post(
        f"/api/v1/dossiers/{dossier}/approve-verified", headers=h.auth("clerk", "lan")
    )
    assert r.status_code == 200, r.text
    bulk = r.json()
    assert len(bulk["approved"]) == 2
    assert {d["review_status"] for d in bulk["approved"]} == {"approved"}
    assert {d["signature"]["status"] for d in bulk["approved"]} == {"valid"}
    assert [i["id"] for i in bulk["left_for_review"]] == [other["id"]]
    assert bulk["dossier"]["stage"] == "digitized"  # never complete while one needs review
    with session_scope(h.settings.effective_database_url) as s:
        rows = s.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "document.approve", AuditEvent.actor == "lan"
            )
        ).all()
        assert sorted(r.document_id for r in rows) == sorted(d["id"] for d in bulk["approved"])
        assert all(r.detail["bulk"] is True for r in rows)

    # nothing verified left: the second click approves nothing
    again = h.client.post(f"/api/v1/dossiers/{dossier}/approve-verified", headers=h.auth("clerk"))
    assert again.status_code == 200 and again.json()["approved"] == []

    # confirmed and approved: complete
    h.client.post(
        f"/api/v1/documents/{other['id']}/subjects/{OTHER_CITIZEN}/confirm",
        json={"relation": "child"},
        headers=h.auth("clerk"),
    )
    assert _dossier(h, dossier)["stage"] == "reviewed"  # nothing to review; one to approve
    h.client.post(f"/api/v1/dossiers/{dossier}/approve-verified", headers=h.auth("clerk"))
    done = _dossier(h, dossier)
    assert done["stage"] == "complete"
    assert all(not i["needs_clerk"] for i in done["attention"])


def test_approve_verified_is_for_clerks_and_existing_dossiers(embedded: Harness) -> None:
    h = embedded
    dossier = _open(h, "lan")
    r = h.client.post(f"/api/v1/dossiers/{dossier}/approve-verified", headers=h.auth("officer"))
    assert r.status_code == 403
    r = h.client.post("/api/v1/dossiers/nope/approve-verified", headers=h.auth("clerk"))
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_todays_work_filters_needs_review_failed_and_mine(embedded: Harness) -> None:
    h = embedded
    mine_review = _open(h, "lan")
    h.wait(h.upload(mine_review, f"ks_{OTHER_CITIZEN}.png", png_bytes(seed=51)).json()["id"])
    theirs_failed = _open(h, "hoa")
    h.wait(h.upload(theirs_failed, "fail-permanent.png", png_bytes(seed=52)).json()["id"])
    mine_clean = _open(h, "lan")
    done = h.wait(h.upload(mine_clean, f"ks_{CITIZEN}.png", png_bytes(seed=53)).json()["id"])
    h.client.post(f"/api/v1/dossiers/{mine_clean}/approve-verified", headers=h.auth("clerk"))

    ids = lambda items: [i["id"] for i in items]  # noqa: E731
    everything = _worklist(h)
    assert ids(everything) == [mine_clean, theirs_failed, mine_review]  # newest first, today's
    by_id = {i["id"]: i for i in everything}
    assert by_id[mine_clean]["stage"] == "complete" and by_id[mine_clean]["attention"] == []
    assert by_id[theirs_failed]["failed"] == 1
    assert by_id[mine_review]["needs_review"] == 1
    assert ids(_worklist(h, "needs_review")) == [mine_review]
    assert ids(_worklist(h, "failed")) == [theirs_failed]
    assert ids(_worklist(h, "mine")) == [mine_clean, mine_review]
    assert ids(_worklist(h, "mine", "failed")) == []
    assert ids(_worklist(h, "mine", who="hoa")) == [theirs_failed]
    assert done["status"] == "done"

    r = h.client.get("/api/v1/worklist?filter=everything", headers=h.auth("clerk"))
    assert r.status_code == 422
    r = h.client.get("/api/v1/worklist?limit=1", headers=h.auth("officer"))
    assert r.status_code == 200 and r.json()["next_offset"] == 1
    assert len(r.json()["items"]) == 1
    assert h.client.get("/api/v1/worklist", headers=h.auth("citizen", CITIZEN)).status_code == 404


def test_older_dossiers_stay_on_the_list_while_work_is_left(embedded: Harness) -> None:
    """A dossier opened days ago is on today's list while a document is unapproved or its
    copy still unsigned (the token was away), and off it once complete."""
    h = embedded
    dossier = _open(h, "lan")
    [doc] = h.wait(h.upload(dossier, f"ks_{CITIZEN}.png", png_bytes(seed=61)).json()["id"])[
        "documents"
    ]
    with session_scope(h.settings.effective_database_url) as s:
        from datetime import timedelta

        from storage.models import Dossier, utcnow

        row = s.get(Dossier, dossier)
        assert row is not None
        row.created_at = utcnow() - timedelta(days=3)
    assert [i["id"] for i in _worklist(h)] == [dossier]  # verified, not yet approved
    p12 = h.settings.signing_pkcs12_path
    assert p12 is not None
    p12.rename(p12.with_suffix(".away"))
    try:
        r = h.client.post(f"/api/v1/documents/{doc['id']}/approve", headers=h.auth("clerk"))
        assert r.json()["signature"]["status"] == "pending", r.text
    finally:
        p12.with_suffix(".away").rename(p12)
    [item] = _worklist(h)
    assert item["stage"] == "reviewed"
    assert [r["code"] for r in item["attention"][0]["reasons"]] == ["signing_pending"]
    r = h.client.post(f"/api/v1/documents/{doc['id']}/sign", headers=h.auth("clerk"))
    assert r.status_code == 200, r.text
    assert _worklist(h) == []  # complete, and not opened today
