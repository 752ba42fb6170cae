"""Signing in: one message for any wrong name or password, lock-out after repeated failures
(audited), the published demo password refused in production; citizens' one-time codes used
once, worn out by wrong tries, expired on time, kept only as a keyed hash."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import AuthenticationError, TooManyAttemptsError
from core.settings import Settings
from ocr_service.accounts import (
    SIGN_IN_FAILED,
    authenticate,
    create_account,
    issue_citizen_code,
    redeem_citizen_code,
    start_session,
)
from ocr_service.auth import Principal
from storage.db import session_scope
from storage.models import AuditEvent, CitizenAccessCode, LoginThrottle, WebSession
from storage.repository import init_db

PASSWORD = "dung-mat-khau-1"
CITIZEN = "001192012345"
T0 = 2_000_000_000


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    s = Settings(
        data_dir=tmp_path,
        secret_key=SecretStr("sign-in-tests-secret-0123456789abcdef"),
        login_max_failures=3,
        login_failure_window_seconds=60,
        login_lockout_seconds=300,
        citizen_code_ttl_seconds=120,
        citizen_code_max_attempts=3,
    )
    init_db(s.effective_database_url)
    with session_scope(s.effective_database_url) as db:
        create_account(db, s, username="canbo.lan", role="clerk", password=PASSWORD, by="t")
    yield s


def _try(s: Settings, username: str, password: str, now: int) -> str:
    """The outcome of one sign-in, committed as a request would commit it."""
    with session_scope(s.effective_database_url) as db:
        try:
            authenticate(db, s, username=username, password=password, now=now)
        except (AuthenticationError, TooManyAttemptsError) as exc:
            db.commit()  # the failure's count and audit row are kept
            return f"{type(exc).__name__}: {exc.message}"
    return "ok"


def _actions(s: Settings) -> list[str]:
    with session_scope(s.effective_database_url) as db:
        return [e.action for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_wrong_name_and_wrong_password_get_the_same_message(settings: Settings) -> None:
    wrong_password = _try(settings, "canbo.lan", "sai-mat-khau-1", T0)
    no_such_user = _try(settings, "khong.co.ai", PASSWORD, T0)
    assert wrong_password == no_such_user == f"AuthenticationError: {SIGN_IN_FAILED}"
    assert _try(settings, "CanBo.Lan ", PASSWORD, T0) == "ok"  # the name as typed, normalized


def test_lockout_after_max_failures_even_for_the_right_password(settings: Settings) -> None:
    s = settings
    for i in range(2):
        assert _try(s, "canbo.lan", f"sai-{i}-mat-khau", T0 + i).startswith("AuthenticationError")
    # a success within the window clears the count
    assert _try(s, "canbo.lan", PASSWORD, T0 + 3) == "ok"
    for i in range(3):
        assert _try(s, "canbo.lan", f"sai-{i}-mat-khau", T0 + 10 + i).startswith(
            "AuthenticationError"
        )
    locked = _try(s, "canbo.lan", PASSWORD, T0 + 20)
    assert locked.startswith("TooManyAttemptsError") and "khóa" in locked
    assert _try(s, "canbo.lan", PASSWORD, T0 + 12 + 299).startswith("TooManyAttemptsError")
    assert _try(s, "canbo.lan", PASSWORD, T0 + 12 + 301) == "ok"  # the lock-out ended
    actions = _actions(s)
    assert actions.count("auth.lockout") == 1
    assert actions.count("auth.login_locked") == 2
    assert actions.count("auth.login_failed") == 4 and actions.count("auth.login") == 2


def test_failures_outside_the_window_do_not_add_up(settings: Settings) -> None:
    s = settings
    for i in range(6):  # one failure every 40 s: never 3 within 60 s of the window's start
        assert _try(s, "canbo.lan", "sai-mat-khau-x", T0 + 40 * i).startswith("AuthenticationError")
    assert _try(s, "canbo.lan", PASSWORD, T0 + 241) == "ok"


def test_unknown_names_lock_out_too(settings: Settings) -> None:
    """Otherwise the lock-out would tell which names exist."""
    s = settings
    for i in range(3):
        _try(s, "khong.co.ai", "bat-ky-mat-khau", T0 + i)
    assert _try(s, "khong.co.ai", "bat-ky-mat-khau", T0 + 5).startswith("TooManyAttemptsError")


# --- citizens' one-time codes ------------------------------------------------------------

CLERK = Principal(role="clerk", subject="canbo.lan")


def _issue(s: Settings) -> str:
    with session_scope(s.effective_database_url) as db:
        return issue_citizen_code(db, s, citizen_id_number=CITIZEN, by=CLERK).code


def _redeem(s: Settings, code: str, *, citizen: str = CITIZEN, now: int | None = None) -> bool:
    with session_scope(s.effective_database_url) as db:
        try:
            redeem_citizen_code(db, s, citizen_id_number=citizen, code=code, now=now)
        except AuthenticationError:
            db.commit()
            return False
    return True


def test_a_code_looks_like_xxxx_xxxx_and_is_stored_only_hashed(settings: Settings) -> None:
    code = _issue(settings)
    assert len(code) == 9 and code[4] == "-"
    with session_scope(settings.effective_database_url) as db:
        row = db.scalar(select(CitizenAccessCode))
        assert row is not None
        stored = " ".join(str(v) for v in vars(row).values())
    assert code not in stored and code.replace("-", "") not in stored


def test_a_code_works_once(settings: Settings) -> None:
    code = _issue(settings)
    assert _redeem(settings, code.lower().replace("-", " "))  # as a citizen may type it
    assert not _redeem(settings, code)  # reuse refused
    assert _actions(settings)[-2:] == ["citizen_code.redeem", "citizen_code.refused"]


def test_a_code_is_for_its_citizen_only(settings: Settings) -> None:
    code = _issue(settings)
    assert not _redeem(settings, code, citizen="079301000111")
    assert _redeem(settings, code)


def test_wrong_codes_wear_it_out(settings: Settings) -> None:
    code = _issue(settings)
    for wrong in ("AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC"):
        assert not _redeem(settings, wrong)
    assert not _redeem(settings, code)  # three wrong tries: the right code is void


def test_a_code_expires(settings: Settings) -> None:
    code = _issue(settings)
    with session_scope(settings.effective_database_url) as db:
        expires = _expiry(db)
    assert not _redeem(settings, code, now=expires)
    assert _redeem(settings, code, now=expires - 1)


def _expiry(db: Session) -> int:
    row = db.scalar(select(CitizenAccessCode))
    assert row is not None
    return row.expires_at


def test_rows_that_serve_nothing_are_pruned(settings: Settings) -> None:
    """Expired sessions and codes, and failure counts whose window and lock-out are over, go
    when a new one is written (sign-ins of unknown names must not grow a table for ever)."""
    s = settings
    for i in range(2):
        _try(s, f"khong.co.ai.{i}", "bat-ky-mat-khau", T0)
    with session_scope(s.effective_database_url) as db:
        start_session(db, s, role="clerk", subject="canbo.lan", now=T0)
        issue_citizen_code(db, s, citizen_id_number=CITIZEN, by=CLERK)
    _try(s, "khong.co.ai.9", "bat-ky-mat-khau", T0 + 61)
    with session_scope(s.effective_database_url) as db:
        assert db.scalars(select(LoginThrottle.key)).all() == ["khong.co.ai.9"]
        later = T0 + s.session_ttl_seconds + 1
        start_session(db, s, role="clerk", subject="canbo.lan", now=later)
        assert [r.issued_at for r in db.scalars(select(WebSession))] == [later]
        codes = db.scalars(select(CitizenAccessCode)).all()
        assert len(codes) == 1
        codes[0].expires_at = 1  # long expired
    with session_scope(s.effective_database_url) as db:
        issue_citizen_code(db, s, citizen_id_number=CITIZEN, by=CLERK)
        assert len(db.scalars(select(CitizenAccessCode)).all()) == 1
