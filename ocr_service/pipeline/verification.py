"""Stage 6, verify: each document's fields compared with the population register
(``classifiers.verification.verify_fields``)."""

from __future__ import annotations

from dataclasses import replace

from classifiers.verification import verify_fields
from core.records import DocumentResult, PopulationRegister, Verification

__all__ = ["verify"]


def verify(
    documents: list[DocumentResult], register: PopulationRegister | None
) -> list[DocumentResult]:
    """The documents with their verification: match, mismatch (and which fields differ only
    in diacritics), not_found, or not_applicable (no register, or nothing to compare).

    A document's ``reread_fields`` (stage 5 read them again the same way) are kept for the
    fields that still differ from the register."""
    return [replace(doc, verification=_verified(doc, register)) for doc in documents]


def _verified(doc: DocumentResult, register: PopulationRegister | None) -> Verification:
    verification = verify_fields(doc.doc_type, doc.fields, register)
    reread = [f for f in doc.verification.reread_fields if f in verification.mismatched_fields]
    return replace(verification, reread_fields=reread) if reread else verification
