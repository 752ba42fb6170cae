"""Coloured ink on a page or a line: seals, signatures and coloured print, found and faded.

Seals (red) and signatures (blue) cross printed lines; the detector and the recognizers see
them as more letters. Coloured ink is saturated; black print is not, so in the brightest
channel of each pixel coloured ink fades to paper while black ink stays black.
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = [
    "brightest_channel",
    "colour_ink_share",
    "colour_regions",
    "grey_percentiles",
    "is_colour_line",
    "line_ink_share",
    "neutral_view",
    "suppress_colour",
]

# In OpenCV's HSV (S and V 0-255): coloured ink is saturated and neither near black nor
# paper white; neutral ink (black or grey print) is unsaturated and dark. A pixel between
# the two saturations is neither (paper tinted by the scanner, anti-aliased edges).
_COLOURED_MIN_SATURATION = 90
_COLOURED_VALUE = (60, 235)
_NEUTRAL_MAX_SATURATION = 70
_NEUTRAL_MAX_VALUE = 120


# The two classes as OpenCV ranges (inclusive bounds), counted by ``cv2.inRange`` and
# ``cv2.countNonZero``: the same pixels as numpy comparisons, at a fifth of the cost on the
# thousands of line crops a page has (``suppress_colour`` runs on each).
_COLOURED_RANGE = (
    np.array([0, _COLOURED_MIN_SATURATION + 1, _COLOURED_VALUE[0] + 1], np.uint8),
    np.array([255, 255, _COLOURED_VALUE[1] - 1], np.uint8),
)
_NEUTRAL_RANGE = (
    np.array([0, 0, 0], np.uint8),
    np.array([255, _NEUTRAL_MAX_SATURATION - 1, _NEUTRAL_MAX_VALUE - 1], np.uint8),
)


def _coloured(hsv: np.ndarray) -> np.ndarray:
    """255 where a pixel is coloured ink, else 0."""
    return cv2.inRange(hsv, *_COLOURED_RANGE)


def _neutral(hsv: np.ndarray) -> np.ndarray:
    """255 where a pixel is neutral (black or grey) ink, else 0."""
    return cv2.inRange(hsv, *_NEUTRAL_RANGE)


def _ink_counts(image: np.ndarray) -> tuple[int, int]:
    """Pixels of coloured and of neutral ink in a BGR image."""
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    return cv2.countNonZero(_coloured(hsv)), cv2.countNonZero(_neutral(hsv))


def colour_ink_share(image: np.ndarray) -> float:
    """Share of the ink that is coloured (seals, signatures, coloured print)."""
    if image.ndim != 3:
        return 0.0
    coloured, neutral = _ink_counts(image)
    return coloured / max(coloured + neutral, 1)


def _colour_mask(image: np.ndarray) -> np.ndarray:
    return _coloured(cv2.cvtColor(image, cv2.COLOR_BGR2HSV)) & 1


# A region is worth a detector pass when it holds at least this many coloured pixels of
# the downscaled page (a few letters); boxes covering more than this share of the page
# are read whole instead (a coloured card, a page printed in colour).
_MIN_REGION_PIXELS = 40
_WHOLE_PAGE_SHARE = 0.5


def colour_regions(
    small: np.ndarray, scale: float, shape: tuple[int, ...]
) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) in the full image (``shape``, ``small`` × ``scale``) around
    its coloured ink: seals, signatures, coloured print. Near blobs are merged, so a line
    of coloured letters is one region; each box has a margin of two letter heights."""
    h, w = int(shape[0]), int(shape[1])
    if small.ndim != 3:
        return []
    mask = _colour_mask(small)
    # a page frame or rule printed in colour is no text: drop straight runs a quarter of the
    # page long first
    sh, sw = mask.shape
    rules = cv2.bitwise_or(
        cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((1, max(sw // 4, 3)), np.uint8)),
        cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((max(sh // 4, 3), 1), np.uint8)),
    )
    mask = cv2.bitwise_and(mask, 1 - cv2.dilate(rules, np.ones((3, 3), np.uint8)))
    mask = cv2.dilate(mask, np.ones((5, 9), np.uint8))  # the letters of a line join up
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    boxes = []
    margin = 12  # small-image pixels, ~ two letter heights at 300 dpi
    for x, y, bw, bh, area in stats[1:n]:
        if area < _MIN_REGION_PIXELS:
            continue
        boxes.append(
            (
                max(0, int((x - margin) * scale)),
                max(0, int((y - margin) * scale)),
                min(w, int((x + bw + margin) * scale)),
                min(h, int((y + bh + margin) * scale)),
            )
        )
    merged = _merge_boxes(boxes)
    if sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in merged) > _WHOLE_PAGE_SHARE * w * h:
        return [(0, 0, w, h)]
    return merged


def _merge_boxes(boxes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Union overlapping boxes until none overlap."""
    out = list(boxes)
    merged = True
    while merged:
        merged = False
        for i in range(len(out)):
            for j in range(i + 1, len(out)):
                a, b = out[i], out[j]
                if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                    out[i] = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                    del out[j]
                    merged = True
                    break
            if merged:
                break
    return out


def brightest_channel(image: np.ndarray) -> np.ndarray:
    """Per-pixel maximum of the B, G and R channels: numpy's ``max(axis=2)`` with OpenCV's
    per-pixel max, the same pixels in about a fifth of the time (0.04 s instead of 0.23 s
    on a 300-dpi page)."""
    b, g, r = cv2.split(image)
    return cv2.max(cv2.max(b, g), r)


def neutral_view(image: np.ndarray) -> np.ndarray:
    """The image with coloured ink faded to paper (brightest channel, as BGR)."""
    if image.ndim != 3 or image.shape[2] != 3:
        return image
    return cv2.cvtColor(brightest_channel(image), cv2.COLOR_GRAY2BGR)


# A crop with less coloured ink than this share of its pixels has specks, nothing to fade;
# one whose ink is less than this share neutral is printed in colour, and fading would
# erase the print itself.
_MIN_COLOURED_SHARE = 0.02
_MIN_NEUTRAL_INK = 0.25


def suppress_colour(crop: np.ndarray) -> np.ndarray:
    """Black print under a red seal or blue signature: read the brightest channel, in which
    coloured ink fades to paper while black ink stays black. Lines printed in colour
    (little neutral dark ink) are left alone."""
    if crop.ndim != 3:
        return crop
    coloured, neutral = _ink_counts(crop)
    specks = coloured < _MIN_COLOURED_SHARE * crop.shape[0] * crop.shape[1]
    printed_in_colour = neutral < _MIN_NEUTRAL_INK * (neutral + coloured)
    if specks or printed_in_colour:
        return crop
    return cv2.cvtColor(brightest_channel(crop), cv2.COLOR_GRAY2BGR)


def grey_percentiles(gray: np.ndarray, qs: tuple[float, ...]) -> tuple[float, ...]:
    """``np.percentile(gray, qs)`` (linear interpolation) of a uint8 image, bit for bit,
    read from its 256-bin histogram: called for every line crop, where np.percentile's
    partition and generic machinery cost 7 times as much. Other dtypes go to np.percentile."""
    if gray.dtype != np.uint8 or gray.size == 0:
        return tuple(float(v) for v in np.percentile(gray, qs))
    n = gray.size
    cum = np.cumsum(np.bincount(gray.ravel(), minlength=256))
    out = []
    for q in qs:
        # numpy's own steps: the virtual index (n - 1) * q / 100, its two neighbours in the
        # sorted values (both the last at or past the end), and its two-sided lerp
        pos = (n - 1) * (q / 100)
        lo = int(pos)
        if pos >= n - 1:
            lo = hi = n - 1
        else:
            hi = lo + 1
        va, vb = np.searchsorted(cum, (lo, hi), side="right")
        a, b = float(va), float(vb)
        t = pos - lo if hi != lo else pos + 1
        d = b - a
        out.append(b - d * (1 - t) if t >= 0.5 else a + d * t)
    return tuple(out)


# Share of a line's ink in colour above which it is drawn in colour: black print crossed by
# a seal stays well below it.
_COLOUR_LINE_SHARE = 0.85


def line_ink_share(crop: np.ndarray) -> float:
    """Share of a line's ink that is coloured, its ink being what is darker than halfway
    from its paper to its darkest stroke. A card's tinted guilloche is the line's paper, not
    ink: counted as coloured ink, it made every line of a chip card a "colour line"."""
    if crop.ndim != 3 or crop.size == 0:
        return 0.0
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    dark, paper = grey_percentiles(gray, (2, 90))
    ink = gray < (float(dark) + float(paper)) / 2
    if paper - dark < 24 or not ink.any():  # a blank crop
        return 0.0
    hsv = cv2.cvtColor(crop, cv2.COLOR_BGR2HSV)
    s, v = hsv[:, :, 1][ink], hsv[:, :, 2][ink]
    coloured = int(((s > _COLOURED_MIN_SATURATION) & (v > _COLOURED_VALUE[0])).sum())
    neutral = int((s < _NEUTRAL_MAX_SATURATION).sum())
    return coloured / max(coloured + neutral, 1)


def is_colour_line(crop: np.ndarray) -> bool:
    """A line drawn only in colour: a seal's ring text, a signature, or a coloured title."""
    return line_ink_share(crop) > _COLOUR_LINE_SHARE
