"""Dossiers (hồ sơ) and uploading their components (thành phần hồ sơ)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from core.errors import ConflictError, NotFoundError, SohoaError
from ocr_service.api.deps import (
    ClerkUser,
    QueueDep,
    RegisterDep,
    RequestId,
    SessionDep,
    SettingsDep,
    StaffUser,
    StoreDep,
)
from ocr_service.api.schemas import (
    API_PREFIX,
    BulkApprovalPublic,
    ChecklistPublic,
    ComponentPublic,
    ComponentUploadedPublic,
    DossierCreate,
    DossierPublic,
    DossierReuseCreate,
    DossiersPublic,
    ReusePublic,
    attention_public,
    checklist_item_public,
    component_public,
    document_public,
    dossier_public,
    error_responses,
    procedure_public,
    reuse_public,
)
from ocr_service.api.uploads import UPLOAD_BODY, receive_upload
from ocr_service.approval import approve_verified as approve_verified_documents
from ocr_service.approval import reuse_document
from ocr_service.procedures import DocumentRef, checklist, find_procedure
from ocr_service.receipt import render_receipt
from ocr_service.reception import mark_unqueued, record_component, store_scan
from ocr_service.reception import open_dossier as open_dossier_with_code
from storage.models import Dossier, RegisteredDocument, utcnow
from storage.repository import (
    DOSSIER_STATUSES,
    append_audit,
    audit_document_read,
    audit_dossier_reads,
    audit_read,
    find_document_by_code,
    get_dossier,
    list_citizen_documents,
    list_dossier_reuses,
    list_dossiers,
)
from storage.tempfiles import upload_tmp_dir

__all__ = ["router"]

router = APIRouter(prefix="/dossiers", tags=["dossiers"])


@router.post("", status_code=201, responses=error_responses(400, 401, 403, 404, 413, 422, 503))
def open_dossier(
    body: DossierCreate,
    user: ClerkUser,
    session: SessionDep,
    settings: SettingsDep,
    request_id: RequestId,
) -> DossierPublic:
    """Open a dossier; it gets its national dossier code (``code``) in the same transaction."""
    dossier = open_dossier_with_code(
        session,
        settings=settings,
        procedure_code=body.procedure_code,
        citizen_id_number=body.citizen_id_number,
        created_by=user.subject,
        applicant_phone=body.applicant_phone,
        applicant_email=body.applicant_email,
    )
    append_audit(
        session,
        actor=user.subject,
        role=user.role,
        action="dossier.create",
        citizen_id_number=body.citizen_id_number,
        request_id=request_id,
        detail={"dossier_id": dossier.id, "dossier_code": dossier.code},
    )
    session.commit()
    return dossier_public(dossier)


@router.get("", responses=error_responses(401, 403, 404, 422, 503))
def recent_dossiers(
    user: StaffUser,
    session: SessionDep,
    request_id: RequestId,
    status: str | None = Query(None, pattern=f"^({'|'.join(DOSSIER_STATUSES)})$"),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> DossiersPublic:
    """The newest dossiers first; ``next_offset`` pages on (null on the last page)."""
    dossiers = list_dossiers(session, status=status, limit=limit + 1, offset=offset)
    more = len(dossiers) > limit
    dossiers = dossiers[:limit]
    body = DossiersPublic(
        dossiers=[dossier_public(d) for d in dossiers],
        next_offset=offset + limit if more else None,
    )
    # each dossier listed shows its citizen, file names and documents: each is a read, audited
    audit_dossier_reads(
        session,
        actor=user.subject,
        role=user.role,
        action="dossier.list",
        dossiers=dossiers,
        request_id=request_id,
        filters={"status": status, "limit": limit, "offset": offset},
    )
    session.commit()
    return body


@router.get("/{dossier_id}", responses=error_responses(401, 403, 404, 422, 503))
def read_dossier(
    dossier_id: str, user: StaffUser, session: SessionDep, request_id: RequestId
) -> DossierPublic:
    """The dossier by its id or by its national code (e.g. ``000.00.00.H49-261121-0001``)."""
    dossier = get_dossier(session, dossier_id=dossier_id)
    body = dossier_public(dossier)
    docs = [d for c in dossier.components for d in c.documents]
    audit_read(
        session,
        actor=user.subject,
        role=user.role,
        action="dossier.read",
        first_citizen=dossier.citizen.id_number,
        documents=docs,
        request_id=request_id,
        detail={"dossier_id": dossier.id},
    )
    session.commit()
    return body


@router.post(
    "/{dossier_id}/approve-verified", responses=error_responses(401, 403, 404, 409, 422, 503)
)
def approve_verified(
    dossier_id: str,
    user: ClerkUser,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    request_id: RequestId,
) -> BulkApprovalPublic:
    """Phê duyệt tất cả giấy tờ đã xác thực: approve, in one action, every document the
    register verified and nothing else calls the clerk to, each signed and audited as
    ``POST /documents/{id}/approve`` is; the others are listed, left for the clerk. A
    certificate that may not sign refuses them all (422, nothing recorded); so does another
    approval of one of them made meanwhile (409: reload and try again)."""
    dossier = get_dossier(session, dossier_id=dossier_id)
    approved, left = approve_verified_documents(
        session, dossier_id=dossier.id, store=store, settings=settings, by=user.subject
    )
    for document, signature in approved:
        detail = {
            "dossier_id": dossier.id,
            "bulk": True,
            "signature": signature.status,
            **({"reason": signature.code} if signature.code else {}),
        }
        audit_document_read(
            session,
            actor=user.subject,
            role=user.role,
            action="document.approve",
            document=document,
            request_id=request_id,
            detail=detail,
        )
    session.commit()
    session.refresh(dossier)
    left_ids = {d.id for d in left}
    body = BulkApprovalPublic(
        approved=[document_public(d, view) for d, view in approved],
        left_for_review=[i for i in attention_public(dossier) if i.id in left_ids],
        dossier=dossier_public(dossier),
    )
    return body


@router.post(
    "/{dossier_id}/components",
    status_code=202,
    openapi_extra=UPLOAD_BODY,
    responses=error_responses(400, 401, 403, 404, 413, 415, 422, 503, 507),
)
async def upload_component(
    dossier_id: str,
    request: Request,
    response: Response,
    user: ClerkUser,
    session: SessionDep,
    store: StoreDep,
    queue: QueueDep,
    settings: SettingsDep,
    request_id: RequestId,
) -> ComponentUploadedPublic:
    """Store the scan durably, record it, then queue it: 202 only once the scan is safe."""
    await run_in_threadpool(get_dossier, session, dossier_id=dossier_id)  # 404 before reading
    upload = await receive_upload(
        request, max_bytes=settings.max_upload_bytes, tmp_dir=upload_tmp_dir(settings)
    )
    try:
        key = await run_in_threadpool(store_scan, store, path=upload.path, sha256=upload.sha256)
    finally:
        upload.discard()

    def record() -> tuple[ComponentPublic, bool]:
        component, enqueue = record_component(
            session,
            dossier_id=dossier_id,
            key=key,
            sha256=upload.sha256,
            filename=upload.filename,
            content_type=upload.content_type,
            size=upload.size,
            by=user.subject,
            role=user.role,
            request_id=request_id,
        )
        return component_public(component), enqueue

    component, enqueue = await run_in_threadpool(record)
    try:
        if enqueue:
            await run_in_threadpool(queue.enqueue_component, component.id)
    except SohoaError as error:
        await run_in_threadpool(mark_unqueued, session, component_id=component.id, error=error)
        error.details["component_id"] = component.id
        raise
    status = "queued" if enqueue else component.status
    response.headers["Location"] = f"{API_PREFIX}/components/{component.id}"
    return ComponentUploadedPublic(
        id=component.id, status=status, component=component.model_copy(update={"status": status})
    )


# --- the checklist of a catalogue procedure, and reusing from the citizen's store -----------


def _ref(document: RegisteredDocument) -> DocumentRef:
    return DocumentRef(document.id, document.digitization_code, document.doc_type)


def _in_store(session: Session, dossier: Dossier) -> list[RegisteredDocument]:
    """What the citizen's own store holds (approved, confirmed theirs): what may be reused."""
    return list(
        list_citizen_documents(
            session, citizen_id_number=dossier.citizen.id_number, shown_to_citizen=True
        )
    )


@router.get("/{dossier_id}/checklist", responses=error_responses(401, 403, 404, 422, 503))
def dossier_checklist(
    dossier_id: str, user: StaffUser, session: SessionDep, request_id: RequestId
) -> ChecklistPublic:
    """The components its procedure requires: received here, reused, available in the
    citizen's store (reuse with ``POST /dossiers/{id}/reuses`` instead of scanning), or
    missing. Shows the citizen's documents: audited for each citizen shown."""
    dossier = get_dossier(session, dossier_id=dossier_id)
    procedure = find_procedure(dossier.procedure_code)
    received = [d for c in dossier.components for d in c.documents]
    reused = [d for _, d in list_dossier_reuses(session, dossier_id=dossier.id)]
    here = {d.id for d in (*received, *reused)}
    store = [d for d in _in_store(session, dossier) if d.id not in here] if procedure else []
    items = (
        checklist(
            procedure,
            received=[_ref(d) for d in received],
            reused=[_ref(d) for d in reused],
            in_store=[_ref(d) for d in store],
        )
        if procedure
        else []
    )
    offered = {c.id for item in items for c in item.candidates}
    audit_read(
        session,
        actor=user.subject,
        role=user.role,
        action="dossier.checklist",
        first_citizen=dossier.citizen.id_number,
        documents=[*received, *reused, *(d for d in store if d.id in offered)],
        request_id=request_id,
        detail={"dossier_id": dossier.id},
    )
    session.commit()
    return ChecklistPublic(
        dossier_id=dossier.id,
        procedure=procedure_public(procedure) if procedure else None,
        due_on=dossier.due_on,
        items=[checklist_item_public(i) for i in items],
    )


@router.post(
    "/{dossier_id}/reuses",
    status_code=201,
    responses={
        200: {"model": ReusePublic, "description": "Reused already: the first reuse, again."},
        **error_responses(400, 401, 403, 404, 409, 413, 422, 503),
    },
)
def reuse_into_dossier(
    dossier_id: str,
    body: DossierReuseCreate,
    response: Response,
    user: StaffUser,
    session: SessionDep,
    store: StoreDep,
    settings: SettingsDep,
    request_id: RequestId,
) -> ReusePublic:
    """Reuse a paper of the citizen's store in this dossier instead of scanning it again,
    named by its digitization result code: recorded as a reuse (as the officer's
    ``POST /documents/{id}/reuse``), audited. A code that names no document: 404, nothing
    recorded. A document not in this citizen's store (not theirs, or not yet approved), or
    whose signed copy no longer verifies: 409. The same reuse again answers the first (200)."""
    dossier = get_dossier(session, dossier_id=dossier_id)
    document = find_document_by_code(session, code=body.digitization_code.strip())
    if document is None:
        raise NotFoundError(
            f"Không có giấy tờ nào mang mã kết quả số hóa “{body.digitization_code.strip()}”; "
            "kiểm tra lại mã (in trên bản số hóa, mã QR) rồi thử lại. Chưa ghi nhận gì."
        )
    if document.dossier_id == dossier.id:
        raise ConflictError(
            "Giấy tờ này đã được tiếp nhận trong chính hồ sơ này; không cần dùng lại. "
            "Chưa ghi nhận gì."
        )
    if document.id not in {d.id for d in _in_store(session, dossier)}:
        raise ConflictError(
            "Giấy tờ này không có trong kho dữ liệu của công dân của hồ sơ (của người khác, hoặc "
            "chưa được phê duyệt), nên không dùng lại được cho hồ sơ này. Chưa ghi nhận gì."
        )
    existing = [
        e for e, d in list_dossier_reuses(session, dossier_id=dossier.id) if d.id == document.id
    ]
    if existing:
        response.status_code = 200
        return reuse_public(existing[0])
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


@router.get(
    "/{dossier_id}/receipt",
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {}},
            "description": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Circular 01/2018/TT-VPCP, "
            "Mẫu số 01), A4, to print and hand to the citizen.",
        },
        **error_responses(401, 403, 404, 422, 503),
    },
)
def dossier_receipt(
    dossier_id: str,
    user: StaffUser,
    session: SessionDep,
    settings: SettingsDep,
    register: RegisterDep,
    request_id: RequestId,
) -> Response:
    """The receipt: the dossier code and its QR code (the code only), who submitted it (the
    register's name), the components received and reused with their digitization codes, the
    processing time and the return date. Shows the citizen's data: audited."""
    dossier = get_dossier(session, dossier_id=dossier_id)
    reused = [d for _, d in list_dossier_reuses(session, dossier_id=dossier.id)]
    data = render_receipt(
        dossier=dossier,
        reused=reused,
        person=register.get(dossier.citizen.id_number),
        procedure=find_procedure(dossier.procedure_code),
        settings=settings,
        received_by=dossier.created_by,
        printed_at=utcnow(),
    )
    audit_read(
        session,
        actor=user.subject,
        role=user.role,
        action="dossier.receipt",
        first_citizen=dossier.citizen.id_number,
        documents=[*(d for c in dossier.components for d in c.documents), *reused],
        request_id=request_id,
        detail={"dossier_id": dossier.id},
    )
    session.commit()
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="giay-tiep-nhan-{dossier.code or dossier.id}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )
