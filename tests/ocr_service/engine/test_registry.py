"""Recognizers are found, built and paired with their second reader through the registry."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import InvalidInputError
from core.settings import Settings
from ocr_service.engine import Recognition, RecognizerEntry, WordReader, registry
from ocr_service.engine.tesseract_rec import TesseractRecognizer


class _Named:
    """A recognizer that reads every crop as ``text`` with ``confidence``."""

    def __init__(self, name: str, text: str = "", confidence: float = 0.5) -> None:
        self.name, self.text, self.confidence = name, text, confidence

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        return [Recognition(self.text, self.confidence) for _ in crops]


def _entry(name: str, **kwargs: object) -> RecognizerEntry:
    return RecognizerEntry(lambda settings: _Named(name), **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, entry in {
        "first": _entry("first", second_reader="second"),
        "second": _entry("second"),
        "absent": _entry("absent", available=lambda: False),
        "lonely": _entry("lonely", second_reader="absent"),
    }.items():
        monkeypatch.setitem(registry._REGISTRY, name, entry)


def test_the_second_reader_is_the_entrys_and_only_with_the_tone_vote(fakes: None) -> None:
    on, off = Settings(ocr_tone_vote=True), Settings(ocr_tone_vote=False)
    second = registry.create_second_reader("first", on)
    assert second is not None and second.name == "second"
    assert registry.create_second_reader("first", off) is None
    assert registry.create_second_reader("second", on) is None  # it has none
    assert registry.create_second_reader("lonely", on) is None  # its own is not installed
    assert "absent" not in registry.available_recognizers()
    assert {"first", "second", "lonely"} <= set(registry.available_recognizers())


def test_an_unknown_recognizer_names_the_known_ones() -> None:
    with pytest.raises(InvalidInputError, match="SOHOA_RECOGNIZER.*tesseract"):
        registry.create_recognizer("no-such-reader", Settings())


def test_the_default_recognizer_and_the_built_in_ones_are_registered() -> None:
    names = set(registry._REGISTRY)
    assert Settings.model_fields["recognizer"].default in names
    assert {"tesseract", "asterocr", "asterocr+tesseract", "ppocr"} <= names


def test_a_combined_recognizer_is_built_from_two_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        registry._REGISTRY, "sure", RecognizerEntry(lambda s: _Named("sure", "A", 0.95))
    )
    monkeypatch.setitem(
        registry._REGISTRY, "unsure", RecognizerEntry(lambda s: _Named("unsure", "B", 0.5))
    )
    crops = [np.zeros((8, 32, 3), np.uint8)]
    unsure_first = registry._combined("unsure", "sure").create(Settings())
    assert unsure_first.name == "unsure+sure"
    assert unsure_first.recognize(crops) == [Recognition("A", 0.95)]  # the second was surer
    sure_first = registry._combined("sure", "unsure").create(Settings())
    assert sure_first.recognize(crops) == [Recognition("A", 0.95)]  # never asked


def test_reading_words_is_a_capability_the_recognizer_declares() -> None:
    assert isinstance(TesseractRecognizer(), WordReader)
    assert not isinstance(_Named("lines only"), WordReader)
