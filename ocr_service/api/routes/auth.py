"""Sessions: sign-out (the caller's token) and an administrator's revocation of a user's."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from core.ids import is_id_number
from ocr_service.accounts import clear_session_cookies
from ocr_service.api.deps import AdminUser, CurrentUser, RequestId, SessionDep
from ocr_service.api.schemas import error_responses
from storage.accounts import end_web_session
from storage.repository import append_audit, revoke_sessions, revoke_token

__all__ = ["router"]

router = APIRouter(prefix="/auth", tags=["auth"])


class SessionsRevokedPublic(BaseModel):
    """The answer to a revocation: whose sessions end, and from when tokens are valid again."""

    subject: str
    not_before: str


class SessionsRevoke(BaseModel):
    """Whose sessions to end: a staff user name or a citizen's id number (a token's ``sub``)."""

    model_config = ConfigDict(extra="forbid")

    subject: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$")


@router.post("/logout", status_code=204, response_class=Response, responses=error_responses(401))
def logout(session: SessionDep, user: CurrentUser, request_id: RequestId) -> Response:
    """Sign out: the token or page session that made this request is refused from now on
    (đăng xuất); a page session's cookies are cleared."""
    assert user.token_id  # decode_token requires a jti; a page session has its id
    response = Response(status_code=204)
    if user.via == "session":
        end_web_session(session, id=user.token_id)
        clear_session_cookies(response)
    else:
        revoke_token(
            session,
            jti=user.token_id,
            subject=user.subject,
            expires_at=user.expires_at,
            now=int(time.time()),
        )
    append_audit(
        session,
        actor=user.subject,
        role=user.role,
        action="auth.logout",
        citizen_id_number=user.subject if user.role == "citizen" else None,
        request_id=request_id,
    )
    session.commit()
    return response


@router.post("/revoke", responses=error_responses(400, 401, 403, 404, 413, 422))
def revoke(
    body: SessionsRevoke, session: SessionDep, user: AdminUser, request_id: RequestId
) -> SessionsRevokedPublic:
    """End every session of ``subject``: each token issued until now is refused."""
    subject = body.subject.strip()
    # +1: a token issued within this second is refused too (iat has whole seconds)
    row = revoke_sessions(
        session, subject=subject, not_before=int(time.time()) + 1, by=user.subject
    )
    append_audit(
        session,
        actor=user.subject,
        role=user.role,
        action="auth.revoke",
        citizen_id_number=subject if is_id_number(subject) else None,
        request_id=request_id,
        detail={"subject": subject},
    )
    session.commit()
    return SessionsRevokedPublic(
        subject=subject, not_before=datetime.fromtimestamp(row.not_before, UTC).isoformat()
    )
