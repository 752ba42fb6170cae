"""The pipeline in order: one scan file's bytes in, its registered documents out.

1. load pages         ``load_pages`` (ocr_service.pages): bytes → page images, one at a time
2. preprocess         ``preprocess_page``: upright, level, sized for text; its lines found
3. OCR                ``ocr_page``: the lines read, in reading order (a born-digital PDF
                      page whose text layer is trusted skips 2-3: ``text_layer_page``)
4. understand         ``understand``: documents, their types and fields
5. re-read disputed   ``reread_disputed_fields``: a field differing from the register only in
                      diacritics read again, the documents understood again
6. verify             ``verify``: fields checked against the population register
7. register           ``register_documents`` (ocr_service.registration): into the store

Each stage is a plain function with typed input and output, in a module of this package
named after it. The models (the OCR engine) and the register are loaded once per process by
the caller and passed in. ``sohoa ocr`` runs stages 1-3 (``ocr_file``), ``sohoa extract``
1-6 (``extract_file``); a worker runs 1-6 within the job's time limit, then 7 in its own
database session, so that a pipeline finishing late never registers anything.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.records import ExtractionResult, PageImage, PopulationRegister, ProcessedPage
from core.settings import Settings
from ocr_service.copies.codes import DigitizationCodeTemplate
from ocr_service.engine import OcrEngine
from ocr_service.pages import load_pages
from ocr_service.pipeline.disputed import reread_disputed_fields
from ocr_service.pipeline.ocr import ocr_page, text_layer_page
from ocr_service.pipeline.preprocessing import preprocess_page
from ocr_service.pipeline.understanding import understand
from ocr_service.pipeline.verification import verify
from ocr_service.registration import register_extraction
from storage.models import Component, RegisteredDocument
from storage.objects import ObjectStore

__all__ = ["extract_file", "ocr_file", "register_documents"]


def ocr_file(
    data: bytes, name: str, *, engine: OcrEngine, settings: Settings
) -> list[ProcessedPage]:
    """Stages 1-3: OCR every page of a JPEG/PNG/TIFF/WebP/HEIC/PDF given as bytes (``name`` is for
    messages), a page at a time: a page is decoded only when the one before it is read."""
    return [_read_page(page, name, engine) for page in load_pages(data, name, settings)]


def _read_page(page: PageImage, name: str, engine: OcrEngine) -> ProcessedPage:
    if page.text_lines is not None:  # its own text, trusted (ocr_service.text_layer)
        return text_layer_page(page, name)
    return ocr_page(preprocess_page(page, name, engine=engine), engine=engine)


def extract_file(
    data: bytes,
    name: str,
    *,
    engine: OcrEngine,
    register: PopulationRegister | None,
    settings: Settings,
) -> ExtractionResult:
    """Stages 1-6: OCR a file, split it into documents, extract their fields and verify them.

    ``register`` may be ``None`` (no register configured): every document is then
    ``not_applicable`` for verification.
    """
    pages = ocr_file(data, name, engine=engine, settings=settings)  # 1-3
    documents = understand(name, pages)  # 4
    documents = reread_disputed_fields(  # 5
        name, pages, documents, engine=engine, register=register
    )
    documents = verify(documents, register)  # 6
    return ExtractionResult(pages=pages, documents=documents)


def register_documents(
    extraction: ExtractionResult,
    *,
    session: Session,
    component: Component,
    store: ObjectStore,
    code_template: DigitizationCodeTemplate | None = None,
) -> list[RegisteredDocument]:
    """Stage 7: the component's pages and documents enter the store (page images, searchable
    PDFs, one registered document each, with its digitization code: sohoa's own, or
    ``code_template``'s); idempotent."""
    return register_extraction(
        session,
        component=component,
        extraction=extraction,
        store=store,
        code_template=code_template,
    )
