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
    SettingsDep,
    StaffUser,
    StoreDep,
    StoreReader,
)
from ocr_service.api.schemas import (
    CorrectedDocumentPublic,
    DocumentApprove,
    DocumentPublic,
    DocumentUpdate,
    RegisterComparisonPublic,
    ReuseCreate,
    ReusePublic,
    ReusesPublic,
    ReverificationPublic,
    SubjectConfirm,
    document_public,
    error_responses,
    register_comparison_public,
    reuse_public,
)
from ocr_service.approval import (
    SignatureView,
    check_copies,
    qr_payload_of,
    reuse_document,
    sign_approved,
)
from ocr_service.approval import approve as approve_and_sign
from ocr_service.auth import Principal
from ocr_service.copies.qr import qr_svg
from ocr_service.registration import apply_correction
from storage.models import RegisteredDocument
from storage.repository import (
    append_audit,
    audit_document_read,
    citizen_may_see,
    confirm_document_subject,
    get_document,
    get_dossier,
    list_reuses,
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
    audit_document_read(
        session,
        actor=user.subject,
        role=user.role,
        action=action,
        document=doc,
        request_id=request_id,
        detail=detail,
    )


def _checked(
    session: Session,
    user: Principal,
    document: RegisteredDocument,
    store: StoreDep,
    settings: SettingsDep,
    request_id: str,
    checked_bytes: dict[str, bytes] | None = None,
) -> SignatureView:
    """The signed copy's signature as its stored bytes are now (a changed copy is audited)."""
    return check_copies(
        session,
        [document],
        store=store,
        settings=settings,
        actor=user.subject,
        role=user.role,
        request_id=request_id,
        checked_bytes=checked_bytes,
    )[document.id]


@router.get("/{document_id}", responses=error_responses(401, 403, 404, 422, 503))
def read_document(
    document_id: str,
    user: StoreReader,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    request_id: RequestId,
    purpose: Purpose,
) -> DocumentPublic:
    """The document, with its signed copy's signature checked now (``signature``)."""
    document = _readable(session, user, document_id)
    signature = _checked(session, user, document, store, settings, request_id)
    _audit(session, user, "document.read", document, request_id, _served(purpose))
    session.commit()
    return document_public(document, signature)


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
    settings: SettingsDep,
    request_id: RequestId,
    purpose: Purpose,
) -> Response:
    """The document's PDF: its signed copy (QR code, PDF/A, signature) once signed, else the
    searchable PDF, its first page stamped with the digitization code. The signed copy's
    signature is checked first; ``X-Signature-Status`` says the verdict."""
    document = _readable(session, user, document_id)
    if not document.pdf_key:
        raise NotFoundError("This document has no searchable PDF.")
    checked: dict[str, bytes] = {}
    signature = _checked(session, user, document, store, settings, request_id, checked)
    # the signed copy served is the bytes just verified, read once
    data = checked.get(document.id) or store.get(document.signed_pdf_key or document.pdf_key)
    signed = {"signed_copy": True, "signature": signature.status} if document.signed_pdf_key else {}
    _audit(session, user, "document.file", document, request_id, {**_served(purpose), **signed})
    session.commit()
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{document.digitization_code}.pdf"',
            "Cache-Control": "private, no-store",
            "X-Signature-Status": signature.status,
        },
    )


@router.get(
    "/{document_id}/qr",
    response_class=Response,
    responses={
        200: {"content": {"image/svg+xml": {}}},
        **error_responses(401, 403, 404, 422, 503),
    },
)
def document_qr(
    document_id: str,
    user: StoreReader,
    session: SessionDep,
    request_id: RequestId,
    purpose: Purpose,
) -> Response:
    """The QR code printed on the signed copy (Circular 01/2023/TT-VPCP), as SVG for the page."""
    document = _readable(session, user, document_id)
    payload = qr_payload_of(document)
    if payload is None:
        raise NotFoundError("This document has no signed copy, so no QR code.")
    _audit(session, user, "document.qr", document, request_id, _served(purpose))
    session.commit()
    return Response(
        qr_svg(payload),
        media_type="image/svg+xml",
        headers={"Cache-Control": "private, no-store"},
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


@router.post(
    "/{document_id}/approve", responses=error_responses(400, 401, 403, 404, 409, 413, 422, 503)
)
def approve(
    document_id: str,
    user: ClerkUser,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    request_id: RequestId,
    register: RegisterDep,
    body: DocumentApprove | None = None,
) -> DocumentPublic:
    """Approve, then sign the copy (QR code, PDF/A, the clerk's signature) as the last step.

    A field still differing from the population register needs ``reason`` (422
    ``approval_reason_required`` without one); the reason, and each such field's value read,
    value approved and register value, go into the audit row. A person the document names
    whose relation to the dossier's citizen no clerk confirmed: 409 ``subject_unconfirmed``.
    A certificate that may not sign (expired, revoked, untrusted) or a wrong PIN: 422 and
    nothing recorded. The token or signing service unavailable: approved, ``signature.status``
    ``pending``; ``POST /documents/{id}/sign`` signs it later."""
    reason = body.reason if body else None
    document, signature, differences = approve_and_sign(
        session,
        document_id=document_id,
        store=store,
        settings=settings,
        by=user.subject,
        reason=reason,
        register=register,
    )
    detail = {**_served(document.dossier_id), **_signed_detail(signature)}
    if differences:
        detail["approval_reason"] = reason
        detail["differences"] = [d.export() for d in differences]
    _audit(session, user, "document.approve", document, request_id, detail)
    session.commit()
    return document_public(document, signature)


@router.get("/{document_id}/register", responses=error_responses(401, 403, 404, 422, 503))
def register_comparison(
    document_id: str,
    user: StaffUser,
    session: SessionDep,
    request_id: RequestId,
    register: RegisterDep,
    purpose: Purpose,
) -> RegisterComparisonPublic:
    """Every field the register checks: its value there beside the value read (with the
    clerk's corrections), and how they compare. ``reread_confirmed``: the surer reader read
    the field again the same way, so the paper says what was read (no misread hint)."""
    document = get_document(session, document_id=document_id)
    body = register_comparison_public(document, register)
    served = _served(purpose or document.dossier_id)
    _audit(session, user, "document.register", document, request_id, served)
    session.commit()
    return body


def _signed_detail(signature: SignatureView) -> dict[str, Any]:
    return {"signature": signature.status, **({"reason": signature.code} if signature.code else {})}


@router.post("/{document_id}/sign", responses=error_responses(401, 403, 404, 409, 422, 503))
def sign(
    document_id: str,
    user: ClerkUser,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    request_id: RequestId,
) -> DocumentPublic:
    """Sign an approved document whose signing is pending (the token was unavailable): 200
    once signed; the same error again (503) while signing still cannot be done."""
    document, signature, error = sign_approved(
        session, document_id=document_id, store=store, settings=settings, by=user.subject
    )
    detail = {**_served(document.dossier_id), **_signed_detail(signature)}
    _audit(session, user, "document.sign", document, request_id, detail)
    session.commit()
    if error is not None:
        raise error
    return document_public(document, signature)


@router.post(
    "/{document_id}/reuse",
    status_code=201,
    responses=error_responses(400, 401, 403, 404, 409, 413, 422, 503),
)
def reuse(
    document_id: str,
    body: ReuseCreate,
    user: StaffUser,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    request_id: RequestId,
) -> ReusePublic:
    """Record that this document serves another dossier (given by id or code; no new copy
    is made). A signed copy whose signature is now invalid is refused (409), and audited."""
    document = get_document(session, document_id=document_id)
    dossier = get_dossier(session, dossier_id=body.dossier_id)
    event = reuse_document(
        session,
        document=document,
        dossier=dossier,
        store=store,
        settings=settings,
        actor=user.subject,
        role=user.role,
        request_id=request_id,
    )
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
