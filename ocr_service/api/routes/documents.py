"""Registered documents: read, searchable PDF, clerk's corrections and approval, reuse."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path
from fastapi.responses import Response
from sqlalchemy.orm import Session

from core.errors import NotFoundError
from core.ids import ID_NUMBER_PATTERN
from core.records import Verification
from ocr_service.api.deps import (
    ClerkUser,
    Purpose,
    RegisterDep,
    RequestId,
    SessionDep,
    StaffUser,
    StoreDep,
    StoreReader,
)
from ocr_service.api.schemas import (
    CorrectedDocumentPublic,
    DocumentPublic,
    DocumentUpdate,
    ReuseCreate,
    ReusePublic,
    ReusesPublic,
    ReverificationPublic,
    SubjectConfirm,
    document_public,
    error_responses,
    reuse_public,
)
from ocr_service.auth import Principal
from ocr_service.registration import apply_correction
from storage.models import RegisteredDocument
from storage.repository import (
    append_audit,
    approve_document,
    citizen_may_see,
    confirm_document_subject,
    get_document,
    get_dossier,
    list_reuses,
    record_reuse,
    subject_id_numbers,
)

__all__ = ["router"]

router = APIRouter(prefix="/documents", tags=["documents"])


def _readable(session: Session, user: Principal, document_id: str) -> RegisteredDocument:
    """Officers and clerks read any document; a citizen only an approved one that is
    confirmed theirs (``citizen_may_see``): the dossier's citizen, or a person a clerk
    confirmed (both spouses, once confirmed, for a marriage certificate).

    Anything else is 404 for a citizen. (``StoreReader`` has already turned away every other
    role.)
    """
    document = get_document(session, document_id=document_id)
    if user.role == "citizen" and not citizen_may_see(document, id_number=user.subject):
        raise NotFoundError("No registered document with that id.")
    return document


def _audit(
    session: Session,
    user: Principal,
    action: str,
    doc: RegisteredDocument,
    request_id: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """One row per citizen concerned: the citizen who read it, or (staff) every subject.

    So each spouse's audit trail shows every staff read of their marriage certificate.
    ``detail["dossier_id"]`` is the dossier served, when there is one (the read's purpose).
    """
    citizens = [user.subject] if user.role == "citizen" else subject_id_numbers(doc)
    for id_number in citizens:
        append_audit(
            session,
            actor=user.subject,
            role=user.role,
            action=action,
            document_id=doc.id,
            citizen_id_number=id_number,
            request_id=request_id,
            detail={"digitization_code": doc.digitization_code, **(detail or {})},
        )


@router.get("/{document_id}", responses=error_responses(401, 403, 404, 422, 503))
def read_document(
    document_id: str,
    user: StoreReader,
    session: SessionDep,
    request_id: RequestId,
    purpose: Purpose,
) -> DocumentPublic:
    document = _readable(session, user, document_id)
    _audit(session, user, "document.read", document, request_id, _served(purpose))
    session.commit()
    return document_public(document)


@router.get(
    "/{document_id}/file",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}},
        **error_responses(401, 403, 404, 422, 503),
    },
)
def document_file(
    document_id: str,
    user: StoreReader,
    session: SessionDep,
    store: StoreDep,
    request_id: RequestId,
    purpose: Purpose,
) -> Response:
    """The searchable PDF, its first page stamped with the digitization code."""
    document = _readable(session, user, document_id)
    if not document.pdf_key:
        raise NotFoundError("This document has no searchable PDF.")
    data = store.get(document.pdf_key)
    _audit(session, user, "document.file", document, request_id, _served(purpose))
    session.commit()
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{document.digitization_code}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


@router.patch("/{document_id}", responses=error_responses(400, 401, 403, 404, 413, 422, 503))
def correct_document(
    document_id: str,
    body: DocumentUpdate,
    user: ClerkUser,
    session: SessionDep,
    request_id: RequestId,
    register: RegisterDep,
) -> CorrectedDocumentPublic:
    """Keep the corrections, verify the corrected fields against the register again.

    The document stays ``needs_review`` until approved; ``reverification`` in the answer
    tells the clerk at once whether the corrected document now matches the register.
    """
    document = get_document(session, document_id=document_id)
    before = subject_id_numbers(document)
    verification = apply_correction(
        session, document=document, fields=body.fields, by=user.subject, register=register
    )
    for id_number in dict.fromkeys([*before, *subject_id_numbers(document)]):
        append_audit(
            session,
            actor=user.subject,
            role=user.role,
            action="document.correct",
            document_id=document.id,
            citizen_id_number=id_number,
            request_id=request_id,
            detail={
                "fields": sorted(body.fields),
                "verification": verification.status,
                "dossier_id": document.dossier_id,
            },
        )
    session.commit()
    return CorrectedDocumentPublic(
        **dict(document_public(document)), reverification=_reverification(verification)
    )


def _reverification(verification: Verification) -> ReverificationPublic:
    matches = verification.status == "match"
    messages = {
        "match": "The corrected document now matches the population register; approve it "
        "to finish the review.",
        "mismatch": "The corrected document still differs from the population register in: "
        + ", ".join(verification.mismatched_fields)
        + ".",
        "not_found": "No population register entry has the corrected id number; check it.",
        "not_applicable": "This document names no one with an id number: nothing to verify.",
    }
    return ReverificationPublic(
        **verification.export(),
        matches_register=matches,
        message=messages.get(verification.status, ""),
    )


@router.post("/{document_id}/approve", responses=error_responses(401, 403, 404, 409, 422, 503))
def approve(
    document_id: str, user: ClerkUser, session: SessionDep, request_id: RequestId
) -> DocumentPublic:
    document = get_document(session, document_id=document_id)
    approve_document(session, document=document, by=user.subject)
    _audit(session, user, "document.approve", document, request_id, _served(document.dossier_id))
    session.commit()
    return document_public(document)


@router.post(
    "/{document_id}/reuse",
    status_code=201,
    responses=error_responses(400, 401, 403, 404, 413, 422, 503),
)
def reuse(
    document_id: str,
    body: ReuseCreate,
    user: StaffUser,
    session: SessionDep,
    request_id: RequestId,
) -> ReusePublic:
    """Record that this document serves another dossier (no new copy is made)."""
    document = get_document(session, document_id=document_id)
    dossier = get_dossier(session, dossier_id=body.dossier_id)
    event = record_reuse(
        session, document=document, dossier=dossier, actor=user.subject, role=user.role
    )
    _audit(session, user, "document.reuse", document, request_id, {"dossier_id": dossier.id})
    session.commit()
    return reuse_public(event)


@router.get("/{document_id}/reuses", responses=error_responses(401, 403, 404, 422, 503))
def reuses(
    document_id: str,
    user: StoreReader,
    session: SessionDep,
    request_id: RequestId,
    purpose: Purpose,
) -> ReusesPublic:
    document = _readable(session, user, document_id)
    body = ReusesPublic(
        reuses=[reuse_public(e) for e in list_reuses(session, document_id=document.id)]
    )
    _audit(session, user, "document.reuses", document, request_id, _served(purpose))
    session.commit()
    return body


@router.post(
    "/{document_id}/subjects/{id_number}/confirm",
    responses=error_responses(400, 401, 403, 404, 409, 413, 422, 503),
)
def confirm_subject(
    document_id: str,
    body: SubjectConfirm,
    user: ClerkUser,
    session: SessionDep,
    request_id: RequestId,
    id_number: str = Path(pattern=ID_NUMBER_PATTERN),
) -> DocumentPublic:
    """A clerk confirms that a person the document names is theirs too, and how they relate
    to the dossier's citizen: until then the document is staff-only for that person.

    Kept on the link (who, when, which relation) and in the audit log; the citizen sees the
    document once it is also approved.
    """
    document = get_document(session, document_id=document_id)
    link = confirm_document_subject(
        session, document=document, id_number=id_number, relation=body.relation, by=user.subject
    )
    _audit(
        session,
        user,
        "document.subject.confirm",
        document,
        request_id,
        {"dossier_id": document.dossier_id, "id_number": id_number, "relation": link.relation},
    )
    session.commit()
    return document_public(document)


def _served(dossier_id: str | None) -> dict[str, Any]:
    return {"dossier_id": dossier_id} if dossier_id else {}
