"""Cutting line images out of a page, and cutting over-long lines at a word gap."""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["crop_quad", "split_at_gaps"]


def crop_quad(image: np.ndarray, quad: np.ndarray, pad: float = 0.0) -> np.ndarray:
    """Perspective-crop a 4-point box (clockwise from top-left) into an upright rectangle.

    Tall crops (height > 1.5 × width) are rotated so the text runs horizontally.
    """
    q = np.asarray(quad, dtype=np.float32)
    w = int(round(max(np.linalg.norm(q[0] - q[1]), np.linalg.norm(q[3] - q[2]))))
    h = int(round(max(np.linalg.norm(q[0] - q[3]), np.linalg.norm(q[1] - q[2]))))
    w, h = max(w, 2), max(h, 2)
    dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(q, dst)
    crop = cv2.warpPerspective(
        image, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
    if h > 1.5 * w:
        crop = np.rot90(crop).copy()
    return crop


def split_at_gaps(crop: np.ndarray, max_width: int) -> list[np.ndarray]:
    """Cut a line crop into pieces no wider than ``max_width`` at the widest blank columns.

    Used for recognizers that cannot read very long lines (asterocr's position encoding
    covers ~1000 px at 32 px height). Returns ``[crop]`` when no cut is needed.
    """
    h, w = crop.shape[:2]
    if w <= max_width:
        return [crop]
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ink_cols = ink.sum(axis=0)
    blank = ink_cols <= max(1, int(0.02 * h))
    # Runs of blank columns: cut at the middle of the widest run near the middle.
    best_x, best_score = None, -1.0
    x = 0
    lo, hi = int(w * 0.2), int(w * 0.8)
    while x < w:
        if blank[x]:
            start = x
            while x < w and blank[x]:
                x += 1
            mid = (start + x) // 2
            run = x - start
            if lo <= mid <= hi:
                score = run - 0.002 * abs(mid - w / 2) * run
                if score > best_score:
                    best_x, best_score = mid, score
        else:
            x += 1
    if best_x is None:
        best_x = w // 2
    return split_at_gaps(crop[:, :best_x], max_width) + split_at_gaps(crop[:, best_x:], max_width)
