"""The pages' sessions: sign-in forms, the cookies' flags, CSRF on every change made with the
session cookie, sign-out, the lock-out seen from the page, a citizen's one-time code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from pydantic import SecretStr
from sqlalchemy import select

from core.settings import Settings
from ocr_service.accounts import SIGN_IN_FAILED, create_account
from ocr_service.api import create_app
from ocr_service.auth import issue_token
from storage.db import session_scope
from storage.models import AuditEvent, WebSession

PASSWORD = "mat-khau-cua-lan-1"
CITIZEN = "001192012345"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        secret_key=SecretStr("page-session-tests-secret-0123456789abcdef"),
        login_max_failures=3,
        signing_backend="none",
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings, extractor="workers.faults:extract", backoff=[0])
    with session_scope(settings.effective_database_url) as db:
        for username, role in (("canbo.lan", "clerk"), ("quantri.hai", "admin")):
            create_account(db, settings, username=username, role=role, password=PASSWORD, by="t")
    with TestClient(app) as c:
        yield c


def _csrf(c: TestClient, path: str = "/dang-nhap") -> str:
    page = c.get(path)
    assert page.status_code == 200
    m = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert m is not None
    assert c.cookies.get("sohoa_csrf") == m.group(1)
    return m.group(1)


def _sign_in(c: TestClient, username: str = "canbo.lan", password: str = PASSWORD) -> Response:
    form = {"username": username, "password": password, "csrf_token": _csrf(c)}
    return c.post("/dang-nhap", data=form, follow_redirects=False)


def _set_cookies(r: Response) -> dict[str, str]:
    """Each Set-Cookie header of the response, by cookie name."""
    out = {}
    for header in r.headers.get_list("set-cookie"):
        name = SimpleCookie(header)
        out[next(iter(name))] = header
    return out


def _me_with(c: TestClient, token: str) -> int:
    """GET /api/v1/me from a browser holding only this session cookie (a replay)."""
    with TestClient(c.app, cookies={"sohoa_session": token}) as replay:  # type: ignore[arg-type]
        return replay.get("/api/v1/me").status_code


def _actions(settings: Settings) -> list[str]:
    with session_scope(settings.effective_database_url) as db:
        return [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_sign_in_sets_an_httponly_lax_session_cookie_and_a_readable_csrf_cookie(
    client: TestClient, settings: Settings
) -> None:
    r = _sign_in(client)
    assert r.status_code == 303 and r.headers["location"] == "/tiep-nhan"
    cookies = _set_cookies(r)
    session, csrf = cookies["sohoa_session"].lower(), cookies["sohoa_csrf"].lower()
    assert "httponly" in session and "samesite=lax" in session and "path=/" in session
    assert "httponly" not in csrf and "samesite=lax" in csrf
    assert "secure" not in session  # development over http; see the next test
    token = client.cookies["sohoa_session"]
    with session_scope(settings.effective_database_url) as db:
        rows = db.scalars(select(WebSession)).all()
        assert len(rows) == 1 and rows[0].id != token and token not in rows[0].id
    me = client.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["role"] == "clerk"
    assert me.json()["subject"] == "canbo.lan"
    page = client.get("/tiep-nhan").text
    assert 'data-session="1" data-role="clerk" data-subject="canbo.lan"' in page
    assert "auth.login" in _actions(settings)


def test_the_session_cookie_is_secure_by_setting_and_in_production(tmp_path: Path) -> None:
    assert not Settings(data_dir=tmp_path).cookies_secure
    assert Settings(data_dir=tmp_path, session_cookie_secure=True).cookies_secure
    production = Settings(
        data_dir=tmp_path,
        environment="production",
        secret_key=SecretStr("a-private-production-secret-0123456789"),
        agency_code="000.00.00.H29",
    )
    assert production.cookies_secure
    assert not production.model_copy(update={"session_cookie_secure": False}).cookies_secure


def test_the_secure_flag_reaches_the_cookie(settings: Settings) -> None:
    secure = settings.model_copy(update={"session_cookie_secure": True})
    app = create_app(secure, extractor="workers.faults:extract", backoff=[0])
    with session_scope(secure.effective_database_url) as db:
        create_account(db, secure, username="canbo.an", role="clerk", password=PASSWORD, by="t")
    with TestClient(app, base_url="https://testserver") as c:
        r = _sign_in(c, "canbo.an")
        assert r.status_code == 303
        cookies = _set_cookies(r)
        assert "secure" in cookies["sohoa_session"].lower()
        assert "secure" in cookies["sohoa_csrf"].lower()


def test_a_wrong_name_or_password_gets_one_message_and_no_session(client: TestClient) -> None:
    wrong = _sign_in(client, password="sai-mat-khau-9")
    unknown = _sign_in(client, username="khong.co.ai")
    for r in (wrong, unknown):
        assert r.status_code == 401 and SIGN_IN_FAILED in r.text
        assert "sohoa_session" not in _set_cookies(r)
    assert client.get("/api/v1/me").status_code == 401


def test_the_page_locks_out_after_the_maximum(client: TestClient, settings: Settings) -> None:
    for _ in range(3):
        assert _sign_in(client, password="sai-mat-khau-9").status_code == 401
    locked = _sign_in(client)  # the right password, but locked
    assert locked.status_code == 429 and "tạm bị khóa" in locked.text
    assert "sohoa_session" not in _set_cookies(locked)
    assert "auth.lockout" in _actions(settings)


def test_sign_in_without_the_csrf_token_is_refused(client: TestClient) -> None:
    _csrf(client)
    form = {"username": "canbo.lan", "password": PASSWORD}
    for extra in ({}, {"csrf_token": "forged"}):
        r = client.post("/dang-nhap", data={**form, **extra}, follow_redirects=False)
        assert r.status_code == 403 and "sohoa_session" not in _set_cookies(r)
    client.cookies.delete("sohoa_csrf")  # a page of another site cannot set or read it
    r = client.post("/dang-nhap", data={**form, "csrf_token": "forged"}, follow_redirects=False)
    assert r.status_code == 403


def test_changes_through_the_session_need_its_csrf_token(client: TestClient) -> None:
    _sign_in(client)
    body = {"procedure_code": "1.001612", "citizen_id_number": CITIZEN}
    refused = client.post("/api/v1/dossiers", json=body)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
    forged = client.post("/api/v1/dossiers", json=body, headers={"X-CSRF-Token": "x" * 64})
    assert forged.status_code == 403
    csrf = client.cookies["sohoa_csrf"]
    ok = client.post("/api/v1/dossiers", json=body, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 201, ok.text
    # reads need none: <img> and <a> send no header
    assert client.get("/api/v1/dossiers").status_code == 200


def test_a_csrf_token_of_another_session_is_refused(client: TestClient) -> None:
    """Cookie and header agree, but were taken from another session (e.g. the attacker's own,
    planted by a sibling domain): the token is bound to its session, so it fails."""
    _sign_in(client)
    mine, my_csrf = client.cookies["sohoa_session"], client.cookies["sohoa_csrf"]
    with TestClient(client.app) as other:  # type: ignore[arg-type]
        _sign_in(other, "quantri.hai")
        theirs = other.cookies["sohoa_csrf"]
    body = {"procedure_code": "1.001612", "citizen_id_number": CITIZEN}
    for csrf, expected in ((theirs, 403), (my_csrf, 201)):
        cookies = {"sohoa_session": mine, "sohoa_csrf": csrf}
        with TestClient(client.app, cookies=cookies) as c:  # type: ignore[arg-type]
            r = c.post("/api/v1/dossiers", json=body, headers={"X-CSRF-Token": csrf})
            assert r.status_code == expected, r.text


def test_bearer_tokens_need_no_csrf(client: TestClient, settings: Settings) -> None:
    token = issue_token(settings, role="clerk", subject="canbo.lan")
    body = {"procedure_code": "1.001612", "citizen_id_number": CITIZEN}
    r = client.post("/api/v1/dossiers", json=body, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201


def test_sign_out_ends_the_session_on_the_server(client: TestClient, settings: Settings) -> None:
    _sign_in(client)
    token = client.cookies["sohoa_session"]
    refused = client.post("/dang-xuat", data={}, follow_redirects=False)
    assert refused.status_code == 403
    assert client.get("/api/v1/me").status_code == 200  # still signed in
    r = client.post(
        "/dang-xuat", data={"csrf_token": client.cookies["sohoa_csrf"]}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/dang-nhap"
    cleared = _set_cookies(r)
    assert (
        'sohoa_session=""' in cleared["sohoa_session"]
        or "max-age=0" in cleared["sohoa_session"].lower()
    )
    assert _me_with(client, token) == 401  # the old cookie, replayed
    assert "auth.logout" in _actions(settings)


def test_the_api_logout_ends_a_page_session(client: TestClient) -> None:
    _sign_in(client)
    token = client.cookies["sohoa_session"]
    csrf = client.cookies["sohoa_csrf"]
    assert client.post("/api/v1/auth/logout").status_code == 403  # no CSRF token
    r = client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf})
    assert r.status_code == 204
    assert _me_with(client, token) == 401


def test_signing_in_again_ends_the_previous_session(client: TestClient) -> None:
    _sign_in(client)
    first = client.cookies["sohoa_session"]
    _sign_in(client)
    assert client.cookies["sohoa_session"] != first
    assert _me_with(client, first) == 401
    assert _me_with(client, client.cookies["sohoa_session"]) == 200


def test_disabling_an_account_ends_its_page_sessions(
    client: TestClient, settings: Settings
) -> None:
    _sign_in(client)
    assert client.get("/api/v1/me").status_code == 200
    admin = {
        "Authorization": "Bearer " + issue_token(settings, role="admin", subject="quantri.hai")
    }
    assert client.post("/api/v1/accounts/canbo.lan/disable", headers=admin).status_code == 200
    assert client.get("/api/v1/me").status_code == 401


def test_a_citizen_signs_in_with_a_code_once(client: TestClient, settings: Settings) -> None:
    clerk = {"Authorization": "Bearer " + issue_token(settings, role="clerk", subject="canbo.lan")}
    issued = client.post(f"/api/v1/citizens/{CITIZEN}/access-codes", headers=clerk)
    assert issued.status_code == 201
    code = issued.json()["code"]
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)

    def redeem(c: TestClient, value: str) -> Response:
        form = {"id_number": CITIZEN, "code": value, "csrf_token": _csrf(c, "/dang-nhap/cong-dan")}
        return c.post("/dang-nhap/cong-dan", data=form, follow_redirects=False)

    r = redeem(client, code)
    assert r.status_code == 303 and r.headers["location"] == "/kho-du-lieu"
    me = client.get("/api/v1/me").json()
    assert me["role"] == "citizen" and me["subject"] == CITIZEN
    with TestClient(client.app) as again:  # type: ignore[arg-type]
        reused = redeem(again, code)
        assert reused.status_code == 401 and "đã dùng" in reused.text
        assert "sohoa_session" not in _set_cookies(reused)
    actions = _actions(settings)
    assert {"citizen_code.issue", "citizen_code.redeem", "citizen_code.refused"} <= set(actions)
    # without the page's CSRF token, a code is not even tried
    with TestClient(client.app) as third:  # type: ignore[arg-type]
        form = {"id_number": CITIZEN, "code": code}
        assert third.post("/dang-nhap/cong-dan", data=form).status_code == 403


def test_a_lost_csrf_cookie_comes_back_bound_to_the_session(client: TestClient) -> None:
    _sign_in(client)
    bound = client.cookies["sohoa_csrf"]
    client.cookies.delete("sohoa_csrf")
    page = client.get("/tiep-nhan")
    assert _set_cookies(page)["sohoa_csrf"].startswith(f"sohoa_csrf={bound};")
    body = {"procedure_code": "1.001612", "citizen_id_number": CITIZEN}
    assert (
        client.post("/api/v1/dossiers", json=body, headers={"X-CSRF-Token": bound}).status_code
        == 201
    )
