"""Reading order of detected line boxes."""

from __future__ import annotations

import numpy as np

from ocr_service.engine.layout import reading_order


def _box(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)


def test_two_column_header_reads_left_block_then_right_block() -> None:
    boxes = [
        _box(600, 50, 1150, 80),  # CỘNG HÒA ...
        _box(80, 52, 400, 82),  # UBND TỈNH
        _box(650, 100, 1100, 130),  # Độc lập ...
        _box(100, 98, 380, 128),  # SỞ TƯ PHÁP
        _box(300, 200, 900, 240),  # title, centred
        _box(80, 300, 1150, 330),  # body
        _box(80, 350, 1100, 380),  # body
    ]
    order = reading_order(boxes, 1240)
    assert order == [1, 3, 0, 2, 4, 5, 6]


def test_single_column_reads_top_to_bottom_and_rows_left_to_right() -> None:
    boxes = [
        _box(80, 300, 1150, 330),
        _box(600, 100, 900, 130),
        _box(80, 100, 400, 130),
        _box(80, 200, 1100, 230),
    ]
    assert reading_order(boxes, 1240) == [2, 1, 3, 0]


def test_signature_block_at_the_bottom() -> None:
    boxes = [
        _box(80, 100, 1150, 130),  # body
        _box(80, 200, 300, 230),  # Nơi nhận:
        _box(700, 200, 1100, 230),  # TM. ỦY BAN NHÂN DÂN
        _box(80, 240, 300, 270),  # - Như trên;
        _box(750, 240, 1000, 270),  # CHỦ TỊCH
        _box(80, 280, 300, 310),  # - Lưu: VT.
    ]
    assert reading_order(boxes, 1240) == [0, 1, 3, 5, 2, 4]
