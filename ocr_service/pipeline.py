"""The stage orchestrator: file bytes → pages → preprocessing → detection → recognition.

Stages are the plain functions of ``pages``, ``preprocess`` and ``engine``; this module
only sequences them (OCRmyPDF's pipeline style). Models come in via ``engine``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import TYPE_CHECKING

import cv2
import numpy as np

from core.errors import OcrEngineError, SohoaError
from core.records import (
    DocumentResult,
    ExtractionResult,
    OcrResult,
    PageImage,
    PageText,
    ProcessedPage,
)
from core.settings import Settings
from ocr_service import preprocess as pp
from ocr_service.engine import OcrEngine
from ocr_service.engine.crops import crop_quad
from ocr_service.engine.reread import can_reread, reread_lines
from ocr_service.pages import load_pages

if TYPE_CHECKING:
    from core.records import PopulationRegister

__all__ = [
    "ExtractionResult",
    "ProcessedPage",
    "extract_file",
    "ocr_file",
    "ocr_result",
    "process_page",
    "understand",
]

log = logging.getLogger(__name__)

_MIN_SKEW = 0.4  # degrees; below this a line box already crops cleanly


def ocr_result(source: str, pages: list[ProcessedPage]) -> OcrResult:
    """The ``sohoa ocr --json`` record of one file."""
    return OcrResult(source=source, pages=[p.text for p in pages])


def _upside_down(engine: OcrEngine, image: np.ndarray, quads: list[np.ndarray]) -> bool:
    """Vote of the 0°/180° line classifier over the longest lines."""
    longest = sorted(quads, key=lambda q: -float(np.linalg.norm(q[1] - q[0])))[:12]
    crops = [crop_quad(image, q) for q in longest]
    crops = [c for c in crops if c.shape[1] > 2 * c.shape[0]]
    if not crops:
        return False
    probs = engine.orientation.upside_down_probability(crops)
    return float(np.mean(probs)) > 0.5


# A4 on its side: landscape, with the sides of a sheet of A4 (a card, 85.6 × 54 mm, is wider)
_A4_SIDEWAYS = (1.3, 1.5)
_PROBE_SIDE = 640  # px, long side of the orientation probe


def _sideways_page(engine: OcrEngine, image: np.ndarray) -> bool:
    """Whether a big landscape image is an A4 page scanned on its side, asked of the
    detector at a quarter of its usual pixels (0.13 s, not 0.55 s): lying lines are still
    found. Without it a sideways page was detected in full twice, once only to learn it
    lay on its side; on the 38 such pages of the evaluation sets, the probe and the full
    detection agreed every time. Portrait pages and cards are not probed."""
    h, w = image.shape[:2]
    if w <= engine.detector.limit_side_len or not _A4_SIDEWAYS[0] <= w / h <= _A4_SIDEWAYS[1]:
        return False
    f = _PROBE_SIDE / w
    small = cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    return pp.is_rotated_quarter(engine.detector.detect(small))


def process_page(
    page: PageImage, source: str, *, engine: OcrEngine, settings: Settings
) -> ProcessedPage:
    """Preprocess one page image and OCR it."""
    steps: list[str] = []
    image, scale = pp.limit_size(page.image)
    dpi = page.dpi * scale if page.dpi else None
    if scale != 1.0:
        steps.append(f"downscaled x{scale:.2f}")

    quad = pp.find_document(image)
    if quad is not None:
        image = pp.warp_quad(image, quad)
        dpi = None
        steps.append("document cropped")

    sigma = pp.estimate_noise(image)
    if sigma >= pp.NOISE_SIGMA:
        image = pp.denoise(image, sigma)
        steps.append(f"denoised (sigma {sigma:.1f})")

    rotation = 0
    if _sideways_page(engine, image):
        image = pp.rotate_quarter(image, 90)
        rotation = 90
    quads = engine.detect(image)
    if pp.is_rotated_quarter(quads):
        # not caught by the probe, or (rarely) a landscape page the probe turned wrongly
        turn = 270 if rotation else 90
        image = pp.rotate_quarter(image, turn)
        rotation = (rotation + turn) % 360
        quads = engine.detect(image)
    if quads and _upside_down(engine, image, quads):
        quads = pp.rotate_quads_180(quads, image.shape)
        image = pp.rotate_quarter(image, 180)
        rotation = (rotation + 180) % 360
    if rotation:
        steps.append(f"rotated {rotation}°")

    angle = pp.skew_angle(quads)
    if abs(angle) >= _MIN_SKEW:
        m, _ = pp.rotation_matrix(image.shape, angle)
        image = pp.rotate_small(image, angle)
        quads = pp.transform_quads(quads, m)
        steps.append(f"deskewed {angle:.1f}°")

    factor = pp.scale_for_text(pp.line_height(quads))
    if factor != 1.0:
        interp = cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA
        image = cv2.resize(image, None, fx=factor, fy=factor, interpolation=interp)
        # The detector never upsamples: re-detecting pays only when the image was smaller
        # than the detector's input (a card photo), else the boxes just scale.
        small_input = max(image.shape[:2]) / factor < engine.detector.limit_side_len
        quads = engine.detect(image) if factor > 1 and small_input else [q * factor for q in quads]
        dpi = dpi * factor if dpi else None
        steps.append(f"rescaled x{factor:.2f}")

    try:
        lines = engine.read(image, quads)
    except SohoaError:
        raise
    except Exception as exc:
        raise OcrEngineError(f"{source}: OCR failed on page {page.page} ({exc}); retry.") from exc
    text = PageText(
        page=page.page,
        width=int(image.shape[1]),
        height=int(image.shape[0]),
        lines=lines,
        rotation=rotation,
    )
    if steps:
        log.debug("%s p%d: %s", source, page.page, ", ".join(steps))
    return ProcessedPage(
        source=source, page=page.page, image=image, text=text, dpi=dpi, steps=steps
    )


def ocr_file(
    data: bytes, name: str, *, engine: OcrEngine, settings: Settings
) -> list[ProcessedPage]:
    """OCR every page of a JPEG/PNG/TIFF/PDF given as bytes; ``name`` is for messages."""
    return [
        process_page(p, name, engine=engine, settings=settings)
        for p in load_pages(data, name, settings)
    ]


# --- document understanding (owned by the "understand" lane) -----------------------------


def extract_file(
    data: bytes,
    name: str,
    *,
    engine: OcrEngine,
    register: PopulationRegister | None,
    settings: Settings,
) -> ExtractionResult:
    """OCR a file, split it into documents, extract their fields and verify them.

    ``register`` may be ``None`` (no register configured): every document is then
    ``not_applicable`` for verification.
    """
    pages = ocr_file(data, name, engine=engine, settings=settings)
    documents = understand(name, pages, engine=engine, register=register)
    return ExtractionResult(pages=pages, documents=documents)


def understand(
    source: str,
    pages: list[ProcessedPage],
    *,
    engine: OcrEngine,
    register: PopulationRegister | None,
    machine_readable: bool = True,
) -> list[DocumentResult]:
    """Classify, extract and verify the OCR'd pages of one file. A field that differs from
    the register only in diacritics has its lines read again first (``_read_disputed_again``);
    the pages' texts then hold the second reading."""
    from classifiers.understand import understand_pages

    def run() -> list[DocumentResult]:
        return understand_pages(
            source,
            [p.text for p in pages],
            [p.image for p in pages],
            register=register,
            machine_readable=machine_readable,
        )

    documents = run()
    if _read_disputed_again(pages, documents, engine):
        documents = run()
    return documents


_MAX_REREAD_LINES = 6  # per field: a wrapped address spans three


def _words(text: str) -> set[str]:
    from core.normalize import fold

    return set(re.findall(r"\w+", fold(text)))


def _read_disputed_again(
    pages: list[ProcessedPage], documents: list[DocumentResult], engine: OcrEngine
) -> bool:
    """Read again, the slow and surer way (``engine.reread``), the lines holding a field
    that differs from the register only in diacritics: the fast mode's confident tone-mark
    slips ("Thuý" for "Thuỷ") end up there. The reader does not see the register, so a
    real difference is read again as it is printed. True when a line's text changed."""
    if not any(d.verification.diacritics_only_fields for d in documents) or not can_reread(engine):
        return False
    changed = False
    done: set[tuple[int, int]] = set()  # (page, line): a line holding two fields is read once
    for doc in documents:
        for field_name in doc.verification.diacritics_only_fields:
            value = _words(doc.fields.get(field_name, ""))
            need = min(len(value), 2)
            if not need:
                continue
            for page in pages:
                if page.page not in doc.pages:
                    continue
                lines = page.text.lines
                picks = [
                    i
                    for i, ln in enumerate(lines)
                    if (page.page, i) not in done and len(value & _words(ln.text)) >= need
                ][:_MAX_REREAD_LINES]
                done.update((page.page, i) for i in picks)
                texts = reread_lines(engine, page.image, [np.asarray(lines[i].box) for i in picks])
                for i, text in zip(picks, texts, strict=True):
                    if text and text != lines[i].text:
                        log.debug(
                            "%s p%d: %r read again as %r",
                            doc.source,
                            page.page,
                            lines[i].text,
                            text,
                        )
                        lines[i] = replace(lines[i], text=text)
                        changed = True
    return changed
