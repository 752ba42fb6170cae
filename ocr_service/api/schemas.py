"""Request bodies (``XCreate``/``XUpdate``) and the JSON the API answers with (``XPublic``).

Every JSON answer is one of the ``XPublic`` models, declared on its route so the OpenAPI
documents it, and every error is an ``ErrorPublic``; ``x_public(row)`` builds the model from
the store's rows. The models carry exactly the keys, order and nulls the API has always
sent, which is why no ``XBase`` is shared with the request bodies: the answers lead with
``id``, and fields inherited from a base would come before it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    field_validator,
)
from pydantic.json_schema import JsonDict, SkipJsonSchema

from classifiers import doctypes
from classifiers.verification import compare_fields
from core.card_qr import CardQr
from core.id_structure import IdStructure
from core.ids import ID_NUMBER_PATTERN
from core.records import PopulationRegister, VerificationStatus
from ocr_service.approval import SignatureView, signature_of
from ocr_service.attention import (
    ReasonCode,
    attention_first,
    component_reasons,
    dossier_stage,
    field_review_messages,
    needs_clerk,
    reason_required_fields,
    reasons_of,
)
from ocr_service.auth import Role
from ocr_service.procedures import ChecklistItem, DocumentRef, Procedure, RequiredComponent
from storage.models import (
    AuditEvent,
    Component,
    DocumentSubject,
    Dossier,
    PageOcr,
    RegisteredDocument,
    ReuseEvent,
)
from storage.repository import dossier_status, effective_fields, subject_id_numbers

__all__ = [
    "API_PREFIX",
    "AccessLogEntryPublic",
    "AccessLogPublic",
    "AttentionItemPublic",
    "AuditEventPublic",
    "BulkApprovalPublic",
    "AuditLogPublic",
    "CardQrCreate",
    "ChecklistItemPublic",
    "ChecklistPublic",
    "CardQrPublic",
    "CitizenCardPublic",
    "CitizenRegisterPublic",
    "CitizenDocumentsPublic",
    "ComponentAcceptedPublic",
    "ComponentErrorPublic",
    "ComponentPublic",
    "ComponentUploadedPublic",
    "ComponentWithPagesPublic",
    "CorrectedDocumentPublic",
    "DocumentHitPublic",
    "DocumentApprove",
    "DocumentPublic",
    "DocumentRefPublic",
    "DocumentSearchPublic",
    "DocumentSubjectPublic",
    "DocumentUpdate",
    "DossierCreate",
    "DossierHitPublic",
    "DossierPublic",
    "DossierReuseCreate",
    "DossierSearchPublic",
    "DossiersPublic",
    "ErrorInfo",
    "ErrorPublic",
    "FieldComparisonPublic",
    "FieldCorrectionPublic",
    "IdFindingPublic",
    "IdStructurePublic",
    "OcrLinePublic",
    "PagePublic",
    "RegisterComparisonPublic",
    "ReasonPublic",
    "ProcedureComponentPublic",
    "ProcedurePublic",
    "ProceduresPublic",
    "ReuseCreate",
    "ReusePublic",
    "ReusesPublic",
    "RegisterPersonPublic",
    "ReverificationPublic",
    "SubjectConfirm",
    "SignaturePublic",
    "UserPublic",
    "VerificationPublic",
    "WorklistItemPublic",
    "WorklistPublic",
    "attention_public",
    "audit_public",
    "component_public",
    "component_with_pages_public",
    "document_public",
    "dossier_public",
    "error_responses",
    "card_qr_public",
    "checklist_item_public",
    "id_structure_public",
    "page_public",
    "register_comparison_public",
    "procedure_public",
    "reuse_public",
    "subject_public",
    "worklist_item_public",
    "signature_public",
]

API_PREFIX = "/api/v1"


# --- request bodies -------------------------------------------------------------------------


class DossierCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # printable only: PostgreSQL refuses NUL in text (it would surface as a 503, not a 422)
    procedure_code: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")
    citizen_id_number: str = Field(pattern=ID_NUMBER_PATTERN, description="12-digit id number")
    applicant_phone: str | None = Field(
        None, max_length=20, pattern=r"^\+?[0-9][0-9 .-]{5,18}$", description="On the receipt."
    )
    applicant_email: str | None = Field(
        None, max_length=254, pattern=r"^[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f]+$"
    )


# Bounds on a correction (#17): a document type has at most 12 fields and sohoa knows 32
# names; the longest value read so far is an address of ~100 characters.
MAX_CORRECTED_FIELDS = 40
MAX_CORRECTED_VALUE = 1000
CorrectedValue = Annotated[str, StringConstraints(max_length=MAX_CORRECTED_VALUE)]


class DocumentUpdate(BaseModel):
    """Corrections: field name → corrected value (``null`` removes a wrongly read field)."""

    model_config = ConfigDict(extra="forbid")

    fields: dict[str, CorrectedValue | None] = Field(min_length=1, max_length=MAX_CORRECTED_FIELDS)

    @field_validator("fields")
    @classmethod
    def _names(cls, value: dict[str, str | None]) -> dict[str, str | None]:
        for name in value:
            if not name.isidentifier() or len(name) > 64:
                raise ValueError(f"{name!r} is not a field name")
        return {k: (v.strip() if isinstance(v, str) else v) for k, v in value.items()}


MAX_APPROVAL_REASON = 500


class DocumentApprove(BaseModel):
    """An approval's body, optional: the reason for approving fields that differ from the
    population register (required then)."""

    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(
        default=None,
        max_length=MAX_APPROVAL_REASON,
        description="Why the document is approved although a field differs from the register "
        "(e.g. the register is out of date: the paper was checked). Kept in the audit log.",
    )


class ReuseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dossier_id: str = Field(min_length=1, max_length=32)


class DossierReuseCreate(BaseModel):
    """Reuse a document of the citizen's store in this dossier, named by its digitization
    result code (mã kết quả số hóa), instead of scanning the paper again."""

    model_config = ConfigDict(extra="forbid")

    digitization_code: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")


class CardQrCreate(BaseModel):
    """The text the tablet's camera read from the QR code on the citizen's card."""

    model_config = ConfigDict(extra="forbid")

    payload: str = Field(min_length=1, max_length=2000)


# storage.models.RELATIONS but ``self``, which only intake gives (a test keeps them equal)
ClerkRelation = Literal["spouse", "child", "parent", "ward", "principal"]


class SubjectConfirm(BaseModel):
    """How the person the document names relates to the dossier's citizen."""

    model_config = ConfigDict(extra="forbid")

    relation: ClerkRelation = Field(
        description="spouse (vợ/chồng), child (con), parent (cha/mẹ), ward (người được giám "
        "hộ) or principal (người ủy quyền nộp hồ sơ) of the dossier's citizen."
    )


def _no_default(schema: JsonDict) -> None:
    schema.pop("default", None)


def _absent_unless_set(description: str) -> Any:
    """An optional key: left out of the body when it has no value (never sent as null)."""
    return Field(
        default=None,
        description=description,
        exclude_if=lambda value: value is None,
        json_schema_extra=_no_default,
    )


# --- errors ---------------------------------------------------------------------------------


class ErrorInfo(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. `not_found`.")
    message: str = Field(description="What went wrong and what to do next.")
    details: dict[str, Any] | SkipJsonSchema[None] = _absent_unless_set(
        "More about some errors (e.g. the component an upload left unqueued)."
    )


class ErrorPublic(BaseModel):
    """Every error the API answers (``ocr_service.api.errors``), whatever its status."""

    error: ErrorInfo


_ERROR_WHEN = {
    400: "The body could not be read at all (e.g. JSON that is not UTF-8).",
    401: "No valid bearer token: missing, malformed, expired or signed with another key.",
    403: "The caller's role may not do this (a citizen is answered 404 instead).",
    404: "No such thing, or not the calling citizen's (a citizen never learns it exists).",
    409: "The request conflicts with the current state (e.g. already approved; a copy whose "
    "signature is invalid may not be reused).",
    413: "The file (its pages or pixels) or the request body is over the limit.",
    415: "The file is not a JPEG, PNG, TIFF, WebP, HEIC or PDF (judged from its content).",
    422: "The request is not valid; the message names what to fix.",
    503: "The database, object store or job queue is unavailable; retry later.",
    507: "The store's disk is full; nothing was recorded, retry once there is room.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: each error status it can answer, with ``ErrorPublic``."""
    return {s: {"model": ErrorPublic, "description": _ERROR_WHEN[s]} for s in statuses}


# --- answers --------------------------------------------------------------------------------


def _isoformat(value: datetime) -> str:
    return value.isoformat()


# ``datetime.isoformat()`` as the API has always sent it: with ``+00:00`` on PostgreSQL and
# on rows just written, without an offset when SQLite hands a stored time back (always UTC).
Timestamp = Annotated[datetime, PlainSerializer(_isoformat, return_type=str, when_used="json")]

ComponentStatus = Literal["queued", "processing", "done", "failed"]
DossierStatus = Literal["empty", "queued", "processing", "failed", "done"]
ReviewStatus = Literal["verified", "needs_review", "approved"]


class _Public(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UserPublic(_Public):
    """Who the token says the caller is."""

    role: Role
    subject: str


class _VerificationBase(_Public):
    status: VerificationStatus
    mismatched_fields: list[str]
    diacritics_only_fields: list[str] = Field(
        description="Differ from the register only in diacritics: probably a misread."
    )
    reread_fields: list[str] = Field(
        default_factory=list,
        description="Read again by the surer reader the same way: the paper says so, not a "
        "misread.",
    )


class VerificationPublic(_VerificationBase):
    """The check against the population register, as stored with the document."""

    checked_after_correction_at: str | SkipJsonSchema[None] = _absent_unless_set(
        "When a clerk's correction was checked again (ISO 8601); only after a correction."
    )


class ReverificationPublic(_VerificationBase):
    """The corrected document checked against the register again, with a word for the clerk."""

    matches_register: bool
    message: str


class FieldCorrectionPublic(_Public):
    value: str | None = Field(description="The corrected value; null removed the field.")
    original: str | None = Field(description="What the pipeline read.")
    by: str
    at: str = Field(description="When (ISO 8601).")


class DocumentSubjectPublic(_Public):
    """A person the document names, and whether the document is theirs (confirmed)."""

    id_number: str
    field: str = Field(description="The field that named them, or `dossier` (named no one).")
    confirmed: bool = Field(
        description="Confirmed by intake (the dossier's citizen) or by a clerk; until then "
        "the document is not shown to this person."
    )
    relation: str | None = Field(description="To the dossier's citizen; `self` for them.")
    confirmed_by: str | None
    confirmed_at: Timestamp | None


SignatureStatus = Literal["valid", "invalid", "untrusted", "pending", "unsigned"]


class SignaturePublic(_Public):
    """The digital signature on the document's digitized copy (ký số bản số hóa)."""

    status: SignatureStatus = Field(
        description="valid; invalid (the signed copy changed after signing: not reusable); "
        "untrusted (not from a trusted CA); pending (approved, signing to be retried with "
        "POST /documents/{id}/sign); unsigned (not approved, or no signer configured)."
    )
    message: str = Field(description="What the status means, in Vietnamese.")
    signer: str | None = Field(description="The signing certificate's name (CN).")
    signed_by: str | None = Field(description="The sohoa user (clerk) who signed.")
    signed_at: Timestamp | None
    code: str | None = Field(description="Why pending or unsigned: the error code.")
    checked_at: Timestamp | None = Field(
        description="When the signed copy's stored bytes were checked: now on the reads that "
        "check it (a document, its file, a component, a citizen's documents), else the last "
        "check recorded."
    )


class DocumentPublic(_Public):
    """A registered document: the CLI's extract shape plus the store's own fields."""

    id: str
    digitization_code: str = Field(description="Mã kết quả số hóa, e.g. SH-20261121-7KQ2M9XD-R.")
    source: str
    pages: list[int]
    doc_type: str
    fields: dict[str, str] = Field(description="As read, with the clerk's corrections applied.")
    field_confidence: dict[str, float]
    verification: VerificationPublic
    doc_type_confidence: float
    field_source: dict[str, str] = Field(description="Where each value came from: ocr, qr, mrz.")
    field_readings: dict[str, dict[str, str]] = Field(
        description="Each field read by more than one source (printed text ocr, the card's qr "
        "code, its mrz): every reading, as the pipeline found them, kept when a clerk corrects "
        "the field (evidence). Empty for documents registered before readings were stored."
    )
    field_review: dict[str, str] = Field(
        description="The fields the pipeline flagged for a person's look, and why (as the CLI's "
        "JSON says it): the sources disagree, only one read it, it is partly hidden."
    )
    field_review_messages: dict[str, str] = Field(
        description="The same reasons in Vietnamese, as the review page shows them."
    )
    review_status: ReviewStatus
    corrected_fields: dict[str, FieldCorrectionPublic]
    approved_by: str | None
    approved_at: Timestamp | None
    component_id: str
    dossier_id: str
    citizen_id_number: str
    subject_id_numbers: list[str] = Field(
        description="Everyone whose store holds it (both spouses for a marriage certificate)."
    )
    created_at: Timestamp
    updated_at: Timestamp
    file_url: str | None = Field(
        description="The document's PDF, when there is one: its signed copy once signed."
    )
    subjects: list[DocumentSubjectPublic] = Field(
        description="Everyone it names, primary subject first, each confirmed or not."
    )
    signature: SignaturePublic
    qr_url: str | None = Field(
        description="The QR code printed on the signed copy (SVG), when there is one."
    )


FieldOutcomePublic = Literal["match", "mismatch", "diacritics", "absent"]


class FieldComparisonPublic(_Public):
    """One field the register checks: its value there beside the value read."""

    field: str
    label: str = Field(description="The field's Vietnamese label.")
    id_number: str = Field(description="Whose register entry it is compared with.")
    value: str | None = Field(description="As read, with the clerk's corrections applied.")
    register_value: str | None
    outcome: FieldOutcomePublic = Field(
        description="match; mismatch (khác dữ liệu); diacritics (only the tone marks differ: "
        "probably a misread, unless reread_confirmed); absent (a side has no value, or the "
        "register has no one with that id number)."
    )
    reread_confirmed: bool = Field(
        description="The surer reader read the field again the same way: the paper says so."
    )
    hint: str | None = Field(description="What the page says about the difference.")


class RegisterComparisonPublic(_Public):
    """The document's fields beside the population register's (đối chiếu CSDL dân cư)."""

    document_id: str
    verification: VerificationPublic
    fields: list[FieldComparisonPublic]
    reason_required_fields: list[str] = Field(
        description="Fields differing from the register: approving needs a reason."
    )


class CorrectedDocumentPublic(DocumentPublic):
    reverification: ReverificationPublic


class OcrLinePublic(_Public):
    text: str
    box: list[list[int]] = Field(description="Four corners [x, y] in the page image.")
    confidence: float


class PagePublic(_Public):
    """One page as the OCR saw it (coordinates in the preprocessed ``image_url``)."""

    page: int
    width: int
    height: int
    rotation: int
    image_url: str
    lines: list[OcrLinePublic]


class ComponentErrorPublic(_Public):
    code: str
    message: str | None
    retryable: bool


class ComponentPublic(_Public):
    """A scan of the dossier (thành phần hồ sơ) and the documents found in it."""

    id: str
    dossier_id: str
    status: ComponentStatus
    original_filename: str
    content_type: str
    size: int
    sha256: str
    attempts: int
    error: ComponentErrorPublic | None
    created_at: Timestamp
    updated_at: Timestamp
    started_at: Timestamp | None
    finished_at: Timestamp | None
    documents: list[DocumentPublic]


class ComponentWithPagesPublic(ComponentPublic):
    pages: list[PagePublic]


class ComponentAcceptedPublic(_Public):
    id: str
    status: ComponentStatus


class ComponentUploadedPublic(ComponentAcceptedPublic):
    component: ComponentPublic


class ReasonPublic(_Public):
    """Why the clerk is needed (``ocr_service.attention``)."""

    code: ReasonCode
    message: str = Field(description="What to do, in Vietnamese.")
    fields: list[str] = Field(description="The fields (or id numbers) concerned.")


class AttentionItemPublic(_Public):
    """A document (or a failed component) of the dossier, and whether and why it needs the
    clerk; the dossier lists them attention first."""

    kind: Literal["document", "component"]
    id: str
    component_id: str
    doc_type: str | None
    review_status: ReviewStatus | None
    needs_clerk: bool
    reasons: list[ReasonPublic]


DossierStage = Literal["received", "digitized", "reviewed", "complete"]


class DossierPublic(_Public):
    id: str
    procedure_code: str
    citizen_id_number: str
    created_by: str
    created_at: Timestamp
    status: DossierStatus = Field(description="That of its least-finished component.")
    stage: DossierStage = Field(
        description="received (not every component digitized), digitized (a document needs "
        "review), reviewed (none does; some still to approve or sign), complete."
    )
    attention: list[AttentionItemPublic] = Field(
        description="Every document and failed component, those needing the clerk first "
        "(the most serious reason first), then verified ones, then approved ones."
    )
    components: list[ComponentPublic]
    code: str | None = Field(
        description="Mã số hồ sơ (Circular 01/2018/TT-VPCP Art. 19), e.g. "
        "000.00.00.H49-261121-0001; null for dossiers opened before codes. "
        "GET /dossiers/{id or code} finds the dossier by either."
    )
    due_on: date | None = Field(
        description="Ngày hẹn trả kết quả: the catalogue procedure's processing time in working "
        "days from the receipt; null for a procedure not in the catalogue."
    )
    applicant_phone: str | None
    applicant_email: str | None


class BulkApprovalPublic(_Public):
    """What "approve all verified" did: the documents approved (each signed as an approval
    is), those left for the clerk, and the dossier as it now is."""

    approved: list[DocumentPublic]
    left_for_review: list[AttentionItemPublic]
    dossier: DossierPublic


class WorklistItemPublic(_Public):
    """A dossier on today's work list: its stage and what in it needs the clerk."""

    id: str
    code: str | None
    procedure_code: str
    citizen_id_number: str
    created_by: str
    created_at: Timestamp
    stage: DossierStage
    needs_review: int = Field(description="Documents needing the clerk.")
    failed: int = Field(description="Components whose processing failed.")
    attention: list[AttentionItemPublic] = Field(description="Only the items needing the clerk.")


class WorklistPublic(_Public):
    """Hôm nay: dossiers received today (Vietnam time) or still unfinished, newest first."""

    items: list[WorklistItemPublic]
    next_offset: int | None = Field(description="The next page's offset; null on the last.")


class DossiersPublic(_Public):
    dossiers: list[DossierPublic]
    next_offset: int | None = Field(description="The next page's offset; null on the last.")


class CitizenDocumentsPublic(_Public):
    citizen_id_number: str
    documents: list[DocumentPublic]


class DocumentHitPublic(_Public):
    """A document found by a search, with the piece of its text that matched."""

    document: DocumentPublic
    snippet: str = Field(description="The text around the first word found (diacritics kept).")


class _SearchPage(_Public):
    """One page of a search's hits."""

    total: int = Field(description="How many match in all.")
    page: int
    page_size: int
    next_page: int | None = Field(description="The next page's number; null on the last.")


class DocumentSearchPublic(_SearchPage):
    hits: list[DocumentHitPublic]


class DossierHitPublic(_Public):
    """A dossier found by a search: who and what it is for, not its documents."""

    id: str
    code: str | None
    procedure_code: str
    citizen_id_number: str
    created_by: str
    created_at: Timestamp
    status: DossierStatus
    snippet: str = Field(description="Code, citizen's id number and name, as indexed.")


class DossierSearchPublic(_SearchPage):
    hits: list[DossierHitPublic]


class ReusePublic(_Public):
    id: int
    document_id: str
    dossier_id: str
    actor: str
    role: str
    created_at: Timestamp


class ReusesPublic(_Public):
    reuses: list[ReusePublic]


class AuditEventPublic(_Public):
    id: int
    at: Timestamp
    actor: str
    role: str
    action: str
    document_id: str | None
    citizen_id_number: str | None
    request_id: str | None
    detail: dict[str, Any]


class AuditLogPublic(_Public):
    events: list[AuditEventPublic]


class AccessLogEntryPublic(_Public):
    """One processing of the citizen's data: who, when, what, for which dossier."""

    at: Timestamp
    action: str
    action_label: str = Field(description="What was done, in Vietnamese.")
    actor: str | None = Field(
        description="The staff member's user name; null when it was the citizen themselves."
    )
    actor_role: Role
    actor_label: str = Field(description="Who, in Vietnamese (role, or “Bạn”).")
    document_id: str | None
    doc_type: str | None
    digitization_code: str | None
    dossier_id: str | None = Field(description="The dossier served: the purpose of the read.")
    procedure_code: str | None = Field(description="That dossier's procedure.")


class AccessLogPublic(_Public):
    """Ai đã xem giấy tờ của tôi: the citizen's access log, newest first."""

    entries: list[AccessLogEntryPublic]
    next_offset: int | None = Field(description="The next page's offset; null on the last.")


def signature_public(view: SignatureView) -> SignaturePublic:
    return SignaturePublic.model_validate(view.export())


def document_public(
    doc: RegisteredDocument, signature: SignatureView | None = None
) -> DocumentPublic:
    """``signature``: as just checked; without it, the status last recorded on the document."""
    return DocumentPublic(
        id=doc.id,
        digitization_code=doc.digitization_code,
        source=doc.source_name,
        pages=list(doc.pages or []),
        doc_type=doc.doc_type,
        fields=effective_fields(doc),
        field_confidence=dict(doc.field_confidence or {}),
        verification=VerificationPublic.model_validate(doc.verification or {}),
        doc_type_confidence=doc.doc_type_confidence,
        field_source=dict(doc.field_source or {}),
        field_readings={k: dict(v) for k, v in (doc.field_readings or {}).items()},
        field_review=dict(doc.field_review or {}),
        field_review_messages=field_review_messages(doc),
        review_status=doc.review_status,  # type: ignore[arg-type]
        corrected_fields={
            name: FieldCorrectionPublic.model_validate(correction)
            for name, correction in (doc.corrected_fields or {}).items()
        },
        approved_by=doc.approved_by,
        approved_at=doc.approved_at,
        component_id=doc.component_id,
        dossier_id=doc.dossier_id,
        citizen_id_number=doc.citizen.id_number,
        subject_id_numbers=subject_id_numbers(doc),
        created_at=doc.created_at,
        updated_at=doc.updated_at,
        file_url=f"{API_PREFIX}/documents/{doc.id}/file" if doc.pdf_key else None,
        subjects=[subject_public(s) for s in _subjects_primary_first(doc)],
        signature=signature_public(signature or signature_of(doc)),
        qr_url=f"{API_PREFIX}/documents/{doc.id}/qr" if doc.signed_pdf_key else None,
    )


def _subjects_primary_first(doc: RegisteredDocument) -> list[DocumentSubject]:
    primary = doc.citizen.id_number
    return sorted(doc.subjects, key=lambda s: (s.citizen.id_number != primary, s.citizen.id_number))


def subject_public(link: DocumentSubject) -> DocumentSubjectPublic:
    return DocumentSubjectPublic(
        id_number=link.citizen.id_number,
        field=link.role,
        confirmed=bool(link.confirmed),
        relation=link.relation,
        confirmed_by=link.confirmed_by,
        confirmed_at=link.confirmed_at,
    )


def page_public(page: PageOcr) -> PagePublic:
    return PagePublic(
        page=page.page,
        width=page.width,
        height=page.height,
        rotation=page.rotation,
        image_url=f"{API_PREFIX}/components/{page.component_id}/pages/{page.page}/image",
        lines=[OcrLinePublic.model_validate(line) for line in page.lines or []],
    )


def _component_fields(
    component: Component, signatures: Mapping[str, SignatureView] | None = None
) -> dict[str, Any]:
    error = None
    if component.error_code:
        error = ComponentErrorPublic(
            code=component.error_code,
            message=component.error_message,
            retryable=bool(component.error_retryable),
        )
    return {
        "id": component.id,
        "dossier_id": component.dossier_id,
        "status": component.status,
        "original_filename": component.original_filename,
        "content_type": component.content_type,
        "size": component.size_bytes,
        "sha256": component.sha256,
        "attempts": component.attempts,
        "error": error,
        "created_at": component.created_at,
        "updated_at": component.updated_at,
        "started_at": component.started_at,
        "finished_at": component.finished_at,
        "documents": [
            document_public(d, (signatures or {}).get(d.id)) for d in component.documents
        ],
    }


def component_public(component: Component) -> ComponentPublic:
    return ComponentPublic(**_component_fields(component))


def component_with_pages_public(
    component: Component,
    pages: list[PageOcr],
    signatures: Mapping[str, SignatureView] | None = None,
) -> ComponentWithPagesPublic:
    """``signatures``: the documents' signatures as just checked (by document id)."""
    return ComponentWithPagesPublic(
        **_component_fields(component, signatures), pages=[page_public(p) for p in pages]
    )


def attention_public(dossier: Dossier) -> list[AttentionItemPublic]:
    """Failed components, then the documents attention first (``attention_first``)."""
    items = [
        AttentionItemPublic(
            kind="component",
            id=c.id,
            component_id=c.id,
            doc_type=None,
            review_status=None,
            needs_clerk=True,
            reasons=[ReasonPublic.model_validate(r.export()) for r in component_reasons(c)],
        )
        for c in dossier.components
        if component_reasons(c)
    ]
    documents = attention_first(d for c in dossier.components for d in c.documents)
    items += [
        AttentionItemPublic(
            kind="document",
            id=d.id,
            component_id=d.component_id,
            doc_type=d.doc_type,
            review_status=d.review_status,  # type: ignore[arg-type]
            needs_clerk=needs_clerk(d),
            reasons=[ReasonPublic.model_validate(r.export()) for r in reasons_of(d)],
        )
        for d in documents
    ]
    return items


def dossier_public(dossier: Dossier) -> DossierPublic:
    return DossierPublic(
        id=dossier.id,
        procedure_code=dossier.procedure_code,
        citizen_id_number=dossier.citizen.id_number,
        created_by=dossier.created_by,
        created_at=dossier.created_at,
        status=dossier_status(dossier),  # type: ignore[arg-type]
        stage=dossier_stage(dossier),
        attention=attention_public(dossier),
        components=[component_public(c) for c in dossier.components],
        code=dossier.code,
        due_on=dossier.due_on,
        applicant_phone=dossier.applicant_phone,
        applicant_email=dossier.applicant_email,
    )


_HINTS = {
    "mismatch": "Khác dữ liệu dân cư",
    "diacritics": "Chỉ khác dấu — có thể do đọc sai dấu",
    "confirmed": "Giấy tờ ghi đúng như vậy (đã đọc lại bằng bộ đọc chính xác hơn)",
}


def register_comparison_public(
    doc: RegisteredDocument, register: PopulationRegister | None
) -> RegisterComparisonPublic:
    fields = {k: v for k, v in effective_fields(doc).items() if isinstance(v, str)}
    verification = VerificationPublic.model_validate(doc.verification or {})
    reread = set(verification.reread_fields)
    labels = doctypes.field_labels()
    rows: list[FieldComparisonPublic] = []
    for c in compare_fields(doc.doc_type, fields, register):
        confirmed = c.field in reread and c.outcome in ("diacritics", "mismatch")
        hint = _HINTS["confirmed"] if confirmed else _HINTS.get(c.outcome)
        rows.append(
            FieldComparisonPublic(
                field=c.field,
                label=labels.get(c.field, c.field),
                id_number=c.id_number,
                value=c.value,
                register_value=c.register_value,
                outcome=c.outcome,
                reread_confirmed=confirmed,
                hint=hint,
            )
        )
    return RegisterComparisonPublic(
        document_id=doc.id,
        verification=verification,
        fields=rows,
        reason_required_fields=reason_required_fields(doc),
    )


def worklist_item_public(dossier: Dossier) -> WorklistItemPublic:
    attention = [i for i in attention_public(dossier) if i.needs_clerk]
    return WorklistItemPublic(
        id=dossier.id,
        code=dossier.code,
        procedure_code=dossier.procedure_code,
        citizen_id_number=dossier.citizen.id_number,
        created_by=dossier.created_by,
        created_at=dossier.created_at,
        stage=dossier_stage(dossier),
        needs_review=sum(1 for i in attention if i.kind == "document"),
        failed=sum(1 for i in attention if i.kind == "component"),
        attention=attention,
    )


def reuse_public(event: ReuseEvent) -> ReusePublic:
    return ReusePublic(
        id=event.id,
        document_id=event.document_id,
        dossier_id=event.dossier_id,
        actor=event.actor,
        role=event.role,
        created_at=event.created_at,
    )


def audit_public(event: AuditEvent) -> AuditEventPublic:
    return AuditEventPublic(
        id=event.id,
        at=event.at,
        actor=event.actor,
        role=event.role,
        action=event.action,
        document_id=event.document_id,
        citizen_id_number=event.citizen_id_number,
        request_id=event.request_id,
        detail=dict(event.detail or {}),
    )


# --- intake: who the citizen is (tiếp nhận bắt đầu từ công dân) ------------------------------


class IdFindingPublic(_Public):
    code: str = Field(description="e.g. unknown_province, century_mismatch, sex_mismatch.")
    message: str = Field(description="The warning as the clerk reads it (Vietnamese).")


class IdStructurePublic(_Public):
    """What the id number's digits say (Decree 137/2015 Art. 13, Circular 07/2016 Art. 7);
    ``findings`` are warnings for the clerk, never a refusal."""

    province_code: str | None
    province: str | None = Field(description="null: not a province code of Appendix I.")
    sex: str | None = Field(description="From digit 4: male or female.")
    birth_year: int | None = Field(description="From digits 4-6.")
    findings: list[IdFindingPublic]


class RegisterPersonPublic(_Public):
    full_name: str
    date_of_birth: str
    sex: str


class CitizenRegisterPublic(_Public):
    """The register's name and date of birth for the clerk to confirm with the citizen."""

    id_number: str
    found: bool = Field(description="false: the number is not in the population register.")
    person: RegisterPersonPublic | None
    structure: IdStructurePublic


class CitizenCardPublic(_Public):
    id_number: str
    old_id_number: str | None
    full_name: str
    date_of_birth: str | None
    sex: str | None
    place_of_residence: str | None
    issued_on: str | None


class CardQrPublic(_Public):
    """The card's QR code read: what it says, and its id number's structure checked against
    the card's own date of birth and sex."""

    card: CitizenCardPublic
    structure: IdStructurePublic


def id_structure_public(structure: IdStructure) -> IdStructurePublic:
    return IdStructurePublic(
        province_code=structure.province_code,
        province=structure.province,
        sex=structure.sex,
        birth_year=structure.birth_year,
        findings=[IdFindingPublic(**f.export()) for f in structure.findings],
    )


def card_qr_public(card: CardQr, structure: IdStructure) -> CardQrPublic:
    return CardQrPublic(
        card=CitizenCardPublic.model_validate(card.export()),
        structure=id_structure_public(structure),
    )


# --- the procedure catalogue and a dossier's checklist ---------------------------------------


class ProcedureComponentPublic(_Public):
    key: str
    label: str
    doc_types: list[str] = Field(description="Document types (classifiers) that fulfil it.")
    required: bool
    kind: Literal["submitted", "presented"] = Field(
        description="submitted (nộp) or presented (xuất trình)."
    )


class ProcedurePublic(_Public):
    code: str
    name: str
    processing_days: int = Field(description="Working days; 0: returned the day received.")
    processing_time: str
    legal_source: str
    components: list[ProcedureComponentPublic]


class ProceduresPublic(_Public):
    procedures: list[ProcedurePublic]


class DocumentRefPublic(_Public):
    id: str
    digitization_code: str
    doc_type: str


class ChecklistItemPublic(_Public):
    component: ProcedureComponentPublic
    status: Literal["received", "reused", "available", "missing"] = Field(
        description="received in this dossier, reused from the store, available in the "
        "citizen's store (reuse it instead of scanning), or missing."
    )
    documents: list[DocumentRefPublic] = Field(description="Received or reused here.")
    candidates: list[DocumentRefPublic] = Field(
        description="Approved documents of the citizen's store that would do, newest first."
    )


class ChecklistPublic(_Public):
    dossier_id: str
    procedure: ProcedurePublic | None = Field(description="null: not a catalogue procedure.")
    due_on: date | None
    items: list[ChecklistItemPublic]


def procedure_public(procedure: Procedure) -> ProcedurePublic:
    return ProcedurePublic(
        code=procedure.code,
        name=procedure.name,
        processing_days=procedure.processing_days,
        processing_time=procedure.processing_time,
        legal_source=procedure.legal_source,
        components=[_component_public(c) for c in procedure.components],
    )


def _component_public(c: RequiredComponent) -> ProcedureComponentPublic:
    return ProcedureComponentPublic(
        key=c.key, label=c.label, doc_types=list(c.doc_types), required=c.required, kind=c.kind
    )


def _ref(ref: DocumentRef) -> DocumentRefPublic:
    return DocumentRefPublic(
        id=ref.id, digitization_code=ref.digitization_code, doc_type=ref.doc_type
    )


def checklist_item_public(item: ChecklistItem) -> ChecklistItemPublic:
    return ChecklistItemPublic(
        component=_component_public(item.component),
        status=item.status,
        documents=[_ref(d) for d in item.documents],
        candidates=[_ref(d) for d in item.candidates],
    )
