"""The recognizer plug-in contract and its registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from core.settings import Settings

__all__ = ["Recognition", "Recognizer", "available_recognizers", "create_recognizer", "register"]


@dataclass(frozen=True)
class Recognition:
    """What a recognizer read on one line crop; confidence in [0, 1]."""

    text: str
    confidence: float


@runtime_checkable
class Recognizer(Protocol):
    """Reads text lines: each crop is an upright, horizontal BGR image of one line."""

    name: str

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]: ...


_Factory = Callable[[Settings], Recognizer]
_REGISTRY: dict[str, _Factory] = {}
_AVAILABLE: dict[str, Callable[[], bool]] = {}


def register(
    name: str, *, available: Callable[[], bool] = lambda: True
) -> Callable[[_Factory], _Factory]:
    """Class/function decorator: ``@register("asterocr")`` makes a recognizer selectable."""

    def deco(factory: _Factory) -> _Factory:
        _REGISTRY[name] = factory
        _AVAILABLE[name] = available
        return factory

    return deco


def available_recognizers() -> list[str]:
    """Registered recognizers whose model or binary is present on this machine."""
    _load_builtins()
    return [name for name in _REGISTRY if _AVAILABLE[name]()]


def create_recognizer(name: str, settings: Settings) -> Recognizer:
    _load_builtins()
    from core.errors import InvalidInputError

    if name not in _REGISTRY:
        raise InvalidInputError(
            f"Unknown recognizer {name!r}; set SOHOA_RECOGNIZER to one of {sorted(_REGISTRY)}."
        )
    return _REGISTRY[name](settings)


def _load_builtins() -> None:
    # Importing the modules runs their @register decorators.
    from ocr_service.engine import (  # noqa: F401
        asterocr_rec,
        combined_rec,
        ppocr_rec,
        tesseract_rec,
    )
