"""A citizen's store (kho dữ liệu của công dân): their registered documents, newest first."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query

from core.errors import NotFoundError
from core.ids import ID_NUMBER_PATTERN
from ocr_service.api.deps import Purpose, RequestId, SessionDep, SettingsDep, StoreDep, StoreReader
from ocr_service.api.schemas import CitizenDocumentsPublic, document_public, error_responses
from ocr_service.approval import check_copies
from storage.repository import append_audit, list_citizen_documents

__all__ = ["router"]

router = APIRouter(prefix="/citizens", tags=["citizens"])


@router.get("/{id_number}/documents", responses=error_responses(401, 403, 404, 422, 503))
def citizen_documents(
    user: StoreReader,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    request_id: RequestId,
    purpose: Purpose,
    id_number: str = Path(pattern=ID_NUMBER_PATTERN),
    doc_type: str | None = Query(None, max_length=64),
    limit: int = Query(200, ge=1, le=500),
) -> CitizenDocumentsPublic:
    """Staff see every document the citizen is a subject of (``subjects`` marks the
    unconfirmed); the citizen, only the approved ones that are confirmed theirs."""
    if user.role == "citizen" and user.subject != id_number:
        raise NotFoundError("No registered documents here.")
    documents = list_citizen_documents(
        session,
        citizen_id_number=id_number,
        doc_type=doc_type,
        limit=limit,
        shown_to_citizen=user.role == "citizen",
    )
    detail: dict[str, str] = {"doc_type": doc_type} if doc_type else {}
    if purpose:
        detail["dossier_id"] = purpose
    # every read of a citizen's document is audited; a lookup that finds nothing is a read too
    shown: list[str | None] = [d.id for d in documents]
    for document_id in shown or [None]:
        append_audit(
            session,
            actor=user.subject,
            role=user.role,
            action="document.list",
            document_id=document_id,
            citizen_id_number=id_number,
            request_id=request_id,
            detail=detail,
        )
    # each signed copy checked now: the officer reuses, and the citizen keeps, what is shown
    signatures = check_copies(
        session,
        documents,
        store=store,
        settings=settings,
        actor=user.subject,
        role=user.role,
        request_id=request_id,
    )
    session.commit()
    return CitizenDocumentsPublic(
        citizen_id_number=id_number,
        documents=[document_public(d, signatures[d.id]) for d in documents],
    )
