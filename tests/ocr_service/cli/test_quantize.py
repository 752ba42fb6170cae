"""The tool that makes the int8 text detector (ocr_service.cli.quantize; slow)."""

from __future__ import annotations

from pathlib import Path

import cv2
import onnxruntime as ort
import pytest

from ocr_service.cli.quantize import _tensor, quantize_detector
from tests.ocr_service.ocr_testkit import render_page

pytestmark = pytest.mark.slow


def test_quantize_writes_an_int8_model_that_runs(tmp_path: Path) -> None:
    onnx = pytest.importorskip("onnx")
    page, _ = render_page()
    x = _tensor(page, 640)
    out = tmp_path / "det_int8.onnx"
    quantize_detector([x, _tensor(cv2.GaussianBlur(page, (5, 5), 0), 640)], out)
    session = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    ops = {n.op_type for n in onnx.load(str(out)).graph.node}
    assert "QuantizeLinear" in ops
    (prob,) = session.run(None, {"x": x})
    assert prob.shape == (1, 1, *x.shape[2:])
    assert prob.max() > 0.5  # text found
