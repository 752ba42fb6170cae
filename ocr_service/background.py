"""A certificate's or a card's printed background taken off before its lines are read.

Certificates are printed on guilloche (green or pink line patterns), with a watermarked
emblem behind the text; cards on coloured patterns. The recognizers read those lines as
letters. The background is lighter than the print: on a view where coloured ink fades
(the brightest channel, engine.colour) except red, which is text here (titles, the 2016
card's number; taken by its darkest channel so it stays dark), each pixel is divided by the
local paper brightness and everything well above ink level becomes paper. The stage runs
only on a page with a patterned background: a clean scan is read as it is.
"""

from __future__ import annotations

import cv2
import numpy as np

from ocr_service.engine.colour import brightest_channel

__all__ = ["PATTERNED_MIN_SHARE", "patterned_share", "remove_background"]

# Share of a page's pixels neither paper nor ink from which it has a patterned background:
# clean scans and born-digital pages hold 2-5% (anti-aliased letter edges), guilloche
# certificates and card photos 20-45%.
PATTERNED_MIN_SHARE = 0.15
# Brightness relative to the local paper: at most _INK is ink, at least _PAPER is paper;
# what lies between is the pattern's faint lines (kept as greys, scaled).
_INK = 0.45
_PAPER = 0.8
_MID_BAND = (0.5, 0.88)
_PROBE_SIDE = 800  # px, long side of the image the share is measured on
# Red print: a saturated red hue (OpenCV HSV, hue 0-180), not dark nor paper.
_RED_HUE = (10, 165)
# A phone photo shows the 2016 card's red number orange-red (hue 6-13): a mask taking only
# the reddest part of a stroke left the digits hollow. Orange up to this hue is red print
# where it joins red; an orange patch of a card's background alone is not.
_ORANGE_HUE = 18
_RED_CORE_SHARE = 0.3  # of a joined part's pixels, red ones (a stroke), not a few (a patch)
_RED_MIN_SATURATION = 90
_RED_MIN_VALUE = 60


def _ink_view(image: np.ndarray) -> np.ndarray:
    """Grey view in which coloured ink fades to paper except red, which stays dark.

    The masks are OpenCV ranges and the parts' sizes connectedComponentsWithStats' areas:
    the same pixels as numpy comparisons and bincounts, in a third of the time on a
    full-size card photo."""
    if image.ndim != 3:
        return image
    view = brightest_channel(image)
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    red = cv2.bitwise_or(
        cv2.inRange(hsv, _VIVID_LOW, _hue_high(_RED_HUE[0])),
        cv2.inRange(hsv, _vivid_from(_RED_HUE[1]), _VIVID_HIGH),
    )
    if not cv2.countNonZero(red):
        return view
    # orange-red pixels joined to red ones are the same stroke (hysteresis); an orange
    # patch of the background alone is not
    reddish = cv2.bitwise_or(red, cv2.inRange(hsv, _VIVID_LOW, _hue_high(_ORANGE_HUE)))
    n, parts, stats, _ = cv2.connectedComponentsWithStats(reddish, connectivity=8)
    core = np.bincount(parts[red > 0], minlength=n)
    mostly_red = core >= _RED_CORE_SHARE * stats[:, cv2.CC_STAT_AREA]
    mostly_red[0] = False
    keep = mostly_red[parts]
    if keep.any():
        b, g, r = cv2.split(image)
        np.copyto(view, cv2.min(cv2.min(b, g), r), where=keep)
    return view


# vivid: saturation above _RED_MIN_SATURATION, value above _RED_MIN_VALUE (OpenCV HSV)
_VIVID_LOW = np.array([0, _RED_MIN_SATURATION + 1, _RED_MIN_VALUE + 1], np.uint8)
_VIVID_HIGH = np.array([255, 255, 255], np.uint8)


def _hue_high(hue: int) -> np.ndarray:
    return np.array([hue, 255, 255], np.uint8)


def _vivid_from(hue: int) -> np.ndarray:
    return np.array([hue, _RED_MIN_SATURATION + 1, _RED_MIN_VALUE + 1], np.uint8)


def _paper(view: np.ndarray, kernel: int) -> np.ndarray:
    """The local paper brightness of a grey view: a closing wider than the letters, then
    smoothed. The smoothing (a Gaussian of half the kernel) runs at a quarter of the size
    and is brought back: a blur that wide is most of the cost at full size (50 ms of a
    page's 800-px probe), and the paper it smooths varies slowly."""
    element = cv2.getStructuringElement(cv2.MORPH_RECT, (kernel, kernel))
    paper = cv2.morphologyEx(view, cv2.MORPH_CLOSE, element)
    h, w = paper.shape[:2]
    if min(h, w) < 4 * _QUARTER:
        return cv2.GaussianBlur(paper, (0, 0), kernel / 2)
    small = cv2.resize(paper, None, fx=1 / _QUARTER, fy=1 / _QUARTER, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), kernel / 2 / _QUARTER)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


_QUARTER = 4


def patterned_share(image: np.ndarray) -> float:
    """Share of the page (measured small) that is neither paper nor ink."""
    f = min(1.0, _PROBE_SIDE / max(image.shape[:2]))
    small = cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    view = _ink_view(small)
    rel = view.astype(np.float32) / np.maximum(_paper(view, 31).astype(np.float32), 1.0)
    return float(((rel > _MID_BAND[0]) & (rel < _MID_BAND[1])).mean())


def remove_background(image: np.ndarray) -> np.ndarray | None:
    """The page with its patterned background turned to paper (BGR), or ``None`` when it has
    none worth removing (``patterned_share`` below ``PATTERNED_MIN_SHARE``)."""
    if patterned_share(image) < PATTERNED_MIN_SHARE:
        return None
    view = _ink_view(image)
    # The paper is estimated at a quarter of the size (letters are still thinner than the
    # kernel there), then brought back: the same result for a tenth of the time.
    f = 0.25
    small = cv2.resize(view, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    kernel = max(9, (min(small.shape[:2]) // 40) | 1)
    element = cv2.getStructuringElement(cv2.MORPH_RECT, (kernel, kernel))
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, element)
    paper = cv2.GaussianBlur(paper, (0, 0), kernel / 2)
    paper = cv2.resize(paper, (view.shape[1], view.shape[0]), interpolation=cv2.INTER_LINEAR)
    # each pixel's level depends only on its own and its paper's (both 0-255): looked up
    index = (paper.astype(np.uint16) << 8) | view
    return cv2.cvtColor(_LEVELS.ravel()[index], cv2.COLOR_GRAY2BGR)


def _levels(view: np.ndarray, paper: np.ndarray) -> np.ndarray:
    """A pixel's grey level once the background is taken off: its brightness relative to
    the local paper, ink level and below black, paper level and above white."""
    rel = view.astype(np.float32) / np.maximum(paper.astype(np.float32), 1.0)
    return (np.clip((rel - _INK) / (_PAPER - _INK), 0.0, 1.0) * 255.0).astype(np.uint8)


# ``_levels`` of every (paper, view) pair, paper by row: the same levels as computing them
# pixel by pixel, in half the time on a card photo (2400 x 1600 px: 29 -> 13 ms).
_LEVELS = _levels(*np.meshgrid(np.arange(256, dtype=np.uint8), np.arange(256, dtype=np.uint8)))
