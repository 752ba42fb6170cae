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
    # One blue line among black ones is a seal's or a signature's: read at 0.8 as
    # fragments, it is dropped. On a page most of whose lines are blue (a card back printed
    # in blue), the same reading is print.
    lines = [_line("Ngón trỏ phải", _BLUE) for _ in range(blue_lines)]
    lines += [_line("Họ và tên: Trần Văn An", None) for _ in range(4 - blue_lines)]
    readings = [Recognition("Ngón tA pHx", 0.8)] * blue_lines
    readings += [Recognition("Họ và tên: Trần Văn An", 0.8)] * (4 - blue_lines)
    found = tidy_readings(lines, readings)
    kept_blue = sum(f.text == "Ngón tA pHx" for f in found)
    assert kept_blue == (blue_lines if blue_lines > 2 else 0)
    assert len(found) - kept_blue == 4 - blue_lines  # black lines always stay


_RED = (36, 30, 196)


@pytest.mark.parametrize(
    ("reading", "confidence", "kept"),
    [
        ("CĂN CƯỚC CÔNG DÂN", 0.8, True),  # a small blurred card's red title
        ("Số: 012345678", 0.75, True),  # its red number
        ("CĂN CƯỚC CÔNG DÂN", 0.6, False),  # too doubtful even as words
        ("ĐNnHO Ay19", 0.8, False),  # a seal's ring text in fragments
        ("ĐNnHO Ay19", 0.95, True),  # read surely: kept whatever it reads
    ],
)
def test_a_line_in_colour_on_a_page_printed_in_black_is_kept_when_it_reads_as_words(
    reading: str, confidence: float, kept: bool
) -> None:
    lines = [_line("CĂN CƯỚC CÔNG DÂN", _RED)]
    lines += [_line("Họ và tên: Trần Văn An", None) for _ in range(3)]
    readings = [Recognition(reading, confidence)]
    readings += [Recognition("Họ và tên: Trần Văn An", 0.95)] * 3
    found = tidy_readings(lines, readings)
    assert any(f.text == reading for f in found) is kept
    assert sum(f.text == "Họ và tên: Trần Văn An" for f in found) == 3


def _made_up_page() -> tuple[np.ndarray, list[np.ndarray]]:
    """A page of three lines: black print with a dot leader, black print crossed by a red
    stroke (a seal's edge: faded before the line is cleaned), and a row of dots alone."""
    import cv2

    page = np.full((260, 1000, 3), 255, np.uint8)
    cv2.putText(page, "Ho va ten", (20, 52), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    for x in range(200, 500, 12):
        cv2.circle(page, (x, 54), 2, (0, 0, 0), -1)
    cv2.putText(page, "Nguyen Van A", (560, 52), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    cv2.putText(page, "Noi cu tru Ha Noi", (20, 132), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    cv2.line(page, (60, 102), (420, 140), (30, 30, 220), 6)
    for x in range(30, 700, 16):
        cv2.circle(page, (x, 212), 4, (0, 0, 0), -1)
    quads = [
        np.array([[10, 20], [950, 20], [950, 66], [10, 66]], np.float32),
        np.array([[10, 98], [950, 98], [950, 146], [10, 146]], np.float32),
        np.array([[20, 200], [710, 200], [710, 224], [20, 224]], np.float32),
    ]
    return page, quads


def test_cutting_a_line_fades_it_and_finds_its_ink_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Splitting at gaps, the dot-row test and the cleaning look at one view of each line
    (``LineView``): the faded crop and its ink mask are made once a line, not once a step."""
    from ocr_service.engine import crops, lines

    calls = {"suppress_colour": 0, "_ink": 0}
    for name in calls:
        real = getattr(crops, name)

        def counted(*args: object, _real: object = real, _name: str = name) -> object:
            calls[_name] += 1
            return _real(*args)  # type: ignore[operator]

        monkeypatch.setattr(crops, name, counted)
    page, quads = _made_up_page()
    found = lines.cut_lines(page, quads)
    assert len(found) == 2  # the row of dots alone is dropped
    assert calls["suppress_colour"] == 3  # once a line
    # a mask a line for its faded view, one more for the seal-crossed line's own crop, one
    # more for the leader line once its dots are erased (the trim)
    assert calls["_ink"] == 5


def test_cutting_lines_cleans_them_as_the_separate_steps_do() -> None:
    from ocr_service.engine.crops import clean_line_at, crop_quad, is_dot_row, split_wide_gaps
    from ocr_service.engine.lines import cut_lines

    page, quads = _made_up_page()
    expected = []
    for q in quads:
        crop = crop_quad(page, q)
        assert split_wide_gaps(crop, q) == [q]
        if not is_dot_row(crop):
            expected.append((crop, *clean_line_at(crop)))
    found = cut_lines(page, quads)
    assert len(found) == len(expected) == 2
    for line, (raw, clean, offset) in zip(found, expected, strict=True):
        assert np.array_equal(line.raw, raw)
        assert np.array_equal(line.clean, clean)
        assert line.offset == offset
    assert found[0].clean.shape[1] < found[0].raw.shape[1]  # the leader was erased, trimmed
    assert not np.array_equal(found[1].clean, found[1].raw)  # the red stroke was faded
