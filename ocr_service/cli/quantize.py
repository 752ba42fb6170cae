"""Build the int8 text detector from the fp32 PP-OCRv6 small det shipped in rapidocr.

    python -m ocr_service.cli.quantize CALIBRATION_DIR [--out PATH]

Static quantization (ONNX Runtime, QDQ, int8 weights per channel, uint8 activations)
calibrated on what the detector really sees: the calibration files are OCR'd with the
fp32 detector and every image it is handed is kept. Use generated pages that are not the
evaluation set (``python -m samples generate --seed 2``). The result is committed as
``ocr_service/engine/models/PP-OCRv6_det_small_int8.onnx``, so the service needs neither
``onnx`` nor the calibration pages at run time. A developer tool: needs ``onnx`` (dev), and
is not a ``sohoa`` command. It runs the pipeline, so it sits above it, with the commands.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from core.settings import Settings
from ocr_service.engine import get_engine
from ocr_service.engine.detection import INT8_MODEL, rapidocr_model_path
from ocr_service.pipeline import ocr_file

__all__ = ["detector_inputs", "main", "quantize_detector"]

_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)
_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".pdf"}


def _tensor(image: np.ndarray, limit: int) -> np.ndarray:
    """The detector's input as PaddleX makes it (long side ≤ limit, multiples of 32)."""
    h, w = image.shape[:2]
    ratio = min(1.0, limit / max(h, w))
    rh = max(32, int(round(int(h * ratio) / 32) * 32))
    rw = max(32, int(round(int(w * ratio) / 32) * 32))
    x = cv2.resize(image, (rw, rh)).astype(np.float32) / 255.0
    x = (x - _MEAN) / _STD
    return np.ascontiguousarray(x.transpose(2, 0, 1)[None])


def detector_inputs(files: list[Path], limit: int) -> list[np.ndarray]:
    """OCR ``files`` with the fp32 detector and keep every input tensor it was given."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), ocr_det_weights="fp32", ocr_det_limit=limit)
        engine = get_engine(settings)
        seen: list[np.ndarray] = []
        detect = engine.detector.detect

        def recording(image: np.ndarray) -> list[np.ndarray]:
            seen.append(_tensor(image, limit))
            return detect(image)

        engine.detector.detect = recording  # type: ignore[method-assign]
        try:
            for path in files:
                ocr_file(path.read_bytes(), path.name, engine=engine, settings=settings)
        finally:
            engine.detector.detect = detect  # type: ignore[method-assign]
    return seen


def quantize_detector(tensors: list[np.ndarray], out: Path) -> None:
    """Write the int8 detector calibrated on ``tensors`` to ``out``."""
    # onnx is a dev extra, and ONNX Runtime's quantization tools are needed only here
    import onnx
    from onnx import version_converter
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self._it: Iterator[np.ndarray] = iter(tensors)

        def get_next(self) -> dict[str, Any] | None:
            x = next(self._it, None)
            return None if x is None else {"x": x}

    with tempfile.TemporaryDirectory() as tmp:
        # ONNX Runtime's recommended clean-up (constant folding, fusions) before it
        # quantizes; its symbolic shape pass cannot follow this model's dynamic shapes.
        prepared = Path(tmp) / "det.onnx"
        quant_pre_process(
            str(rapidocr_model_path("PP-OCRv6_det_small.onnx")),
            str(prepared),
            skip_symbolic_shape=True,
        )
        # per-channel DequantizeLinear (axis) needs opset 13; the shipped model is opset 11
        opset13 = Path(tmp) / "det13.onnx"
        model = version_converter.convert_version(onnx.load(str(prepared)), 13)
        onnx.save(model, str(opset13))
        out.parent.mkdir(parents=True, exist_ok=True)
        quantize_static(
            str(opset13),
            str(out),
            Reader(),
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            calibrate_method=CalibrationMethod.MinMax,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("calibration", type=Path, help="folder of generated sample files")
    parser.add_argument("--out", type=Path, default=INT8_MODEL)
    parser.add_argument("--limit", type=int, default=1280, help="detector's long side")
    args = parser.parse_args(argv)
    files = sorted(p for p in args.calibration.iterdir() if p.suffix.lower() in _SUFFIXES)
    if not files:
        parser.error(f"no images or PDFs in {args.calibration}")
    tensors = detector_inputs(files, args.limit)
    quantize_detector(tensors, args.out)
    print(f"calibrated on {len(tensors)} detector inputs from {len(files)} files -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
