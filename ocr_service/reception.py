"""Reception (tiếp nhận hồ sơ): a dossier opened at the counter gets its national dossier code.

The code is Circular 01/2018/TT-VPCP's (Art. 19 cl. 1): the agency's code (``SOHOA_AGENCY_CODE``),
the receipt day in Vietnam's time and the dossier's number among that day's, drawn from
``storage.sequences`` in the same transaction as the dossier row, so two API processes never
give one number twice and a dossier that is not recorded gives its number back. A procedure of
the catalogue (``ocr_service.procedures``) also gives the dossier its return date.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from core.settings import Settings
from ocr_service.copies.codes import format_dossier_code, receipt_day
from ocr_service.procedures import due_date, find_procedure
from storage.models import Dossier, utcnow
from storage.repository import create_dossier
from storage.sequences import next_daily_sequence

__all__ = ["new_dossier_code", "open_dossier"]


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
