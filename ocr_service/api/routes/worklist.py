"""Hôm nay (today's work): the dossiers a clerk still has to finish, what needs them first."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter, Query

from ocr_service.api.deps import RequestId, SessionDep, StaffUser
from ocr_service.api.schemas import WorklistPublic, error_responses, worklist_item_public
from ocr_service.copies.codes import VIETNAM_TZ
from storage.repository import audit_dossier_reads, list_worklist

__all__ = ["router"]

router = APIRouter(prefix="/worklist", tags=["worklist"])

Filter = Literal["needs_review", "failed", "mine"]


@router.get("", responses=error_responses(401, 403, 404, 422, 503))
def worklist(
    user: StaffUser,
    session: SessionDep,
    request_id: RequestId,
    filter: list[Filter] = Query(  # noqa: B008 - FastAPI's way to declare a repeated query
        default_factory=list,
        description="needs_review (a document needs the clerk), failed (a component failed), "
        "mine (dossiers the caller opened); repeat to combine (all must hold).",
    ),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> WorklistPublic:
    """Dossiers opened today (Vietnam time) or still unfinished, newest first; each with its
    stage and the items needing the clerk, attention first. Each dossier listed is a read of
    its citizen's data: audited (``worklist.read``)."""
    # midnight in Vietnam, as UTC: the store keeps UTC (SQLite compares the text)
    today = datetime.now(VIETNAM_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    today = today.astimezone(UTC)
    wanted = set(filter)
    dossiers = list_worklist(
        session,
        since=today,
        created_by=user.subject if "mine" in wanted else None,
        needs_review="needs_review" in wanted,
        failed="failed" in wanted,
        limit=limit + 1,
        offset=offset,
    )
    more = len(dossiers) > limit
    dossiers = dossiers[:limit]
    body = WorklistPublic(
        items=[worklist_item_public(d) for d in dossiers],
        next_offset=offset + limit if more else None,
    )
    audit_dossier_reads(
        session,
        actor=user.subject,
        role=user.role,
        action="worklist.read",
        dossiers=dossiers,
        request_id=request_id,
        filters={"filter": sorted(wanted), "limit": limit, "offset": offset},
    )
    session.commit()
    return body
