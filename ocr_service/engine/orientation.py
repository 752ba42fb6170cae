"""Is a text line upside down? PP-OCR's mobile v2.0 line classifier (0° vs 180°), from rapidocr."""

from __future__ import annotations

import cv2
import numpy as np

from ocr_service.engine.detection import rapidocr_model_path

__all__ = ["LineOrientationClassifier"]

_SHAPE = (48, 192)  # (h, w) the classifier was trained with


class LineOrientationClassifier:
    def __init__(self, threads: int = 1) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        path = rapidocr_model_path("ch_ppocr_mobile_v2.0_cls_mobile.onnx")
        self._session = ort.InferenceSession(
            str(path), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        self._input = self._session.get_inputs()[0].name

    def _tensor(self, crop: np.ndarray) -> np.ndarray:
        h, w = crop.shape[:2]
        th, tw = _SHAPE
        rw = min(tw, max(1, int(np.ceil(th * w / max(h, 1)))))
        img = cv2.resize(crop, (rw, th)).astype(np.float32)
        img = (img / 255.0 - 0.5) / 0.5
        out = np.zeros((3, th, tw), dtype=np.float32)
        out[:, :, :rw] = img.transpose(2, 0, 1)
        return out

    def upside_down_probability(self, crops: list[np.ndarray]) -> list[float]:
        """P(line is rotated 180°) for each horizontal BGR line crop."""
        if not crops:
            return []
        batch = np.stack([self._tensor(c) for c in crops])
        probs = self._session.run(None, {self._input: batch})[0]
        return [float(p[1]) for p in probs]
