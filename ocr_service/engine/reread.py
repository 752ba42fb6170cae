"""A second, slower reading of chosen lines, for the fast mode.

The fast mode reads lines with Tesseract and lets asterocr re-read only the words
Tesseract doubts; Tesseract's confident tone-mark slips ("Thuý" for "Thuỷ", "Khái" for
"Khải") stay. Where such a slip matters, the lines can be read again the way
``SOHOA_RECOGNIZER=asterocr`` reads every line: asterocr from a tight and from a padded
crop, Tesseract breaking ties word by word (``engine.vote``). It costs about as much per
line as that mode, so it is spent on a few lines only (the pipeline's ``disputed`` stage
uses it on a field that differs from the population register only in diacritics).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ocr_service.engine.base import WordReader
from ocr_service.engine.crops import clean_line, clean_line_at, crop_quad
from ocr_service.engine.ocr_engine import OcrEngine
from ocr_service.engine.text_fixes import tidy_line
from ocr_service.engine.vote import PAD_BOTTOM, PAD_TOP, vote_readings

__all__ = ["can_reread", "reread_lines"]


def can_reread(engine: OcrEngine) -> bool:
    """The engine reads in the fast mode: its recognizer reads words (Tesseract) and a
    second reader (asterocr) is loaded beside it."""
    return getattr(engine, "second_reader", None) is not None and isinstance(
        getattr(engine, "recognizer", None), WordReader
    )


def reread_lines(engine: OcrEngine, image: np.ndarray, boxes: Sequence[np.ndarray]) -> list[str]:
    """The lines under ``boxes`` (4×2, clockwise from top-left, in ``image`` pixels) read
    by asterocr with the tone-mark vote; the engine's own recognizer breaks ties."""
    if not boxes or engine.second_reader is None:
        return []
    reader = engine.second_reader
    quads = [np.asarray(b, dtype=np.float32).reshape(4, 2) for b in boxes]
    raw = [crop_quad(image, q) for q in quads]
    first = reader.recognize([clean_line_at(c)[0] for c in raw])
    padded = [crop_quad(image, q, pad=PAD_TOP, pad_bottom=PAD_BOTTOM) for q in quads]
    recs = vote_readings(first, padded, reader, engine.recognizer, clean_line, raw)
    return [tidy_line(r.text) for r in recs]
