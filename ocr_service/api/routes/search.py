"""Search (tra cứu): documents by their full text, dossiers by code, citizen name or id.

Accent-insensitive (``nguyen van`` finds "Nguyễn Văn"); see ``storage.search``. Every hit
shown is a read of personal data and audited like the other reads, but the query itself is
kept neither in the audit log (it may be a name) nor in the access log (``core.redact``
masks ``?q=``).
"""

from __future__ import annotations

from fastapi import APIRouter, Query

from ocr_service.api.deps import Purpose, RequestId, SessionDep, StaffUser, StoreReader
from ocr_service.api.schemas import (
    DocumentHitPublic,
    DocumentSearchPublic,
    DossierHitPublic,
    DossierSearchPublic,
    document_public,
    error_responses,
)
from ocr_service.auth import Principal
from storage.repository import (
    append_audit,
    audit_document_read,
    dossier_status,
    find_documents,
    find_dossiers,
)
from storage.search import search_documents, search_dossiers

__all__ = ["router"]

router = APIRouter(prefix="/search", tags=["search"])

_Q = Query(
    min_length=1,
    max_length=200,
    description="Words to find, with or without diacritics; each must start a word found.",
)
_PAGE = Query(1, ge=1, le=1000, description="The page, from 1.")
_PAGE_SIZE = Query(20, ge=1, le=100)


def _audit_nothing_found(
    session: SessionDep, user: Principal, action: str, request_id: str, detail: dict[str, object]
) -> None:
    """A search that shows no one is still a search: one row, naming no citizen."""
    append_audit(
        session,
        actor=user.subject,
        role=user.role,
        action=action,
        request_id=request_id,
        detail={**detail, "results": 0},
    )


@router.get("/documents", responses=error_responses(401, 403, 404, 422, 503))
def search_documents_route(
    user: StoreReader,
    session: SessionDep,
    request_id: RequestId,
    purpose: Purpose,
    q: str = _Q,
    page: int = _PAGE,
    page_size: int = _PAGE_SIZE,
) -> DocumentSearchPublic:
    """Documents whose text (the OCR of their pages, their fields, codes) holds every word of
    ``q``, best first. Staff search every document; a citizen only their own, approved ones."""
    found = search_documents(
        session,
        q=q,
        page=page,
        page_size=page_size,
        citizen_id_number=user.subject if user.role == "citizen" else None,
    )
    by_id = find_documents(session, ids=found.ids)
    documents = [by_id[i] for i in found.ids if i in by_id]
    detail: dict[str, object] = {"page": page}
    if purpose:
        detail["dossier_id"] = purpose
    for doc in documents:  # one row per document shown and citizen concerned
        audit_document_read(
            session,
            actor=user.subject,
            role=user.role,
            action="search.documents",
            document=doc,
            request_id=request_id,
            detail=detail,
        )
    if not documents:
        _audit_nothing_found(session, user, "search.documents", request_id, detail)
    session.commit()
    return DocumentSearchPublic(
        hits=[
            DocumentHitPublic(document=document_public(d), snippet=found.snippets[d.id])
            for d in documents
        ],
        total=found.total,
        page=found.page,
        page_size=found.page_size,
        next_page=found.next_page,
    )


@router.get("/dossiers", responses=error_responses(401, 403, 404, 422, 503))
def search_dossiers_route(
    user: StaffUser,
    session: SessionDep,
    request_id: RequestId,
    q: str = _Q,
    page: int = _PAGE,
    page_size: int = _PAGE_SIZE,
) -> DossierSearchPublic:
    """Dossiers by code (mã số hồ sơ), id, citizen's id number or name, best first."""
    found = search_dossiers(session, q=q, page=page, page_size=page_size)
    by_id = find_dossiers(session, ids=found.ids)
    dossiers = [by_id[i] for i in found.ids if i in by_id]
    for dossier in dossiers:  # a hit shows its citizen: a read of their data
        append_audit(
            session,
            actor=user.subject,
            role=user.role,
            action="search.dossiers",
            citizen_id_number=dossier.citizen.id_number,
            request_id=request_id,
            detail={"dossier_id": dossier.id, "page": page},
        )
    if not dossiers:
        _audit_nothing_found(session, user, "search.dossiers", request_id, {"page": page})
    session.commit()
    return DossierSearchPublic(
        hits=[
            DossierHitPublic(
                id=d.id,
                code=d.code,
                procedure_code=d.procedure_code,
                citizen_id_number=d.citizen.id_number,
                created_by=d.created_by,
                created_at=d.created_at,
                status=dossier_status(d),  # type: ignore[arg-type]
                snippet=found.snippets[d.id],
            )
            for d in dossiers
        ],
        total=found.total,
        page=found.page,
        page_size=found.page_size,
        next_page=found.next_page,
    )
