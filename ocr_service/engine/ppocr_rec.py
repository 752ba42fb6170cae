"""Stock PP-OCRv6 small recognizer (from the rapidocr wheel): the baseline.

It cannot read Vietnamese tone marks reliably; kept for comparison in the benchmark.
"""

from __future__ import annotations

import cv2
import numpy as np

from core.settings import Settings
from ocr_service.engine._ctc import ctc_greedy
from ocr_service.engine.base import Recognition
from ocr_service.engine.detection import rapidocr_model_path

__all__ = ["PpocrRecognizer", "available", "create"]

_HEIGHT = 48
_FILE = "PP-OCRv6_rec_small.onnx"


def available() -> bool:
    """rapidocr's wheel ships the recognizer's weights."""
    try:
        rapidocr_model_path(_FILE)
    except Exception:
        return False
    return True


class PpocrRecognizer:
    name = "ppocr"

    def __init__(self, threads: int = 1) -> None:
        import onnxruntime as ort  # with the model, not on import (as in asterocr_rec)

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(rapidocr_model_path(_FILE)), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        self._input = self._session.get_inputs()[0].name
        chars = self._session.get_modelmeta().custom_metadata_map["character"].splitlines()
        self._alphabet = ["", *chars, " "]

    def _run(self, crop: np.ndarray) -> tuple[str, float]:
        h, w = crop.shape[:2]
        tw = max(16, int(np.ceil(w * _HEIGHT / max(h, 1))))
        if crop.ndim == 2:
            crop = cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR)
        resized = cv2.resize(crop, (tw, _HEIGHT), interpolation=cv2.INTER_LINEAR)
        img = resized.astype(np.float32) / 127.5 - 1.0
        out = self._session.run(None, {self._input: img.transpose(2, 0, 1)[None]})[0]
        return ctc_greedy(out[0], self._alphabet, 0)

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        return [Recognition(*self._run(c)) for c in crops]


def create(settings: Settings) -> PpocrRecognizer:
    return PpocrRecognizer(threads=settings.ocr_threads)
