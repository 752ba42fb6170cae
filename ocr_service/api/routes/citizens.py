"""A citizen's store (kho dữ liệu của công dân): their registered documents, newest first."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query

from core.errors import NotFoundError
from ocr_service.api.deps import RequestId, SessionDep, SettingsDep, StoreDep, StoreReader
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
    id_number: str = Path(pattern=r"^\d{12}$"),
    doc_type: str | None = Query(None, max_length=64),
    limit: int = Query(200, ge=1, le=500),
) -> CitizenDocumentsPublic:
    if user.role == "citizen" and user.subject != id_number:
        raise NotFoundError("No registered documents here.")
    documents = list_citizen_documents(
        session, citizen_id_number=id_number, doc_type=doc_type, limit=limit
    )
    for document in documents:  # every read of a citizen's document is audited
        append_audit(
            session,
            actor=user.subject,
            role=user.role,
            action="document.list",
            document_id=document.id,
            citizen_id_number=id_number,
            request_id=request_id,
            detail={"doc_type": doc_type} if doc_type else {},
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
