"""Fault injection for tests and drills: an extractor that fails on purpose, by file name.

Name the uploaded file to choose the behaviour (``--pipeline workers.faults:extract``):
  * ``fail-retryable`` raises ``OcrEngineError`` (retryable) every time;
  * ``fail-permanent`` raises ``CorruptFileError`` (not retryable);
  * ``flaky`` fails retryably on the first attempt per content in this process, then works;
  * ``slow`` sleeps 2 s first;
  * a 12-digit number in the name becomes the document's ``id_number`` (verified "match");
  * ``ket_hon`` with two 12-digit numbers: a marriage certificate, husband then wife.
Otherwise every page becomes one ``other`` document and the image is kept as the page; no OCR
model is loaded, so service tests are fast and deterministic.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time

import cv2
import numpy as np
import pypdfium2 as pdfium

from core.errors import CorruptFileError, OcrEngineError, SohoaError, UnsupportedFileError
from core.records import (
    DocumentResult,
    ExtractionResult,
    OcrLine,
    PageText,
    ProcessedPage,
    Verification,
)
from core.settings import Settings
from ocr_service.pages import load_pages

__all__ = ["extract"]

_seen: set[str] = set()
_seen_lock = threading.Lock()


def _decode(data: bytes, settings: Settings) -> list[np.ndarray]:
    if data.startswith(b"%PDF"):
        pdf = pdfium.PdfDocument(data)
        images = []
        for page in pdf:
            rgb = page.render(scale=1).to_numpy()
            images.append(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
        return images
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is not None:
        return [image]
    try:  # what OpenCV cannot read (an iPhone's HEIC), the real page loader can
        return [page.image for page in load_pages(data, "scan", settings)]
    except SohoaError as exc:
        raise CorruptFileError() from exc


def extract(data: bytes, name: str, settings: Settings) -> ExtractionResult:
    lowered = name.lower()
    if "slow" in lowered:
        time.sleep(2)
    if "fail-retryable" in lowered:
        raise OcrEngineError("Injected retryable failure.")
    if "fail-permanent" in lowered:
        raise CorruptFileError("Injected permanent failure.")
    if "flaky" in lowered:
        digest = hashlib.sha256(data).hexdigest()
        with _seen_lock:
            first = digest not in _seen
            _seen.add(digest)
        if first:
            raise OcrEngineError("Injected failure on the first attempt.")
    if not data:
        raise UnsupportedFileError()
    out = ExtractionResult()
    match = re.search(r"(?<!\d)(\d{12})(?!\d)", name)
    ids = re.findall(r"(?<!\d)(\d{12})(?!\d)", name)
    marriage = "ket_hon" in lowered and len(ids) >= 2
    for number, image in enumerate(_decode(data, settings), start=1):
        h, w = image.shape[:2]
        box = ((10.0, 10.0), (w - 10.0, 10.0), (w - 10.0, 40.0), (10.0, 40.0))
        line = OcrLine(text=f"Trang {number}", box=box, confidence=0.99)
        text = PageText(page=number, width=w, height=h, lines=[line])
        out.pages.append(ProcessedPage(source=name, page=number, image=image, text=text, dpi=150))
        fields = {"full_name": "Nguyễn Thị Minh Hằng"}
        verification = Verification("not_applicable")
        doc_type = "other"
        if marriage:
            doc_type = "marriage_certificate"
            fields = {
                "husband_name": "Trần Văn Nam",
                "husband_id_number": ids[0],
                "wife_name": "Nguyễn Thị Minh Hằng",
                "wife_id_number": ids[1],
            }
            verification = Verification("match")
        elif match:
            doc_type = "birth_certificate"
            fields["id_number"] = match.group(1)
            verification = Verification("match")
        out.documents.append(
            DocumentResult(
                source=name,
                pages=[number],
                doc_type=doc_type,
                fields=fields,
                field_confidence={k: 0.95 for k in fields},
                verification=verification,
                doc_type_confidence=0.9,
                field_source={k: "ocr" for k in fields},
            )
        )
    return out
