"""Tokens have a maximum lifetime and can be revoked: sign-out ends the token that made the
request; an administrator ends every session of a user; revocations live in the database."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pydantic import SecretStr, ValidationError
from sqlalchemy import select

from core.errors import AuthenticationError, InvalidInputError
from core.settings import Settings
from ocr_service.api import create_app
from ocr_service.auth import decode_token, issue_token
from ocr_service.cli import cli
from storage.db import session_scope
from storage.models import AuditEvent

SECRET = "token-limits-secret-0123456789abcdef0123"
CITIZEN = "001192012345"


def _settings(data: Path) -> Settings:
    return Settings(data_dir=data, secret_key=SecretStr(SECRET))


@pytest.fixture
def app(tmp_path: Path) -> Iterator[tuple[TestClient, Settings]]:
    settings = _settings(tmp_path / "data")
    with TestClient(create_app(settings, extractor="workers.faults:extract", backoff=[0])) as c:
        yield c, settings


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _signed(**claims: Any) -> str:
    return jwt.encode(claims, SECRET, algorithm="HS256")


def test_a_correctly_signed_token_living_past_the_maximum_is_refused(
    app: tuple[TestClient, Settings],
) -> None:
    client, settings = app
    now = int(time.time())
    base = {"sub": "admin-hai", "role": "admin", "iat": now, "jti": "a" * 32}
    year_9999 = 253402300799
    refused = {
        "exp in 9999": _signed(**{**base, "exp": year_9999}),
        "one second too long": _signed(**{**base, "exp": now + settings.token_max_ttl_seconds + 1}),
        "no iat": _signed(**{k: v for k, v in base.items() if k != "iat"}, exp=now + 60),
        "no exp": _signed(**base),
        "no jti": _signed(**{k: v for k, v in base.items() if k != "jti"}, exp=now + 60),
        "iat in the future": _signed(**{**base, "iat": year_9999 - 60, "exp": year_9999}),
    }
    for what, token in refused.items():
        with pytest.raises(AuthenticationError):
            decode_token(settings, token)
        r = client.get("/api/v1/me", headers=_bearer(token))
        assert r.status_code == 401, (what, r.text)
        assert r.json()["error"]["code"] == "unauthenticated"
    exactly = _signed(**{**base, "exp": now + settings.token_max_ttl_seconds})
    assert client.get("/api/v1/me", headers=_bearer(exactly)).status_code == 200


def test_issuing_refuses_lifetimes_above_the_maximum(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with pytest.raises(InvalidInputError, match="SOHOA_TOKEN_MAX_TTL_SECONDS"):
        issue_token(settings, role="clerk", subject="lan", ttl_seconds=10 * 365 * 86400)
    token = issue_token(
        settings, role="clerk", subject="lan", ttl_seconds=settings.token_max_ttl_seconds
    )
    assert decode_token(settings, token).subject == "lan"
    with pytest.raises(ValidationError, match="SOHOA_TOKEN_TTL_SECONDS"):
        Settings(data_dir=tmp_path, token_ttl_seconds=10**9)
    result = CliRunner().invoke(
        cli, ["token", "issue", "--role", "clerk", "--subject", "lan", "--ttl", str(10**9)]
    )
    assert result.exit_code == 2, result.output
    assert "SOHOA_TOKEN_MAX_TTL_SECONDS" in result.output and "eyJ" not in result.output


def test_sign_out_refuses_that_token_only(app: tuple[TestClient, Settings]) -> None:
    client, settings = app
    mine = issue_token(settings, role="citizen", subject=CITIZEN)
    other_device = issue_token(settings, role="citizen", subject=CITIZEN)
    assert client.get("/api/v1/me", headers=_bearer(mine)).status_code == 200
    r = client.post("/api/v1/auth/logout", headers=_bearer(mine))
    assert r.status_code == 204, r.text
    for attempt in (
        client.get("/api/v1/me", headers=_bearer(mine)),
        client.get(f"/api/v1/citizens/{CITIZEN}/documents", headers=_bearer(mine)),
        client.post("/api/v1/auth/logout", headers=_bearer(mine)),
    ):
        assert attempt.status_code == 401, attempt.text
    client.cookies.set("sohoa_token", mine)  # the pages' cookie path too
    try:
        assert client.get(f"/api/v1/citizens/{CITIZEN}/documents").status_code == 401
    finally:
        client.cookies.clear()
    assert client.get("/api/v1/me", headers=_bearer(other_device)).status_code == 200
    with session_scope(settings.effective_database_url) as s:
        actions = s.scalars(
            select(AuditEvent.action).where(AuditEvent.citizen_id_number == CITIZEN)
        ).all()
    assert "auth.logout" in actions


def test_an_admin_revokes_every_session_of_a_user(app: tuple[TestClient, Settings]) -> None:
    client, settings = app
    admin = _bearer(issue_token(settings, role="admin", subject="admin-hai"))
    phone = issue_token(settings, role="clerk", subject="clerk-lan")
    desk = issue_token(settings, role="clerk", subject="clerk-lan")
    colleague = issue_token(settings, role="clerk", subject="clerk-minh")
    r = client.post("/api/v1/auth/revoke", json={"subject": "clerk-lan"}, headers=_bearer(desk))
    assert r.status_code == 403  # only an administrator
    r = client.post("/api/v1/auth/revoke", json={"subject": "clerk-lan"}, headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["subject"] == "clerk-lan"
    for token in (phone, desk):
        assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401
    assert client.get("/api/v1/me", headers=_bearer(colleague)).status_code == 200
    time.sleep(1.1)  # tokens have whole-second iat; a new one after the revocation works
    fresh = issue_token(settings, role="clerk", subject="clerk-lan")
    assert client.get("/api/v1/me", headers=_bearer(fresh)).status_code == 200
    with session_scope(settings.effective_database_url) as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "auth.revoke")).all()
    assert [(e.actor, e.detail["subject"]) for e in events] == [("admin-hai", "clerk-lan")]
    for body in ({"subject": ""}, {"subject": "x" * 201}, {"subject": "a\nb"}, {}):
        assert client.post("/api/v1/auth/revoke", json=body, headers=admin).status_code == 422


def test_revocations_survive_a_restart(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "data")
    token = issue_token(settings, role="officer", subject="officer-minh")
    revoked_user = issue_token(settings, role="clerk", subject="clerk-lan")
    admin = _bearer(issue_token(settings, role="admin", subject="admin-hai"))
    with TestClient(create_app(settings, extractor="workers.faults:extract")) as client:
        assert client.post("/api/v1/auth/logout", headers=_bearer(token)).status_code == 204
        r = client.post("/api/v1/auth/revoke", json={"subject": "clerk-lan"}, headers=admin)
        assert r.status_code == 200
    with TestClient(create_app(settings, extractor="workers.faults:extract")) as client:
        assert client.get("/api/v1/me", headers=_bearer(token)).status_code == 401
        assert client.get("/api/v1/me", headers=_bearer(revoked_user)).status_code == 401
