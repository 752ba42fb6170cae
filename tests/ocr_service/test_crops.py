"""Line-crop helpers (ocr_service.engine._crops)."""

from __future__ import annotations

import cv2
import numpy as np

from ocr_service.engine._crops import clean_line, clean_line_at, colour_regions, is_dot_row
from tests.ocr_service.ocr_testkit import dot_row, render_line

RED = (36, 30, 196)  # BGR


def _page_with_red(frame: bool) -> np.ndarray:
    page = np.full((2000, 1400, 3), 255, np.uint8)
    cv2.putText(page, "GIAY KHAI SINH", (200, 300), cv2.FONT_HERSHEY_SIMPLEX, 3, RED, 8)
    cv2.circle(page, (1000, 1600), 150, RED, 12)  # a seal
    cv2.putText(page, "black text", (200, 900), cv2.FONT_HERSHEY_SIMPLEX, 3, (0, 0, 0), 8)
    if frame:
        cv2.rectangle(page, (30, 30), (1370, 1970), RED, 10)
    return page


def _regions(page: np.ndarray) -> list[tuple[int, int, int, int]]:
    small = cv2.resize(page, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    return colour_regions(small, 4.0, page.shape[:2])


def _contains(box: tuple[int, int, int, int], x: int, y: int) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def test_coloured_title_and_seal_are_separate_regions_and_black_text_is_outside() -> None:
    for frame in (False, True):  # a coloured page frame is not text and joins nothing
        boxes = _regions(_page_with_red(frame))
        assert len(boxes) == 2, (frame, boxes)
        assert any(_contains(b, 400, 270) for b in boxes)  # the title
        assert any(_contains(b, 1000, 1600) for b in boxes)  # the seal
        assert not any(_contains(b, 400, 880) for b in boxes)  # the black line
        area = sum((b[2] - b[0]) * (b[3] - b[1]) for b in boxes)
        assert area < 0.3 * 1400 * 2000


def test_a_page_mostly_in_colour_is_one_region() -> None:
    page = np.full((800, 600, 3), 255, np.uint8)
    for y in range(40, 780, 60):
        cv2.putText(page, "CAN CUOC CONG DAN", (20, y), cv2.FONT_HERSHEY_SIMPLEX, 1.4, RED, 3)
    assert _regions(page) == [(0, 0, 600, 800)]


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
    from ocr_service.engine._crops import split_at_column

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
    from ocr_service.engine._crops import _percentile

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
