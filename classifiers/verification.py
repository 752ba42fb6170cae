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

from classifiers import doctypes
from core.normalize import fold_keep_case
from core.records import PersonRecord, PopulationRegister, Verification

__all__ = ["compare_values", "verify_fields"]


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


def verify_fields(
    doc_type: str, fields: Mapping[str, str], register: PopulationRegister | None
) -> Verification:
    """Match / mismatch / not_found / not_applicable for one document's extracted fields."""
    doc = doctypes.get(doc_type)
    subjects = [s for s in (doc.subjects if doc else ()) if fields.get(s.id_field)]
    if not subjects or register is None:
        return Verification("not_applicable")
    mismatched: list[str] = []
    diacritics: list[str] = []
    not_found = False
    for subject in subjects:
        record: PersonRecord | None = register.get(fields[subject.id_field])
        if record is None:
            not_found = True
            continue
        row = record.as_dict()
        for doc_field, column in subject.compare.items():
            value, reg = fields.get(doc_field), row.get(column)
            if not value or not reg:
                continue
            outcome = compare_values(value, reg, column)
            if outcome != "same":
                mismatched.append(doc_field)
                if outcome == "diacritics":
                    diacritics.append(doc_field)
    # A subject missing from the register decides the status (samples/README.md rule).
    if not_found:
        return Verification("not_found")
    if mismatched:
        return Verification("mismatch", mismatched, diacritics)
    return Verification("match")
