"""The citizen: their store (kho dữ liệu của công dân), newest first, and who they are at intake
(the population register's name and date of birth, the card's QR code, the id number's
structure)."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool

from core.card_qr import CardQr, parse_card_qr
from core.errors import InvalidInputError, NotFoundError
from core.id_structure import check_id_number
from core.ids import ID_NUMBER_PATTERN
from core.settings import Settings
from ocr_service.api.deps import (
    ClerkUser,
    Purpose,
    RegisterDep,
    RequestId,
    SessionDep,
    SettingsDep,
    StoreDep,
    StoreReader,
)
from ocr_service.api.schemas import (
    CardQrCreate,
    CardQrPublic,
    CitizenDocumentsPublic,
    CitizenRegisterPublic,
    RegisterPersonPublic,
    card_qr_public,
    document_public,
    error_responses,
    id_structure_public,
)
from ocr_service.api.uploads import UPLOAD_BODY, receive_upload
from ocr_service.approval import check_copies
from ocr_service.pages import load_pages
from storage.repository import append_audit, list_citizen_documents
from storage.tempfiles import upload_tmp_dir

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


@router.get("/{id_number}/register", responses=error_responses(401, 403, 404, 422, 503))
def citizen_register(
    user: ClerkUser,
    session: SessionDep,
    register: RegisterDep,
    request_id: RequestId,
    id_number: str = Path(pattern=ID_NUMBER_PATTERN),
) -> CitizenRegisterPublic:
    """Intake: the population register's name and date of birth, for the clerk to confirm
    with the citizen before a dossier is opened, and the id number's structure checked
    (province code, century-and-sex digit, birth year) as warnings. A read of personal data:
    audited, a number not in the register too."""
    person = register.get(id_number)
    structure = check_id_number(
        id_number,
        date_of_birth=person.date_of_birth if person else None,
        sex=person.sex if person else None,
    )
    append_audit(
        session,
        actor=user.subject,
        role=user.role,
        action="citizen.register",
        citizen_id_number=id_number,
        request_id=request_id,
        detail={"found": person is not None, "findings": [f.code for f in structure.findings]},
    )
    session.commit()
    return CitizenRegisterPublic(
        id_number=id_number,
        found=person is not None,
        person=RegisterPersonPublic(
            full_name=person.full_name, date_of_birth=person.date_of_birth, sex=person.sex
        )
        if person
        else None,
        structure=id_structure_public(structure),
    )


def _card_answer(card: CardQr) -> CardQrPublic:
    structure = check_id_number(card.id_number, date_of_birth=card.date_of_birth, sex=card.sex)
    return card_qr_public(card, structure)


@router.post("/card-qr", responses=error_responses(400, 401, 403, 404, 413, 422))
def card_qr(body: CardQrCreate, user: ClerkUser) -> CardQrPublic:
    """The text the tablet's camera read from the QR code on the citizen's card (CCCD): its
    fields, and the id number's structure checked against the card's date of birth and sex.
    Nothing is stored; the page then asks the register (``GET /citizens/{id}/register``)."""
    return _card_answer(parse_card_qr(body.payload))


def _qr_text_of_photo(data: bytes, name: str, settings: Settings) -> str:
    """The text of a QR code on the photo's first page: the decoder the pipeline reads cards
    with (zxing-cpp, a small code read from the photo doubled)."""
    from classifiers.card_codes import decode_qr  # zxing-cpp loads only when a photo is sent

    page = next(iter(load_pages(data, name, settings)), None)
    text = decode_qr(page.image) if page is not None else None
    if not text:
        raise InvalidInputError(
            "Không tìm thấy mã QR trong ảnh; chụp lại mặt trước thẻ Căn cước công dân, rõ nét, "
            "đủ sáng, mã QR chiếm phần lớn khung hình."
        )
    return text


@router.post(
    "/card-qr/photo",
    openapi_extra=UPLOAD_BODY,
    responses=error_responses(400, 401, 403, 404, 413, 415, 422, 503, 507),
)
async def card_qr_photo(request: Request, user: ClerkUser, settings: SettingsDep) -> CardQrPublic:
    """When the browser cannot read QR codes itself: a photo of the card's face, decoded
    here. The photo is read and discarded, never stored."""
    upload = await receive_upload(
        request, max_bytes=settings.max_upload_bytes, tmp_dir=upload_tmp_dir(settings)
    )
    try:
        data = await run_in_threadpool(upload.path.read_bytes)
    finally:
        upload.discard()
    text = await run_in_threadpool(_qr_text_of_photo, data, "card", settings)
    return _card_answer(parse_card_qr(text))
