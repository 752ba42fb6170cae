"""Tesseract 5 ``vie`` as a line recognizer.

One process per page, not per line: the line crops are scaled to one height and stacked
into a single image with blank rows between them, read with ``--psm 6``, and each word is
assigned back to the crop its vertical centre falls in.

Tesseract binarises the stacked sheet once, with one global threshold. A line on a tinted
background (a card's guilloche, a green certificate border) lies between the sheet's white
gaps and its other lines' black ink, so the threshold turned its whole crop black, and
that block took the sheet's other lines with it (a chip card front read as no text at all).
Each line is therefore stretched to its own paper and ink before stacking: its background
(most of its pixels) becomes white and its darkest ink black.
"""

from __future__ import annotations

import cv2
import numpy as np

from core.settings import Settings
from ocr_service.engine import _exec_tesseract as tess
from ocr_service.engine.base import LineWord, Recognition
from ocr_service.engine.crops import line_contrast

__all__ = ["TesseractRecognizer", "available", "create", "line_recognition"]

_LINE_HEIGHT = 40  # px; ~ 12 pt text at 300 dpi, tesseract's comfort zone
_GAP = 24  # px of white between stacked lines: over half a line, so each is a line of its own
_MARGIN = 20  # px of white around the sheet: Tesseract wants a border round the text


def line_recognition(words: list[LineWord]) -> Recognition:
    """The line's text and mean word confidence."""
    text = " ".join(w.text for w in words)
    conf = float(np.mean([w.confidence for w in words])) if words else 0.0
    return Recognition(text, conf)


def available() -> bool:
    """Tesseract (in process or as a binary) with its Vietnamese model installed."""
    return tess.has_language("vie")


def _gray(crop: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop


class TesseractRecognizer:
    """A ``WordReader``: reads a page's lines in one call, with each word's place and
    confidence."""

    name = "tesseract"

    def __init__(self, lang: str = "vie") -> None:
        self.lang = lang

    def read_words(self, crops: list[np.ndarray]) -> list[list[LineWord]]:
        """Each crop's words, left to right, with their x-extent in that crop's pixels."""
        if not crops:
            return []
        scaled = []
        for crop in crops:
            h, w = crop.shape[:2]
            nw = max(8, int(round(w * _LINE_HEIGHT / max(h, 1))))
            scaled.append(
                cv2.resize(line_contrast(crop), (nw, _LINE_HEIGHT), interpolation=cv2.INTER_CUBIC)
            )
        width = max(s.shape[1] for s in scaled) + 2 * _MARGIN
        height = len(scaled) * (_LINE_HEIGHT + _GAP) + 2 * _MARGIN
        sheet = np.full((height, width), 255, dtype=np.uint8)
        y = _MARGIN
        for s in scaled:
            sheet[y : y + _LINE_HEIGHT, _MARGIN : _MARGIN + s.shape[1]] = s
            y += _LINE_HEIGHT + _GAP
        per_line: list[list[LineWord]] = [[] for _ in crops]
        for word in tess.image_to_words(sheet, lang=self.lang, psm=6):
            cy = word.top + word.height / 2
            i = int((cy - _MARGIN + _GAP / 2) // (_LINE_HEIGHT + _GAP))
            if 0 <= i < len(crops):
                back = crops[i].shape[0] / _LINE_HEIGHT  # sheet px → crop px
                x0 = (word.left - _MARGIN) * back
                x1 = (word.left + word.width - _MARGIN) * back
                per_line[i].append(LineWord(word.text, x0, x1, max(word.confidence, 0.0) / 100))
        for ws in per_line:
            ws.sort(key=lambda w: w.x0)
        return per_line

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        return [line_recognition(ws) for ws in self.read_words(crops)]


def create(settings: Settings) -> TesseractRecognizer:
    return TesseractRecognizer()
