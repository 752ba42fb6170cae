"""A header line the detector ran together with the national motto is cut in two."""

from __future__ import annotations

import numpy as np
import pytest

from ocr_service.engine.base import Recognition
from ocr_service.engine.lines import LineCrop, split_motto, tidy_readings
from tests.ocr_service.ocr_testkit import render_line


@pytest.mark.parametrize(
    "right",
    [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "CỘNG HÒA XÃ HỒI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ],
)
def test_the_motto_is_split_off_the_agency_name(right: str) -> None:
    left = "ỦY BAN NHÂN DÂN QUẬN ĐỐNG ĐA"
    crop = np.full((40, 1000, 3), 255, np.uint8)
    crop[10:30, 10:380] = 0  # the agency name's ink
    crop[10:30, 470:990] = 0  # the motto's, after a gap
    quad = np.array([[0, 0], [1000, 0], [1000, 40], [0, 40]], np.float32)
    (q1, t1), (q2, t2) = split_motto(crop, quad, f"{left} {right}")
    assert (t1, t2) == (left, right)
    assert 380 <= q1[1][0] <= 470 and q1[1][0] == q2[0][0]


def test_a_line_without_the_motto_stays_whole() -> None:
    crop = np.full((40, 400, 3), 255, np.uint8)
    quad = np.array([[0, 0], [400, 0], [400, 40], [0, 40]], np.float32)
    assert len(split_motto(crop, quad, "Họ và tên: Lê Thị Hoa")) == 1


def _line(text: str, colour: tuple[int, int, int] | None) -> LineCrop:
    """A made-up line crop, its ink recoloured to ``colour`` (BGR) when given."""
    crop = render_line(text)
    if colour is not None:  # each pixel's ink share blended from white to ``colour``
        ink = (255 - crop.min(axis=2, keepdims=True)).astype(np.float32) / 255
        crop = (255 * (1 - ink) + np.array(colour, np.float32) * ink).astype(np.uint8)
    h, w = crop.shape[:2]
    quad = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    return LineCrop(quad, crop, crop, 0)


_BLUE = (170, 60, 20)


@pytest.mark.parametrize("blue_lines", [1, 3])
def test_a_doubtful_line_in_colour_is_kept_only_on_a_page_printed_in_colour(
    blue_lines: int,
) -> None:
    # One blue line among black ones is a seal's or a signature's: read at 0.8, it is
    # dropped. On a page most of whose lines are blue (a card back printed in blue), the
    # same reading is print.
    lines = [_line("Ngón trỏ phải", _BLUE) for _ in range(blue_lines)]
    lines += [_line("Họ và tên: Trần Văn An", None) for _ in range(4 - blue_lines)]
    readings = [Recognition("Ngón trỏ phải", 0.8)] * blue_lines
    readings += [Recognition("Họ và tên: Trần Văn An", 0.8)] * (4 - blue_lines)
    found = tidy_readings(lines, readings)
    kept_blue = sum(f.text == "Ngón trỏ phải" for f in found)
    assert kept_blue == (blue_lines if blue_lines > 2 else 0)
    assert len(found) - kept_blue == 4 - blue_lines  # black lines always stay
