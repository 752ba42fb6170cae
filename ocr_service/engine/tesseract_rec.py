"""Tesseract 5 ``vie`` as a line recognizer.

One process per page, not per line: the line crops are scaled to one height and stacked
into a single image with blank rows between them, read with ``--psm 6``, and each word is
assigned back to the crop its vertical centre falls in.
"""

from __future__ import annotations

import cv2
import numpy as np

from ocr_service.engine import _exec_tesseract as tess
from ocr_service.engine.base import Recognition, register
from ocr_service.settings import Settings

__all__ = ["TesseractRecognizer"]

_LINE_HEIGHT = 40  # px; ~ 12 pt text at 300 dpi, tesseract's comfort zone
_GAP = 24
_MARGIN = 20


def _available() -> bool:
    return tess.has_language("vie")


def _gray(crop: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop


class TesseractRecognizer:
    name = "tesseract"

    def __init__(self, lang: str = "vie") -> None:
        self.lang = lang

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        if not crops:
            return []
        scaled = []
        for crop in crops:
            h, w = crop.shape[:2]
            nw = max(8, int(round(w * _LINE_HEIGHT / max(h, 1))))
            scaled.append(
                cv2.resize(_gray(crop), (nw, _LINE_HEIGHT), interpolation=cv2.INTER_CUBIC)
            )
        width = max(s.shape[1] for s in scaled) + 2 * _MARGIN
        height = len(scaled) * (_LINE_HEIGHT + _GAP) + 2 * _MARGIN
        sheet = np.full((height, width), 255, dtype=np.uint8)
        bands = []
        y = _MARGIN
        for s in scaled:
            sheet[y : y + _LINE_HEIGHT, _MARGIN : _MARGIN + s.shape[1]] = s
            bands.append((y - _GAP // 2, y + _LINE_HEIGHT + _GAP // 2))
            y += _LINE_HEIGHT + _GAP
        words = tess.image_to_words(sheet, lang=self.lang, psm=6)
        per_line: list[list[tess.TsvWord]] = [[] for _ in crops]
        for word in words:
            cy = word.top + word.height / 2
            i = int((cy - _MARGIN + _GAP / 2) // (_LINE_HEIGHT + _GAP))
            if 0 <= i < len(crops):
                per_line[i].append(word)
        out = []
        for ws in per_line:
            ws.sort(key=lambda w: w.left)
            text = " ".join(w.text for w in ws)
            conf = float(np.mean([max(w.confidence, 0.0) for w in ws]) / 100.0) if ws else 0.0
            out.append(Recognition(text, conf))
        return out


@register("tesseract", available=_available)
def _factory(settings: Settings) -> TesseractRecognizer:
    return TesseractRecognizer()
