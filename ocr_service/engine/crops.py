"""Line images cut out of a page: boxes grown and split at word gaps, crops cleaned for reading."""

from __future__ import annotations

from functools import cached_property

import cv2
import numpy as np

from ocr_service.engine.colour import grey_percentiles, suppress_colour

__all__ = [
    "LineView",
    "clean_line",
    "clean_line_at",
    "crop_quad",
    "is_dot_row",
    "line_contrast",
    "pad_quad",
    "split_at_column",
    "split_at_gaps",
    "split_point",
    "split_wide_gaps",
    "sub_quad",
]


def pad_quad(quad: np.ndarray, top: float, bottom: float) -> np.ndarray:
    """Grow a 4-point box (clockwise from top-left) along its own vertical axis by ``top``
    and ``bottom`` fractions of its height (the axis follows skew and perspective)."""
    q = np.asarray(quad, dtype=np.float32).copy()
    if top <= 0 and bottom <= 0:
        return q
    left_up, right_up = q[0] - q[3], q[1] - q[2]
    out = q.copy()
    out[0] = q[0] + left_up * top
    out[1] = q[1] + right_up * top
    out[3] = q[3] - left_up * bottom
    out[2] = q[2] - right_up * bottom
    return out


def crop_quad(
    image: np.ndarray, quad: np.ndarray, pad: float = 0.0, pad_bottom: float | None = None
) -> np.ndarray:
    """Perspective-crop a 4-point box (clockwise from top-left) into an upright rectangle,
    grown by ``pad`` of its height above and ``pad_bottom`` (default ``pad``) below.

    Tall crops (height > 1.5 × width) are rotated so the text runs horizontally.
    """
    q = np.asarray(quad, dtype=np.float32)
    w = int(round(max(np.linalg.norm(q[0] - q[1]), np.linalg.norm(q[3] - q[2]))))
    h = int(round(max(np.linalg.norm(q[0] - q[3]), np.linalg.norm(q[1] - q[2]))))
    tall = h > 1.5 * max(w, 2)
    if not tall and (pad > 0 or (pad_bottom or 0) > 0):
        # only horizontal lines: a tall box's "vertical" axis runs along its text
        q = pad_quad(q, pad, pad if pad_bottom is None else pad_bottom)
        h = int(round(max(np.linalg.norm(q[0] - q[3]), np.linalg.norm(q[1] - q[2]))))
    w, h = max(w, 2), max(h, 2)
    dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(q, dst)
    crop = cv2.warpPerspective(
        image, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
    if tall:
        crop = np.rot90(crop).copy()
    return crop


def split_at_gaps(crop: np.ndarray, max_width: int) -> list[np.ndarray]:
    """Cut a line crop into pieces no wider than ``max_width`` at the widest blank columns.

    Used for recognizers that cannot read very long lines (asterocr's position encoding
    covers ~1000 px at 32 px height). Returns ``[crop]`` when no cut is needed.
    """
    h, w = crop.shape[:2]
    if w <= max_width:
        return [crop]
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ink_cols = ink.sum(axis=0)
    blank = ink_cols <= max(1, int(0.02 * h))  # a speck's worth of ink at most
    # Runs of blank columns: cut at the middle of the widest run near the middle (in the
    # middle 60%, so that neither piece is a sliver), a wide run far off losing to a
    # slightly narrower one near the middle.
    best_x, best_score = None, -1.0
    lo, hi = int(w * 0.2), int(w * 0.8)
    for start, end in _blank_runs(~blank):
        mid, run = (start + end) // 2, end - start
        score = run - 0.002 * abs(mid - w / 2) * run
        if lo <= mid <= hi and score > best_score:
            best_x, best_score = mid, score
    if best_x is None:
        best_x = w // 2
    return split_at_gaps(crop[:, :best_x], max_width) + split_at_gaps(crop[:, best_x:], max_width)


def _ink(crop: np.ndarray) -> np.ndarray:
    """Binary ink mask (1 = ink) of a line crop, with isolated noise specks removed."""
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    gray = cv2.medianBlur(gray, 3)
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink


class LineView:
    """A line crop with the views its splitting, the dot-row test and its cleaning look at,
    each made once, when first asked: the crop with coloured ink faded
    (``suppress_colour``), that view's ink mask, and the crop's own ink mask (the same
    mask when nothing was faded, as on most lines of a page printed in black). Made anew
    by each of the three steps, the faded view and its mask were computed twice a line,
    the mask three times."""

    def __init__(self, crop: np.ndarray) -> None:
        self.crop = crop

    @cached_property
    def faded(self) -> np.ndarray:
        return suppress_colour(self.crop)

    @cached_property
    def faded_ink(self) -> np.ndarray:
        return _ink(self.faded)

    @cached_property
    def ink(self) -> np.ndarray:
        return self.faded_ink if self.faded is self.crop else _ink(self.crop)


# A column with ink in fewer than this share of the line's height is blank: a speck or the
# edge of a stroke, not a letter.
_INK_COLUMN = 0.04


def _ink_columns(crop: np.ndarray, view: LineView | None = None) -> np.ndarray:
    """Which columns of a line crop hold ink, coloured ink faded first (``view``: the
    crop's, when the caller has it)."""
    ink = (view or LineView(crop)).faded_ink
    return ink.sum(axis=0) > max(1, _INK_COLUMN * crop.shape[0])


def split_wide_gaps(
    crop: np.ndarray, quad: np.ndarray, min_gap: float = 1.6, *, view: LineView | None = None
) -> list[np.ndarray]:
    """Split a detected line whose words are separated by a gap wider than ``min_gap`` line
    heights (two header blocks, or two form fields, merged by the detector) into one quad
    per part, each part's quad interpolated along the original's edges. ``view``: the
    crop's ``LineView``, when the caller has it."""
    h, w = crop.shape[:2]
    if w < 4 * h or h < 6:  # a word or two, or a speck: nothing to split
        return [quad]
    cols = _ink_columns(crop, view)
    xs = np.where(cols)[0]
    if xs.size == 0:
        return [quad]
    first = int(xs[0])
    cuts = [
        (first + a, first + b)
        for a, b in _blank_runs(cols[first : int(xs[-1]) + 1])
        if b - a >= min_gap * h
    ]
    if not cuts:
        return [quad]
    # each part keeps a little of the gap (0.15 line height): a letter's edge is not cut
    bounds = [0.0] + [v for a, b in cuts for v in (a + 0.15 * h, b - 0.15 * h)] + [float(w)]
    return [sub_quad(quad, a / w, b / w) for a, b in zip(bounds[0::2], bounds[1::2], strict=True)]


def split_at_column(
    crop: np.ndarray, quad: np.ndarray, edge_x: float, *, view: LineView | None = None
) -> list[np.ndarray]:
    """Cut a line the detector joined across a text column's left edge (page x ``edge_x``,
    from ``reading_order.column_edges``) at the word gap that ends there: the blank run at least
    a quarter line height wide ending within 0.3 line heights of the edge. ``[quad]`` when
    there is no such gap (the line really runs across)."""
    h, w = crop.shape[:2]
    q = np.asarray(quad, dtype=np.float32)
    left, right = float(q[:, 0].min()), float(q[:, 0].max())
    target = (edge_x - left) / max(right - left, 1.0) * w
    cols = _ink_columns(crop, view)
    gaps = [
        (a, b)
        for a, b in _blank_runs(cols)
        if a > 0 and b < w and b - a >= 0.25 * h and abs(b - target) < 0.3 * h
    ]
    if not gaps:
        return [quad]
    a, b = gaps[-1]
    return [sub_quad(quad, 0.0, (a + 0.1 * h) / w), sub_quad(quad, (b - 0.1 * h) / w, 1.0)]


def _blank_runs(ink_cols: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of columns without ink."""
    padded = np.concatenate(([True], np.asarray(ink_cols, dtype=bool), [True]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return [(int(a), int(b)) for a, b in zip(edges[0::2], edges[1::2], strict=True)]


def sub_quad(quad: np.ndarray, ta: float, tb: float) -> np.ndarray:
    """The part of a line's quad between fractions ``ta`` and ``tb`` of its length, its
    corners interpolated along the quad's top and bottom edges."""
    q = np.asarray(quad, dtype=np.float32)
    top_a, top_b = q[0] + (q[1] - q[0]) * ta, q[0] + (q[1] - q[0]) * tb
    bot_a, bot_b = q[3] + (q[2] - q[3]) * ta, q[3] + (q[2] - q[3]) * tb
    return np.array([top_a, top_b, bot_b, bot_a], dtype=np.float32)


def split_point(crop: np.ndarray, fraction: float) -> int:
    """The x of the blank column run nearest ``fraction`` of the width (a word gap)."""
    h, w = crop.shape[:2]
    guess = fraction * w
    cols = _ink_columns(crop)
    best, best_d = round(guess), float("inf")
    for start, end in _blank_runs(cols):
        mid = (start + end) / 2
        # prefer wide gaps: a word gap, not the space inside a letter
        d = abs(mid - guess) - 2.0 * (end - start)
        if start > 0 and end < w and d < best_d:
            best, best_d = round(mid), d
    return best


def _percentile(values: np.ndarray, q: float) -> float:
    """``np.percentile`` (linear interpolation) of a short 1-D array, without its generic
    machinery: called twice for every line crop, where that overhead cost more than the
    sort."""
    v = np.sort(values)
    pos = (v.size - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, v.size - 1)
    return float(v[lo] + (float(v[hi]) - float(v[lo])) * (pos - lo))


def _erase_dot_leaders(view: LineView) -> tuple[np.ndarray, int]:
    """Remove runs of leader dots (".........") that forms print after a filled-in value,
    and trim the blank space they leave; recognizers otherwise read them as letters.

    Works on columns of the faded view (``view.faded``): a leader is a stretch where all
    ink sits in the lowest part of the line (dots on the baseline), whether or not the dots
    touch each other. Returns the cleaned crop and the x in it where it starts.
    """
    crop = view.faded
    h, w = crop.shape[:2]
    if h < 8 or w < 2 * h:
        return crop, 0
    ink = view.faded_ink
    has = ink.any(axis=0)
    if has.sum() < 4:
        return crop, 0
    top = np.where(has, ink.argmax(axis=0), h)
    bottom = np.where(has, h - 1 - ink[::-1].argmax(axis=0), 0)
    # the line's extent from its columns (robust to a leader longer than the text):
    # top = the tallest few percent of columns, bottom = the baseline most columns sit on
    y0 = _percentile(top[has], 5)
    y1 = _percentile(bottom[has], 90)
    if y1 - y0 < 6:
        return crop, 0
    low = has & (top >= y0 + 0.55 * (y1 - y0))
    high = has & ~low
    out = crop.copy()
    erased = False
    x = 0
    while x < w:
        if high[x]:
            x += 1
            continue
        start = x
        while x < w and not high[x]:
            x += 1
        n_low = int(low[start:x].sum())
        width = x - start
        blobs = int(np.count_nonzero(np.diff(low[start:x].astype(np.int8)) == 1)) + int(low[start])
        # a leader: low ink over a long stretch (dots may touch), or dots closing the line;
        # a comma or full stop is far narrower than either
        long_run = width >= 1.5 * h and n_low >= 0.8 * h
        tail = x == w and width >= 0.6 * h and (blobs >= 2 or n_low >= 0.5 * h)
        if n_low and (long_run or tail):
            out[:, start:x] = 255
            erased = True
    if not erased:
        return crop, 0
    cols = np.where(_ink(out).any(axis=0))[0]
    if not cols.size:
        return out, 0
    pad = h // 2
    x0 = max(0, int(cols[0]) - pad)
    return out[:, x0 : min(w, cols[-1] + 1 + pad)], x0


def is_dot_row(crop: np.ndarray, *, view: LineView | None = None) -> bool:
    """A detected "line" that is only a row of dots: a dotted rule, or a leader the
    detector boxed on its own. The eraser above keeps dots that have no text to sit
    below; read, such a row came out as "0060000" or "©©©©O©OOO©GGGG".

    A row of dots: at least five blobs, nearly all of them round and filled (a disc fills
    ~79% of its box; "0", "o" and "O" are rings, under half), of one size, on one line.
    """
    h, w = crop.shape[:2]
    if h < 6 or w < 3 * h:
        return False
    ink = (view or LineView(crop)).ink
    n, _, stats, centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n < 6:  # label 0 is the background
        return False
    areas = stats[1:, cv2.CC_STAT_AREA].astype(np.float64)
    big = areas >= 0.2 * float(np.median(areas))  # specks of noise don't count
    if big.sum() < 5 or areas[big].sum() < 0.9 * areas.sum():
        return False
    bw = stats[1:, cv2.CC_STAT_WIDTH][big].astype(np.float64)
    bh = stats[1:, cv2.CC_STAT_HEIGHT][big].astype(np.float64)
    fill = areas[big] / (bw * bh)
    cy = centroids[1:, 1][big]
    mh = float(np.median(bh))
    dots = (
        (bw >= 0.7 * bh)
        & (bw <= 1.4 * bh)
        & (fill >= 0.6)
        & (np.abs(bh - mh) <= 0.3 * mh)
        & (np.abs(cy - np.median(cy)) <= 0.3 * mh)
    )
    return bool(dots.mean() >= 0.85)


def clean_line(crop: np.ndarray) -> np.ndarray:
    """Prepare one line crop for any recognizer: fade seals/signatures, drop dot leaders,
    lift the print under a glare patch back to the line's contrast."""
    return _flatten_glare(_erase_dot_leaders(LineView(crop))[0])


def clean_line_at(crop: np.ndarray, *, view: LineView | None = None) -> tuple[np.ndarray, int]:
    """``clean_line`` and the x in ``crop`` where the cleaned crop starts (leaders trimmed
    off the left move it), to map positions read on the cleaned crop back to the page
    (``view``: the crop's ``LineView``, when the caller has it)."""
    cleaned, offset = _erase_dot_leaders(view or LineView(crop))
    return _flatten_glare(cleaned), offset


# A glare patch (a lamp's highlight on a card's laminate) blends part of a line towards
# white: there the paper is near white and the ink a pale grey, often paler than the paper
# beside the patch, so a recognizer (and Tesseract's one threshold) loses those letters.
# A line has such a patch when its paper, taken column by column, is near white in places
# and at least _GLARE_RISE grey levels darker elsewhere along it.
_GLARE_PAPER = 235
_GLARE_RISE = 40
_GLARE_MAX_GAIN = 8.0  # at most this much darkness is given back (noise grows with it)


def _flatten_glare(crop: np.ndarray) -> np.ndarray:
    """The crop with a glare patch across part of it undone: a highlight blends each pixel
    towards white by a share that the paper there shows (paper' = paper + (255 - paper) *
    share), so each column's darkness below white is scaled back by the line's own paper
    over that column's, and the ink under the patch is as dark as beside it. Any other
    crop (evenly lit, the lines of a page) is returned as it is."""
    h, w = crop.shape[:2]
    if h < 8 or w < 2 * h:
        return crop
    # the test looks at every 4th column of one channel: a patch spans several letters
    sample = crop[:, ::4, 1] if crop.ndim == 3 else crop[:, ::4]
    if sample.max() < _GLARE_PAPER:
        return crop
    row = int(0.8 * (h - 1))
    coarse = np.partition(sample, row, axis=0)[row].astype(np.float32)[None, :]
    coarse = cv2.blur(coarse, (max(3, (h // 4) | 1), 1))[0]
    if coarse.max() < _GLARE_PAPER or coarse.max() - coarse.min() < _GLARE_RISE:
        return crop
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    k = max(3, h | 1)
    paper = np.percentile(gray, 80, axis=0).astype(np.float32)[None, :]
    paper = cv2.blur(paper, (k, 1))[0]
    ref = 255.0 - float(np.percentile(paper, 10))  # the line's paper away from the patch
    gain = ref / np.maximum(255.0 - paper, ref / _GLARE_MAX_GAIN)
    gain = np.maximum(gain, 1.0)
    out = 255.0 - (255.0 - crop.astype(np.float32)) * (
        gain[None, :, None] if crop.ndim == 3 else gain[None, :]
    )
    return np.clip(out, 0, 255).astype(np.uint8)


# Percentiles of a line crop's grey levels taken for its ink and its paper: ink covers well
# under a tenth of a text line's pixels' darkest end, the background most of the rest.
_INK_PERCENTILE = 2
_PAPER_PERCENTILE = 90
_MIN_CONTRAST = 24  # grey levels; below this the crop is blank, left as it is


def line_contrast(crop: np.ndarray) -> np.ndarray:
    """The crop in grey, its paper stretched to white and its ink to black: Tesseract
    thresholds a sheet of stacked lines once, and a line on a tinted background (a card's
    guilloche) turned black there (engine.tesseract_rec)."""
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    ink, paper = grey_percentiles(gray, (_INK_PERCENTILE, _PAPER_PERCENTILE))
    if paper - ink < _MIN_CONTRAST:
        return gray
    out = (gray.astype(np.float32) - float(ink)) * (255.0 / float(paper - ink))
    return np.clip(out, 0, 255).astype(np.uint8)
