"""Stage 6, verify: each document's fields compared with the population register
(``classifiers.verification.verify_fields``)."""

from __future__ import annotations

from dataclasses import replace

from classifiers.verification import verify_fields
from core.records import DocumentResult, PopulationRegister

__all__ = ["verify"]


def verify(
    documents: list[DocumentResult], register: PopulationRegister | None
) -> list[DocumentResult]:
    """The documents with their verification: match, mismatch (and which fields differ only
    in diacritics), not_found, or not_applicable (no register, or nothing to compare)."""
    return [
        replace(doc, verification=verify_fields(doc.doc_type, doc.fields, register))
        for doc in documents
    ]
