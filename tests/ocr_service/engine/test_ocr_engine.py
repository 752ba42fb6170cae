"""OcrEngine.read with a recording recognizer: which crops reach the recognizer."""

from __future__ import annotations

from typing import Any, cast

import cv2
import numpy as np
import pytest

from ocr_service.engine import OcrEngine, Recognition
from tests.ocr_service.ocr_testkit import dot_row, render_line


class _Recording:
    name = "recording"

    def __init__(self) -> None:
        self.widths: list[int] = []
        self.heights: list[int] = []

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        self.widths += [c.shape[1] for c in crops]
        self.heights += [c.shape[0] for c in crops]
        return [Recognition(f"line {w}", 0.99) for w in (c.shape[1] for c in crops)]


def _quad(x: int, y: int, w: int, h: int) -> np.ndarray:
    return np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], dtype=np.float32)


def test_a_row_of_dots_is_not_read() -> None:
    page = np.full((400, 1200, 3), 255, np.uint8)
    text, dots = render_line("Nơi cư trú: Số 18 ngõ 101"), dot_row(40, 12, 3)
    page[50 : 50 + text.shape[0], 40 : 40 + text.shape[1]] = text
    page[200 : 200 + dots.shape[0], 40 : 40 + dots.shape[1]] = dots
    reader = _Recording()
    engine = OcrEngine(detector=cast(Any, None), recognizer=reader, orientation=cast(Any, None))
    lines = engine.read(
        page,
        [_quad(40, 50, text.shape[1], text.shape[0]), _quad(40, 200, dots.shape[1], dots.shape[0])],
    )
    assert [line.text for line in lines] == [f"line {reader.widths[0]}"]
    assert len(reader.widths) == 1
    assert lines[0].box[0][1] == 50
    assert engine.read(page, [_quad(40, 200, dots.shape[1], dots.shape[0])]) == []


def test_line_pad_grows_each_box_above_and_below_before_it_is_read() -> None:
    page = np.full((400, 1200, 3), 255, np.uint8)
    text = render_line("Vũ Đình Mạnh")
    page[50 : 50 + text.shape[0], 40 : 40 + text.shape[1]] = text
    quad = _quad(40, 60, text.shape[1], 40)
    for pad, height in ((0.0, 40), (0.1, 48)):
        reader = _Recording()
        engine = OcrEngine(
            detector=cast(Any, None), recognizer=reader, orientation=cast(Any, None), line_pad=pad
        )
        (line,) = engine.read(page, [quad])
        assert reader.heights == [height]
        assert line.box[0][1] == 60 - 40 * pad


class _CountingDetector:
    """Records the images it is handed; finds no lines."""

    def __init__(self) -> None:
        self.images: list[np.ndarray] = []

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        self.images.append(image)
        return []


_RED = (36, 30, 196)  # BGR


def _detected(page: np.ndarray) -> list[np.ndarray]:
    detector = _CountingDetector()
    engine = OcrEngine(
        detector=cast(Any, detector), recognizer=_Recording(), orientation=cast(Any, None)
    )
    engine.detect(page)
    return detector.images


def test_a_page_in_colour_all_over_is_detected_once_on_its_faded_view() -> None:
    page = np.full((800, 600, 3), 255, np.uint8)
    for y in range(40, 780, 60):
        cv2.putText(page, "CAN CUOC CONG DAN", (20, y), cv2.FONT_HERSHEY_SIMPLEX, 1.4, _RED, 3)
    (seen,) = _detected(page)
    assert seen.shape == page.shape and not np.array_equal(seen, page)  # the neutral view


def test_a_page_with_a_seal_is_detected_faded_and_again_around_the_seal() -> None:
    page = np.full((2000, 1400, 3), 255, np.uint8)
    for y in range(200, 1400, 100):
        cv2.putText(page, "black text line", (100, y), cv2.FONT_HERSHEY_SIMPLEX, 2, (0, 0, 0), 5)
    cv2.circle(page, (1000, 1600), 150, _RED, 12)
    faded, seal = _detected(page)
    assert faded.shape == page.shape and not np.array_equal(faded, page)  # the neutral view
    assert seal.shape[0] < page.shape[0] / 2 and seal.shape[1] < page.shape[1] / 2


class _ScriptedDetector:
    """On the whole (faded) page finds ``on_page``; in a coloured region, one line filling
    the region but for a margin."""

    def __init__(self, page_shape: tuple[int, ...], on_page: list[np.ndarray]) -> None:
        self.page_shape = page_shape[:2]
        self.on_page = on_page

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        if image.shape[:2] == self.page_shape:
            return [q.copy() for q in self.on_page]
        h, w = image.shape[:2]
        return [_quad(4, 4, w - 8, h - 8)]


def test_a_coloured_lines_ghost_on_the_faded_view_yields_to_the_line_found_in_colour() -> None:
    page = np.full((1400, 1000, 3), 255, np.uint8)
    cv2.putText(page, "GIAY KHAI SINH", (150, 200), cv2.FONT_HERSHEY_SIMPLEX, 2.2, _RED, 6)
    for y in range(500, 1300, 100):
        cv2.putText(page, "black text line", (100, y), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (0, 0, 0), 4)
    ghost = _quad(150, 150, 250, 60)  # a piece of the red title, found on the faded view
    black = _quad(100, 465, 420, 45)
    detector = _ScriptedDetector(page.shape, [ghost, black])
    engine = OcrEngine(
        detector=cast(Any, detector), recognizer=_Recording(), orientation=cast(Any, None)
    )
    found = engine.detect(page)
    assert any(np.array_equal(q, black) for q in found)  # black print stays
    assert not any(np.array_equal(q, ghost) for q in found)
    (title,) = [q for q in found if q[:, 1].max() < 400]  # the title: the coloured line
    assert title[:, 0].max() - title[:, 0].min() > 400  # the whole title, not the piece


class _Sure:
    """Reads every line with one confidence; counts the lines it was given."""

    name = "sure"

    def __init__(self, confidence: float) -> None:
        self.confidence = confidence
        self.read = 0

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        self.read += len(crops)
        return [Recognition("made-up text", self.confidence) for _ in crops]


@pytest.mark.parametrize(("confidence", "faded_view_line_stays"), [(0.95, False), (0.6, True)])
def test_a_faded_view_line_in_colour_yields_only_to_a_coloured_line_whose_reading_is_kept(
    confidence: float, faded_view_line_stays: bool
) -> None:
    # A line printed in colour (a card's print) is found alike on the faded view and in
    # colour. The line found in colour, read too doubtfully to keep (a colour line needs
    # 0.9), would take the line with it if the faded-view line yielded to it.
    page = np.full((1400, 1000, 3), 255, np.uint8)
    cv2.putText(page, "SO 012345", (150, 200), cv2.FONT_HERSHEY_SIMPLEX, 2.2, _RED, 6)
    for y in range(500, 1300, 100):
        cv2.putText(page, "black text line", (100, y), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (0, 0, 0), 4)
    line = _quad(140, 140, 420, 80)  # the coloured line, found on the faded view
    black = _quad(100, 465, 420, 45)
    reader = _Sure(confidence)
    engine = OcrEngine(
        detector=cast(Any, _ScriptedDetector(page.shape, [line, black])),
        recognizer=reader,
        orientation=cast(Any, None),
    )
    found = engine.detect(page)
    assert reader.read == 1  # only the contested coloured line is read
    assert any(np.array_equal(q, black) for q in found)
    assert any(np.array_equal(q, line) for q in found) is faded_view_line_stays
    assert len([q for q in found if q[:, 1].max() < 400]) == 1  # the line once, not twice


def test_a_black_line_over_a_seal_is_kept_beside_the_line_found_in_colour() -> None:
    page = np.full((1400, 1000, 3), 255, np.uint8)
    for y in range(300, 1300, 100):
        cv2.putText(page, "black text line", (100, y), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (0, 0, 0), 4)
    cv2.circle(page, (300, 800), 170, _RED, 10)
    black = _quad(100, 765, 420, 45)  # the line crossing the seal
    detector = _ScriptedDetector(page.shape, [black])
    engine = OcrEngine(
        detector=cast(Any, detector), recognizer=_Recording(), orientation=cast(Any, None)
    )
    assert any(np.array_equal(q, black) for q in engine.detect(page))
