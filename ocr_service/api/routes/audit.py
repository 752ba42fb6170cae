"""The audit log, for administrators (nhật ký truy cập)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from core.ids import ID_NUMBER_PATTERN
from ocr_service.api.deps import SessionDep, require_roles
from ocr_service.api.schemas import audit_public
from storage.repository import list_audit

__all__ = ["router"]

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", dependencies=[require_roles("admin")])
def read_audit(
    session: SessionDep,
    citizen_id_number: str | None = Query(None, pattern=ID_NUMBER_PATTERN),
    limit: int = Query(200, ge=1, le=1000),
) -> dict[str, Any]:
    events = list_audit(session, citizen_id_number=citizen_id_number, limit=limit)
    return {"events": [audit_public(e) for e in events]}
