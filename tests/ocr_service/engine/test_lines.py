"""A header line the detector ran together with the national motto is cut in two."""

from __future__ import annotations

import numpy as np
import pytest

from ocr_service.engine.lines import split_motto


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
