"""The OCR engine: text-line detection, line recognition (pluggable) and reading order.

``get_engine(settings)`` loads the models once per process and returns the same engine
on every call with the same recognizer.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ocr_service.engine._crops import crop_quad
from ocr_service.engine.base import (
    Recognition,
    Recognizer,
    available_recognizers,
    create_recognizer,
    register,
)
from ocr_service.engine.detection import TextDetector
from ocr_service.engine.layout import reading_order
from ocr_service.engine.orientation import LineOrientationClassifier
from ocr_service.results import OcrLine
from ocr_service.settings import Settings

__all__ = [
    "OcrEngine",
    "Recognition",
    "Recognizer",
    "available_recognizers",
    "create_recognizer",
    "get_engine",
    "register",
]


def _order_corners(quad: np.ndarray) -> np.ndarray:
    """Clockwise from top-left."""
    q = np.asarray(quad, dtype=np.float32).reshape(4, 2)
    s = q.sum(axis=1)
    d = np.diff(q, axis=1).ravel()
    return np.array([q[s.argmin()], q[d.argmin()], q[s.argmax()], q[d.argmax()]], dtype=np.float32)


@dataclass
class OcrEngine:
    """Detector + recognizer + line orientation classifier, loaded once."""

    detector: TextDetector
    recognizer: Recognizer
    orientation: LineOrientationClassifier

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        return [_order_corners(q) for q in self.detector.detect(image)]

    def read(self, image: np.ndarray, quads: list[np.ndarray] | None = None) -> list[OcrLine]:
        """OCR one upright BGR page: lines in reading order, boxes in this image's pixels."""
        if quads is None:
            quads = self.detect(image)
        if not quads:
            return []
        order = reading_order(quads, float(image.shape[1]))
        quads = [quads[i] for i in order]
        crops = [crop_quad(image, q) for q in quads]
        recs = self.recognizer.recognize(crops)
        lines = []
        for q, r in zip(quads, recs, strict=True):
            text = " ".join(r.text.split())
            if not text:
                continue
            box = tuple((float(x), float(y)) for x, y in q)
            lines.append(OcrLine(text=text, box=box, confidence=float(r.confidence)))  # type: ignore[arg-type]
        return lines


# Long side the detector sees; 1280 keeps small print (x-height ~4 px after scaling) found.
DEFAULT_DET_LIMIT = 1280

_ENGINES: dict[tuple[str, int, int], OcrEngine] = {}
_LOCK = threading.Lock()


def get_engine(settings: Settings, recognizer: str | None = None) -> OcrEngine:
    """The process-wide engine for ``settings.recognizer`` (or ``recognizer``), built once."""
    name = recognizer or settings.recognizer
    det_limit = int(getattr(settings, "ocr_det_limit", DEFAULT_DET_LIMIT))
    key = (name, settings.ocr_threads, det_limit)
    with _LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            cache = Path(settings.data_dir) / "models"
            engine = OcrEngine(
                detector=TextDetector(
                    cache, limit_side_len=det_limit, threads=settings.ocr_threads
                ),
                recognizer=create_recognizer(name, settings),
                orientation=LineOrientationClassifier(threads=settings.ocr_threads),
            )
            _ENGINES[key] = engine
        return engine
