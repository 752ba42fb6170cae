"""Stage 5, re-read disputed fields: a field that differs from the population register only in
diacritics has its lines read again the slow and surer way, and the file is understood again.

The fast mode (Tesseract reading, asterocr re-reading only the words Tesseract doubts) keeps
Tesseract's confident tone-mark slips ("Thuý" for "Thuỷ"); where one lands in a field the
register disagrees with only in its marks, the lines holding that field are read again by
``engine.reread``. The reader does not see the register, so a real difference is read again
as it is printed.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

import numpy as np

from core.normalize import fold
from core.records import DocumentResult, PopulationRegister, ProcessedPage
from ocr_service.engine import OcrEngine
from ocr_service.engine.reread import can_reread, reread_lines
from ocr_service.pipeline.understanding import understand
from ocr_service.pipeline.verification import verify

__all__ = ["read_disputed_lines", "reread_disputed_fields"]

log = logging.getLogger(__name__)


def reread_disputed_fields(
    source: str,
    pages: list[ProcessedPage],
    documents: list[DocumentResult],
    *,
    engine: OcrEngine,
    register: PopulationRegister | None,
    machine_readable: bool = True,
) -> list[DocumentResult]:
    """``documents``, or, when a line was read differently the second time, the documents
    understood again from the pages (whose texts then hold the second reading). Which fields
    are disputed is the register's answer (``verify``); the documents returned are not yet
    verified, but each records in ``verification.reread_fields`` the disputed fields the
    second reader read the same way as the first (``verify`` keeps them)."""
    checked = verify(documents, register)
    changed, reread = _read_disputed(pages, checked, engine)
    if not reread:
        return documents
    again = understand(source, pages, machine_readable=machine_readable) if changed else documents
    return [_with_reread(doc, checked, reread) for doc in again]


def _with_reread(
    doc: DocumentResult, before: list[DocumentResult], reread: dict[int, list[str]]
) -> DocumentResult:
    """``doc`` marked with the fields re-read whose value stayed as first read; the document
    it was is the one before with the same pages and type."""
    for index, fields in reread.items():
        old = before[index]
        if old.pages != doc.pages or old.doc_type != doc.doc_type:
            continue
        same = [f for f in fields if doc.fields.get(f) == old.fields.get(f)]
        if same:
            return replace(doc, verification=replace(doc.verification, reread_fields=same))
    return doc


_MAX_REREAD_LINES = 6  # per field: a wrapped address spans three


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", fold(text)))


def read_disputed_lines(
    pages: list[ProcessedPage], documents: list[DocumentResult], engine: OcrEngine
) -> bool:
    """Read again (``engine.reread``) the lines holding a field of ``documents`` (verified)
    that differs from the register only in diacritics, in place in ``pages``. True when a
    line's text changed. Only an engine in the fast mode can (``can_reread``): its second
    reader is the surer one."""
    return _read_disputed(pages, documents, engine)[0]


def _read_disputed(
    pages: list[ProcessedPage], documents: list[DocumentResult], engine: OcrEngine
) -> tuple[bool, dict[int, list[str]]]:
    """``read_disputed_lines``, and which fields of which document (by index) had lines to
    read again."""
    reread: dict[int, list[str]] = {}
    if not any(d.verification.diacritics_only_fields for d in documents) or not can_reread(engine):
        return False, reread
    changed = False
    done: set[tuple[int, int]] = set()  # (page, line): a line holding two fields is read once
    for index, doc in enumerate(documents):
        for field_name in doc.verification.diacritics_only_fields:
            value = _words(doc.fields.get(field_name, ""))
            need = min(len(value), 2)
            if not need:
                continue
            for page in pages:
                if page.page not in doc.pages or page.from_text_layer:
                    continue  # a PDF's own text is exact: there is nothing to read again
                lines = page.text.lines
                found = [i for i, ln in enumerate(lines) if len(value & _words(ln.text)) >= need]
                if found:
                    reread.setdefault(index, [])
                    if field_name not in reread[index]:
                        reread[index].append(field_name)
                picks = [i for i in found if (page.page, i) not in done][:_MAX_REREAD_LINES]
                done.update((page.page, i) for i in picks)
                texts = reread_lines(engine, page.image, [np.asarray(lines[i].box) for i in picks])
                for i, text in zip(picks, texts, strict=True):
                    if text and text != lines[i].text:
                        # the texts are personal data: the log says which line, not what
                        log.debug("p%d: line %d read again, changed", page.page, i)
                        lines[i] = replace(lines[i], text=text)
                        changed = True
    return changed, reread
