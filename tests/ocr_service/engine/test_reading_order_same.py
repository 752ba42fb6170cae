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
