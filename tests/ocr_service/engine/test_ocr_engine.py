"""OcrEngine.read with a recording recognizer: which crops reach the recognizer."""

from __future__ import annotations

from typing import Any, cast

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
