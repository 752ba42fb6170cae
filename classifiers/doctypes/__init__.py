"""Every document type sohoa knows: one module per type, each defining one ``DOC_TYPE`` record.

The registry finds the modules of this package (those not starting with ``_``) and reads
their records; the classifier, the extractors, verification, registration, the pages and
the samples generator all read these records. Adding a type is adding a module here (plus
its samples and goldens): docs/adding-a-document-type.md.
"""

from __future__ import annotations

import importlib
import pkgutil

from classifiers.doctypes._common import FIELD_LABELS
from classifiers.doctypes._record import Cues, DocType, Field, Subject, TemplateVersion

__all__ = [
    "DOC_TYPES",
    "OTHER",
    "Cues",
    "DocType",
    "Field",
    "Subject",
    "TemplateVersion",
    "all_subject_id_fields",
    "all_types",
    "field_labels",
    "get",
]

OTHER = "other"  # the type of a page no other type claims


def _discover() -> dict[str, DocType]:
    found: list[DocType] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        record = getattr(importlib.import_module(f"{__name__}.{info.name}"), "DOC_TYPE", None)
        if not isinstance(record, DocType) or record.name != info.name:
            raise TypeError(f"{__name__}.{info.name} must define DOC_TYPE named {info.name!r}")
        found.append(record)
    found.sort(key=lambda t: t.position)
    return {t.name: t for t in found}


# Name → record, in the order the officer's page lists the types.
DOC_TYPES: dict[str, DocType] = _discover()


def all_types() -> list[DocType]:
    """Every registered type, in the officer's page's order (``position``)."""
    return list(DOC_TYPES.values())


def get(name: str) -> DocType | None:
    """The record of ``name``, or None for a name no module defines."""
    return DOC_TYPES.get(name)


def field_labels() -> dict[str, str]:
    """Field name → Vietnamese label over all types; the shared labels' order first."""
    from_records = {f.name: f.label for t in all_types() for f in t.fields}
    order = {name: i for i, name in enumerate(FIELD_LABELS)}
    return dict(sorted(from_records.items(), key=lambda kv: order.get(kv[0], len(order))))


def all_subject_id_fields() -> tuple[str, ...]:
    """Every field that names a document's subject in some type, in the types' order."""
    return tuple(dict.fromkeys(f for t in all_types() for f in t.subject_id_fields))
