"""Document understanding for one source file: split pages into documents, extract, verify.

A dossier PDF often holds several documents and a document can span pages: a page with a
recognised title (or the national motto that heads every form) opens a new document; a
page without one continues the previous document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from classifiers import doctypes
from classifiers.card_type import QR_CARD_SCORE, qr_card_type
from classifiers.classify import TITLED_SCORE, PageClass, classify_page, has_document_header
from classifiers.extractors import get_extractor
from classifiers.fields import PageInput, drop_unfinished_places
from classifiers.text_lines import layout_lines
from classifiers.verification import verify_fields
from core.records import DocumentResult, PageText, PopulationRegister

__all__ = ["DocumentPages", "split_documents", "understand_pages"]


@dataclass
class DocumentPages:
    doc_type: str
    confidence: float
    pages: list[PageInput]


def split_documents(pages: Sequence[PageInput]) -> list[DocumentPages]:
    """Group consecutive pages into documents (new title or motto → new document); a page
    no title types is typed by a citizen card's QR code when it carries one."""
    docs: list[DocumentPages] = []
    for page in pages:
        if not page.lines:
            page.lines = layout_lines(page.text)
        cls: PageClass = classify_page(page.lines, page.text.height)
        if cls.score < TITLED_SCORE or cls.doc_type == doctypes.OTHER:
            # a card the OCR read too little of to type is typed by its QR code
            card = qr_card_type(page)
            if card is not None:
                cls = PageClass(card, QR_CARD_SCORE, cls.scores)
        opens = cls.doc_type != doctypes.OTHER or has_document_header(page.lines, page.text.height)
        if docs and not opens:
            docs[-1].pages.append(page)
            continue
        if (
            docs
            and cls.doc_type == docs[-1].doc_type
            and cls.doc_type != doctypes.OTHER
            and not _has_title(cls)
        ):
            docs[-1].pages.append(page)
            continue
        docs.append(DocumentPages(cls.doc_type, cls.score, [page]))
    return docs


def _has_title(cls: PageClass) -> bool:
    return cls.score >= TITLED_SCORE


def understand_pages(
    source: str,
    texts: Sequence[PageText],
    images: Sequence[np.ndarray | None] | None = None,
    *,
    register: PopulationRegister | None,
    machine_readable: bool = True,
) -> list[DocumentResult]:
    """Classify, extract and verify every document in one file's OCR'd pages.

    ``images`` (upright, the coordinates of ``texts``) are used to decode QR codes;
    ``machine_readable=False`` turns QR and MRZ fusion off (the evaluation's baseline).
    """
    imgs = list(images) if images is not None else [None] * len(texts)
    inputs = [
        PageInput(t, img, machine_readable=machine_readable)
        for t, img in zip(texts, imgs, strict=True)
    ]
    results: list[DocumentResult] = []
    for doc in split_documents(inputs):
        extractor = get_extractor(doc.doc_type)
        fields: dict[str, str] = {}
        conf: dict[str, float] = {}
        src: dict[str, str] = {}
        readings: dict[str, dict[str, str]] = {}
        review: dict[str, str] = {}
        if extractor is not None:
            got = extractor.extract(doc.pages)
            drop_unfinished_places(got)
            fields, conf, src = got.fields, got.confidence, got.source
            readings, review = got.readings, got.review
        results.append(
            DocumentResult(
                source=source,
                pages=[p.text.page for p in doc.pages],
                doc_type=doc.doc_type,
                fields=fields,
                field_confidence=conf,
                verification=verify_fields(doc.doc_type, fields, register),
                doc_type_confidence=doc.confidence,
                field_source=src,
                field_readings=readings,
                field_review=review,
            )
        )
    return results
