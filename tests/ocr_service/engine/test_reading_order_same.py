"""The indexed reading order (``engine.reading_order``) gives exactly the order the plain
loops gave (``_reading_order_reference``, the module as it was) on random synthetic layouts:
columns, tables, tilted and overlapping boxes, a header over two columns, signers' stacks."""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np
import pytest

from ocr_service.engine.reading_order import column_edges, reading_order
from tests.ocr_service.engine import _reading_order_reference as reference

W = 1240.0


def _box(x0: float, y0: float, x1: float, y1: float, tilt: float = 0.0) -> np.ndarray:
    return np.array(
        [[x0, y0], [x1, y0 + tilt], [x1, y1 + tilt], [x0, y1]],
        dtype=np.float32,
    )


def _jitter(rng: random.Random, v: float, s: float) -> float:
    return v + rng.uniform(-s, s)


def _column(rng: random.Random, x0: float, x1: float, y: float, n: int) -> list[np.ndarray]:
    out = []
    h = rng.uniform(16, 34)
    for _ in range(n):
        right = _jitter(rng, x1, (x1 - x0) * 0.3)
        out.append(_box(_jitter(rng, x0, 6), y, max(right, x0 + 20), y + h))
        y += h * rng.uniform(1.1, 2.2)
    return out


def _columns(rng: random.Random, n: int) -> list[np.ndarray]:
    k = rng.randint(1, 3)
    cw = W / k
    per = max(1, n // k)
    return [
        b
        for c in range(k)
        for b in _column(rng, c * cw + 30, (c + 1) * cw - 30, rng.uniform(40, 200), per)
    ][:n]


def _grid(rng: random.Random, n: int) -> list[np.ndarray]:
    cols = rng.randint(2, 7)
    cw = W / cols
    h = rng.uniform(14, 30)
    out = []
    for i in range(n):
        r, c = divmod(i, cols)
        if rng.random() < 0.1:
            continue  # an empty cell
        x0 = c * cw + rng.uniform(2, cw * 0.3)
        x1 = (c + 1) * cw - rng.uniform(2, cw * 0.4)
        y0 = 60 + r * h * 1.4 + rng.uniform(-3, 3)
        out.append(_box(x0, y0, x1, y0 + h))
    return out


def _tilted(rng: random.Random, n: int) -> list[np.ndarray]:
    return [
        _box(b[:, 0].min(), b[:, 1].min(), b[:, 0].max(), b[:, 1].max(), rng.uniform(-15, 15))
        for b in rng.choice([_columns, _grid])(rng, n)
    ]


def _overlapping(rng: random.Random, n: int) -> list[np.ndarray]:
    out = []
    for _ in range(n):
        x0, y0 = rng.uniform(0, W * 0.9), rng.uniform(0, 1700)
        out.append(_box(x0, y0, x0 + rng.uniform(5, 600), y0 + rng.uniform(5, 80)))
    return out


def _header_two_columns(rng: random.Random, n: int) -> list[np.ndarray]:
    head = rng.randint(1, 4)
    left = _column(rng, 60, 460, 50, head)
    right = _column(rng, 620, 1160, 48, head + rng.randint(-1, 1) or 1)
    title = [_box(300, 300, 900, 340)]
    body = _column(rng, 60, 1160, 380, max(0, n - len(left) - len(right) - 1))
    return left + right + title + body


def _signers(rng: random.Random, n: int) -> list[np.ndarray]:
    k = rng.randint(2, 3)
    cw = W / k
    body = _column(rng, 60, 1160, 50, max(0, n - 4 * k))
    y = 80 + (float(body[-1][:, 1].max()) if body else 0.0)
    out = list(body)
    for c in range(k):
        mid = (c + 0.5) * cw
        for j, (w, dy) in enumerate([(300, 0), (220, 40), (150, 200), (260, 260)]):
            if j and rng.random() < 0.2:
                continue
            hw = _jitter(rng, w, 30) / 2
            out.append(_box(mid - hw, y + dy, mid + hw, y + dy + 26))
    return out


def _card(rng: random.Random, n: int) -> list[np.ndarray]:
    photo = _column(rng, 40, 300, rng.uniform(300, 500), rng.randint(1, 3))
    fields = _column(rng, 360, 1200, rng.uniform(40, 120), max(1, n - len(photo)))
    return photo + fields


def _near_centre(rng: random.Random, n: int) -> list[np.ndarray]:
    """Short boxes on whole coordinates around the middle: gutter candidates tie."""
    out = []
    for i in range(n):
        x0 = float(rng.randrange(0, int(W), 5))
        w = float(rng.choice([10, 20, 40, 80, 300]))
        if rng.random() < 0.5:
            x0 = float(rng.randrange(int(W * 0.25), int(W * 0.75), 5))
        y0 = 50.0 + 30 * (i // rng.randint(1, 4))
        out.append(_box(x0, y0, x0 + w, y0 + 20))
    return out


def _touching(rng: random.Random, n: int) -> list[np.ndarray]:
    """On a page 1200 wide (gutter candidates every 30 from 360 to 840, boxes shrunk by 30),
    boxes on multiples of 30 at least 120 wide: shrunk boxes touch each other and the
    candidates exactly."""
    out = []
    for i in range(n):
        x0 = 30.0 * rng.randrange(0, 36)
        x1 = min(1200.0, x0 + 30.0 * rng.randrange(4, 20))
        y0 = 50.0 + 30 * (i // rng.randint(1, 5))
        out.append(_box(x0, y0, x1, y0 + 20))
    return out


def _mixed(rng: random.Random, n: int) -> list[np.ndarray]:
    out: list[np.ndarray] = []
    y = 0.0
    while len(out) < n:
        part = rng.choice(_LAYOUTS[:-1])(rng, rng.randint(1, max(1, n - len(out))))
        for b in part:
            b[:, 1] += y
        out += part
        y = max([float(b[:, 1].max()) for b in out], default=0.0) + rng.uniform(10, 200)
    return out[:n]


_LAYOUTS: list[Callable[[random.Random, int], list[np.ndarray]]] = [
    _columns,
    _grid,
    _tilted,
    _overlapping,
    _header_two_columns,
    _signers,
    _card,
    _near_centre,
    _touching,
    _mixed,
]


def _layout(seed: int) -> tuple[list[np.ndarray], float]:
    rng = random.Random(seed)
    n = rng.choice([1, 1, 2, 3, rng.randint(4, 40), rng.randint(40, 400)])
    layout = rng.choice(_LAYOUTS)
    boxes = layout(rng, n)
    if rng.random() < 0.2:  # rounded coordinates: ties between edges, rows, gutters
        boxes = [np.round(b / 10) * 10 for b in boxes]
    rng.shuffle(boxes)
    if layout is _touching:
        return boxes, 1200.0
    return boxes, W if seed % 3 else rng.uniform(600, 2000)


def test_empty_and_single_line_are_as_before() -> None:
    assert reading_order([], W) == reference.reading_order([], W) == []
    one = [_box(10, 10, 200, 30)]
    assert reading_order(one, W) == reference.reading_order(one, W) == [0]


@pytest.mark.parametrize("chunk", range(10))
def test_reading_order_is_exactly_the_old_one_on_random_layouts(chunk: int) -> None:
    for seed in range(chunk * 40, chunk * 40 + 40):
        boxes, width = _layout(seed)
        assert reading_order(boxes, width) == reference.reading_order(boxes, width), seed


def test_column_edges_is_unchanged() -> None:
    for seed in range(60):
        boxes, _ = _layout(seed)
        assert column_edges(boxes) == reference.column_edges(boxes), seed


def _quad(x0: float, x1: float, ys: tuple[float, float, float, float]) -> np.ndarray:
    """A box with its own y at each corner (top-left, top-right, bottom-right, bottom-left):
    a detector's quad need not be a parallelogram, so its corners' mean (the order's sort
    key) and the middle of its extent (the row test's) can differ."""
    return np.array([[x0, ys[0]], [x1, ys[1]], [x1, ys[2]], [x0, ys[3]]], dtype=np.float32)


# Boxes touching exactly where the row test compares with "<=". Each case joins the two
# boxes into one row only on the equality (read left to right: 1 before 0), as two rows
# otherwise (0 before 1).
_ROW_BOUNDARIES = {
    # the new box's middle exactly at the row's top: a quad with a corner pulled up, whose
    # corners' mean (10) sorts it after the row's box while its middle (0) is the row's top
    "middle-at-row-top": [_box(400, 0, 700, 20), _quad(100, 300, (-30, 10, 30, 30))],
    # the row's middle exactly at the new box's bottom: the row's box a quad with a corner
    # pulled down (extent 0-100, middle 50; corners' mean 30), the new box 12-50
    "row-middle-at-bottom": [_quad(400, 700, (0, 0, 20, 100)), _box(100, 12, 300, 50)],
    # the new box's middle exactly at the row's bottom, the row's middle at its top
    "middle-at-row-bottom": [_box(400, 0, 700, 20), _box(100, 10, 300, 30)],
}


@pytest.mark.parametrize("case", sorted(_ROW_BOUNDARIES))
def test_boxes_touching_a_row_boundary_exactly_are_ordered_as_before(case: str) -> None:
    boxes = _ROW_BOUNDARIES[case]
    assert reading_order(boxes, W) == reference.reading_order(boxes, W) == [1, 0]


# A gutter candidate exactly at the nearest (shrunk) right end of the lines on its left, or at
# the farthest (shrunk) left start of those on its right, counts as having lines on both
# sides: on a page 1000 wide (candidates every 25 from 300 to 700, boxes shrunk by 25 at most)
# the centre, 500, is the gutter, and a box under a pixel wide beside it (crossing the
# column's own edge candidate, half a pixel out) falls on the other side of the next
# candidate. Two rows; on the small box's side the first row has two cells, so the rows are a
# table's and read row by row (with the next candidate, two columns).
_GUTTER_BOUNDARIES = {
    # the left column's lines end (shrunk) at 500; the small box, 500-500.8, lies right of it
    "at-left-lines-end": [
        _box(100, 0, 525, 20),
        _box(500, 0, 500.8, 20),
        _box(600, 0, 900, 20),
        _box(100, 40, 525, 60),
        _box(600, 40, 900, 60),
    ],
    # the right column's lines start (shrunk) at 500; the small box, 499.2-500, lies left of it
    "at-right-lines-start": [
        _box(100, 0, 400, 20),
        _box(499.2, 0, 500, 20),
        _box(475, 0, 900, 20),
        _box(100, 40, 400, 60),
        _box(475, 40, 900, 60),
    ],
}


@pytest.mark.parametrize("case", sorted(_GUTTER_BOUNDARIES))
def test_a_gutter_touching_a_column_exactly_is_chosen_as_before(case: str) -> None:
    boxes = _GUTTER_BOUNDARIES[case]
    by_rows = sorted(range(len(boxes)), key=lambda k: (boxes[k][0, 1], boxes[k][0, 0]))
    assert reading_order(boxes, 1000.0) == reference.reading_order(boxes, 1000.0) == by_rows


def test_a_column_edge_with_exactly_three_lines_starting_on_it_is_found_as_before() -> None:
    """Three lines start at x 500 round a line the detector joined across it (two above its
    row's neighbour, one below), the fewest that make an edge."""
    boxes = [
        _box(100, 100, 900, 120),  # the joined line, across the edge
        _box(500, 50, 800, 70),
        _box(100, 50, 400, 70),  # the other column, ending left of the edge
        _box(500, 140, 800, 160),
        _box(500, 165, 800, 185),
    ]
    assert column_edges(boxes) == reference.column_edges(boxes) == {0: 500.0}
    assert column_edges(boxes[:-1]) == reference.column_edges(boxes[:-1]) == {}
