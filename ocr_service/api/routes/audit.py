"""The audit log, for administrators (nhật ký truy cập)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from ocr_service.api.deps import AdminUser, SessionDep
from ocr_service.api.schemas import audit_public
from storage.repository import list_audit

__all__ = ["router"]

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("")
def read_audit(
    _admin: AdminUser,
    session: SessionDep,
    citizen_id_number: str | None = Query(None, pattern=r"^\d{12}$"),
    limit: int = Query(200, ge=1, le=1000),
) -> dict[str, Any]:
    events = list_audit(session, citizen_id_number=citizen_id_number, limit=limit)
    return {"events": [audit_public(e) for e in events]}
