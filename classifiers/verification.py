"""Verification of a document's fields against the population register (CSDLQG về dân cư).

Each document type's record (classifiers.doctypes) names its subjects: the field carrying
a person's id number and which document fields correspond to which register columns. Only
fields the document printed (and we read) and the register holds are compared. Names are
compared WITH diacritics; a difference only in diacritics is still a mismatch, and is also
listed in ``diacritics_only_fields`` because it is probably a misread.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from classifiers import doctypes
from core.normalize import fold_keep_case
from core.records import PersonRecord, PopulationRegister, Verification

__all__ = ["FieldComparison", "FieldOutcome", "compare_fields", "compare_values", "verify_fields"]


def _canon(value: str, *, casefold: bool) -> str:
    """NFC, single spaces, spaces around commas made uniform; places also case-insensitive."""
    v = unicodedata.normalize("NFC", value)
    v = re.sub(r"\s*,\s*", ", ", v)
    v = re.sub(r"\s+", " ", v).strip(" .,;")
    return v.casefold() if casefold else v


def compare_values(doc_value: str, register_value: str, column: str) -> str:
    """``"same"``, ``"diacritics"`` (a name or place equal once tone marks are dropped) or
    ``"different"``.

    Names keep case and diacritics; places compare case-insensitively; dates and sex are
    already canonical. "Thú Đức" for "Thủ Đức" is as likely a misread as "Thuý" for "Thuỷ".
    """
    place = column.startswith("place_")
    a = _canon(doc_value, casefold=place)
    b = _canon(register_value, casefold=place)
    if a == b:
        return "same"
    if (column == "full_name" or place) and fold_keep_case(a) == fold_keep_case(b):
        return "diacritics"
    return "different"


FieldOutcome = Literal["match", "mismatch", "diacritics", "absent"]


@dataclass(frozen=True)
class FieldComparison:
    """One compared field: the value read beside the register's, and how they compare.

    ``outcome``: ``match``; ``mismatch`` (khác dữ liệu); ``diacritics`` (only the tone marks
    differ: probably a misread); ``absent`` (the document or the register has no value, or the
    register has no one with that id number: ``subject_found`` is then false).
    """

    field: str
    column: str  # the register's column
    id_number: str  # whose register row
    value: str | None
    register_value: str | None
    outcome: FieldOutcome
    subject_found: bool


def compare_fields(
    doc_type: str, fields: Mapping[str, str], register: PopulationRegister | None
) -> list[FieldComparison]:
    """Every field the document type's record compares with the register, for each subject
    the document names by id number, in the record's order (empty without a register)."""
    doc = doctypes.get(doc_type)
    subjects = [s for s in (doc.subjects if doc else ()) if fields.get(s.id_field)]
    if register is None:
        return []
    out: list[FieldComparison] = []
    for subject in subjects:
        id_number = fields[subject.id_field]
        record: PersonRecord | None = register.get(id_number)
        row = record.as_dict() if record is not None else {}
        for doc_field, column in subject.compare.items():
            value, reg = fields.get(doc_field) or None, row.get(column) or None
            outcome: FieldOutcome = "absent"
            if value and reg:
                outcome = {"same": "match", "diacritics": "diacritics"}.get(
                    compare_values(value, reg, column), "mismatch"
                )  # type: ignore[assignment]
            out.append(
                FieldComparison(
                    field=doc_field,
                    column=column,
                    id_number=id_number,
                    value=value,
                    register_value=reg,
                    outcome=outcome,
                    subject_found=record is not None,
                )
            )
    return out


def verify_fields(
    doc_type: str, fields: Mapping[str, str], register: PopulationRegister | None
) -> Verification:
    """Match / mismatch / not_found / not_applicable for one document's extracted fields."""
    doc = doctypes.get(doc_type)
    if register is None or not any(fields.get(s.id_field) for s in (doc.subjects if doc else ())):
        return Verification("not_applicable")
    compared = compare_fields(doc_type, fields, register)
    # A subject missing from the register decides the status (samples/README.md rule).
    if _a_subject_unknown(doc_type, fields, register):
        return Verification("not_found")
    mismatched = [c.field for c in compared if c.outcome in ("mismatch", "diacritics")]
    diacritics = [c.field for c in compared if c.outcome == "diacritics"]
    if mismatched:
        return Verification("mismatch", mismatched, diacritics)
    return Verification("match")


def _a_subject_unknown(
    doc_type: str, fields: Mapping[str, str], register: PopulationRegister
) -> bool:
    """A named subject the register does not know, even when its record compares nothing."""
    doc = doctypes.get(doc_type)
    return any(
        fields.get(s.id_field) and register.get(fields[s.id_field]) is None
        for s in (doc.subjects if doc else ())
    )
