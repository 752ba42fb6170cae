"""asterocr first; tesseract re-reads the lines asterocr is unsure of and wins when surer."""

from __future__ import annotations

import numpy as np

from core.settings import Settings
from ocr_service.engine import _exec_tesseract as tess
from ocr_service.engine.asterocr_rec import AsterRecognizer
from ocr_service.engine.asterocr_rec import _available as _aster_available
from ocr_service.engine.base import Recognition, register
from ocr_service.engine.tesseract_rec import TesseractRecognizer

__all__ = ["CombinedRecognizer"]

_RECHECK_BELOW = 0.90


class CombinedRecognizer:
    name = "asterocr+tesseract"

    def __init__(self, aster: AsterRecognizer, tesseract: TesseractRecognizer) -> None:
        self._aster = aster
        self._tess = tesseract

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        first = self._aster.recognize(crops)
        unsure = [i for i, r in enumerate(first) if r.confidence < _RECHECK_BELOW]
        if not unsure:
            return first
        second = self._tess.recognize([crops[i] for i in unsure])
        out = list(first)
        for i, alt in zip(unsure, second, strict=True):
            if alt.text and alt.confidence > first[i].confidence:
                out[i] = alt
        return out


@register("asterocr+tesseract", available=lambda: _aster_available() and tess.has_language("vie"))
def _factory(settings: Settings) -> CombinedRecognizer:
    return CombinedRecognizer(AsterRecognizer(threads=settings.ocr_threads), TesseractRecognizer())
