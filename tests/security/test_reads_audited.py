"""Every read of a citizen's data leaves an audit row (issue #17, items 7 and 14).

``READS`` names every GET route that shows personal data, with the action its audit row
carries and the dossier it serves (the read's purpose); ``test_the_list_covers_every_get_route``
fails when a GET route is neither in it nor in the short list of routes that show none, so a
new route cannot slip by unaudited. Each read is then made by every caller allowed to make it,
with its own request id, and must leave exactly one row for citizen A naming the action, the
reader and the dossier served.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from storage.db import session_scope
from storage.models import AuditEvent
from tests.hostile.corpus import good_png
from tests.security.conftest import CITIZEN_A, World
from tests.security.test_authorization_matrix import SUBJECTS, app_endpoints

ROLE = {"clerk": "clerk", "officer": "officer", "owner": "citizen", "admin": "admin"}
STAFF = ("clerk", "officer")


@dataclass(frozen=True)
class Read:
    url: str  # formatted with the world's ids
    action: str
    callers: tuple[str, ...]
    served: str | None  # the world id of the dossier the row names; None: none
    purpose: bool = False  # staff may name the dossier they serve (?dossier_id=)


READS: dict[str, Read] = {
    "/api/v1/dossiers": Read("/api/v1/dossiers", "dossier.list", STAFF, "dossier_a"),
    "/api/v1/dossiers/{dossier_id}": Read(
        "/api/v1/dossiers/{dossier_a}", "dossier.read", STAFF, "dossier_a"
    ),
    "/api/v1/worklist": Read("/api/v1/worklist", "worklist.read", STAFF, "dossier_a"),
    "/api/v1/dossiers/{dossier_id}/receipt": Read(
        "/api/v1/dossiers/{dossier_a}/receipt", "dossier.receipt", STAFF, "dossier_a"
    ),
    "/api/v1/dossiers/{dossier_id}/checklist": Read(
        "/api/v1/dossiers/{dossier_a}/checklist", "dossier.checklist", STAFF, "dossier_a"
    ),
    "/api/v1/components/{component_id}": Read(
        "/api/v1/components/{component_a}", "component.read", STAFF, "dossier_a"
    ),
    "/api/v1/components/{component_id}/pages/{page}/image": Read(
        "/api/v1/components/{component_a}/pages/1/image", "page.read", STAFF, "dossier_a"
    ),
    "/api/v1/documents/{document_id}": Read(
        "/api/v1/documents/{document_a}", "document.read", (*STAFF, "owner"), None, True
    ),
    "/api/v1/documents/{document_id}/file": Read(
        "/api/v1/documents/{document_a}/file", "document.file", (*STAFF, "owner"), None, True
    ),
    "/api/v1/documents/{document_id}/qr": Read(
        "/api/v1/documents/{document_a}/qr", "document.qr", (*STAFF, "owner"), None, True
    ),
    "/api/v1/documents/{document_id}/reuses": Read(
        "/api/v1/documents/{document_a}/reuses", "document.reuses", (*STAFF, "owner"), None, True
    ),
    "/api/v1/documents/{document_id}/register": Read(
        "/api/v1/documents/{document_a}/register", "document.register", STAFF, "dossier_a", True
    ),
    "/api/v1/citizens/{id_number}/documents": Read(
        f"/api/v1/citizens/{CITIZEN_A}/documents", "document.list", (*STAFF, "owner"), None, True
    ),
    "/api/v1/citizens/{id_number}/register": Read(
        f"/api/v1/citizens/{CITIZEN_A}/register", "citizen.register", ("clerk",), None
    ),
    # found by a search: each hit shown is a read (the query is not kept, see test_search)
    "/api/v1/search/documents": Read(
        f"/api/v1/search/documents?q={CITIZEN_A}", "search.documents", (*STAFF, "owner"), None, True
    ),
    "/api/v1/search/dossiers": Read(
        f"/api/v1/search/dossiers?q={CITIZEN_A}", "search.dossiers", STAFF, "dossier_a"
    ),
    "/api/v1/audit": Read(
        f"/api/v1/audit?citizen_id_number={CITIZEN_A}&limit=7", "audit.read", ("admin",), None
    ),
    "/api/v1/me/access-log": Read("/api/v1/me/access-log", "access_log.read", ("owner",), None),
}
# GET routes that show no one's stored data, and why
NOT_PERSONAL = {
    "/api/v1/me": "the caller's own token claims; nothing is read from the store",
    "/api/v1/accounts": "staff accounts (user names, roles, sign-in times), admin only: no "
    "citizen's data",
    "/api/v1/procedures": "the procedure catalogue, the same for everyone",
    "/openapi.json": "the API's description",
    "/docs": "the API's documentation page",
    "/docs/oauth2-redirect": "part of the documentation page",
    "/redoc": "the API's documentation page",
    "/healthz": "health",
    "/assets/{name}": "static scripts and styles",
    "/": "a redirect to the sign-in page",
    # the pages are shells: their scripts fetch every datum from the API routes above
    "/dang-nhap": "page shell",
    "/dang-nhap/cong-dan": "page shell",
    "/quan-tri/tai-khoan": "page shell",
    "/tiep-nhan": "page shell",
    "/hom-nay": "page shell",
    "/ho-so/{dossier_id}": "page shell",
    "/thanh-phan/{component_id}": "page shell",
    "/tai-su-dung": "page shell",
    "/kho-du-lieu": "page shell",
    "/nhat-ky": "page shell",
}


def _rows(w: World, request_id: str) -> list[AuditEvent]:
    with session_scope(w.settings.effective_database_url) as s:
        rows = list(s.scalars(select(AuditEvent).where(AuditEvent.request_id == request_id)))
        s.expunge_all()
    return rows


def _read(w: World, caller: str, url: str) -> tuple[Any, list[AuditEvent]]:
    rid = uuid.uuid4().hex
    r = w.client.get(url, headers={**w.headers(caller), "X-Request-ID": rid})
    assert r.status_code == 200, (caller, url, r.text[:300])
    return r, _rows(w, rid)


def test_the_list_covers_every_get_route(world: World) -> None:
    gets = {path for method, path in app_endpoints(world) if method == "GET"}
    spec = world.client.get("/openapi.json").json()
    gets |= {path for path, item in spec["paths"].items() if "get" in item}
    missing = sorted(gets - set(READS) - set(NOT_PERSONAL))
    assert not missing, (
        f"GET routes neither audited here nor declared without personal data: {missing}"
    )
    assert not set(READS) & set(NOT_PERSONAL)
    stale = sorted((set(READS) | set(NOT_PERSONAL)) - gets)
    assert not stale, f"no such GET routes any more: {stale}"


def test_every_read_of_personal_data_leaves_one_row_per_citizen_shown(world: World) -> None:
    w = world
    audited = 0
    for route, read in READS.items():
        for caller in read.callers:
            purposes: list[str | None] = [None]
            if read.purpose and caller in STAFF:
                purposes.append("dossier_b")  # the officer serves B's dossier with A's paper
            for purpose in purposes:
                url = read.url.format(**w.ids)
                if purpose:
                    url += ("&" if "?" in url else "?") + f"dossier_id={w.ids[purpose]}"
                _, rows = _read(w, caller, url)
                where = (route, caller, purpose)
                assert rows, f"no audit row: {where}"
                for row in rows:
                    assert (row.action, row.actor, row.role) == (
                        read.action,
                        SUBJECTS[caller],
                        ROLE[caller],
                    ), where
                [row] = [r for r in rows if r.citizen_id_number == CITIZEN_A]  # exactly one
                served = purpose or read.served
                assert row.detail.get("dossier_id") == (w.ids[served] if served else None), where
                audited += 1
    assert audited == 53  # 18 routes, 39 (route, caller) pairs, 14 of them also with a purpose


def test_the_admins_read_of_the_log_names_its_filters(world: World) -> None:
    _, [row] = _read(world, "admin", f"/api/v1/audit?citizen_id_number={CITIZEN_A}&limit=7")
    assert row.citizen_id_number == CITIZEN_A
    assert row.detail["filters"] == {"citizen_id_number": CITIZEN_A, "limit": 7}
    body, [row] = _read(world, "admin", "/api/v1/audit")
    assert row.citizen_id_number is None
    assert row.detail["filters"] == {"citizen_id_number": None, "limit": 200}
    # written after the read: the answer does not contain its own row
    assert row.request_id not in {e["request_id"] for e in body.json()["events"]}


def test_reads_that_show_no_document_are_audited_too(world: World) -> None:
    """A dossier without documents still shows its citizen; a failed component its file name
    and OCR text; a lookup that finds nothing tells that the citizen has nothing here."""
    w = world
    citizen = "036085000999"
    clerk = w.headers("clerk")
    dossier = w.client.post(
        "/api/v1/dossiers",
        json={"procedure_code": "1.001612", "citizen_id_number": citizen},
        headers=clerk,
    ).json()["id"]
    _, rows = _read(w, "officer", "/api/v1/dossiers?status=empty")
    assert [r.action for r in rows if r.citizen_id_number == citizen] == ["dossier.list"]
    r = w.client.post(
        f"/api/v1/dossiers/{dossier}/components",
        files={"file": ("fail-permanent.png", good_png(seed=4242), "image/png")},
        headers=clerk,
    )
    failed = w.wait(r.json()["id"])
    assert failed["status"] == "failed" and not failed["documents"]
    _, rows = _read(w, "clerk", f"/api/v1/components/{failed['id']}")
    [row] = rows
    assert (row.action, row.citizen_id_number) == ("component.read", citizen)
    assert row.detail["dossier_id"] == dossier
    _, rows = _read(w, "officer", f"/api/v1/citizens/{citizen}/documents")
    [row] = rows
    assert (row.action, row.citizen_id_number, row.document_id) == ("document.list", citizen, None)


def test_a_purpose_that_names_no_dossier_is_refused_and_a_citizens_is_ignored(
    world: World,
) -> None:
    w = world
    url = f"/api/v1/documents/{w.ids['document_a']}?dossier_id=nope"
    r = w.client.get(url, headers=w.headers("officer"))
    assert r.status_code == 422 and "dossier_id" in r.json()["error"]["message"]
    _, [row] = _read(w, "owner", url)  # a citizen serves no dossier: not recorded, not checked
    assert "dossier_id" not in row.detail
