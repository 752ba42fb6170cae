"""Request dependencies in one place: settings, DB session, object store, queue, caller, roles."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session, sessionmaker

from core.errors import (
    AuthenticationError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from core.records import PopulationRegister
from core.settings import Settings
from ocr_service.accounts import (
    CSRF_COOKIE,
    CSRF_HEADER,
    SESSION_COOKIE,
    check_csrf,
    session_principal,
)
from ocr_service.auth import Principal, Role, decode_token
from storage.objects import ObjectStore
from storage.population import open_register
from storage.repository import find_dossier, token_revoked
from workers.queue import JobQueue

__all__ = [
    "AdminUser",
    "CitizenUser",
    "ClerkUser",
    "CurrentUser",
    "Purpose",
    "QueueDep",
    "RegisterDep",
    "RequestId",
    "SessionDep",
    "SettingsDep",
    "StaffUser",
    "StoreDep",
    "StoreReader",
    "deny",
    "require_roles",
]

TOKEN_COOKIE = "sohoa_token"


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _session(request: Request) -> Iterator[Session]:
    """A session per request; routes commit explicitly, anything uncommitted is rolled back."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    session = factory()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def _store(request: Request) -> ObjectStore:
    store: ObjectStore = request.app.state.store
    return store


def _queue(request: Request) -> JobQueue:
    queue: JobQueue = request.app.state.job_queue
    return queue


_register_lock = threading.Lock()


def _register(request: Request) -> PopulationRegister:
    """The population register, opened once per app (on first use: most requests need none)."""
    state = request.app.state
    with _register_lock:
        register: PopulationRegister | None = getattr(state, "register", None)
        if register is None:
            register = state.register = open_register(state.settings)
    return register


def _request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", ""))


_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _session_user(request: Request, session: Session, cookie: str) -> Principal:
    """A page session (HttpOnly cookie); a request that changes anything must also carry
    the session's CSRF token in ``X-CSRF-Token`` (double submit, ocr_service.accounts)."""
    settings: Settings = request.app.state.settings
    principal = session_principal(session, settings, token=cookie)
    if request.method not in _SAFE_METHODS:
        check_csrf(
            settings,
            cookie=request.cookies.get(CSRF_COOKIE),
            submitted=request.headers.get(CSRF_HEADER),
            session_token=cookie,
        )
    request.state.principal = principal
    return principal


def _current_user(request: Request, session: Annotated[Session, Depends(_session)]) -> Principal:
    header = request.headers.get("authorization", "")
    token = ""
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise AuthenticationError("Send the token as `Authorization: Bearer <token>`.")
        token = value.strip()
    elif cookie := request.cookies.get(SESSION_COOKIE, ""):
        return _session_user(request, session, cookie)
    elif request.method in ("GET", "HEAD"):
        # lets <a href> and <img src> in the web pages open PDFs and page images
        token = request.cookies.get(TOKEN_COOKIE, "")
    if not token:
        raise AuthenticationError()
    principal = decode_token(request.app.state.settings, token)
    assert principal.token_id  # decode_token requires a jti
    if token_revoked(
        session,
        jti=principal.token_id,
        subject=principal.subject,
        issued_at=principal.issued_at,
    ):
        raise AuthenticationError("This session was signed out or revoked; sign in again.")
    request.state.principal = principal
    return principal


SettingsDep = Annotated[Settings, Depends(_settings)]
SessionDep = Annotated[Session, Depends(_session)]
StoreDep = Annotated[ObjectStore, Depends(_store)]
QueueDep = Annotated[JobQueue, Depends(_queue)]
RegisterDep = Annotated[PopulationRegister, Depends(_register)]
RequestId = Annotated[str, Depends(_request_id)]
CurrentUser = Annotated[Principal, Depends(_current_user)]


def deny(user: Principal) -> Exception:
    """Refuse: a citizen learns nothing (404), staff are told their role may not (403)."""
    if user.role == "citizen":
        return NotFoundError()
    return PermissionDeniedError()


def require_roles(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency admitting only ``roles``; anyone else is refused as ``deny`` says.

    Routes take one of the annotated callers below rather than naming roles themselves, so
    who may do what reads in one place (and tests/security/test_authorization_matrix.py
    checks it against every route).
    """

    def check(user: CurrentUser) -> Principal:
        if user.role not in roles:
            raise deny(user)
        return user

    return check


# The callers each route admits: the role check runs before the route (and before its
# parameters are validated), so a refused caller learns nothing about the request.
ClerkUser = Annotated[Principal, Depends(require_roles("clerk"))]
"""Cán bộ tiếp nhận: opens dossiers, uploads scans, corrects and approves documents."""
StaffUser = Annotated[Principal, Depends(require_roles("clerk", "officer"))]
"""Counter staff, clerk or officer (cán bộ xử lý): read dossiers and components, reuse."""
StoreReader = Annotated[Principal, Depends(require_roles("clerk", "officer", "citizen"))]
"""Who may read the citizen store: staff, and a citizen (the route then shows only theirs)."""
AdminUser = Annotated[Principal, Depends(require_roles("admin"))]
"""Reads the audit log, manages staff accounts."""
CitizenUser = Annotated[Principal, Depends(require_roles("citizen"))]
"""Công dân: reads what is theirs, and who processed it (their access log)."""


def _purpose(
    user: CurrentUser,
    session: SessionDep,
    dossier_id: Annotated[
        str | None,
        Query(
            max_length=32,
            description="The dossier a staff member is serving with this read: its purpose, "
            "written to the audit log and shown to the citizen. Ignored for citizens.",
        ),
    ] = None,
) -> str | None:
    """The dossier served by a staff read (must exist); a citizen serves none."""
    if dossier_id is None or user.role == "citizen":
        return None
    if find_dossier(session, dossier_id=dossier_id) is None:
        raise InvalidInputError(
            "No dossier with that id: `dossier_id` names the dossier you are serving; "
            "check it, or leave it out."
        )
    return dossier_id


# Declare it after the route's role check, so a refused caller learns nothing from it.
Purpose = Annotated[str | None, Depends(_purpose)]
