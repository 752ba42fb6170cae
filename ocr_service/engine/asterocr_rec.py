"""asterocr (MIT): a CTC line recognizer trained on Vietnamese, ONNX weights in its wheel."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import cv2
import numpy as np

from core.errors import OcrEngineError
from core.settings import Settings
from ocr_service.engine._ctc import ctc_greedy
from ocr_service.engine.base import Recognition
from ocr_service.engine.crops import split_at_gaps

__all__ = ["AsterRecognizer", "available", "create"]

_HEIGHT = 32
# The model's position encoding covers 256 steps (~1000 px at 32 px height); stay below.
_MAX_WIDTH = 800
_BLANK = "<blank>"  # the CTC blank's entry in vocab.json


def _assets() -> Path:
    """The wheel's ``assets`` folder, found without running any of the package's code.

    The asterocr wheel also ships training and notebook tools that open tunnels and download
    code; sohoa takes only two data files from it (the ONNX weights and the vocabulary) and
    never imports an ``asterocr`` module. ``find_spec`` of a top-level name locates the
    package on ``sys.path`` without executing its ``__init__``.
    """
    spec = importlib.util.find_spec("asterocr")
    if spec is None or not spec.submodule_search_locations:
        raise OcrEngineError("asterocr is not installed; `pip install asterocr`.")
    return Path(next(iter(spec.submodule_search_locations))) / "assets"


def _model_path() -> Path:
    return _assets() / "asternet.onnx"


def _vocabulary(n_classes: int) -> tuple[list[str], int]:
    """(character of each output class, blank class) from the wheel's ``vocab.json``, as data."""
    path = _assets() / "vocab.json"
    try:
        chars = json.loads(path.read_text(encoding="utf-8"))["chars"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise OcrEngineError(
            f"asterocr vocabulary unreadable at {path}; reinstall asterocr."
        ) from exc
    if not isinstance(chars, list) or not all(isinstance(c, str) for c in chars):
        raise OcrEngineError(f"asterocr vocabulary at {path} is not a list of characters.")
    if _BLANK not in chars or len(chars) > n_classes:
        raise OcrEngineError(f"asterocr vocabulary at {path} does not fit the model.")
    return [*chars, *[""] * (n_classes - len(chars))], chars.index(_BLANK)


def available() -> bool:
    """The asterocr wheel and its weights are installed."""
    try:
        return _model_path().is_file()
    except OcrEngineError:
        return False


class AsterRecognizer:
    name = "asterocr"

    def __init__(self, threads: int = 1) -> None:
        # ONNX Runtime and asterocr's vocabulary (~1 s) load with the model, not when the
        # engine is imported (the API process imports it and never reads a line)
        import onnxruntime as ort

        path = _model_path()
        if not path.is_file():
            raise OcrEngineError(f"asterocr weights missing at {path}; reinstall asterocr.")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Memory-pattern planning is kept per input shape and pays only when a shape comes
        # back; here nearly every batch has a shape of its own (its crops' width and count).
        # Off: the same readings, 2-7% less CPU over the real files' 724 batches (README).
        opts.enable_mem_pattern = False
        self._session = ort.InferenceSession(
            str(path), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        self._input = self._session.get_inputs()[0].name
        self._alphabet, self._blank = _vocabulary(int(self._session.get_outputs()[0].shape[-1]))

    def _tensor(self, crop: np.ndarray) -> np.ndarray:
        h, w = crop.shape[:2]
        tw = max(_HEIGHT, int(w * _HEIGHT / max(h, 1)))
        tw = (tw + 3) // 4 * 4
        rgb = (
            cv2.cvtColor(crop, cv2.COLOR_BGR2RGB)
            if crop.ndim == 3
            else cv2.cvtColor(crop, cv2.COLOR_GRAY2RGB)
        )
        interp = cv2.INTER_AREA if h > _HEIGHT else cv2.INTER_LINEAR
        arr = cv2.resize(rgb, (tw, _HEIGHT), interpolation=interp).astype(np.float32)
        arr = arr / 127.5 - 1.0
        return arr.transpose(2, 0, 1)[None]

    def _run_all(self, parts: list[np.ndarray]) -> list[tuple[str, float]]:
        """Each crop read. Crops scaled to the same width run as one batch: the same output
        as one at a time (each item is computed alone), without the per-call overhead a
        word's crop pays (a third of its time at 64 px)."""
        tensors = [self._tensor(part) for part in parts]
        by_width: dict[int, list[int]] = {}
        for k, t in enumerate(tensors):
            by_width.setdefault(t.shape[-1], []).append(k)
        out: list[tuple[str, float]] = [("", 0.0)] * len(parts)
        for ks in by_width.values():
            batch = np.concatenate([tensors[k] for k in ks])
            log_probs = self._session.run(None, {self._input: batch})[0]  # (T, B, C)
            for b, k in enumerate(ks):
                out[k] = ctc_greedy(np.exp(log_probs[:, b, :]), self._alphabet, self._blank)
        return out

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        split = []
        for crop in crops:
            h = crop.shape[0]
            split.append(split_at_gaps(crop, int(_MAX_WIDTH * max(h, 1) / _HEIGHT)))
        readings = iter(self._run_all([part for parts in split for part in parts]))
        results = []
        for parts in split:
            texts, confs, weights = [], [], []
            for _ in parts:
                text, conf = next(readings)
                texts.append(text.strip())
                confs.append(conf)
                weights.append(max(len(text), 1))
            text = " ".join(t for t in texts if t)
            conf = float(np.average(confs, weights=weights)) if confs else 0.0
            results.append(Recognition(text, conf))
        return results


def create(settings: Settings) -> AsterRecognizer:
    return AsterRecognizer(threads=settings.ocr_threads)
