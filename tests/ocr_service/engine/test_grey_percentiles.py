"""grey_percentiles gives np.percentile's values bit for bit (it replaced it on line crops)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ocr_service.engine.colour import grey_percentiles, line_ink_share
from ocr_service.engine.crops import line_contrast

_QS = ((2, 90), (2.0, 90.0), (0, 100), (5, 50, 95), (99.9,), (33.3, 66.7))


def _shapes() -> list[tuple[int, ...]]:
    return [(1,), (2,), (3,), (7, 1), (1, 9), (13, 17), (40, 300), (48, 801), (101, 37)]


@pytest.mark.parametrize("shape", _shapes())
def test_equals_np_percentile_on_random_crops(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(sum(shape))
    for trial in range(40):
        if trial % 3 == 0:  # a line crop: mostly paper, a little ink
            gray = np.where(rng.random(shape) < 0.1, rng.integers(0, 90, shape), 230)
            gray = (gray + rng.integers(0, 20, shape)).astype(np.uint8)
        elif trial % 3 == 1:  # few distinct levels, many ties
            gray = rng.choice(np.array([0, 17, 128, 255], np.uint8), size=shape)
        else:
            gray = rng.integers(0, 256, shape, dtype=np.uint8)
        for qs in _QS:
            old = [float(v) for v in np.percentile(gray, qs)]
            new = list(grey_percentiles(gray, qs))
            assert new == old  # bit-identical floats
            assert all(type(v) is float for v in new)


def test_every_size_and_quantile_of_a_small_image() -> None:
    rng = np.random.default_rng(7)
    for n in range(1, 60):
        gray = rng.integers(0, 256, n, dtype=np.uint8)
        for q in np.linspace(0, 100, 201):
            assert grey_percentiles(gray, (float(q),)) == (float(np.percentile(gray, q)),)


def test_other_dtypes_fall_back_to_np_percentile() -> None:
    gray = np.arange(50, dtype=np.float32).reshape(5, 10) / 3
    assert grey_percentiles(gray, (2, 90)) == tuple(float(v) for v in np.percentile(gray, (2, 90)))


def _old_line_contrast(crop: np.ndarray) -> np.ndarray:
    """line_contrast as it was, with np.percentile."""
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    ink, paper = np.percentile(gray, (2, 90))
    if paper - ink < 24:
        return gray
    out = (gray.astype(np.float32) - float(ink)) * (255.0 / float(paper - ink))
    return np.clip(out, 0, 255).astype(np.uint8)


def test_line_contrast_and_ink_share_unchanged() -> None:
    rng = np.random.default_rng(3)
    for _ in range(60):
        h, w = int(rng.integers(8, 60)), int(rng.integers(20, 700))
        paper = rng.integers(120, 256, 3)
        crop = np.broadcast_to(paper, (h, w, 3)).astype(np.int64)
        ink = rng.random((h, w)) < rng.uniform(0.0, 0.3)
        crop[ink] = rng.integers(0, 120, 3)
        crop = np.clip(crop + rng.integers(-15, 16, crop.shape), 0, 255).astype(np.uint8)
        assert np.array_equal(line_contrast(crop), _old_line_contrast(crop))
        assert np.array_equal(line_contrast(crop[:, :, 0]), _old_line_contrast(crop[:, :, 0]))
        gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
        dark, light = np.percentile(gray, (2, 90))
        assert grey_percentiles(gray, (2, 90)) == (float(dark), float(light))
        assert 0.0 <= line_ink_share(crop) <= 1.0
