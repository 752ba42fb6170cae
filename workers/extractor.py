"""The pipeline as the jobs see it: bytes and a file name in, pages and documents out.

The default is ``ocr_service.pipeline.extract_file`` with the OCR engine and the population
register loaded once per process. Another extractor (a fault injector in tests, a recorded
pipeline in benchmarks) is named by a dotted path ``module:attribute``.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import Any

from core.records import ExtractionResult
from core.settings import Settings
from ocr_service.engine import get_engine
from ocr_service.pipeline import extract_file
from storage.population import open_register

__all__ = ["Extractor", "default_extractor", "load_extractor", "preload_models"]

Extractor = Callable[[bytes, str, Settings], ExtractionResult]

_lock = threading.Lock()
_models: dict[str, Any] = {}


def preload_models(settings: Settings) -> None:
    """Load the OCR engine and open the register once, before the first job needs them."""
    with _lock:
        if "engine" not in _models:
            _models["engine"] = get_engine(settings)
            _models["register"] = open_register(settings)


def default_extractor(data: bytes, name: str, settings: Settings) -> ExtractionResult:
    """OCR, classify, extract and verify with the real pipeline (models cached per process)."""
    preload_models(settings)
    return extract_file(
        data, name, engine=_models["engine"], register=_models["register"], settings=settings
    )


def load_extractor(path: str | None) -> Extractor:
    """``None`` → the real pipeline; ``"pkg.module:function"`` → that callable."""
    if not path:
        return default_extractor
    module_name, _, attr = path.partition(":")
    if not attr:
        raise ValueError(f"extractor path {path!r} must look like 'module:function'")
    fn: Extractor = getattr(importlib.import_module(module_name), attr)
    return fn
