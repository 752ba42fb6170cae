"""Staff accounts: the admin routes (/api/v1/accounts), `sohoa user`, passwords as argon2id."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from core.errors import AuthenticationError, InvalidInputError
from core.settings import Settings, get_settings
from ocr_service.accounts import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    authenticate,
    create_account,
)
from ocr_service.cli import cli
from storage.db import session_scope
from storage.models import AuditEvent, StaffAccount
from storage.repository import init_db
from tests.api.service_env import Harness

PASSWORD = "mat-khau-du-dai-1"


def _create(h: Harness, username: str = "canbo.lan", role: str = "clerk") -> dict[str, object]:
    r = h.client.post(
        "/api/v1/accounts",
        json={"username": username, "role": role, "password": PASSWORD},
        headers=h.auth("admin"),
    )
    assert r.status_code == 201, r.text
    body: dict[str, object] = r.json()
    return body


def _row(h: Harness, username: str) -> StaffAccount:
    with session_scope(h.settings.effective_database_url) as s:
        row = s.scalar(select(StaffAccount).where(StaffAccount.username == username))
        assert row is not None
        return row


def _actions(h: Harness) -> list[tuple[str, str, dict[str, object]]]:
    with session_scope(h.settings.effective_database_url) as s:
        rows = s.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        return [(r.action, r.actor, dict(r.detail)) for r in rows]


def test_admin_creates_lists_and_the_password_is_an_argon2id_hash(embedded: Harness) -> None:
    h = embedded
    body = _create(h, "CanBo.Lan")  # user names are kept in lower case
    assert body["username"] == "canbo.lan" and body["role"] == "clerk"
    assert body["disabled"] is False and body["created_by"] == "admin-1"
    assert PASSWORD not in str(body) and "argon2" not in str(body) and "password" not in body
    row = _row(h, "canbo.lan")
    assert row.password_hash.startswith("$argon2id$") and PASSWORD not in row.password_hash
    listed = h.client.get("/api/v1/accounts", headers=h.auth("admin")).json()["accounts"]
    assert [a["username"] for a in listed] == ["canbo.lan"]
    assert ("account.create", "admin-1", {"username": "canbo.lan"}) in _actions(h)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"username": "canbo.lan", "role": "clerk", "password": "short"}, 422),
        ({"username": "canbo.lan", "role": "citizen", "password": PASSWORD}, 422),
        ({"username": "079189935338", "role": "clerk", "password": PASSWORD}, 422),
        ({"username": "a b", "role": "clerk", "password": PASSWORD}, 422),
        ({"username": "canbo.lan", "role": "clerk", "password": PASSWORD, "x": 1}, 422),
        ({"username": "canbo.lan", "role": "clerk", "password": "p" * 129}, 422),
    ],
)
def test_bad_accounts_are_refused_with_the_json_error(
    embedded: Harness, body: dict[str, object], status: int
) -> None:
    r = embedded.client.post("/api/v1/accounts", json=body, headers=embedded.auth("admin"))
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == "invalid_input" and r.json()["error"]["message"]


def test_a_second_account_of_the_same_name_conflicts(embedded: Harness) -> None:
    _create(embedded)
    r = embedded.client.post(
        "/api/v1/accounts",
        json={"username": "CANBO.LAN", "role": "officer", "password": PASSWORD},
        headers=embedded.auth("admin"),
    )
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"


def test_disable_enable_and_reset(embedded: Harness) -> None:
    h = embedded
    _create(h)
    s = h.settings
    url = s.effective_database_url
    with session_scope(url) as db:
        assert authenticate(db, s, username="canbo.lan", password=PASSWORD).role == "clerk"
    r = h.client.post("/api/v1/accounts/canbo.lan/disable", headers=h.auth("admin"))
    assert r.status_code == 200 and r.json()["disabled"] is True
    with session_scope(url) as db, pytest.raises(AuthenticationError):
        authenticate(db, s, username="canbo.lan", password=PASSWORD)
    r = h.client.post("/api/v1/accounts/canbo.lan/enable", headers=h.auth("admin"))
    assert r.status_code == 200 and r.json()["disabled"] is False
    new = "mot-mat-khau-moi-2"
    r = h.client.post(
        "/api/v1/accounts/canbo.lan/password", json={"password": new}, headers=h.auth("admin")
    )
    assert r.status_code == 200, r.text
    with session_scope(url) as db, pytest.raises(AuthenticationError):
        authenticate(db, s, username="canbo.lan", password=PASSWORD)
    with session_scope(url) as db:
        assert authenticate(db, s, username="canbo.lan", password=new).username == "canbo.lan"
    actions = [a for a, _, _ in _actions(h)]
    for expected in ("account.disable", "account.enable", "account.password", "auth.login"):
        assert expected in actions
    for route in ("disable", "enable"):
        r = h.client.post(f"/api/v1/accounts/nobody/{route}", headers=h.auth("admin"))
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_an_admin_cannot_disable_themselves(embedded: Harness) -> None:
    h = embedded
    _create(h, "quantri.hai", "admin")
    r = h.client.post(
        "/api/v1/accounts/quantri.hai/disable", headers=h.auth("admin", "quantri.hai")
    )
    assert r.status_code == 409 and not _row(h, "quantri.hai").disabled


def test_disabling_ends_the_accounts_bearer_tokens(embedded: Harness) -> None:
    h = embedded
    _create(h)
    clerk = h.auth("clerk", "canbo.lan")
    assert h.client.get("/api/v1/me", headers=clerk).status_code == 200
    h.client.post("/api/v1/accounts/canbo.lan/disable", headers=h.auth("admin"))
    assert h.client.get("/api/v1/me", headers=clerk).status_code == 401


@pytest.mark.parametrize("role", ["clerk", "officer", "citizen"])
def test_only_an_admin_manages_accounts(embedded: Harness, role: str) -> None:
    h = embedded
    r = h.client.get("/api/v1/accounts", headers=h.auth(role))
    assert r.status_code == (404 if role == "citizen" else 403)
    r = h.client.post(
        "/api/v1/accounts",
        json={"username": "ke.gian", "role": "admin", "password": PASSWORD},
        headers=h.auth(role),
    )
    assert r.status_code == (404 if role == "citizen" else 403)
    assert h.client.get("/api/v1/accounts", headers=h.auth("admin")).json()["accounts"] == []


# --- `sohoa user` ------------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in ("SOHOA_ENVIRONMENT", "SOHOA_DATABASE_URL", "SOHOA_REDIS_URL", "SOHOA_S3_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SOHOA_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def _sign_in(data: Path, username: str, password: str) -> str:
    settings = Settings(data_dir=data)
    with session_scope(settings.effective_database_url) as db:
        return authenticate(db, settings, username=username, password=password).role


def test_user_cli_add_list_disable_enable_password(cli_env: Path) -> None:
    run = CliRunner().invoke
    r = run(cli, ["user", "add", "xuly.minh", "--role", "officer", "--password", PASSWORD])
    assert r.exit_code == 0, r.output
    assert _sign_in(cli_env, "xuly.minh", PASSWORD) == "officer"
    r = run(cli, ["user", "list"])
    assert r.exit_code == 0 and "xuly.minh\tofficer\tactive" in r.output
    assert run(cli, ["user", "disable", "xuly.minh"]).exit_code == 0
    assert "xuly.minh\tofficer\tdisabled" in run(cli, ["user", "list"]).output
    with pytest.raises(AuthenticationError):
        _sign_in(cli_env, "xuly.minh", PASSWORD)
    assert run(cli, ["user", "enable", "xuly.minh"]).exit_code == 0
    # the password asked for on the terminal, twice
    r = run(cli, ["user", "password", "xuly.minh"], input="mat-khau-moi-3\nmat-khau-moi-3\n")
    assert r.exit_code == 0, r.output
    assert _sign_in(cli_env, "xuly.minh", "mat-khau-moi-3") == "officer"
    settings = Settings(data_dir=cli_env)
    with session_scope(settings.effective_database_url) as db:
        actions = [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions.count("account.create") == 1 and "account.password" in actions


@pytest.mark.parametrize(
    "args",
    [
        ["user", "add", "x", "--role", "clerk", "--password", PASSWORD],  # name too short
        ["user", "add", "canbo.an", "--role", "clerk", "--password", "ngan"],  # password too short
        ["user", "disable", "nobody"],
        ["user", "password", "nobody", "--password", PASSWORD],
    ],
)
def test_user_cli_bad_input_exits_2(cli_env: Path, args: list[str]) -> None:
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 2, r.output
    assert "error:" in r.output


def test_user_cli_duplicate_exits_2(cli_env: Path) -> None:
    args = ["user", "add", "canbo.an", "--role", "clerk", "--password", PASSWORD]
    assert CliRunner().invoke(cli, args).exit_code == 0
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 2 and "exists already" in r.output


def test_user_demo_creates_one_account_per_role_and_keeps_them(cli_env: Path) -> None:
    r = CliRunner().invoke(cli, ["user", "demo"])
    assert r.exit_code == 0, r.output
    for username, role in DEMO_ACCOUNTS:
        assert _sign_in(cli_env, username, DEMO_PASSWORD) == role
    again = CliRunner().invoke(cli, ["user", "demo"])
    assert again.exit_code == 0 and again.output.count("kept") == len(DEMO_ACCOUNTS)
    assert {r for _, r in DEMO_ACCOUNTS} == {"clerk", "officer", "admin"}


def test_user_demo_is_refused_in_production(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOHOA_ENVIRONMENT", "production")
    monkeypatch.setenv("SOHOA_SECRET_KEY", "a-private-production-secret-0123456789")
    monkeypatch.setenv("SOHOA_AGENCY_CODE", "000.00.00.H29")
    get_settings.cache_clear()
    r = CliRunner().invoke(cli, ["user", "demo"])
    assert r.exit_code == 2 and "refused outside development" in r.output
    settings = get_settings()
    init_db(settings.effective_database_url)
    with session_scope(settings.effective_database_url) as db:
        assert db.scalar(select(StaffAccount)) is None
        # nor may anyone give an account the published password there
        with pytest.raises(InvalidInputError, match="demo password"):
            create_account(
                db, settings, username="canbo.an", role="clerk", password=DEMO_PASSWORD, by="t"
            )


def test_the_demo_password_does_not_sign_in_in_production(tmp_path: Path) -> None:
    """An account made in development with the demo password, the database then moved to
    production: the sign-in is refused there."""
    dev = Settings(data_dir=tmp_path)
    init_db(dev.effective_database_url)
    with session_scope(dev.effective_database_url) as db:
        create_account(db, dev, username="canbo.demo", role="clerk", password=DEMO_PASSWORD, by="t")
    prod = Settings(
        data_dir=tmp_path,
        environment="production",
        secret_key="a-private-production-secret-0123456789",  # type: ignore[arg-type]
        agency_code="000.00.00.H29",
    )
    with session_scope(dev.effective_database_url) as db, pytest.raises(AuthenticationError):
        authenticate(db, prod, username="canbo.demo", password=DEMO_PASSWORD)
