"""The recognizer plug-in contract: what a line recognizer reads, and what some can do more."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

__all__ = ["LineWord", "Recognition", "Recognizer", "WordReader"]


@dataclass(frozen=True)
class Recognition:
    """What a recognizer read on one line crop; confidence in [0, 1]."""

    text: str
    confidence: float


@dataclass(frozen=True)
class LineWord:
    """A word read on a line crop: its text, x-extent in the crop and confidence in [0, 1]."""

    text: str
    x0: float
    x1: float
    confidence: float


@runtime_checkable
class Recognizer(Protocol):
    """Reads text lines: each crop is an upright, horizontal BGR image of one line."""

    name: str

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]: ...


@runtime_checkable
class WordReader(Recognizer, Protocol):
    """A recognizer that also says where each word of a line is and how sure it is of it
    (Tesseract reads a sheet of stacked lines in one call). The engine then has a second
    reader re-read only its doubtful words (``engine.word_vote``) instead of every line."""

    def read_words(self, crops: list[np.ndarray]) -> list[list[LineWord]]: ...
