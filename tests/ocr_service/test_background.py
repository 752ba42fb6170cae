"""The background stage: a guilloche taken off, black and red print kept, clean pages left."""

from __future__ import annotations

import cv2
import numpy as np

from ocr_service.background import PATTERNED_MIN_SHARE, patterned_share, remove_background

_W, _H = 1200, 1600
_TEXT_ROWS = range(400, 1400, 80)


def _page(*, guilloche: bool) -> np.ndarray:
    """A white page with black text rows and a red title; optionally a green guilloche
    (interleaved sine curves) and a light emblem behind it, as certificates print."""
    page = np.full((_H, _W, 3), 246, np.uint8)
    if guilloche:
        xs = np.arange(_W)
        for k in range(0, _H, 9):
            ys = (k + 14 * np.sin(xs / 23.0 + k / 31.0)).astype(np.int32)
            pts = np.stack([xs, ys], axis=1).reshape(-1, 1, 2)
            cv2.polylines(page, [pts], False, (150, 200, 140), 2)
        cv2.circle(page, (_W // 2, _H // 2), 380, (200, 190, 170), 40)
    cv2.putText(page, "GIAY KHAI SINH", (300, 260), cv2.FONT_HERSHEY_DUPLEX, 2.2, (30, 30, 200), 5)
    for y in _TEXT_ROWS:
        cv2.putText(page, "Ho, chu dem, ten: NGUYEN VAN AN", (120, y), 0, 1.3, (25, 25, 25), 3)
    return page


def test_a_clean_page_is_read_as_it_is() -> None:
    page = _page(guilloche=False)
    assert patterned_share(page) < PATTERNED_MIN_SHARE
    assert remove_background(page) is None


def test_a_guilloche_goes_and_black_and_red_print_stay() -> None:
    page = _page(guilloche=True)
    assert patterned_share(page) >= PATTERNED_MIN_SHARE
    out = remove_background(page)
    assert out is not None
    assert out.shape == page.shape
    grey = out[:, :, 0]
    text = _page(guilloche=False)
    black = (text.max(axis=2) < 80) & (text[:, :, 2] < 80)  # the black rows' strokes
    red = (text[:, :, 2] > 150) & (text[:, :, 0] < 80)  # the red title's strokes
    pattern = (page.min(axis=2) < 215) & ~black & ~red
    pattern &= cv2.dilate(black.astype(np.uint8) | red.astype(np.uint8), np.ones((9, 9))) == 0
    assert np.mean(grey[pattern] > 200) > 0.95  # the pattern is paper now
    assert np.mean(grey[black] < 100) > 0.9  # black print stays black
    assert np.mean(grey[red] < 100) > 0.9  # and so does the red title


def test_an_orange_red_number_stays_whole_and_an_orange_pattern_alone_goes() -> None:
    # a photo shows a red number orange-red: the reddest core of each stroke, orange around
    page = _page(guilloche=True)
    number = np.zeros(page.shape[:2], np.uint8)
    cv2.putText(number, "0123456789", (150, 1500), cv2.FONT_HERSHEY_DUPLEX, 2.4, 255, 9)
    core = cv2.erode(number, np.ones((5, 5), np.uint8))
    page[number > 0] = (40, 120, 230)  # orange (OpenCV hue 12)
    page[core > 0] = (30, 40, 220)  # red
    # an orange line pattern with no red in it, as a card's printed background
    xs = np.arange(_W)
    for k in range(1550, 1600, 9):
        ys = (k + 6 * np.sin(xs / 17.0)).astype(np.int32)
        cv2.polylines(
            page, [np.stack([xs, ys], axis=1).reshape(-1, 1, 2)], False, (40, 120, 230), 2
        )
    out = remove_background(page)
    assert out is not None
    grey = out[:, :, 0]
    rim = (number > 0) & (core == 0)
    assert np.mean(grey[rim] < 100) > 0.8  # the orange rim is the stroke's: dark
    pattern = np.zeros_like(number)
    pattern[1545:1600] = 255
    pattern &= cv2.dilate(number, np.ones((9, 9), np.uint8)) == 0
    pattern &= (page.min(axis=2) < 215).astype(np.uint8) * 255
    assert np.mean(grey[pattern > 0] > 200) > 0.9  # the orange pattern alone is paper


def test_the_paper_estimate_smoothed_small_is_the_full_size_one_within_a_grey_level() -> None:
    """The probe's paper (a closing, then a Gaussian of half its width) is smoothed at a
    quarter of the size: on a page lit unevenly under print, it stays within a few grey
    level or two of the full-size blur, and the patterned share with it."""
    from ocr_service.background import _ink_view, _paper

    page = _page(guilloche=True)
    shade = np.linspace(0.7, 1.0, _W)[None, :, None]
    page = (page * shade).astype(np.uint8)
    small = cv2.resize(page, (600, 800), interpolation=cv2.INTER_AREA)
    view = _ink_view(small)
    element = cv2.getStructuringElement(cv2.MORPH_RECT, (31, 31))
    full = cv2.GaussianBlur(cv2.morphologyEx(view, cv2.MORPH_CLOSE, element), (0, 0), 15.5)
    fast = _paper(view, 31)
    diff = np.abs(fast.astype(int) - full.astype(int))
    assert diff.max() <= 2


def _ink_view_reference(image: np.ndarray) -> np.ndarray:
    """The ink view's rule written with numpy comparisons: brightest channel, except red
    strokes (hue <= 10 or >= 165, saturation > 90, value > 60, with orange up to hue 18
    joined to them when red makes up 30% of the joined part), which take the darkest."""
    view = image.max(axis=2)
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    h, s, v = hsv[:, :, 0], hsv[:, :, 1], hsv[:, :, 2]
    vivid = (s > 90) & (v > 60)
    red = ((h <= 10) | (h >= 165)) & vivid
    _, parts = cv2.connectedComponents((red | ((h <= 18) & vivid)).astype(np.uint8))
    size = np.bincount(parts.ravel())
    core = np.bincount(parts[red], minlength=size.size)
    mostly = core >= 0.3 * size
    mostly[0] = False
    return np.where(mostly[parts], image.min(axis=2), view).astype(np.uint8)


def test_the_ink_view_keeps_red_strokes_dark_by_the_stated_bounds() -> None:
    """Every hue, saturation and value around the bounds, in blobs of mixed red and orange
    shares: the view is the rule's, pixel for pixel."""
    from ocr_service.background import _ink_view

    rng = np.random.default_rng(7)
    hsv = np.zeros((240, 320, 3), np.uint8)
    hsv[:, :, 0] = rng.integers(0, 180, hsv.shape[:2])
    hsv[:, :, 1] = rng.choice([0, 89, 90, 91, 92, 200], hsv.shape[:2])
    hsv[:, :, 2] = rng.choice([30, 59, 60, 61, 62, 220], hsv.shape[:2])
    for k in range(12):  # solid strokes: red, orange-red and orange ones, joined or alone
        y, x = 20 * k, 25 * k
        hsv[y : y + 15, x : x + 30] = (5 + k, 200, 180)
        hsv[y + 5 : y + 10, x : x + 60] = (170, 180, 150)
    image = cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)
    assert np.array_equal(_ink_view(image), _ink_view_reference(image))


def test_looked_up_levels_are_the_levels_computed_pixel_by_pixel() -> None:
    # every (view, paper) pair, and a page-sized pair of views
    from ocr_service.background import _LEVELS, _levels

    view, paper = np.meshgrid(np.arange(256, dtype=np.uint8), np.arange(256, dtype=np.uint8))
    assert np.array_equal(_LEVELS, _levels(view, paper))
    rng = np.random.default_rng(7)
    v = rng.integers(0, 256, (300, 200), dtype=np.uint8)
    p = rng.integers(0, 256, (300, 200), dtype=np.uint8)
    index = (p.astype(np.uint16) << 8) | v
    assert np.array_equal(_LEVELS.ravel()[index], _levels(v, p))
