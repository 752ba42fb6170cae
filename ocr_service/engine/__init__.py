"""The OCR engine: text-line detection, line recognition (pluggable) and reading order.

``get_engine(settings)`` loads the models once per process and returns the same engine
on every call with the same recognizer. ``OcrEngine.read`` takes its steps from
``engine.lines``; recognizers are chosen and combined in ``engine.registry``.
"""

from __future__ import annotations

from ocr_service.engine.base import LineWord, Recognition, Recognizer, WordReader
from ocr_service.engine.ocr_engine import INT8_LINE_PAD, OcrEngine, get_engine
from ocr_service.engine.registry import (
    RecognizerEntry,
    available_recognizers,
    create_recognizer,
    register,
)

__all__ = [
    "INT8_LINE_PAD",
    "LineWord",
    "OcrEngine",
    "Recognition",
    "Recognizer",
    "RecognizerEntry",
    "WordReader",
    "available_recognizers",
    "create_recognizer",
    "get_engine",
    "register",
]
