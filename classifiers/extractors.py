"""The field extractors' registry: each document type's extractor, read from its record."""

from __future__ import annotations

from classifiers import doctypes
from classifiers.fields import FieldExtractor

__all__ = ["EXTRACTORS", "get_extractor"]

EXTRACTORS: dict[str, FieldExtractor] = {
    t.name: t.extractor for t in doctypes.all_types() if t.extractor is not None
}


def get_extractor(doc_type: str) -> FieldExtractor | None:
    return EXTRACTORS.get(doc_type)
