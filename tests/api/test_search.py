"""GET /search/documents and /search/dossiers: accent-insensitive, paged, a citizen sees only
their own, every hit audited and the query itself kept nowhere."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import select

from storage.db import session_scope
from storage.models import AuditEvent
from tests.api.service_env import CITIZEN, OTHER_CITIZEN, Harness, png_bytes

STRANGER = "036085000999"


def _registered(h: Harness, citizen: str, name: str, seed: int) -> tuple[str, str]:
    dossier = h.open_dossier(citizen)
    r = h.upload(dossier, name, png_bytes(seed=seed))
    assert r.status_code == 202, r.text
    [doc] = h.wait(r.json()["id"])["documents"]
    return dossier, doc["id"]


def _audit(h: Harness, request_id: str) -> list[AuditEvent]:
    with session_scope(h.settings.effective_database_url) as s:
        rows = list(s.scalars(select(AuditEvent).where(AuditEvent.request_id == request_id)))
        s.expunge_all()
    return rows


def test_search_is_accent_insensitive_and_scoped_to_the_caller(embedded: Harness) -> None:
    h = embedded
    dossier_a, doc_a = _registered(h, CITIZEN, f"khai_sinh_{CITIZEN}.png", 1)
    _, doc_b = _registered(h, OTHER_CITIZEN, "giay_to.png", 2)
    h.approve(doc_a)
    h.approve(doc_b)
    officer = h.auth("officer")
    # the fake pipeline reads "Nguyễn Thị Minh Hằng" on both papers
    for q in ("nguyen thi minh hang", "NGUYỄN thị", "hằng minh"):
        r = h.client.get("/api/v1/search/documents", params={"q": q}, headers=officer)
        assert r.status_code == 200, r.text
        body = r.json()
        assert {hit["document"]["id"] for hit in body["hits"]} == {doc_a, doc_b}, q
        assert all("Nguyễn Thị Minh Hằng" in hit["snippet"] for hit in body["hits"])
    # a citizen searching finds their own only, whatever they type
    for who, mine in ((CITIZEN, doc_a), (OTHER_CITIZEN, doc_b)):
        r = h.client.get(
            "/api/v1/search/documents",
            params={"q": "nguyen thi minh hang"},
            headers=h.auth("citizen", who),
        )
        assert [hit["document"]["id"] for hit in r.json()["hits"]] == [mine]
    r = h.client.get(
        "/api/v1/search/documents", params={"q": CITIZEN}, headers=h.auth("citizen", STRANGER)
    )
    assert r.status_code == 200 and r.json()["hits"] == [] and r.json()["total"] == 0
    assert CITIZEN not in r.text
    # dossiers: by the citizen's id number, by the code
    r = h.client.get("/api/v1/search/dossiers", params={"q": CITIZEN}, headers=officer)
    assert [hit["id"] for hit in r.json()["hits"]] == [dossier_a]
    code = h.client.get(f"/api/v1/dossiers/{dossier_a}", headers=officer).json()["code"]
    r = h.client.get("/api/v1/search/dossiers", params={"q": code}, headers=officer)
    assert [hit["id"] for hit in r.json()["hits"]] == [dossier_a]
    assert r.json()["hits"][0]["citizen_id_number"] == CITIZEN


def test_pages_and_bad_queries(embedded: Harness) -> None:
    h = embedded
    ids = {_registered(h, CITIZEN, f"to_{i}.png", 10 + i)[1] for i in range(3)}
    seen: list[str] = []
    page: int | None = 1
    while page is not None:
        r = h.client.get(
            "/api/v1/search/documents",
            params={"q": "minh hang", "page": page, "page_size": 2},
            headers=h.auth("clerk"),
        )
        body = r.json()
        assert body["total"] == 3 and len(body["hits"]) <= 2
        seen += [hit["document"]["id"] for hit in body["hits"]]
        page = body["next_page"]
    assert sorted(seen) == sorted(ids)
    for params in ({"q": "   "}, {"q": "?!"}, {}, {"q": "a" * 201}, {"q": "x", "page": 0}):
        r = h.client.get("/api/v1/search/documents", params=params, headers=h.auth("clerk"))
        assert r.status_code == 422, (params, r.text)
        assert r.json()["error"]["code"] == "invalid_input"


def test_hits_are_audited_without_the_query(embedded: Harness) -> None:
    h = embedded
    dossier, doc = _registered(h, CITIZEN, "giay.png", 30)
    q = "Nguyễn Thị Minh"
    rid = uuid.uuid4().hex
    r = h.client.get(
        "/api/v1/search/documents",
        params={"q": q, "dossier_id": dossier},
        headers={**h.auth("officer"), "X-Request-ID": rid},
    )
    assert r.status_code == 200
    [row] = _audit(h, rid)
    assert (row.action, row.actor, row.document_id, row.citizen_id_number) == (
        "search.documents",
        "officer-1",
        doc,
        CITIZEN,
    )
    assert row.detail["dossier_id"] == dossier
    rid = uuid.uuid4().hex
    h.client.get(
        "/api/v1/search/dossiers",
        params={"q": "không có ai"},
        headers={**h.auth("clerk"), "X-Request-ID": rid},
    )
    [nothing] = _audit(h, rid)  # a search that found no one is recorded too, naming no one
    assert (nothing.action, nothing.citizen_id_number, nothing.detail["results"]) == (
        "search.dossiers",
        None,
        0,
    )
    with session_scope(h.settings.effective_database_url) as s:
        stored = json.dumps([e.detail for e in s.scalars(select(AuditEvent))], ensure_ascii=False)
    for word in ("Minh", "minh", "không", "khong"):
        assert word not in stored
