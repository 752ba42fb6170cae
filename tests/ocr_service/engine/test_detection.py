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
