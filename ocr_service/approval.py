"""Approval (phê duyệt): the approved document's copy is signed, and every read checks it.

Approving a document makes its digitized copy (bản số hóa) from the unsigned searchable PDF:
the QR code of Circular 01/2023/TT-VPCP in the upper left of page 1, PDF/A-2b, then, as the
last step, the approving clerk's (or the agency's) PAdES signature (Decree 107/2021/NĐ-CP,
Circular 01/2023/TT-VPCP Art. 8; docs/legal-codes.md). The signed copy is a new object
``copies/<sha256>``; the searchable PDF is never overwritten.

What can go wrong, and what the document then says:
* the certificate is expired, revoked or untrusted, or the PIN is wrong → the approval is
  refused (a 4xx ``SigningCertificateError``), nothing is recorded or stored;
* the token or the signing service is unavailable → the document is approved but unsigned,
  ``signature.status == "pending"``, and ``sign_approved`` (``POST /documents/{id}/sign``)
  signs it later;
* nothing is configured to sign → approved as before, ``"unsigned"``, saying why.

Every read of a signed copy (``check_copies``) re-reads its bytes and re-hashes them against
the sha256 in its key: a byte changed in the store makes it ``invalid`` (audited as
``document.signature_invalid``); pyHanko's verdict on intact bytes is cached per process by
that sha256, the trust roots and CRLs, and the day.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy.orm import Session

from classifiers import doctypes
from classifiers.verification import compare_fields
from core.errors import (
    ApprovalReasonRequiredError,
    ConflictError,
    NotFoundError,
    SigningNotConfiguredError,
    SigningPinError,
    SigningPinRefusedError,
    SigningUnavailableError,
    SohoaError,
    SubjectUnconfirmedError,
)
from core.records import PopulationRegister
from core.settings import Settings
from ocr_service.attention import reason_required_fields, reasons_of, unconfirmed_subjects
from ocr_service.copies.codes import VIETNAM_TZ
from ocr_service.copies.pdfa import to_pdfa
from ocr_service.copies.qr import QrPayload, add_qr_to_pdf
from ocr_service.copies.signing import (
    CopySigner,
    Pkcs12CopySigner,
    SignatureState,
    SignatureStatus,
    Trust,
    sign_copy,
    signer_from_settings,
    trust_from_settings,
    verify_copy,
)
from storage.models import Dossier, RegisteredDocument, ReuseEvent, utcnow
from storage.objects import ObjectStore, object_key, sha256_hex
from storage.repository import (
    append_audit,
    approve_document,
    effective_fields,
    get_document,
    get_dossier,
    lock_document,
    record_reuse,
    record_signature,
    record_signed_copy,
    subject_id_numbers,
)

__all__ = [
    "COPY_KIND",
    "ApprovedDifference",
    "SignatureView",
    "approve",
    "approve_verified",
    "check_approvable",
    "check_copies",
    "check_copy",
    "copy_qr_payload",
    "ensure_reusable",
    "qr_payload_of",
    "reuse_document",
    "sign_approved",
    "sign_document",
    "signature_of",
]

log = logging.getLogger(__name__)

COPY_KIND = "copies"  # object keys copies/<sha256>
SignatureStatusName = Literal["valid", "invalid", "untrusted", "pending", "unsigned"]

_NOT_APPROVED = "Chưa phê duyệt nên bản số hóa chưa được ký số."
_NOT_SIGNED = "Bản số hóa chưa được ký số."
_NO_PDF = "Giấy tờ không có bản PDF nên không có bản số hóa để ký số."
_CHANGED = (
    "Chữ ký số không hợp lệ: bản số hóa trong kho đã bị thay đổi sau khi ký (nội dung không "
    "còn khớp với bản đã ký). Không sử dụng bản này; báo quản trị hệ thống."
)
_MISSING = (
    "Chữ ký số không kiểm tra được: không tìm thấy bản số hóa đã ký trong kho lưu trữ. "
    "Báo quản trị hệ thống."
)
_NO_TRUST = (
    "Không kiểm tra được chữ ký số: chưa cấu hình chứng thư gốc tin cậy "
    "(SOHOA_SIGNING_TRUST_ROOTS)."
)


@dataclass(frozen=True)
class SignatureView:
    """What the API and the pages say about a document's signature."""

    status: SignatureStatusName
    message: str
    signer: str | None = None  # the certificate's name (CN)
    signed_by: str | None = None  # the sohoa user who signed (the approving clerk)
    signed_at: datetime | None = None
    code: str | None = None  # why pending or unsigned (the error code)
    checked_at: datetime | None = None  # when the signed copy's bytes were last checked

    def record(self) -> dict[str, Any]:
        """The JSON kept in ``registered_documents.signature``."""
        return {
            "status": self.status,
            "message": self.message,
            "signer": self.signer,
            "code": self.code,
            "checked_at": self.checked_at.isoformat() if self.checked_at else None,
        }

    def export(self) -> dict[str, Any]:
        """The API's ``signature`` object."""
        return {
            "status": self.status,
            "message": self.message,
            "signer": self.signer,
            "signed_by": self.signed_by,
            "signed_at": self.signed_at,
            "code": self.code,
            "checked_at": self.checked_at,
        }


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


_STATUSES: tuple[SignatureStatusName, ...] = (
    "valid",
    "invalid",
    "untrusted",
    "pending",
    "unsigned",
)


def signature_of(document: RegisteredDocument) -> SignatureView:
    """The signature as last recorded on the document (no look at the stored bytes)."""
    record = document.signature or {}
    status = record.get("status")
    if status not in _STATUSES:
        message = _NOT_SIGNED if document.review_status == "approved" else _NOT_APPROVED
        return SignatureView("unsigned", message)
    return SignatureView(
        status=status,
        message=str(record.get("message") or _NOT_SIGNED),
        signer=record.get("signer"),
        signed_by=document.signed_by,
        signed_at=document.signed_at,
        code=record.get("code"),
        checked_at=_parse_time(record.get("checked_at")),
    )


def qr_payload_of(document: RegisteredDocument) -> QrPayload | None:
    """The QR code printed on the document's signed copy, if it has one."""
    text = (document.signature or {}).get("qr")
    if not document.signed_pdf_key or not isinstance(text, str):
        return None
    return QrPayload.decode(text)


# --- making and signing the copy --------------------------------------------------------------

_SAFE_SUBJECT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$")


def _clerk_signer(settings: Settings, clerk: str) -> CopySigner:
    """The approving clerk's own PKCS#12: ``<SOHOA_SIGNING_CLERK_PKCS12_DIR>/<clerk>.p12``."""
    folder = settings.signing_clerk_pkcs12_dir
    if folder is None:
        raise SigningNotConfiguredError(
            "Chưa cấu hình thư mục chứng thư số của cán bộ (SOHOA_SIGNING_CLERK_PKCS12_DIR) nên "
            "tài liệu đã phê duyệt nhưng chưa ký."
        )
    path = folder / f"{clerk}.p12"
    if not _SAFE_SUBJECT.match(clerk) or not path.is_file():
        raise SigningUnavailableError(
            f"Chưa có chứng thư số của cán bộ {clerk} ({folder}/<tên đăng nhập>.p12) nên tài "
            "liệu đã phê duyệt nhưng chưa ký. Cài chứng thư số của cán bộ rồi ký lại."
        )
    password = settings.signing_clerk_pkcs12_passwords.get(clerk) or (
        settings.signing_pkcs12_password
    )
    return Pkcs12CopySigner(path, password)


def _signer(settings: Settings, clerk: str) -> CopySigner:
    if settings.signing_signer == "clerk":
        return _clerk_signer(settings, clerk)
    return signer_from_settings(settings)


def _document_name(document: RegisteredDocument) -> str:
    record = doctypes.get(document.doc_type)
    return record.label if record is not None else document.doc_type


def copy_qr_payload(
    document: RegisteredDocument, dossier: Dossier, settings: Settings, at: datetime
) -> QrPayload:
    """The Circular's minimum (docs/legal-codes.md §4): the dossier code (a dossier opened
    before codes existed gives its id), the procedure code, the applicant's identifier (the
    dossier's citizen), the document's Vietnamese name, the system's name, the time."""
    return QrPayload(
        dossier_code=dossier.code or dossier.id,
        procedure_code=dossier.procedure_code,
        applicant_id=dossier.citizen.id_number,
        document_name=_document_name(document),
        system_name=settings.system_name,
        published_at=at.astimezone(VIETNAM_TZ).replace(microsecond=0),
    )


def _view_of(status: SignatureStatus, *, signed_by: str | None, at: datetime) -> SignatureView:
    if status.state is SignatureState.UNSIGNED:  # a signed copy without a signature: stripped
        return SignatureView("invalid", _CHANGED, signed_by=signed_by, checked_at=at)
    state: SignatureStatusName = status.state.value  # type: ignore[assignment]
    return SignatureView(
        status=state,
        message=status.message,
        signer=status.signer,
        signed_by=signed_by,
        signed_at=status.signed_at,
        checked_at=at,
    )


def sign_document(
    session: Session,
    *,
    document: RegisteredDocument,
    store: ObjectStore,
    settings: Settings,
    by: str,
    now: datetime | None = None,
) -> tuple[SignatureView, SohoaError | None]:
    """Make the document's copy and sign it as ``by``; record what happened on the document.

    Returns the signature and, when it stays pending or unsigned, the error that says why.
    A certificate that may not sign, or a wrong PIN, raises (``SigningCertificateError``):
    the caller rolls back and nothing of this call is recorded or referenced.
    """
    at = (now or utcnow()).astimezone(UTC).replace(microsecond=0)
    if not document.pdf_key:
        view = SignatureView("unsigned", _NO_PDF, code="no_pdf")
        record_signature(session, document=document, signature=view.record())
        return view, None
    try:
        signer = _signer(settings, by)
        trust = trust_from_settings(settings)
        dossier = get_dossier(session, dossier_id=document.dossier_id)
        payload = copy_qr_payload(document, dossier, settings, at)
        copy = to_pdfa(add_qr_to_pdf(store.get(document.pdf_key), payload))
        signed = sign_copy(
            copy,
            signer,
            trust,
            role=settings.signing_role,
            timestamper=settings.signing_tsa_url,
            refuse_demo=settings.environment != "development",
            now=at,
        )
    except SigningNotConfiguredError as exc:
        view = SignatureView("unsigned", exc.message, code=exc.code)
        record_signature(session, document=document, signature=view.record())
        return view, exc
    except SigningPinError as exc:
        raise SigningPinRefusedError() from exc
    except SigningUnavailableError as exc:
        log.warning("document %s approved but not signed: %s", document.id, exc.code)
        view = SignatureView("pending", exc.message, code=exc.code)
        record_signature(session, document=document, signature=view.record())
        return view, exc
    sha = sha256_hex(signed)
    status = _remember(sha, trust, verify_copy(signed, trust))
    key = object_key(COPY_KIND, sha)
    store.put(key, signed, sha256=sha)  # content-addressed, never overwritten
    view = _view_of(status, signed_by=by, at=at)
    view = replace(view, signed_at=at)
    record_signed_copy(
        session,
        document=document,
        key=key,
        signed_at=at,
        signed_by=by,
        signature={**view.record(), "qr": payload.encode()},
    )
    return view, None


@dataclass(frozen=True)
class ApprovedDifference:
    """A field approved while it differs from the register: what was read, what was approved
    (the clerk's correction, if any), the register's value; kept in the approval's audit row."""

    field: str
    read: str | None
    approved: str | None
    register: str | None

    def export(self) -> dict[str, str | None]:
        return {
            "field": self.field,
            "read": self.read,
            "approved": self.approved,
            "register": self.register,
        }


def check_approvable(
    document: RegisteredDocument,
    *,
    reason: str | None,
    register: PopulationRegister | None = None,
) -> list[ApprovedDifference]:
    """Refuse an approval the clerk may not make as asked; else the differences approved.

    A person the document names whose relation no clerk confirmed: ``SubjectUnconfirmedError``
    (409). A field still differing from the register (khác dữ liệu, or only in its marks)
    without a ``reason``: ``ApprovalReasonRequiredError`` (422)."""
    if document.review_status == "approved":
        raise ConflictError("The document is already approved.")
    others = unconfirmed_subjects(document)
    if others:
        raise SubjectUnconfirmedError(id_numbers=others)
    differing = reason_required_fields(document)
    if differing and not (reason or "").strip():
        raise ApprovalReasonRequiredError(fields=differing)
    fields = effective_fields(document)
    text = {k: v for k, v in fields.items() if isinstance(v, str)}
    registered = {
        c.field: c.register_value for c in compare_fields(document.doc_type, text, register)
    }
    return [
        ApprovedDifference(
            field=name,
            read=(document.fields or {}).get(name),
            approved=fields.get(name),
            register=registered.get(name),
        )
        for name in differing
    ]


def approve(
    session: Session,
    *,
    document_id: str,
    store: ObjectStore,
    settings: Settings,
    by: str,
    reason: str | None = None,
    register: PopulationRegister | None = None,
    now: datetime | None = None,
) -> tuple[RegisteredDocument, SignatureView, list[ApprovedDifference]]:
    """Approve the document as the clerk ``by`` and sign its copy, signing last.

    Refusals (already approved; a person named but unconfirmed; a difference from the
    register without ``reason``; a certificate that may not sign) raise before anything is
    recorded; the caller commits, or rolls back on any error. Returns the differences from
    the register approved with the reason (for the audit row)."""
    lock_document(session, document_id=document_id)
    document = get_document(session, document_id=document_id)
    differences = check_approvable(document, reason=reason, register=register)
    view, _ = sign_document(
        session, document=document, store=store, settings=settings, by=by, now=now
    )
    approve_document(session, document=document, by=by)
    return document, view, differences


def approve_verified(
    session: Session,
    *,
    dossier_id: str,
    store: ObjectStore,
    settings: Settings,
    by: str,
    now: datetime | None = None,
) -> tuple[list[tuple[RegisteredDocument, SignatureView]], list[RegisteredDocument]]:
    """Approve (and sign, each as ``approve`` does) every document of the dossier the register
    verified and nothing else calls the clerk to (``attention.reasons_of``: a person named
    unconfirmed, a field read with low confidence). Returns those approved and those left for
    the clerk (still to review, or verified but with a reason). One transaction: the caller
    commits, or rolls back on any error (a certificate that may not sign refuses them all)."""
    dossier = get_dossier(session, dossier_id=dossier_id)
    approved: list[tuple[RegisteredDocument, SignatureView]] = []
    left: list[RegisteredDocument] = []
    for component in dossier.components:
        for document in component.documents:
            if document.review_status == "approved":
                continue
            if document.review_status != "verified" or reasons_of(document):
                left.append(document)
                continue
            doc, view, _ = approve(
                session,
                document_id=document.id,
                store=store,
                settings=settings,
                by=by,
                now=now,
            )
            approved.append((doc, view))
    return approved, left


def sign_approved(
    session: Session,
    *,
    document_id: str,
    store: ObjectStore,
    settings: Settings,
    by: str,
    now: datetime | None = None,
) -> tuple[RegisteredDocument, SignatureView, SohoaError | None]:
    """Sign an approved document whose signing is pending (or was not configured)."""
    lock_document(session, document_id=document_id)
    document = get_document(session, document_id=document_id)
    if document.review_status != "approved":
        raise ConflictError("Giấy tờ chưa được phê duyệt; phê duyệt giấy tờ (việc này ký số luôn).")
    if document.signed_pdf_key:
        raise ConflictError("Giấy tờ đã có bản số hóa được ký số; không ký lại.")
    view, error = sign_document(
        session, document=document, store=store, settings=settings, by=by, now=now
    )
    return document, view, error


# --- checking the signed copy on every read ---------------------------------------------------

_CACHE_SIZE = 4096
_cache: OrderedDict[tuple[str, str, str], SignatureStatus] = OrderedDict()
_cache_lock = threading.Lock()


def _fingerprint(trust: Trust) -> str:
    from cryptography.hazmat.primitives import serialization

    digest = hashlib.sha256()
    for cert in trust.roots:
        digest.update(cert.public_bytes(serialization.Encoding.DER))
    for crl in trust.crls:
        digest.update(b"\x00crl\x00" + crl)
    return digest.hexdigest()


def _cache_key(sha: str, trust: Trust) -> tuple[str, str, str]:
    # the day too: a certificate expires, a CRL is renewed
    return sha, _fingerprint(trust), datetime.now(UTC).date().isoformat()


def _remember(sha: str, trust: Trust, status: SignatureStatus) -> SignatureStatus:
    with _cache_lock:
        _cache[_cache_key(sha, trust)] = status
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return status


def _verified(data: bytes, sha: str, trust: Trust) -> SignatureStatus:
    """pyHanko's verdict on bytes whose sha256 the caller has just computed from them."""
    key = _cache_key(sha, trust)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    return _remember(sha, trust, verify_copy(data, trust))


def check_copy(
    document: RegisteredDocument, *, store: ObjectStore, settings: Settings
) -> SignatureView:
    """The signature of the document's signed copy as its stored bytes are now.

    The bytes are read and hashed on every call: if they no longer hash to the sha256 their
    key names, the copy was changed in the store (``invalid``), whatever any cache says.
    A document without a signed copy gives its recorded status."""
    return read_checked_copy(document, store=store, settings=settings)[0]


def read_checked_copy(
    document: RegisteredDocument, *, store: ObjectStore, settings: Settings
) -> tuple[SignatureView, bytes | None]:
    """``check_copy``, and the very bytes it checked (None: no signed copy, or none in the
    store), so that what is served is what was verified, read once."""
    key = document.signed_pdf_key
    if not key:
        return signature_of(document), None
    at = utcnow()
    recorded = signature_of(document)
    base = replace(recorded, checked_at=at, code=None)
    try:
        data = store.get(key)
    except NotFoundError:
        return replace(base, status="invalid", message=_MISSING), None
    sha = sha256_hex(data)
    if sha != key.rsplit("/", 1)[-1]:
        return replace(base, status="invalid", message=_CHANGED), data
    try:
        trust = trust_from_settings(settings)
    except SigningNotConfiguredError:
        return replace(base, status="untrusted", message=_NO_TRUST), data
    view = _view_of(_verified(data, sha, trust), signed_by=document.signed_by, at=at)
    if view.status == "invalid":
        view = replace(view, message=_CHANGED)
    return replace(view, signed_at=document.signed_at or view.signed_at), data


def check_copies(
    session: Session,
    documents: Iterable[RegisteredDocument],
    *,
    store: ObjectStore,
    settings: Settings,
    actor: str,
    role: str,
    request_id: str | None,
    checked_bytes: dict[str, bytes] | None = None,
) -> dict[str, SignatureView]:
    """``check_copy`` for each document; a changed verdict is recorded on the document, and
    each ``invalid`` one is audited (``document.signature_invalid``, a row per citizen whose
    store holds it), in the caller's transaction. ``checked_bytes``, when given, receives
    each signed copy's bytes as they were checked."""
    out: dict[str, SignatureView] = {}
    for document in documents:
        view, data = read_checked_copy(document, store=store, settings=settings)
        out[document.id] = view
        if checked_bytes is not None and data is not None:
            checked_bytes[document.id] = data
        if not document.signed_pdf_key:
            continue
        if view.status != signature_of(document).status:
            record_signature(
                session,
                document=document,
                signature={**(document.signature or {}), **view.record()},
            )
        if view.status == "invalid":
            log.warning(
                "document %s: signed copy %s is invalid", document.id, document.signed_pdf_key
            )
            for id_number in subject_id_numbers(document):
                append_audit(
                    session,
                    actor=actor,
                    role=role,
                    action="document.signature_invalid",
                    document_id=document.id,
                    citizen_id_number=id_number,
                    request_id=request_id,
                    detail={
                        "digitization_code": document.digitization_code,
                        "signed_pdf_key": document.signed_pdf_key,
                        "message": view.message,
                    },
                )
    return out


def ensure_reusable(view: SignatureView) -> None:
    """A copy whose signature is invalid (changed after signing) may not serve another dossier."""
    if view.status == "invalid":
        raise ConflictError(
            "Bản số hóa này có chữ ký số không hợp lệ (đã bị thay đổi sau khi ký) nên không được "
            "sử dụng lại; yêu cầu công dân xuất trình bản giấy và báo quản trị hệ thống."
        )


def reuse_document(
    session: Session,
    *,
    document: RegisteredDocument,
    dossier: Dossier,
    store: ObjectStore,
    settings: Settings,
    actor: str,
    role: str,
    request_id: str | None,
) -> ReuseEvent:
    """Record that ``document`` serves ``dossier`` (tái sử dụng; no new copy is made), audited
    as ``document.reuse`` for every citizen whose store holds it, in the caller's transaction.

    Its signed copy is checked first: one whose signature is now invalid is refused (409),
    and that finding's audit is committed before refusing, so it stays.
    """
    view = check_copies(
        session,
        [document],
        store=store,
        settings=settings,
        actor=actor,
        role=role,
        request_id=request_id,
    )[document.id]
    if view.status == "invalid":
        session.commit()  # the audit of the invalid copy stays, the reuse is refused
    ensure_reusable(view)
    event = record_reuse(session, document=document, dossier=dossier, actor=actor, role=role)
    for id_number in subject_id_numbers(document):
        append_audit(
            session,
            actor=actor,
            role=role,
            action="document.reuse",
            document_id=document.id,
            citizen_id_number=id_number,
            request_id=request_id,
            detail={"digitization_code": document.digitization_code, "dossier_id": dossier.id},
        )
    return event
