"""Registered documents: read, searchable PDF, clerk's corrections and approval, reuse."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy.orm import Session

from ocr_service.api.deps import (
    CurrentUser,
    RequestId,
    SessionDep,
    StoreDep,
    deny,
    require_roles,
)
from ocr_service.api.schemas import DocumentUpdate, ReuseCreate, document_public, reuse_public
from ocr_service.auth import Principal
from ocr_service.errors import NotFoundError
from storage.models import RegisteredDocument
from storage.repository import (
    append_audit,
    approve_document,
    correct_fields,
    get_document,
    get_dossier,
    list_reuses,
    record_reuse,
)

__all__ = ["router"]

router = APIRouter(prefix="/documents", tags=["documents"])

_CLERK = require_roles("clerk")
_REUSERS = require_roles("clerk", "officer")


def _readable(session: Session, user: Principal, document_id: str) -> RegisteredDocument:
    """Officers and clerks read any document; a citizen only their own (else 404)."""
    if user.role not in ("clerk", "officer", "citizen"):
        raise deny(user)
    document = get_document(session, document_id=document_id)
    if user.role == "citizen" and document.citizen.id_number != user.subject:
        raise NotFoundError("No registered document with that id.")
    return document


def _audit(
    session: Session, user: Principal, action: str, doc: RegisteredDocument, request_id: str
) -> None:
    append_audit(
        session,
        actor=user.subject,
        role=user.role,
        action=action,
        document_id=doc.id,
        citizen_id_number=doc.citizen.id_number,
        request_id=request_id,
        detail={"digitization_code": doc.digitization_code},
    )


@router.get("/{document_id}")
def read_document(
    document_id: str, session: SessionDep, user: CurrentUser, request_id: RequestId
) -> dict[str, Any]:
    document = _readable(session, user, document_id)
    _audit(session, user, "document.read", document, request_id)
    session.commit()
    return document_public(document)


@router.get(
    "/{document_id}/file",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def document_file(
    document_id: str, session: SessionDep, store: StoreDep, user: CurrentUser, request_id: RequestId
) -> Response:
    """The searchable PDF, its first page stamped with the digitization code."""
    document = _readable(session, user, document_id)
    if not document.pdf_key:
        raise NotFoundError("This document has no searchable PDF.")
    data = store.get(document.pdf_key)
    _audit(session, user, "document.file", document, request_id)
    session.commit()
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{document.digitization_code}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


@router.patch("/{document_id}", dependencies=[_CLERK])
def correct_document(
    document_id: str,
    body: DocumentUpdate,
    session: SessionDep,
    user: CurrentUser,
    request_id: RequestId,
) -> dict[str, Any]:
    document = get_document(session, document_id=document_id)
    correct_fields(session, document=document, fields=body.fields, by=user.subject)
    append_audit(
        session,
        actor=user.subject,
        role=user.role,
        action="document.correct",
        document_id=document.id,
        citizen_id_number=document.citizen.id_number,
        request_id=request_id,
        detail={"fields": sorted(body.fields)},
    )
    session.commit()
    return document_public(document)


@router.post("/{document_id}/approve", dependencies=[_CLERK])
def approve(
    document_id: str, session: SessionDep, user: CurrentUser, request_id: RequestId
) -> dict[str, Any]:
    document = get_document(session, document_id=document_id)
    approve_document(session, document=document, by=user.subject)
    _audit(session, user, "document.approve", document, request_id)
    session.commit()
    return document_public(document)


@router.post("/{document_id}/reuse", status_code=201, dependencies=[_REUSERS])
def reuse(
    document_id: str,
    body: ReuseCreate,
    session: SessionDep,
    user: CurrentUser,
    request_id: RequestId,
) -> dict[str, Any]:
    """Record that this document serves another dossier (no new copy is made)."""
    document = get_document(session, document_id=document_id)
    dossier = get_dossier(session, dossier_id=body.dossier_id)
    event = record_reuse(
        session, document=document, dossier=dossier, actor=user.subject, role=user.role
    )
    append_audit(
        session,
        actor=user.subject,
        role=user.role,
        action="document.reuse",
        document_id=document.id,
        citizen_id_number=document.citizen.id_number,
        request_id=request_id,
        detail={"dossier_id": dossier.id},
    )
    session.commit()
    return reuse_public(event)


@router.get("/{document_id}/reuses")
def reuses(
    document_id: str, session: SessionDep, user: CurrentUser, request_id: RequestId
) -> dict[str, Any]:
    document = _readable(session, user, document_id)
    body = {"reuses": [reuse_public(e) for e in list_reuses(session, document_id=document.id)]}
    _audit(session, user, "document.reuses", document, request_id)
    session.commit()
    return body
