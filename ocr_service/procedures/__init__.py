"""The procedure catalogue (danh mục thủ tục): what each procedure needs, how long it takes.

``catalogue.json`` beside this module lists common one-stop procedures with their required
components (as document types of ``classifiers/doctypes``), their processing time in working
days and their legal source. From it: a dossier's checklist (each component received, reused,
available in the citizen's store, or missing) and its return date (ngày hẹn trả kết quả),
counted in working days, skipping weekends and the holidays of ``SOHOA_HOLIDAYS``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

__all__ = [
    "ChecklistItem",
    "DocumentRef",
    "Procedure",
    "RequiredComponent",
    "all_procedures",
    "checklist",
    "due_date",
    "find_procedure",
    "is_holiday",
]

_CATALOGUE = Path(__file__).with_name("catalogue.json")
_VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

ItemStatus = Literal["received", "reused", "available", "missing"]


@dataclass(frozen=True)
class RequiredComponent:
    """One component (thành phần hồ sơ) a procedure asks for."""

    key: str
    label: str
    doc_types: tuple[str, ...]
    required: bool
    kind: Literal["submitted", "presented"]


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    processing_days: int  # working days; 0: returned the day it is received
    processing_time: str  # as the legal text words it
    legal_source: str
    read: str  # where the text was read (the catalogue's honesty about its sources)
    result_doc_type: str | None
    components: tuple[RequiredComponent, ...]


@lru_cache(maxsize=1)
def all_procedures() -> tuple[Procedure, ...]:
    data: dict[str, Any] = json.loads(_CATALOGUE.read_text(encoding="utf-8"))
    return tuple(
        Procedure(
            code=p["code"],
            name=p["name"],
            processing_days=int(p["processing_days"]),
            processing_time=p["processing_time"],
            legal_source=p["legal_source"],
            read=p["read"],
            result_doc_type=p.get("result_doc_type"),
            components=tuple(
                RequiredComponent(
                    key=c["key"],
                    label=c["label"],
                    doc_types=tuple(c["doc_types"]),
                    required=bool(c["required"]),
                    kind=c["kind"],
                )
                for c in p["components"]
            ),
        )
        for p in data["procedures"]
    )


def find_procedure(code: str) -> Procedure | None:
    """The catalogue's procedure with this code; None for a code typed by hand."""
    return next((p for p in all_procedures() if p.code == code), None)


# --- the return date ------------------------------------------------------------------------


def is_holiday(day: date, holidays: Iterable[str]) -> bool:
    """``holidays`` holds ISO dates (``2027-02-08``) and yearly ones (``09-02``)."""
    iso, yearly = day.isoformat(), day.isoformat()[5:]
    return any(h in (iso, yearly) for h in holidays)


def _working(day: date, holidays: Sequence[str]) -> bool:
    return day.weekday() < 5 and not is_holiday(day, holidays)


def due_date(received_at: datetime, working_days: int, holidays: Sequence[str] = ()) -> date:
    """The return date: ``working_days`` working days after the day of receipt in Vietnam
    (0: that day, or the next working day when it was received on a day off)."""
    day = received_at.astimezone(_VIETNAM).date() if received_at.tzinfo else received_at.date()
    while not _working(day, holidays):
        day += timedelta(days=1)
    left = working_days
    while left > 0:
        day += timedelta(days=1)
        if _working(day, holidays):
            left -= 1
    return day


# --- the checklist --------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentRef:
    """A registered document as the checklist names it."""

    id: str
    digitization_code: str
    doc_type: str


@dataclass
class ChecklistItem:
    component: RequiredComponent
    status: ItemStatus
    documents: list[DocumentRef] = field(default_factory=list)  # received or reused here
    candidates: list[DocumentRef] = field(default_factory=list)  # in the citizen's store


def checklist(
    procedure: Procedure,
    *,
    received: Sequence[DocumentRef],
    reused: Sequence[DocumentRef],
    in_store: Sequence[DocumentRef],
) -> list[ChecklistItem]:
    """Each required component: ``received`` (a document of its type came in this dossier),
    ``reused`` (one was reused from the store for it), ``available`` (the citizen's store holds
    one: reuse it instead of scanning), else ``missing``. A document counts once, for the
    first component that takes its type."""
    taken: set[str] = set()
    items: list[ChecklistItem] = []
    here = [*((d, "received") for d in received), *((d, "reused") for d in reused)]
    for component in procedure.components:
        matched = [
            (d, how) for d, how in here if d.doc_type in component.doc_types and d.id not in taken
        ]
        if matched:
            taken.update(d.id for d, _ in matched)
            status: ItemStatus = (
                "received" if any(h == "received" for _, h in matched) else "reused"
            )
            items.append(ChecklistItem(component, status, documents=[d for d, _ in matched]))
            continue
        # a paper of no known type ("other") is never offered: nothing says what it is
        candidates = [
            d for d in in_store if d.doc_type in component.doc_types and d.doc_type != "other"
        ]
        items.append(
            ChecklistItem(
                component, "available" if candidates else "missing", candidates=candidates
            )
        )
    return items
