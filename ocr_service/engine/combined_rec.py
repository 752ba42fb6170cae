"""Two recognizers in turn: the first reads every line, the second re-reads the lines the
first is unsure of and wins when surer (``asterocr+tesseract`` in the registry)."""

from __future__ import annotations

import numpy as np

from ocr_service.engine.base import Recognition, Recognizer

__all__ = ["CombinedRecognizer"]

# The first reading's confidence below which the second recognizer reads the line too; the
# value this mode was written with, not tuned since (it is not the default).
_RECHECK_BELOW = 0.90


class CombinedRecognizer:
    def __init__(self, first: Recognizer, second: Recognizer) -> None:
        self.name = f"{first.name}+{second.name}"
        self._first = first
        self._second = second

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        first = self._first.recognize(crops)
        unsure = [i for i, r in enumerate(first) if r.confidence < _RECHECK_BELOW]
        if not unsure:
            return first
        second = self._second.recognize([crops[i] for i in unsure])
        out = list(first)
        for i, alt in zip(unsure, second, strict=True):
            if alt.text and alt.confidence > first[i].confidence:
                out[i] = alt
        return out
