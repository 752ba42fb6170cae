"""Stage 4, understand: one file's OCR'd pages split into documents, each classified and its
fields extracted (``classifiers.understand``); verification is a stage of its own."""

from __future__ import annotations

from classifiers.understand import understand_pages
from core.records import DocumentResult, ProcessedPage

__all__ = ["understand"]


def understand(
    source: str, pages: list[ProcessedPage], *, machine_readable: bool = True
) -> list[DocumentResult]:
    """The documents in ``pages``, not yet verified (``verification`` not_applicable).

    ``machine_readable=False`` turns QR and MRZ fusion off (the evaluation's baseline)."""
    return understand_pages(
        source,
        [p.text for p in pages],
        [p.image for p in pages],
        register=None,  # verified in its own stage (pipeline.verification)
        machine_readable=machine_readable,
    )
