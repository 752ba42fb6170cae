"""The audit log, for administrators (nhật ký truy cập)."""

from __future__ import annotations

from fastapi import APIRouter, Query

from core.ids import ID_NUMBER_PATTERN
from ocr_service.api.deps import AdminUser, SessionDep
from ocr_service.api.schemas import AuditLogPublic, audit_public, error_responses
from storage.repository import list_audit

__all__ = ["router"]

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", responses=error_responses(401, 403, 404, 422, 503))
def read_audit(
    _admin: AdminUser,
    session: SessionDep,
    citizen_id_number: str | None = Query(None, pattern=ID_NUMBER_PATTERN),
    limit: int = Query(200, ge=1, le=1000),
) -> AuditLogPublic:
    events = list_audit(session, citizen_id_number=citizen_id_number, limit=limit)
    return AuditLogPublic(events=[audit_public(e) for e in events])
