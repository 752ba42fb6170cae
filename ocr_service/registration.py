"""Registration (đăng ký kết quả số hóa): a processed component's documents enter the store.

Each document found in a component becomes a ``RegisteredDocument`` in its citizen's store,
with a digitization result code (mã kết quả số hóa) stamped on the first page of its
searchable PDF.

Digitization code format: ``SH-YYYYMMDD-XXXXXXXX-C``
  * ``SH``        sohoa;
  * ``YYYYMMDD``  the day the document was registered (UTC);
  * ``XXXXXXXX``  8 random symbols of Crockford's base32 (0-9, A-Z without I, L, O, U):
                  40 bits, so codes cannot be guessed or counted;
  * ``C``         a check symbol (Luhn mod 32 over the date digits and the random symbols),
                  so a mistyped code is caught before any lookup.
Example: ``SH-20261121-7KQ2M9XD-R``. Codes are unique by a database constraint.

``SOHOA_DIGITIZATION_CODE_TEMPLATE`` (a preset's name or a template,
``ocr_service.copies.codes``) replaces that format for documents registered from then on;
codes already given stay as they are and keep resolving (look-ups are by the whole code).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from classifiers import doctypes
from core.errors import InvalidInputError
from core.ids import is_ascii_digits, is_id_number
from core.records import DocumentResult, ExtractionResult, ProcessedPage, Verification
from ocr_service.copies.codes import DigitizationCodeTemplate, receipt_day
from storage.models import Component, PageOcr, RegisteredDocument, utcnow
from storage.objects import ObjectStore, object_key, sha256_hex
from storage.repository import (
    correct_fields,
    digitization_code_exists,
    effective_fields,
    find_dossier,
    get_or_create_citizen,
    list_component_documents,
    list_pages,
    set_document_subjects,
)

if TYPE_CHECKING:
    from core.records import PopulationRegister

__all__ = [
    "CODE_ALPHABET",
    "apply_correction",
    "citizen_for_document",
    "citizen_for_fields",
    "subjects_for_fields",
    "is_valid_digitization_code",
    "new_digitization_code",
    "register_extraction",
    "review_status_for",
]

log = logging.getLogger(__name__)

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
MAX_CODE_LENGTH = 100  # registered_documents.digitization_code
# Fields that name whose document it is, as the document types' records declare them.
_SUBJECT_ID_FIELDS = doctypes.all_subject_id_fields()


# --- digitization codes ---------------------------------------------------------------------


def _luhn_mod_n(symbols: str) -> str:
    n = len(CODE_ALPHABET)
    factor, total = 2, 0
    for ch in reversed(symbols):
        addend = factor * CODE_ALPHABET.index(ch)
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return CODE_ALPHABET[(n - total % n) % n]


def new_digitization_code(now: datetime | None = None) -> str:
    day = (now or datetime.now(UTC)).strftime("%Y%m%d")
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"SH-{day}-{body}-{_luhn_mod_n(day + body)}"


def _templated_code(
    session: Session,
    template: DigitizationCodeTemplate,
    values: Mapping[str, str],
    taken: set[str],
) -> str:
    """The template's code with the smallest ``seq`` (from 1) no document has yet: the number
    of codes with the same other parts plus one, as the one-stop system numbers them."""
    given = {k: v for k, v in values.items() if k in template.fields}
    missing = sorted(template.fields - set(given) - {"seq"})
    if missing:
        raise InvalidInputError(
            f"Mẫu mã kết quả số hóa {template.template!r} cần {', '.join(missing)}, "
            "hồ sơ này không có; hãy sửa SOHOA_DIGITIZATION_CODE_TEMPLATE."
        )
    seq = 1
    while True:
        code = template.format(**given, seq=seq)
        if code not in taken and not digitization_code_exists(session, code=code):
            break
        seq += 1
    if len(code) > MAX_CODE_LENGTH:
        raise InvalidInputError(
            f"Mã kết quả số hóa «{code}» dài hơn {MAX_CODE_LENGTH} ký tự; "
            "hãy dùng mẫu mã ngắn hơn (SOHOA_DIGITIZATION_CODE_TEMPLATE)."
        )
    return code


def is_valid_digitization_code(code: str) -> bool:
    parts = code.strip().upper().split("-")
    if len(parts) != 4 or parts[0] != "SH" or len(parts[1]) != 8 or not is_ascii_digits(parts[1]):
        return False
    body, check = parts[2], parts[3]
    if len(body) != 8 or len(check) != 1 or any(c not in CODE_ALPHABET for c in body + check):
        return False
    return _luhn_mod_n(parts[1] + body) == check


# --- who the document belongs to, and whether a person must look at it ----------------------


def _is_id_number(value: object) -> bool:
    return is_id_number(value)  # ASCII digits only: never a second citizen in Arabic digits


def citizen_for_fields(fields: Mapping[str, object], dossier_citizen: str) -> str:
    """The document's subject when it names one (the dossier's citizen if among several)."""
    subjects = [fields.get(name) for name in _SUBJECT_ID_FIELDS]
    ids = [s for s in subjects if _is_id_number(s)]
    if not ids or dossier_citizen in ids:
        return dossier_citizen
    return str(ids[0])


def citizen_for_document(document: DocumentResult, dossier_citizen: str) -> str:
    return citizen_for_fields(document.fields, dossier_citizen)


def subjects_for_fields(fields: Mapping[str, object], dossier_citizen: str) -> dict[str, str]:
    """Every citizen whose store holds the document: id number → the field that named them.

    A marriage certificate names both spouses, so it is in both stores; a document that names
    no one belongs to the dossier's citizen (role ``dossier``).
    """
    subjects: dict[str, str] = {}
    for name in _SUBJECT_ID_FIELDS:
        value = fields.get(name)
        if _is_id_number(value):
            subjects.setdefault(str(value), name)
    subjects.setdefault(citizen_for_fields(fields, dossier_citizen), "dossier")
    return subjects


def review_status_for(document: DocumentResult) -> str:
    """Only a document the population register confirms needs no clerk's review."""
    return "verified" if document.verification.status == "match" else "needs_review"


# --- artefacts ------------------------------------------------------------------------------


def _encode_page_image(image: Any) -> bytes:
    import cv2

    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 85])
    if not ok:
        raise ValueError("could not encode the page image")
    return bytes(buf.tobytes())


def _make_pdf(pages: Sequence[ProcessedPage], stamp: str) -> bytes:
    from ocr_service.searchable_pdf import make_searchable_pdf

    return make_searchable_pdf(list(pages), first_page_stamp=stamp)


def _put(store: ObjectStore, kind: str, data: bytes) -> str:
    sha = sha256_hex(data)
    key = object_key(kind, sha)
    store.put(key, data, sha256=sha)
    return key


def _save_pages(
    session: Session,
    *,
    component: Component,
    pages: Sequence[ProcessedPage],
    store: ObjectStore,
) -> None:
    existing = {p.page: p for p in list_pages(session, component_id=component.id)}
    for processed in pages:
        text = processed.text
        key = _put(store, "pages", _encode_page_image(processed.image))
        row = existing.get(text.page) or PageOcr(component_id=component.id, page=text.page)
        row.width, row.height = int(text.width), int(text.height)
        row.rotation = int(getattr(text, "rotation", 0) or 0)
        row.image_key, row.image_content_type = key, "image/jpeg"
        row.lines = [line.export() for line in text.lines]
        session.add(row)


def register_extraction(
    session: Session,
    *,
    component: Component,
    extraction: ExtractionResult,
    store: ObjectStore,
    code_template: DigitizationCodeTemplate | None = None,
) -> list[RegisteredDocument]:
    """Store page images and searchable PDFs, then add each not-yet-registered document.

    Idempotent: a document index already registered for this component is left as it is,
    so running the job twice registers nothing twice (and the unique constraint on
    ``(component_id, document_index)`` stops a concurrent run).

    ``code_template`` (None: sohoa's ``SH-…`` code) builds each code from the document's
    citizen (``applicant_id``), its type (``doc_type_code``), the dossier's procedure and code,
    and the day in Vietnam. Two workers numbering the same citizen's same kind of paper at the
    same instant would pick the same ``seq``: the unique constraint refuses the second, whose
    job then fails retryably and runs again.
    """
    _save_pages(session, component=component, pages=extraction.pages, store=store)
    registered = {
        d.document_index: d for d in list_component_documents(session, component_id=component.id)
    }
    dossier = component.dossier
    pages_by_number = {p.text.page: p for p in extraction.pages}
    out: list[RegisteredDocument] = []
    taken: set[str] = set()  # codes given in this call, not yet flushed
    for index, document in enumerate(extraction.documents):
        if index in registered:
            out.append(registered[index])
            continue
        citizen_id = citizen_for_document(document, dossier.citizen.id_number)
        if code_template is None:
            code = new_digitization_code()
            while digitization_code_exists(session, code=code):
                code = new_digitization_code()
        else:
            values = {
                "applicant_id": citizen_id,
                "doc_type_code": document.doc_type,
                "procedure_code": dossier.procedure_code,
                "day": receipt_day(datetime.now(UTC)).strftime("%Y%m%d"),
            }
            if dossier.code:
                values["dossier_code"] = dossier.code
                values["agency_code"] = dossier.code.split("-", 1)[0]
            code = _templated_code(session, code_template, values, taken)
        taken.add(code)
        doc_pages = [pages_by_number[n] for n in document.pages if n in pages_by_number]
        pdf_key = _put(store, "pdf", _make_pdf(doc_pages, code)) if doc_pages else None
        citizen = get_or_create_citizen(session, id_number=citizen_id)
        exported = document.export()
        row = RegisteredDocument(
            component_id=component.id,
            document_index=index,
            dossier_id=dossier.id,
            citizen=citizen,
            source_name=component.original_filename,
            doc_type=document.doc_type,
            doc_type_confidence=float(document.doc_type_confidence),
            fields=exported["fields"],
            field_confidence=exported["field_confidence"],
            field_source=exported["field_source"],
            field_readings=exported["field_readings"],
            field_review=exported["field_review"],
            verification=exported["verification"],
            pages=list(document.pages),
            digitization_code=code,
            source_key=component.object_key,
            pdf_key=pdf_key,
            review_status=review_status_for(document),
            corrected_fields={},
        )
        session.add(row)
        set_document_subjects(
            session,
            document=row,
            subjects=subjects_for_fields(document.fields, dossier.citizen.id_number),
        )
        out.append(row)
    session.flush()
    return out


# --- a clerk's correction -------------------------------------------------------------------


def apply_correction(
    session: Session,
    *,
    document: RegisteredDocument,
    fields: dict[str, str | None],
    by: str,
    register: PopulationRegister | None,
) -> Verification:
    """Keep the clerk's corrections, then check the corrected document again.

    The same verification the pipeline runs (``classifiers.verification.verify_fields``) is
    run on the corrected fields against the register and stored as the document's
    verification; the document stays ``needs_review`` until a clerk approves it, even when it
    now matches. A corrected subject id number moves the document to the right store(s).
    """
    from classifiers.verification import verify_fields

    correct_fields(session, document=document, fields=fields, by=by)
    corrected = effective_fields(document)
    dossier = find_dossier(session, dossier_id=document.dossier_id)
    dossier_citizen = dossier.citizen.id_number if dossier else document.citizen.id_number
    document.citizen = get_or_create_citizen(
        session, id_number=citizen_for_fields(corrected, dossier_citizen)
    )
    set_document_subjects(
        session, document=document, subjects=subjects_for_fields(corrected, dossier_citizen)
    )
    verification = verify_fields(
        document.doc_type, {k: v for k, v in corrected.items() if isinstance(v, str)}, register
    )
    document.verification = {  # a new dict: the JSON column is marked dirty
        **verification.export(),
        "checked_after_correction_at": utcnow().isoformat(),
    }
    session.flush()
    return verification
