"""The text detector's two weight files (slow)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.errors import OcrEngineError
from ocr_service.engine import detection
from ocr_service.engine.detection import INT8_MODEL, TextDetector
from tests.ocr_service.ocr_testkit import render_page

pytestmark = pytest.mark.slow


def _boxes(quads: list[np.ndarray]) -> list[tuple[float, float, float, float]]:
    return sorted(
        (float(q[:, 1].min()), float(q[:, 0].min()), float(q[:, 1].max()), float(q[:, 0].max()))
        for q in quads
    )


def _iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    ih = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iw = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ih * iw
    area = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / area if area else 0.0


def test_int8_detector_finds_the_lines_fp32_finds(tmp_path: Path) -> None:
    page, lines = render_page()
    fp32 = _boxes(TextDetector(tmp_path, precision="fp32").detect(page))
    int8 = _boxes(TextDetector(tmp_path, precision="int8").detect(page))
    assert len(fp32) >= len(lines) - 1
    assert len(int8) == len(fp32)
    # the same lines; an edge may move by a few pixels (seen: 3-4 px on a 30 px line)
    assert min(max(_iou(a, b) for b in int8) for a in fp32) > 0.7


def test_each_precision_has_its_own_model_folder(tmp_path: Path) -> None:
    TextDetector(tmp_path, precision="fp32")
    TextDetector(tmp_path, precision="int8")
    folders = sorted(p.name for p in tmp_path.iterdir())
    assert folders == ["PP-OCRv6_small_det-fp32-1280", "PP-OCRv6_small_det-int8-1280"]
    int8 = tmp_path / "PP-OCRv6_small_det-int8-1280" / "inference.onnx"
    assert int8.read_bytes() == INT8_MODEL.read_bytes()


def test_a_missing_int8_model_names_the_way_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(detection, "INT8_MODEL", tmp_path / "gone.onnx")
    with pytest.raises(OcrEngineError, match="SOHOA_OCR_DET_WEIGHTS=fp32"):
        TextDetector(tmp_path, precision="int8")


def _onnx_runner(obj: object, depth: int = 0) -> object | None:
    """The object inside PaddleOCR's predictor that holds the ONNX Runtime session."""
    session = getattr(obj, "session", None)
    if session is not None and hasattr(session, "get_session_options"):
        return obj
    if depth > 6:
        return None
    for value in getattr(obj, "__dict__", {}).values():
        if hasattr(value, "__dict__") and not isinstance(value, type):
            found = _onnx_runner(value, depth + 1)
            if found is not None:
                return found
    return None


def test_memory_pattern_off_finds_the_same_boxes(tmp_path: Path) -> None:
    import onnxruntime as ort

    detector = TextDetector(tmp_path, precision="int8")  # the service's default
    runner = _onnx_runner(detector._model)
    assert runner is not None
    session = runner.session  # type: ignore[attr-defined]
    # a page's size is nearly always new: planning memory per input shape does not pay
    assert session.get_session_options().enable_mem_pattern is False
    page, _ = render_page()
    pages = [page, np.ascontiguousarray(page[: page.shape[0] // 2]), page]
    got = [detector.detect(p) for p in pages]
    opts = session.get_session_options()
    opts.enable_mem_pattern = True
    model = tmp_path / f"{detection.DETECTION_MODEL}-int8-1280" / "inference.onnx"
    runner.session = ort.InferenceSession(  # type: ignore[attr-defined]
        str(model), sess_options=opts, providers=["CPUExecutionProvider"]
    )
    want = [detector.detect(p) for p in pages]
    for a, b in zip(got, want, strict=True):
        assert len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
