"""Text-line detection: PaddleOCR's PP-OCRv6 small DB detector on ONNX Runtime, offline.

The weights come from the installed ``rapidocr`` wheel; PaddleOCR wants a model directory
(``inference.onnx`` + ``inference.yml``), so one is assembled once in a cache folder.
"""

from __future__ import annotations

import filecmp
import logging
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import rapidocr

from core.errors import OcrEngineError

__all__ = ["DETECTION_MODEL", "INT8_MODEL", "TextDetector", "rapidocr_model_path"]

log = logging.getLogger(__name__)

DETECTION_MODEL = "PP-OCRv6_small_det"
# The same detector quantized to int8 (ocr_service.cli.quantize): ~40% less CPU time
# per pass; its boxes jitter, so the engine reads them grown a little (INT8_LINE_PAD).
INT8_MODEL = Path(__file__).parent / "models" / "PP-OCRv6_det_small_int8.onnx"

# Preprocessing of the PP-OCRv6 det family as PaddleX itself describes it
# (paddlex .../pdparams2safetensors/inference_meta.py: _DET_PREPROCESS / _DET_POSTPROCESS;
# the v6 det models resize by the *long* side, default 960). Mean/std are ImageNet's,
# applied to a BGR image in Paddle's "hwc" NormalizeImage, as in training. Checked on five
# generated pages against rapidocr's mean=std=0.5: same line counts, slightly higher
# scores with ImageNet's. box_thresh 0.5 (rapidocr's value; PaddleX says 0.6) keeps short
# lines such as "3. Giới tính: Nữ" that 0.6 dropped on a noisy 300-dpi page.
_INFERENCE_YML = """\
Global:
  model_name: {model}
PreProcess:
  transform_ops:
  - DecodeImage:
      channel_first: false
      img_mode: BGR
  - DetResizeForTest:
      resize_long: {limit}
  - NormalizeImage:
      mean: [0.485, 0.456, 0.406]
      order: hwc
      scale: 1./255.
      std: [0.229, 0.224, 0.225]
  - ToCHWImage: null
  - KeepKeys:
      keep_keys: [image, shape, polys, ignore_tags]
PostProcess:
  name: DBPostProcess
  thresh: 0.3
  box_thresh: 0.5
  max_candidates: 1000
  unclip_ratio: 1.5
"""


def rapidocr_model_path(filename: str) -> Path:
    """Path of a model file shipped inside the installed rapidocr wheel."""

    path = Path(rapidocr.__file__).parent / "models" / filename
    if not path.is_file():
        raise OcrEngineError(
            f"OCR model {filename} is missing from the installed rapidocr package; "
            "reinstall it with `pip install --force-reinstall rapidocr`."
        )
    return path


def _offline_paddlex() -> None:
    """Keep PaddleX from contacting a model hub (we only ever pass a local model_dir)."""
    os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
    os.environ.setdefault("PADDLE_PDX_MODEL_SOURCE", "local")


def _weights(precision: str) -> Path:
    if precision == "fp32":
        return rapidocr_model_path("PP-OCRv6_det_small.onnx")
    if not INT8_MODEL.is_file():
        raise OcrEngineError(
            f"The int8 text detector {INT8_MODEL} is missing; reinstall sohoa, or set "
            "SOHOA_OCR_DET_WEIGHTS=fp32 to use rapidocr's fp32 detector."
        )
    return INT8_MODEL


def _model_dir(cache_dir: Path, limit: int, precision: str) -> Path:
    target = cache_dir / f"{DETECTION_MODEL}-{precision}-{limit}"
    onnx = target / "inference.onnx"
    yml = target / "inference.yml"
    src = _weights(precision)
    target.mkdir(parents=True, exist_ok=True)
    # byte comparison, not size: a re-quantized model can have the old one's size
    if not onnx.exists() or not filecmp.cmp(src, onnx, shallow=False):
        tmp = target / "inference.onnx.tmp"
        shutil.copyfile(src, tmp)
        tmp.replace(onnx)
    text = _INFERENCE_YML.format(model=DETECTION_MODEL, limit=limit)
    if not yml.exists() or yml.read_text() != text:
        yml.write_text(text)
    return target


class TextDetector:
    """Finds text lines; returns quadrilaterals (4×2 float arrays, clockwise from top-left)."""

    def __init__(
        self,
        cache_dir: Path,
        *,
        limit_side_len: int = 1280,
        threads: int = 1,
        precision: str = "fp32",
    ) -> None:
        # PaddleOCR reads its model-hub settings when imported (so after _offline_paddlex),
        # and importing it takes seconds: only when a detector is built
        _offline_paddlex()
        from paddleocr import TextDetection

        self.limit_side_len = limit_side_len
        model_dir = _model_dir(cache_dir, limit_side_len, precision)
        kwargs: dict[str, Any] = {
            "model_name": DETECTION_MODEL,
            "model_dir": str(model_dir),
            "engine": "onnxruntime",
            "limit_side_len": limit_side_len,
            "limit_type": "max",
            "box_thresh": 0.5,
            # Without this ONNX Runtime takes every core (intra_op 0) and spins them, which
            # cost ~40% more CPU time per pass than one thread, and ignored ocr_threads.
            "engine_config": {
                "intra_op_num_threads": threads,
                "inter_op_num_threads": 1,
                "execution_mode": "sequential",
                "graph_optimization_level": 99,
                # Memory-pattern planning pays only when an input shape comes back; a page's
                # size is nearly always new. Off: the same boxes, ~1% less CPU (README).
                "enable_mem_pattern": False,
            },
        }
        self._model = TextDetection(**kwargs)

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        """Detect text lines in a BGR image."""
        try:
            results = list(self._model.predict(image, batch_size=1))
        except Exception as exc:  # the model's own failures become our taxonomy
            raise OcrEngineError(f"Text detection failed: {exc}") from exc
        if not results:
            return []
        res = results[0]
        polys = res.get("dt_polys", [])
        return [np.asarray(p, dtype=np.float32).reshape(4, 2) for p in polys]
