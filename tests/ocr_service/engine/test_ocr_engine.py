"""OcrEngine.read with a recording recognizer: which crops reach the recognizer."""

from __future__ import annotations

from typing import Any, cast

import cv2
import numpy as np

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
