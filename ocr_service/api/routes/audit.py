"""The audit log, for administrators (nhật ký truy cập)."""

from __future__ import annotations

from fastapi import APIRouter, Query

from core.ids import ID_NUMBER_PATTERN
from ocr_service.api.deps import AdminUser, RequestId, SessionDep
from ocr_service.api.schemas import AuditLogPublic, audit_public, error_responses
from storage.repository import append_audit, list_audit

__all__ = ["router"]

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", responses=error_responses(401, 403, 404, 422, 503))
def read_audit(
    admin: AdminUser,
    session: SessionDep,
    request_id: RequestId,
    citizen_id_number: str | None = Query(None, pattern=ID_NUMBER_PATTERN),
    limit: int = Query(200, ge=1, le=1000),
) -> AuditLogPublic:
    """The newest events first. Reading the log is itself logged (one row naming the filters,
    written after the read, so it is not in this answer)."""
    events = list_audit(session, citizen_id_number=citizen_id_number, limit=limit)
    body = AuditLogPublic(events=[audit_public(e) for e in events])
    append_audit(
        session,
        actor=admin.subject,
        role=admin.role,
        action="audit.read",
        citizen_id_number=citizen_id_number,
        request_id=request_id,
        detail={
            "filters": {"citizen_id_number": citizen_id_number, "limit": limit},
            "events": len(events),
        },
    )
    session.commit()
    return body
