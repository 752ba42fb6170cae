"""``GET /dossiers?status=``: a rare status behind many newer dossiers is found, page by page."""

from __future__ import annotations

from typing import Any

from tests.api.service_env import Harness, png_bytes


def _list(h: Harness, **params: Any) -> dict[str, Any]:
    r = h.client.get("/api/v1/dossiers", params=params, headers=h.auth("clerk"))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_status_filter_counts_matches_and_pages_on(embedded: Harness) -> None:
    h = embedded
    failed = []
    for i in range(3):  # the oldest three fail (the fault pipeline refuses them for good)
        dossier = h.open_dossier()
        r = h.upload(dossier, "fail-permanent.png", png_bytes(seed=100 + i))
        assert h.wait(r.json()["id"])["status"] == "failed"
        failed.append(dossier)
    empty = [h.open_dossier() for _ in range(12)]  # newer, with no component

    first = _list(h, status="failed", limit=2)
    assert [d["id"] for d in first["dossiers"]] == failed[::-1][:2]
    assert all(d["status"] == "failed" for d in first["dossiers"])
    assert first["next_offset"] == 2
    second = _list(h, status="failed", limit=2, offset=first["next_offset"])
    assert [d["id"] for d in second["dossiers"]] == failed[:1]
    assert second["next_offset"] is None

    newest = _list(h, limit=5)
    assert [d["id"] for d in newest["dossiers"]] == empty[::-1][:5]
    assert newest["next_offset"] == 5
    assert _list(h, status="empty", limit=12)["next_offset"] is None
    assert _list(h, status="processing")["dossiers"] == []

    bad = h.client.get("/api/v1/dossiers?status=lost", headers=h.auth("clerk"))
    assert bad.status_code == 422
