"""Page detection without the blank margins: the crop handed to the network keeps all the
ink, sits on the network's 32-px grid and ignores specks."""

from __future__ import annotations

import numpy as np

from ocr_service.engine.detection import content_box


def _page(h: int = 1280, w: int = 896) -> np.ndarray:
    return np.full((h, w, 3), 255, np.uint8)


def test_the_box_holds_the_ink_with_a_margin_on_the_32_px_grid() -> None:
    page = _page()
    page[300:340, 150:700] = 0  # a text line
    page[900:930, 200:400] = 0  # another
    y0, y1, x0, x1 = content_box(page)
    assert (y0, x0) == (256, 96)  # 300 - 32 and 150 - 32, down to the grid
    assert y1 >= 930 + 32 and x1 >= 700 + 32
    assert y0 % 32 == x0 % 32 == (y1 - y0) % 32 == (x1 - x0) % 32 == 0
    assert y1 <= 1280 and x1 <= 896


def test_ink_at_the_edge_keeps_the_whole_side() -> None:
    page = _page()
    page[0:20, :] = 0  # a dark scan border along the top
    page[1260:, 400:500] = 0
    assert content_box(page) == (0, 1280, 0, 896)


def test_specks_are_paper_and_a_blank_page_is_kept_whole() -> None:
    page = _page()
    assert content_box(page) == (0, 1280, 0, 896)
    page[10, 10] = 0  # one speck: fewer than two ink pixels in its row and column
    page[1200, 800] = 0
    page[600:640, 300:500] = 0
    y0, y1, x0, x1 = content_box(page)
    assert y0 == 544 and x0 == 256
    assert y1 < 1200 and x1 < 800


def test_a_light_grey_background_is_paper_dark_text_on_it_is_ink() -> None:
    page = np.full((640, 640, 3), 215, np.uint8)
    page[320:340, 320:360] = 40
    y0, y1, x0, x1 = content_box(page)
    assert (y0, x0) == (288, 288) and y1 <= 416 and x1 <= 416
