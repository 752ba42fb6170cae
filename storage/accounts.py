"""Reads and writes of staff accounts, sign-in throttling, page sessions and citizens' codes.

Keyword-only functions over a Session, like storage.repository; the rules (hashing, lock-out,
one use of a code) are ocr_service.accounts', which calls these.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete as sa_delete
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.errors import ConflictError
from storage.models import CitizenAccessCode, LoginThrottle, StaffAccount, WebSession, utcnow

__all__ = [
    "add_account",
    "add_citizen_code",
    "add_web_session",
    "clear_login_failures",
    "end_web_session",
    "end_web_sessions_of",
    "find_account",
    "find_web_session",
    "get_login_throttle",
    "list_accounts",
    "live_citizen_codes",
    "record_login_failure",
]


# --- accounts ----------------------------------------------------------------------------


def find_account(session: Session, *, username: str) -> StaffAccount | None:
    return session.scalar(select(StaffAccount).where(StaffAccount.username == username))


def list_accounts(session: Session) -> Sequence[StaffAccount]:
    return session.scalars(select(StaffAccount).order_by(StaffAccount.username)).all()


def add_account(
    session: Session, *, username: str, password_hash: str, role: str, created_by: str
) -> StaffAccount:
    if find_account(session, username=username) is not None:
        raise ConflictError(f"An account named {username!r} exists already; choose another name.")
    account = StaffAccount(
        username=username, password_hash=password_hash, role=role, created_by=created_by
    )
    session.add(account)
    try:
        session.flush()
    except IntegrityError as exc:  # created meanwhile by another request
        session.rollback()
        raise ConflictError(
            f"An account named {username!r} exists already; choose another name."
        ) from exc
    return account


# --- failed sign-ins ---------------------------------------------------------------------


def get_login_throttle(session: Session, *, key: str) -> LoginThrottle | None:
    return session.get(LoginThrottle, key)


def record_login_failure(
    session: Session, *, key: str, now: int, window_seconds: int, max_failures: int, lockout: int
) -> LoginThrottle:
    """Count one failure of ``key``; the ``max_failures``-th within the window locks it.
    Rows whose window and lock-out are both over count nothing any more: pruned."""
    session.execute(
        sa_delete(LoginThrottle).where(
            LoginThrottle.key != key,
            LoginThrottle.window_started_at <= now - window_seconds,
            LoginThrottle.locked_until <= now,
        )
    )
    row = session.get(LoginThrottle, key, with_for_update=True)
    if row is None:
        row = LoginThrottle(key=key, failures=0, window_started_at=now, locked_until=0)
        session.add(row)
    if now - row.window_started_at >= window_seconds:
        row.failures, row.window_started_at = 0, now
    row.failures += 1
    if row.failures >= max_failures:
        row.locked_until = now + lockout
        row.failures, row.window_started_at = 0, now  # a new window once the lock ends
    session.flush()
    return row


def clear_login_failures(session: Session, *, key: str) -> None:
    row = session.get(LoginThrottle, key)
    if row is not None:
        session.delete(row)
        session.flush()


# --- page sessions -----------------------------------------------------------------------


def add_web_session(
    session: Session, *, id: str, role: str, subject: str, issued_at: int, expires_at: int
) -> WebSession:
    # a session past its expiry is refused anyway: its row serves nothing
    session.execute(sa_delete(WebSession).where(WebSession.expires_at < issued_at))
    row = WebSession(id=id, role=role, subject=subject, issued_at=issued_at, expires_at=expires_at)
    session.add(row)
    session.flush()
    return row


def find_web_session(session: Session, *, id: str) -> WebSession | None:
    return session.get(WebSession, id)


def end_web_session(session: Session, *, id: str, at: datetime | None = None) -> None:
    row = session.get(WebSession, id)
    if row is not None and row.ended_at is None:
        row.ended_at = at or utcnow()
        session.flush()


def end_web_sessions_of(session: Session, *, subject: str, at: datetime | None = None) -> int:
    """End every open page session of ``subject``; returns how many were open."""
    result = session.execute(
        update(WebSession)
        .where(WebSession.subject == subject, WebSession.ended_at.is_(None))
        .values(ended_at=at or utcnow())
    )
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


# --- citizens' one-time codes ------------------------------------------------------------


def add_citizen_code(
    session: Session,
    *,
    citizen_id_number: str,
    code_hash: str,
    issued_by: str,
    expires_at: int,
    now: int,
) -> CitizenAccessCode:
    # an expired code can never be used (its issue and use stay in the audit log)
    session.execute(sa_delete(CitizenAccessCode).where(CitizenAccessCode.expires_at < now))
    row = CitizenAccessCode(
        citizen_id_number=citizen_id_number,
        code_hash=code_hash,
        issued_by=issued_by,
        expires_at=expires_at,
        attempts=0,
    )
    session.add(row)
    session.flush()
    return row


def live_citizen_codes(
    session: Session, *, citizen_id_number: str, now: int, max_attempts: int
) -> Sequence[CitizenAccessCode]:
    """The codes of this citizen still good: unused, unexpired, not worn out by wrong tries."""
    return session.scalars(
        select(CitizenAccessCode)
        .where(
            CitizenAccessCode.citizen_id_number == citizen_id_number,
            CitizenAccessCode.used_at.is_(None),
            CitizenAccessCode.expires_at > now,
            CitizenAccessCode.attempts < max_attempts,
        )
        .with_for_update()
    ).all()
