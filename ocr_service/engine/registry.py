"""The recognizers, by the name ``SOHOA_RECOGNIZER`` gives, and how they are combined.

Every recognizer the engine can use is an entry here: how to build it, whether its model or
binary is on this machine, and which other recognizer gives its readings a second opinion
on tone marks when ``SOHOA_OCR_TONE_VOTE`` is on. How that second reader is used depends on
what the first can do (``WordReader``: its doubtful words re-read; otherwise every line
read twice and the second reader breaking ties), so the engine asks the recognizer, never
its name. A plug-in adds itself with ``register``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.errors import InvalidInputError
from core.settings import Settings
from ocr_service.engine import asterocr_rec, ppocr_rec, tesseract_rec
from ocr_service.engine.base import Recognizer
from ocr_service.engine.combined_rec import CombinedRecognizer

__all__ = [
    "RecognizerEntry",
    "available_recognizers",
    "create_recognizer",
    "create_second_reader",
    "register",
]


def _always() -> bool:
    return True


@dataclass(frozen=True)
class RecognizerEntry:
    """How to build one recognizer, whether it can run here, and its second reader."""

    create: Callable[[Settings], Recognizer]
    available: Callable[[], bool] = _always
    # the recognizer giving this one's readings a second opinion on tone marks
    second_reader: str | None = None


_REGISTRY: dict[str, RecognizerEntry] = {}


def register(name: str, entry: RecognizerEntry) -> None:
    """Make a recognizer selectable as ``SOHOA_RECOGNIZER=name``."""
    _REGISTRY[name] = entry


def available_recognizers() -> list[str]:
    """Registered recognizers whose model or binary is present on this machine."""
    return [name for name, entry in _REGISTRY.items() if entry.available()]


def create_recognizer(name: str, settings: Settings) -> Recognizer:
    if name not in _REGISTRY:
        raise InvalidInputError(
            f"Unknown recognizer {name!r}; set SOHOA_RECOGNIZER to one of {sorted(_REGISTRY)}."
        )
    return _REGISTRY[name].create(settings)


def create_second_reader(name: str, settings: Settings) -> Recognizer | None:
    """The second reader of recognizer ``name`` for the tone-mark vote: None when the vote
    is off, ``name`` has none, or its second reader is not installed here."""
    entry = _REGISTRY.get(name)
    if not settings.ocr_tone_vote or entry is None or entry.second_reader is None:
        return None
    if entry.second_reader not in available_recognizers():
        return None
    return create_recognizer(entry.second_reader, settings)


def _combined(first: str, second: str) -> RecognizerEntry:
    """``first`` reads every line, ``second`` re-reads the lines it is unsure of."""
    return RecognizerEntry(
        create=lambda settings: CombinedRecognizer(
            create_recognizer(first, settings), create_recognizer(second, settings)
        ),
        available=lambda: _REGISTRY[first].available() and _REGISTRY[second].available(),
    )


# Tesseract reads the lines and asterocr re-reads its doubtful words (the default); asterocr
# reads every line twice and Tesseract breaks ties (slower); ppocr is the baseline.
register(
    "tesseract",
    RecognizerEntry(tesseract_rec.create, tesseract_rec.available, second_reader="asterocr"),
)
register(
    "asterocr",
    RecognizerEntry(asterocr_rec.create, asterocr_rec.available, second_reader="tesseract"),
)
register("asterocr+tesseract", _combined("asterocr", "tesseract"))
register("ppocr", RecognizerEntry(ppocr_rec.create, ppocr_rec.available))
