"""Every endpoint × every kind of caller → the expected status; no one sees what is not theirs.

The routes are enumerated from the app itself, so a new endpoint without a row in MATRIX
fails ``test_every_route_has_a_matrix_row``. Callers: clerk, officer, the citizen who owns
the data (``owner``), another citizen (``other``), admin, no token, an expired token and a
token signed with another key.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from ocr_service.accounts import create_account
from storage.accounts import find_account
from storage.db import session_scope
from storage.models import AuditEvent
from tests.security.conftest import CITIZEN_A, CITIZEN_B, World, make_tokens

CALLERS = ("clerk", "officer", "owner", "other", "admin", "none", "expired", "foreign")
SUBJECTS = {
    "clerk": "clerk-lan",
    "officer": "officer-minh",
    "owner": CITIZEN_A,
    "other": CITIZEN_B,
    "admin": "admin-hai",
}


def api(
    clerk: int | set[int], officer: int, owner: int, other: int, admin: int
) -> dict[str, set[int]]:
    """Expected statuses of an API endpoint; every unauthenticated caller gets 401."""
    row = {"clerk": clerk, "officer": officer, "owner": owner, "other": other, "admin": admin}
    out = {k: (v if isinstance(v, set) else {v}) for k, v in row.items()}
    out.update({k: {401} for k in ("none", "expired", "foreign")})
    return out


def public(status: int = 200) -> dict[str, set[int]]:
    """Pages and docs carry no citizen data: anyone gets them."""
    return {k: {status} for k in CALLERS}


Request = Callable[[World], dict[str, Any]]


def _get(path: str) -> Request:
    return lambda w: {"method": "GET", "url": path.format(**w.ids)}


def _post(path: str, body: Callable[[World], Any] | None = None) -> Request:
    return lambda w: {
        "method": "POST",
        "url": path.format(**w.ids),
        **({"json": body(w)} if body else {}),
    }


def _upload(w: World) -> dict[str, Any]:
    return {
        "method": "POST",
        "url": f"/api/v1/dossiers/{w.ids['dossier_a']}/components",
        "files": {"file": ("scan.png", w.next_png(), "image/png")},
    }


def _patch(w: World) -> dict[str, Any]:
    return {
        "method": "PATCH",
        "url": f"/api/v1/documents/{w.ids['document_a']}",
        "json": {"fields": {"full_name": "Nguyễn Thị Minh Hằng"}},
    }


def _card_photo(w: World) -> dict[str, Any]:
    """A photo with no QR code on it: the clerk is told so (422), anyone else refused first."""
    return {
        "method": "POST",
        "url": "/api/v1/citizens/card-qr/photo",
        "files": {"file": ("card.png", w.next_png(), "image/png")},
    }


def _logout(w: World) -> dict[str, Any]:
    """Sign-out revokes the caller's token: every caller gets fresh tokens first, so the one
    revoked is never one that later rows or tests use."""
    w.tokens = make_tokens(w.settings)
    return {"method": "POST", "url": "/api/v1/auth/logout"}


def _account(action: str, body: dict[str, Any] | None = None) -> Request:
    """A route on the staff account ``canbo.matrix`` (made on first use)."""

    def make(w: World) -> dict[str, Any]:
        with session_scope(w.settings.effective_database_url) as s:
            if find_account(s, username="canbo.matrix") is None:
                create_account(
                    s, w.settings, username="canbo.matrix", role="clerk", password="x" * 12, by="t"
                )
        url = f"/api/v1/accounts/canbo.matrix/{action}"
        return {"method": "POST", "url": url, **({"json": body} if body else {})}

    return make


def _new_account(w: World) -> dict[str, Any]:
    username = f"canbo.{uuid.uuid4().hex[:8]}"
    body = {"username": username, "role": "officer", "password": "mat-khau-ma-tran"}
    return {"method": "POST", "url": "/api/v1/accounts", "json": body}


# (method, route template) → (how to call it on citizen A's data, expected statuses per caller)
MATRIX: dict[tuple[str, str], tuple[Request, dict[str, set[int]]]] = {
    ("GET", "/api/v1/me"): (_get("/api/v1/me"), api(200, 200, 200, 200, 200)),
    ("POST", "/api/v1/dossiers"): (
        _post(
            "/api/v1/dossiers",
            lambda w: {"procedure_code": "1.001612", "citizen_id_number": CITIZEN_A},
        ),
        api(201, 403, 404, 404, 403),
    ),
    ("GET", "/api/v1/dossiers"): (_get("/api/v1/dossiers"), api(200, 200, 404, 404, 403)),
    ("GET", "/api/v1/dossiers/{dossier_id}"): (
        _get("/api/v1/dossiers/{dossier_a}"),
        api(200, 200, 404, 404, 403),
    ),
    ("POST", "/api/v1/dossiers/{dossier_id}/components"): (_upload, api(202, 403, 404, 404, 403)),
    ("POST", "/api/v1/dossiers/{dossier_id}/approve-verified"): (
        _post("/api/v1/dossiers/{dossier_a}/approve-verified"),
        api(200, 403, 404, 404, 403),  # A's document is approved already: nothing more to do
    ),
    ("GET", "/api/v1/worklist"): (_get("/api/v1/worklist"), api(200, 200, 404, 404, 403)),
    ("GET", "/api/v1/dossiers/{dossier_id}/checklist"): (
        _get("/api/v1/dossiers/{dossier_a}/checklist"),
        api(200, 200, 404, 404, 403),
    ),
    ("POST", "/api/v1/dossiers/{dossier_id}/reuses"): (
        _post(
            "/api/v1/dossiers/{dossier_a}/reuses",
            lambda w: {"digitization_code": w.ids["code_a"]},
        ),
        api(409, 409, 404, 404, 403),  # staff may reuse; A's paper came in this very dossier
    ),
    ("GET", "/api/v1/procedures"): (_get("/api/v1/procedures"), api(200, 200, 200, 200, 200)),
    ("GET", "/api/v1/dossiers/{dossier_id}/receipt"): (
        _get("/api/v1/dossiers/{dossier_a}/receipt"),
        api(200, 200, 404, 404, 403),
    ),
    ("GET", "/api/v1/components/{component_id}"): (
        _get("/api/v1/components/{component_a}"),
        api(200, 200, 404, 404, 403),
    ),
    ("GET", "/api/v1/components/{component_id}/pages/{page}/image"): (
        _get("/api/v1/components/{component_a}/pages/1/image"),
        api(200, 200, 404, 404, 403),
    ),
    ("POST", "/api/v1/components/{component_id}/retry"): (
        _post("/api/v1/components/{component_a}/retry"),
        api(409, 403, 404, 404, 403),  # the clerk may retry, but this component is done
    ),
    ("GET", "/api/v1/documents/{document_id}"): (
        _get("/api/v1/documents/{document_a}"),
        api(200, 200, 200, 404, 403),
    ),
    ("GET", "/api/v1/documents/{document_id}/file"): (
        _get("/api/v1/documents/{document_a}/file"),
        api(200, 200, 200, 404, 403),
    ),
    ("PATCH", "/api/v1/documents/{document_id}"): (_patch, api(200, 403, 404, 404, 403)),
    ("POST", "/api/v1/documents/{document_id}/approve"): (
        _post("/api/v1/documents/{document_a}/approve"),
        api({200, 409}, 403, 404, 404, 403),
    ),
    ("GET", "/api/v1/documents/{document_id}/register"): (
        _get("/api/v1/documents/{document_a}/register"),
        api(200, 200, 404, 404, 403),  # staff only: the register's values beside the paper's
    ),
    ("POST", "/api/v1/documents/{document_id}/sign"): (
        _post("/api/v1/documents/{document_a}/sign"),
        api(409, 403, 404, 404, 403),  # the clerk may sign, but A's copy is signed already
    ),
    ("GET", "/api/v1/documents/{document_id}/qr"): (
        _get("/api/v1/documents/{document_a}/qr"),
        api(200, 200, 200, 404, 403),
    ),
    ("POST", "/api/v1/documents/{document_id}/reuse"): (
        _post("/api/v1/documents/{document_a}/reuse", lambda w: {"dossier_id": w.ids["dossier_b"]}),
        api(201, 201, 404, 404, 403),
    ),
    ("GET", "/api/v1/documents/{document_id}/reuses"): (
        _get("/api/v1/documents/{document_a}/reuses"),
        api(200, 200, 200, 404, 403),
    ),
    ("GET", "/api/v1/citizens/{id_number}/documents"): (
        _get(f"/api/v1/citizens/{CITIZEN_A}/documents"),
        api(200, 200, 200, 404, 403),
    ),
    # intake: the register's name and date of birth, the card's QR code (as text or photo)
    ("GET", "/api/v1/citizens/{id_number}/register"): (
        _get(f"/api/v1/citizens/{CITIZEN_A}/register"),
        api(200, 403, 404, 404, 403),
    ),
    ("POST", "/api/v1/citizens/card-qr"): (
        _post("/api/v1/citizens/card-qr", lambda w: {"payload": f"{CITIZEN_B}||B|01012001|Nữ"}),
        api(200, 403, 404, 404, 403),
    ),
    ("POST", "/api/v1/citizens/card-qr/photo"): (_card_photo, api(422, 403, 404, 404, 403)),
    ("POST", "/api/v1/documents/{document_id}/subjects/{id_number}/confirm"): (
        _post(
            f"/api/v1/documents/{{document_a}}/subjects/{CITIZEN_A}/confirm",
            lambda w: {"relation": "spouse"},
        ),
        api(409, 403, 404, 404, 403),  # the clerk may confirm; A is confirmed by intake
    ),
    # search: staff find anyone's; a citizen only their own (B searching A's id finds nothing)
    ("GET", "/api/v1/search/documents"): (
        _get(f"/api/v1/search/documents?q={CITIZEN_A}"),
        api(200, 200, 200, 200, 403),
    ),
    ("GET", "/api/v1/search/dossiers"): (
        _get(f"/api/v1/search/dossiers?q={CITIZEN_A}"),
        api(200, 200, 404, 404, 403),
    ),
    ("GET", "/api/v1/audit"): (_get("/api/v1/audit"), api(403, 403, 404, 404, 200)),
    ("POST", "/api/v1/auth/logout"): (_logout, api(204, 204, 204, 204, 204)),
    ("POST", "/api/v1/auth/revoke"): (
        _post("/api/v1/auth/revoke", lambda w: {"subject": "someone-who-left"}),
        api(403, 403, 404, 404, 200),
    ),
    ("GET", "/api/v1/accounts"): (_get("/api/v1/accounts"), api(403, 403, 404, 404, 200)),
    ("POST", "/api/v1/accounts"): (_new_account, api(403, 403, 404, 404, 201)),
    ("POST", "/api/v1/accounts/{username}/disable"): (
        _account("disable"),
        api(403, 403, 404, 404, 200),
    ),
    ("POST", "/api/v1/accounts/{username}/enable"): (
        _account("enable"),
        api(403, 403, 404, 404, 200),
    ),
    ("POST", "/api/v1/accounts/{username}/password"): (
        _account("password", {"password": "mat-khau-moi-ma-tran"}),
        api(403, 403, 404, 404, 200),
    ),
    # a one-time code for the citizen to open their store on the pages: the clerk issues it
    ("POST", "/api/v1/citizens/{id_number}/access-codes"): (
        _post(f"/api/v1/citizens/{CITIZEN_A}/access-codes"),
        api(201, 403, 404, 404, 403),
    ),
    # a citizen's own access log; staff have none (the admin reads anyone's at /audit)
    ("GET", "/api/v1/me/access-log"): (_get("/api/v1/me/access-log"), api(403, 403, 200, 200, 403)),
    # not API: the docs, health and the web pages' shells (they fetch data with the token)
    ("GET", "/openapi.json"): (_get("/openapi.json"), public()),
    ("GET", "/docs"): (_get("/docs"), public()),
    ("GET", "/docs/oauth2-redirect"): (_get("/docs/oauth2-redirect"), public()),
    ("GET", "/redoc"): (_get("/redoc"), public()),
    ("GET", "/healthz"): (_get("/healthz"), public()),
    ("GET", "/"): (_get("/"), public(307)),
    ("GET", "/dang-nhap"): (_get("/dang-nhap"), public()),
    ("GET", "/dang-nhap/cong-dan"): (_get("/dang-nhap/cong-dan"), public()),
    # the sign-in and sign-out forms: without the page's CSRF token nothing is tried
    ("POST", "/dang-nhap"): (
        lambda w: {
            "method": "POST",
            "url": "/dang-nhap",
            "data": {"username": "a", "password": "b"},
        },
        public(403),
    ),
    ("POST", "/dang-nhap/cong-dan"): (
        lambda w: {
            "method": "POST",
            "url": "/dang-nhap/cong-dan",
            "data": {"id_number": CITIZEN_A, "code": "AAAA-AAAA"},
        },
        public(403),
    ),
    # no page session to end (bearer callers): the cookies are cleared, back to the login page
    ("POST", "/dang-xuat"): (_post("/dang-xuat"), public(303)),
    ("GET", "/quan-tri/tai-khoan"): (_get("/quan-tri/tai-khoan"), public()),
    ("GET", "/tiep-nhan"): (_get("/tiep-nhan"), public()),
    ("GET", "/hom-nay"): (_get("/hom-nay"), public()),
    ("GET", "/ho-so/{dossier_id}"): (_get("/ho-so/{dossier_a}"), public()),
    ("GET", "/thanh-phan/{component_id}"): (_get("/thanh-phan/{component_a}"), public()),
    ("GET", "/tai-su-dung"): (_get("/tai-su-dung"), public()),
    ("GET", "/kho-du-lieu"): (_get("/kho-du-lieu"), public()),
    ("GET", "/nhat-ky"): (_get("/nhat-ky"), public()),
    ("GET", "/assets/{name}"): (_get("/assets/sohoa.css"), public()),
}


def _walk(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for route in routes:
        if hasattr(route, "original_router"):  # FastAPI ≥ 0.16x keeps included routers
            ctx = getattr(route, "include_context", None)
            yield from _walk(
                route.original_router.routes, prefix + (getattr(ctx, "prefix", "") or "")
            )
        elif hasattr(route, "routes") and not hasattr(route, "methods"):  # a Mount
            yield from _walk(route.routes, prefix + getattr(route, "path", ""))
        else:
            for method in getattr(route, "methods", None) or ():
                if method != "HEAD":
                    yield method, prefix + route.path


def app_endpoints(w: World) -> set[tuple[str, str]]:
    found = set(_walk(list(w.client.app.routes)))  # type: ignore[attr-defined]
    spec = w.client.get("/openapi.json").json()
    for path, item in spec["paths"].items():
        found |= {(m.upper(), path) for m in item if m in ("get", "post", "put", "patch", "delete")}
    return found


def test_every_route_has_a_matrix_row(world: World) -> None:
    endpoints = app_endpoints(world)
    missing = sorted(endpoints - set(MATRIX))
    assert not missing, f"endpoints without an authorisation matrix row: {missing}"
    stale = sorted(set(MATRIX) - endpoints)
    assert not stale, f"matrix rows for endpoints that no longer exist: {stale}"


def _audit_count(w: World, citizen: str) -> tuple[int, str | None]:
    with session_scope(w.settings.effective_database_url) as s:
        n = s.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.citizen_id_number == citizen)
        )
        last = s.scalar(
            select(AuditEvent.actor)
            .where(AuditEvent.citizen_id_number == citizen)
            .order_by(AuditEvent.id.desc())
            .limit(1)
        )
    return int(n or 0), last


def _mentions_a(w: World, content: bytes) -> bool:
    markers = (CITIZEN_A, w.ids["document_a"], w.ids["code_a"])
    return any(m.encode() in content for m in markers)


@pytest.mark.parametrize("endpoint", sorted(MATRIX), ids=lambda e: f"{e[0]} {e[1]}")
def test_authorisation_matrix(world: World, endpoint: tuple[str, str]) -> None:
    w = world
    make, expected = MATRIX[endpoint]
    for caller in CALLERS:
        request = make(w)
        audit_before = _audit_count(w, CITIZEN_A)[0]
        r = w.client.request(headers=w.headers(caller), follow_redirects=False, **request)
        assert r.status_code in expected[caller], (caller, endpoint, r.status_code, r.text[:300])
        is_api = endpoint[1].startswith("/api/")
        if is_api and r.status_code >= 400:
            error = r.json()["error"]
            assert error["code"] and error["message"]
        if r.status_code >= 400 or caller == "other" or not is_api:
            # a refusal, another citizen and the public pages never carry A's data
            assert not _mentions_a(w, r.content), (caller, endpoint, r.text[:300])
        if (
            is_api
            and endpoint[0] == "GET"
            and r.status_code == 200
            and endpoint[1] not in ("/api/v1/audit", "/api/v1/me")
            and (
                _mentions_a(w, r.content)
                or r.headers["content-type"].startswith(("image/", "application/pdf"))
            )
        ):
            # every read of a citizen's document leaves an audit row naming the reader
            count, actor = _audit_count(w, CITIZEN_A)
            assert count > audit_before, (
                f"{caller} read A's data at {endpoint} without an audit row"
            )
            assert actor == SUBJECTS[caller]


ID_ROUTES = [
    "/api/v1/dossiers/{id}",
    "/api/v1/components/{id}",
    "/api/v1/components/{id}/pages/1/image",
    "/api/v1/documents/{id}",
    "/api/v1/documents/{id}/file",
    "/api/v1/documents/{id}/qr",
    "/api/v1/documents/{id}/reuses",
    "/api/v1/documents/{id}/register",
]


def test_another_citizen_learns_nothing_by_any_id(world: World) -> None:
    """IDOR: B asking for A's ids gets exactly what B gets for ids that do not exist."""
    w = world
    ids_of_a = [w.ids[k] for k in ("dossier_a", "component_a", "document_a")] + [CITIZEN_A]
    for template in ID_ROUTES:
        for id_ in ids_of_a:
            for use_cookie in (False, True):
                url = template.format(id=id_)
                ghost = template.format(id=uuid.uuid4().hex)
                if use_cookie:  # the web pages' <a>/<img> path
                    w.client.cookies.set("sohoa_token", str(w.tokens["other"]))
                    got, none = w.client.get(url), w.client.get(ghost)
                    w.client.cookies.clear()
                else:
                    got = w.client.get(url, headers=w.headers("other"))
                    none = w.client.get(ghost, headers=w.headers("other"))
                assert got.status_code == 404, (url, got.text)
                assert got.json() == none.json(), (url, got.text, none.text)
                assert not _mentions_a(w, got.content)
    # the citizen store of A, by id number, in every spelling a router might accept
    for number in (CITIZEN_A, f"{CITIZEN_A}/", f"{CITIZEN_A}%2F..%2F{CITIZEN_B}"):
        r = w.client.get(f"/api/v1/citizens/{number}/documents", headers=w.headers("other"))
        assert r.status_code == 404 and not _mentions_a(w, r.content), (number, r.text)
    # B's own store holds only B's documents
    mine = w.client.get(
        f"/api/v1/citizens/{CITIZEN_B}/documents", headers=w.headers("other")
    ).json()
    assert mine["documents"] and {d["citizen_id_number"] for d in mine["documents"]} == {CITIZEN_B}
    assert not _mentions_a(w, json.dumps(mine, ensure_ascii=False).encode())


def test_static_assets_do_not_walk_out_of_their_folder(world: World) -> None:
    for name in ("..%2Froutes.py", "..%2F..%2Fsettings.py", "%2Fetc%2Fpasswd", "....%2F%2Fapp.py"):
        r = world.client.get(f"/assets/{name}")
        assert r.status_code in (400, 404), (name, r.status_code)
        assert b"root:" not in r.content and b"import " not in r.content
