"""Coloured ink on a page: where the seals and coloured print are (ocr_service.engine.colour)."""

from __future__ import annotations

import cv2
import numpy as np

from ocr_service.engine.colour import colour_regions

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


def test_ink_is_counted_by_the_stated_saturation_and_value_bounds() -> None:
    """Coloured ink: saturation above 90, value strictly between 60 and 235; neutral ink:
    saturation below 70, value below 120, at every bound (the counts run on each line crop,
    through OpenCV's inRange, and must be the thresholds' own pixels)."""
    from ocr_service.engine.colour import _coloured, _neutral

    grid = np.array(
        [[h, s, v] for h in (0, 90, 179) for s in range(256) for v in range(256)], np.uint8
    ).reshape(3 * 256, 256, 3)
    s, v = grid[:, :, 1].astype(int), grid[:, :, 2].astype(int)
    assert ((_coloured(grid) > 0) == ((s > 90) & (v > 60) & (v < 235))).all()
    assert ((_neutral(grid) > 0) == ((s < 70) & (v < 120))).all()


def test_colour_ink_share_of_a_page_half_red_half_black_ink() -> None:
    from ocr_service.engine.colour import colour_ink_share

    page = np.full((100, 200, 3), 255, np.uint8)
    page[20:40, 10:110] = RED  # 2000 px of red ink
    page[60:80, 10:110] = (20, 20, 20)  # 2000 px of black ink
    assert colour_ink_share(page) == 0.5
