"""Staff accounts (user name + argon2id password), page sessions and citizens' one-time codes.

Staff sign in to the pages with a user name and password; a citizen with their id number and a
one-time code a clerk issued at the counter. Either way the browser gets a page session: a
random token in an HttpOnly cookie, of which the database keeps only the SHA-256, so a copy
of the database opens no session. Bearer tokens (ocr_service.auth) stay for API clients.

Why a code for citizens rather than a password: they come to the counter a few times in
their lives, so a password would be forgotten or written on the receipt; the clerk has just
checked their identity card, the code is good once for minutes, and it is kept only as a
keyed hash (``citizen_code_hash``) whose wrong tries are counted and limited.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.orm import Session
from starlette.responses import Response

from core.errors import (
    AuthenticationError,
    ConflictError,
    CsrfError,
    InvalidInputError,
    NotFoundError,
    TooManyAttemptsError,
)
from core.ids import is_id_number
from core.settings import Settings
from ocr_service.auth import ROLES, Principal, Role
from storage import accounts as repo
from storage.models import StaffAccount, WebSession, utcnow
from storage.repository import append_audit, revoke_sessions, token_revoked

__all__ = [
    "CODE_ALPHABET",
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "SESSION_COOKIE",
    "SIGN_IN_FAILED",
    "STAFF_ROLES",
    "PageSession",
    "authenticate",
    "check_csrf",
    "clear_session_cookies",
    "create_account",
    "csrf_token_for",
    "end_session",
    "hash_password",
    "issue_citizen_code",
    "normalize_username",
    "redeem_citizen_code",
    "session_principal",
    "set_account_disabled",
    "set_password",
    "set_session_cookies",
    "sign_out",
    "start_session",
]

log = logging.getLogger(__name__)

SESSION_COOKIE = "sohoa_session"
CSRF_COOKIE = "sohoa_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"

STAFF_ROLES: tuple[Role, ...] = ("clerk", "officer", "admin")
# The one message for a wrong user name or a wrong password (which one is never said).
SIGN_IN_FAILED = "Tên đăng nhập hoặc mật khẩu không đúng."

# `sohoa user demo` (development only, like the demo PKI): one account per staff role.
DEMO_PASSWORD = "sohoa-demo-2026"
DEMO_ACCOUNTS: tuple[tuple[str, Role], ...] = (
    ("canbo.demo", "clerk"),
    ("xuly.demo", "officer"),
    ("quantri.demo", "admin"),
)

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$")
MIN_PASSWORD, MAX_PASSWORD = 10, 128
# RFC 9106's second recommended option (argon2id, 64 MiB, 3 passes): argon2-cffi's default.
_hasher = PasswordHasher()
# Verified when the user name is unknown, so that answer takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("sohoa-no-such-account")

# Without 0/O, 1/I/L, U: read aloud or copied from a slip without confusion. 30^8 ≈ 6.6e11.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
_CODE_LENGTH = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def normalize_username(raw: str) -> str:
    return raw.strip().lower()


def _check_username(username: str) -> None:
    if not _USERNAME.match(username):
        raise InvalidInputError(
            "A user name has 3 to 64 characters: lower-case letters a-z, digits, '.', '_' or "
            "'-', starting and ending with a letter or digit (e.g. canbo.lan)."
        )
    if is_id_number(username) or username.isdigit():
        raise InvalidInputError(
            "A staff user name may not be only digits: that is how citizens are named "
            "(their 12-digit id number)."
        )


def _check_password(settings: Settings, password: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInputError(
            f"A password has {MIN_PASSWORD} to {MAX_PASSWORD} characters; choose another."
        )
    if settings.is_production and password == DEMO_PASSWORD:
        raise InvalidInputError(
            "That is the published demo password; choose a private one outside development."
        )


def _check_role(role: str) -> Role:
    for staff_role in STAFF_ROLES:
        if role == staff_role:
            return staff_role
    raise InvalidInputError(f"A staff account's role is one of {', '.join(STAFF_ROLES)}.")


def create_account(
    session: Session, settings: Settings, *, username: str, role: str, password: str, by: str
) -> StaffAccount:
    username = normalize_username(username)
    _check_username(username)
    _check_password(settings, password)
    return repo.add_account(
        session,
        username=username,
        password_hash=hash_password(password),
        role=_check_role(role),
        created_by=by,
    )


def _get_account(session: Session, username: str) -> StaffAccount:
    account = repo.find_account(session, username=normalize_username(username))
    if account is None:
        raise NotFoundError("No account with that user name.")
    return account


def set_password(
    session: Session, settings: Settings, *, username: str, password: str
) -> StaffAccount:
    """A new password (an administrator's reset); the account's open sessions end."""
    account = _get_account(session, username)
    _check_password(settings, password)
    account.password_hash = hash_password(password)
    account.password_changed_at = utcnow()
    repo.clear_login_failures(session, key=account.username)
    repo.end_web_sessions_of(session, subject=account.username)
    session.flush()
    return account


def set_account_disabled(
    session: Session, *, username: str, disabled: bool, by: str
) -> StaffAccount:
    """Disable (every session and token of the account ends) or enable an account."""
    account = _get_account(session, username)
    if disabled and account.username == by:
        raise ConflictError("You may not disable your own account; ask another administrator.")
    account.disabled = disabled
    if disabled:
        repo.end_web_sessions_of(session, subject=account.username)
        # bearer tokens issued to this name (`sohoa token issue`) end too
        revoke_sessions(session, subject=account.username, not_before=int(time.time()) + 1, by=by)
    session.flush()
    return account


# --- signing in --------------------------------------------------------------------------


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def authenticate(
    session: Session,
    settings: Settings,
    *,
    username: str,
    password: str,
    request_id: str | None = None,
    now: int | None = None,
) -> StaffAccount:
    """The account whose name and password these are, or one generic refusal.

    Every failure is counted against the name as typed (known or not) and audited; at
    ``login_max_failures`` within ``login_failure_window_seconds`` the name is locked for
    ``login_lockout_seconds``, during which even the right password is refused. The caller
    commits (the failure's count and audit row are the point of a refusal too).
    """
    now = int(time.time()) if now is None else now
    key = normalize_username(username)[:200]
    throttle = repo.get_login_throttle(session, key=key)
    if throttle is not None and throttle.locked_until > now:
        append_audit(
            session,
            actor=key or "-",
            role="anonymous",
            action="auth.login_locked",
            request_id=request_id,
        )
        minutes = max(1, (throttle.locked_until - now + 59) // 60)
        raise TooManyAttemptsError(
            f"Đăng nhập sai quá nhiều lần: tên đăng nhập này tạm bị khóa, thử lại sau "
            f"{minutes} phút.",
            retry_after=throttle.locked_until - now,
        )
    account = repo.find_account(session, username=key)
    ok = _verify(account.password_hash if account else _DUMMY_HASH, password)
    if ok and account is not None and settings.is_production and password == DEMO_PASSWORD:
        log.warning("sign-in with the published demo password refused outside development")
        ok = False
    if not ok or account is None or account.disabled:
        row = repo.record_login_failure(
            session,
            key=key,
            now=now,
            window_seconds=settings.login_failure_window_seconds,
            max_failures=settings.login_max_failures,
            lockout=settings.login_lockout_seconds,
        )
        locked = row.locked_until > now
        append_audit(
            session,
            actor=key or "-",
            role="anonymous",
            action="auth.lockout" if locked else "auth.login_failed",
            request_id=request_id,
            detail={"locked_until": row.locked_until} if locked else None,
        )
        raise AuthenticationError(SIGN_IN_FAILED)
    repo.clear_login_failures(session, key=key)
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    account.last_sign_in_at = utcnow()
    append_audit(
        session,
        actor=account.username,
        role=account.role,
        action="auth.login",
        request_id=request_id,
    )
    return account


# --- page sessions -----------------------------------------------------------------------


@dataclass(frozen=True)
class PageSession:
    """What the browser is given: the session token (cookie) and its CSRF token."""

    token: str
    csrf: str
    row: WebSession


def _session_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token_for(settings: Settings, session_token: str) -> str:
    """The session's anti-forgery token: bound to it, so one from another session fails."""
    key = settings.secret_key.get_secret_value().encode()
    message = b"csrf:" + _session_id(session_token).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def start_session(
    session: Session, settings: Settings, *, role: str, subject: str, now: int | None = None
) -> PageSession:
    if role not in ROLES or (role == "citizen") != is_id_number(subject):
        raise InvalidInputError("A session is for a staff account or a citizen's id number.")
    now = int(time.time()) if now is None else now
    token = secrets.token_urlsafe(32)
    row = repo.add_web_session(
        session,
        id=_session_id(token),
        role=role,
        subject=subject,
        issued_at=now,
        expires_at=now + settings.session_ttl_seconds,
    )
    return PageSession(token=token, csrf=csrf_token_for(settings, token), row=row)


def session_principal(
    session: Session, settings: Settings, *, token: str, now: int | None = None
) -> Principal:
    """Who holds this session cookie; refused when it is unknown, ended, expired, revoked by
    an administrator (``/auth/revoke``), or its account is disabled."""
    now = int(time.time()) if now is None else now
    if not token or len(token) > 200:
        raise AuthenticationError()
    row = repo.find_web_session(session, id=_session_id(token))
    if row is None or row.ended_at is not None:
        raise AuthenticationError("This session was signed out; sign in again.")
    if row.expires_at <= now:
        raise AuthenticationError("The session has expired; sign in again.")
    if token_revoked(session, jti=row.id, subject=row.subject, issued_at=row.issued_at):
        raise AuthenticationError("This session was revoked; sign in again.")
    role: Role
    if row.role == "citizen":
        role = "citizen"
    else:
        account = repo.find_account(session, username=row.subject)
        if account is None or account.disabled:
            raise AuthenticationError("This account is disabled; ask an administrator.")
        role = _check_role(account.role)  # a changed role applies at once
    return Principal(
        role=role,
        subject=row.subject,
        token_id=row.id,
        issued_at=row.issued_at,
        expires_at=row.expires_at,
        via="session",
    )


def end_session(session: Session, *, token: str) -> WebSession | None:
    row = repo.find_web_session(session, id=_session_id(token)) if token else None
    if row is not None:
        repo.end_web_session(session, id=row.id)
    return row


def sign_out(session: Session, *, token: str, request_id: str | None = None) -> None:
    """End the page session of this cookie (đăng xuất), audited as the API's sign-out is."""
    row = end_session(session, token=token)
    if row is not None:
        append_audit(
            session,
            actor=row.subject,
            role=row.role,
            action="auth.logout",
            citizen_id_number=row.subject if row.role == "citizen" else None,
            request_id=request_id,
        )


def set_session_cookies(response: Response, settings: Settings, page: PageSession) -> None:
    """The session cookie (HttpOnly: no script reads it) and its CSRF token (readable by the
    pages' scripts, which send it back in ``X-CSRF-Token``). SameSite=Lax: a link from another
    site may open a page signed in, but a form or script of another site posts without it."""
    for name, value, httponly in (
        (SESSION_COOKIE, page.token, True),
        (CSRF_COOKIE, page.csrf, False),
    ):
        response.set_cookie(
            name,
            value,
            max_age=settings.session_ttl_seconds,
            path="/",
            secure=settings.cookies_secure,
            httponly=httponly,
            samesite="lax",
        )


def clear_session_cookies(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    response.delete_cookie(CSRF_COOKIE, path="/", samesite="lax")


def check_csrf(
    settings: Settings, *, cookie: str | None, submitted: str | None, session_token: str | None
) -> None:
    """Double submit: the token sent in the header or form must equal the ``sohoa_csrf``
    cookie (a page of another site can send the cookie, not read it) and, once signed in,
    be the one bound to the session."""
    if not cookie or not submitted or not hmac.compare_digest(cookie, submitted):
        raise CsrfError()
    if session_token and not hmac.compare_digest(
        submitted, csrf_token_for(settings, session_token)
    ):
        raise CsrfError()


# --- citizens' one-time codes ------------------------------------------------------------


def _code_hash(settings: Settings, code: str) -> str:
    key = settings.secret_key.get_secret_value().encode()
    return hmac.new(key, b"citizen-code:" + code.encode(), hashlib.sha256).hexdigest()


def _normalize_code(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw).upper()


@dataclass(frozen=True)
class IssuedCode:
    code: str  # XXXX-XXXX, shown once to the clerk and never stored
    expires_at: datetime


def issue_citizen_code(
    session: Session,
    settings: Settings,
    *,
    citizen_id_number: str,
    by: Principal,
    request_id: str | None = None,
) -> IssuedCode:
    if not is_id_number(citizen_id_number):
        raise InvalidInputError("A citizen is named by their 12-digit id number.")
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(_CODE_LENGTH))
    now = int(time.time())
    expires_at = now + settings.citizen_code_ttl_seconds
    repo.add_citizen_code(
        session,
        citizen_id_number=citizen_id_number,
        code_hash=_code_hash(settings, raw),
        issued_by=by.subject,
        expires_at=expires_at,
        now=now,
    )
    append_audit(
        session,
        actor=by.subject,
        role=by.role,
        action="citizen_code.issue",
        citizen_id_number=citizen_id_number,
        request_id=request_id,
    )
    return IssuedCode(
        code=f"{raw[:4]}-{raw[4:]}",
        expires_at=datetime.fromtimestamp(expires_at, utcnow().tzinfo),
    )


def redeem_citizen_code(
    session: Session,
    settings: Settings,
    *,
    citizen_id_number: str,
    code: str,
    request_id: str | None = None,
    now: int | None = None,
) -> None:
    """Use up the citizen's code, or refuse with one message whatever was wrong.

    A wrong code counts against every code of that citizen still good, and each is void after
    ``citizen_code_max_attempts`` wrong tries; the right one can be used once. The caller
    commits, the refusals included.
    """
    now = int(time.time()) if now is None else now
    refused = AuthenticationError(
        "Số định danh hoặc mã truy cập không đúng, đã dùng hoặc đã hết hạn; "
        "xin cán bộ một cửa cấp mã mới."
    )
    normalized = _normalize_code(code)
    if not is_id_number(citizen_id_number):
        raise refused
    codes = repo.live_citizen_codes(
        session,
        citizen_id_number=citizen_id_number,
        now=now,
        max_attempts=settings.citizen_code_max_attempts,
    )
    wanted = _code_hash(settings, normalized)
    match = next((c for c in codes if hmac.compare_digest(c.code_hash, wanted)), None)
    if match is None:
        for c in codes:
            c.attempts += 1
        append_audit(
            session,
            actor=citizen_id_number,
            role="citizen",
            action="citizen_code.refused",
            citizen_id_number=citizen_id_number,
            request_id=request_id,
        )
        session.flush()
        raise refused
    match.used_at = utcnow()
    append_audit(
        session,
        actor=citizen_id_number,
        role="citizen",
        action="citizen_code.redeem",
        citizen_id_number=citizen_id_number,
        request_id=request_id,
        detail={"issued_by": match.issued_by},
    )
    session.flush()
