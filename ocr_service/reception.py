"""Reception (tiếp nhận hồ sơ): a dossier opened at the counter gets its national dossier code,
and a scan received for it (uploaded, or dropped in a scanner's folder) becomes its component.

The code is Circular 01/2018/TT-VPCP's (Art. 19 cl. 1): the agency's code (``SOHOA_AGENCY_CODE``),
the receipt day in Vietnam's time and the dossier's number among that day's, drawn from
``storage.sequences`` in the same transaction as the dossier row, so two API processes never
give one number twice and a dossier that is not recorded gives its number back. A procedure of
the catalogue (``ocr_service.procedures``) also gives the dossier its return date.
"""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from core.errors import SohoaError
from core.settings import Settings
from ocr_service.copies.codes import format_dossier_code, receipt_day
from ocr_service.procedures import due_date, find_procedure
from storage.models import Component, Dossier, utcnow
from storage.objects import ObjectStore, object_key
from storage.repository import (
    add_component,
    append_audit,
    create_dossier,
    find_component,
    find_component_by_sha256,
    get_dossier,
    lock_dossier,
    requeue_component,
)
from storage.sequences import next_daily_sequence

__all__ = ["mark_unqueued", "new_dossier_code", "open_dossier", "record_component", "store_scan"]


def new_dossier_code(session: Session, *, settings: Settings, at: datetime) -> str:
    """The next dossier code of the agency on ``at``'s day in Vietnam (in the session's
    transaction: the number is given back if the caller rolls back)."""
    day = receipt_day(at)
    sequence = next_daily_sequence(session, agency_code=settings.agency_code, day=day)
    return format_dossier_code(agency_code=settings.agency_code, received_on=day, sequence=sequence)


def open_dossier(
    session: Session,
    *,
    settings: Settings,
    procedure_code: str,
    citizen_id_number: str,
    created_by: str,
    applicant_phone: str | None = None,
    applicant_email: str | None = None,
    now: datetime | None = None,
) -> Dossier:
    """A new dossier with its national code and, for a catalogue procedure, its return date
    in working days (the caller commits)."""
    at = now or utcnow()
    code = new_dossier_code(session, settings=settings, at=at)
    dossier = create_dossier(
        session,
        procedure_code=procedure_code,
        citizen_id_number=citizen_id_number,
        created_by=created_by,
        code=code,
    )
    dossier.created_at = at
    procedure = find_procedure(procedure_code)
    if procedure is not None:
        dossier.due_on = due_date(at, procedure.processing_days, settings.holidays)
    dossier.applicant_phone, dossier.applicant_email = applicant_phone, applicant_email
    session.flush()
    return dossier


# --- a scan received for a dossier ----------------------------------------------------------


def store_scan(store: ObjectStore, *, path: Path, sha256: str) -> str:
    """The scan's bytes, durably in the object store under ``scans/<sha256>``: its key."""
    key = object_key("scans", sha256)
    store.put(key, path, sha256=sha256)
    return key


# One process: a lock. Several processes on PostgreSQL: the dossier row is locked FOR UPDATE.
_RECORD_LOCK = threading.Lock()


def record_component(
    session: Session,
    *,
    dossier_id: str,
    key: str,
    sha256: str,
    filename: str,
    content_type: str,
    size: int,
    by: str,
    role: str,
    request_id: str | None = None,
    via: str | None = None,
) -> tuple[Component, bool]:
    """The component row (committed) and whether to queue its job.

    The same scan received again into the same dossier (a clerk's double click, a client
    retrying after a lost response, a scanner's folder read again after a crash) is the same
    component: no second job, no duplicate documents. A failed one is queued again, as a
    retry would. ``via`` names the way in for the audit row (e.g. ``sohoa watch``).
    """
    with _RECORD_LOCK:  # check-then-insert, serialised (a double click sends both at once)
        dossier = get_dossier(session, dossier_id=dossier_id)  # by id or code: its id below
        lock_dossier(session, dossier_id=dossier.id)
        existing = find_component_by_sha256(session, dossier_id=dossier.id, sha256=sha256)
        detail: dict[str, str] = {"dossier_id": dossier.id, "sha256": sha256}
        if via:
            detail["via"] = via
        if existing is not None:
            component, enqueue = existing, existing.status == "failed"
            if enqueue:
                requeue_component(component)
            detail["duplicate_of"] = component.id
        else:
            component = add_component(
                session,
                dossier=dossier,
                object_key=key,
                sha256=sha256,
                original_filename=filename,
                content_type=content_type,
                size_bytes=size,
                created_by=by,
            )
            enqueue = True
            detail["component_id"] = component.id
        append_audit(
            session,
            actor=by,
            role=role,
            action="component.upload",
            citizen_id_number=dossier.citizen.id_number,
            request_id=request_id,
            detail=detail,
        )
        session.commit()
        return component, enqueue


def mark_unqueued(session: Session, *, component_id: str, error: SohoaError) -> None:
    """The job could not be queued (Redis down): the component says so, retryable."""
    component = find_component(session, component_id=component_id)
    if component is not None:
        component.status = "failed"
        component.error_code, component.error_message = error.code, error.message
        component.error_retryable = True
        session.commit()
