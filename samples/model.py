"""Records shared by the document templates, the degrader and the writer."""

from __future__ import annotations

from dataclasses import dataclass, field

from classifiers import doctypes

from .people import Person
from .render import Page

__all__ = ["Subject", "Document", "DOC_TYPES"]

# The registered document types (classifiers/doctypes), in their order: a sample's
# degradation is cycled by its type's index here.
DOC_TYPES = [t.name for t in doctypes.all_types()]


@dataclass
class Subject:
    """A person a document is about, and which of the document's fields describe them.

    `compare` maps a document field name (e.g. `husband_name`) to a register column
    (`full_name`); verification compares exactly those fields that the document prints.
    """

    person: Person
    id_field: str  # the document field carrying their id number
    compare: dict[str, str]


@dataclass
class Document:
    """One logical document: its rendered pages and the fields printed on it (spec formats)."""

    doc_type: str
    pages: list[Page]
    fields: dict[str, str]
    subjects: list[Subject] = field(default_factory=list)
    card_version: str | None = None
    qr_payload: str | None = None
    mrz: list[str] | None = None
