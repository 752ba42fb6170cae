"""Line-crop helpers (ocr_service.engine.crops)."""

from __future__ import annotations

import cv2
import numpy as np

from ocr_service.engine.crops import (
    _percentile,
    clean_line,
    clean_line_at,
    is_dot_row,
    split_at_column,
)
from tests.ocr_service.ocr_testkit import dot_row, render_line


def test_clean_line_at_says_where_the_trimmed_crop_starts() -> None:
    h = 40
    crop = np.full((h, 900, 3), 255, np.uint8)
    for x in range(20, 500, 12):  # a leader of dots on the baseline before the value
        cv2.circle(crop, (x, 34), 2, (0, 0, 0), -1)
    cv2.putText(crop, "Nam", (560, 32), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    cleaned, x0 = clean_line_at(crop)
    assert np.array_equal(cleaned, clean_line(crop))
    assert 0 < x0 < 560  # the leader was trimmed off the left
    # the value's ink sits at the same page position in both
    ink = np.where((cleaned.min(axis=2) < 128).any(axis=0))[0]
    assert abs(int(ink[0]) + x0 - 560) <= 3


def test_a_line_joined_across_a_column_edge_is_cut_at_the_gap_there() -> None:
    h = 40
    crop = np.full((h, 1000, 3), 255, np.uint8)
    cv2.putText(crop, "Co gia tri den", (5, 30), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    cv2.putText(crop, "Noi thuong tru", (420, 30), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    quad = np.array([[100, 500], [1100, 500], [1100, 540], [100, 540]], np.float32)
    (text_w, _), _ = cv2.getTextSize("Co gia tri den", cv2.FONT_HERSHEY_SIMPLEX, 1.0, 2)
    left, right = split_at_column(crop, quad, edge_x=100 + 420)
    # the cut: just after the first text's end, and just before the second one's start
    assert 100 + 5 + text_w <= left[1][0] < 100 + 5 + text_w + 10
    assert 100 + 410 <= right[0][0] <= 100 + 420
    assert left[0][0] == 100 and right[1][0] == 1100
    # no gap near the edge: the line is left whole
    assert len(split_at_column(crop, quad, edge_x=100 + 150)) == 1


def test_the_dot_leader_percentile_matches_numpys_linear_one() -> None:
    rng = np.random.default_rng(3)
    for _ in range(300):
        values = rng.integers(0, 60, rng.integers(1, 200))
        for q in (0, 5, 50, 90, 100):
            assert abs(_percentile(values, q) - float(np.percentile(values, q))) < 1e-9


def test_a_row_of_dots_alone_is_a_dot_row() -> None:
    assert is_dot_row(dot_row(30, 14, 2))  # near-touching discs, a dotted rule
    assert is_dot_row(dot_row(12, 6, 9, grey=30))  # a leader boxed on its own
    noisy = dot_row(20, 12, 3)
    noisy[2, 5] = noisy[3, 40] = 0  # specks don't matter
    assert is_dot_row(noisy)


def test_text_is_never_a_dot_row() -> None:
    for text in (
        "0000000000",
        "ooooo OOOOO 00000",
        "Nơi cư trú: ..........",
        "o o o o o o",
        "Số 18",
    ):
        assert not is_dot_row(render_line(text)), text
    assert not is_dot_row(dot_row(4, 14, 2))  # too few to be a row


def _card_line(glare: bool) -> np.ndarray:
    """A printed line on a grey-tinted card, with a lamp's highlight over its right half."""
    h, w = 40, 700
    crop = np.full((h, w, 3), 190, np.uint8)
    cv2.putText(crop, "So 012345678901", (10, 30), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (40, 40, 40), 2)
    if glare:
        xx = np.arange(w, dtype=np.float32)
        lift = np.clip((xx - 150) / 60, 0, 1)[None, :, None]  # the patch's soft edge
        crop = (crop * (1 - 0.85 * lift) + 255 * 0.85 * lift).astype(np.uint8)
    return crop


def test_ink_under_a_glare_patch_is_lifted_back_to_the_lines_contrast() -> None:
    crop = _card_line(glare=True)
    ink = _card_line(glare=False)[:, :, 0] < 100
    right = np.zeros_like(ink)
    right[:, 230:] = True
    # as photographed, the ink under the patch is paler than the paper beside it
    assert crop[ink & right].mean() > 190
    cleaned = clean_line(crop)[:, :, 0]
    assert cleaned[ink & right].mean() < 110  # dark again
    # and its paper the line's own paper again
    assert abs(cleaned[~ink & right].mean() - cleaned[~ink & ~right].mean()) < 15


def test_an_evenly_lit_line_is_left_as_it_is() -> None:
    crop = _card_line(glare=False)
    assert np.array_equal(clean_line(crop), crop)
