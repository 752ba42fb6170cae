"""Reading order: rows top-to-bottom, left-to-right; a two-column header (or signature)
block is read left block first, then right block, as Vietnamese administrative documents
are laid out (agency name on the left, national motto on the right)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["reading_order"]


def _rows(boxes: Sequence[np.ndarray], order: list[int]) -> list[list[int]]:
    """Group box indices into rows by vertical overlap."""
    rows: list[list[int]] = []
    spans: list[tuple[float, float]] = []
    for i in sorted(order, key=lambda k: float(boxes[k][:, 1].mean())):
        y0, y1 = float(boxes[i][:, 1].min()), float(boxes[i][:, 1].max())
        cy = (y0 + y1) / 2
        if rows:
            r0, r1 = spans[-1]
            if r0 <= cy <= r1 and min(y1, r1) - max(y0, r0) > 0.4 * min(y1 - y0, r1 - r0):
                rows[-1].append(i)
                spans[-1] = (min(r0, y0), max(r1, y1))
                continue
        rows.append([i])
        spans.append((y0, y1))
    for row in rows:
        row.sort(key=lambda k: float(boxes[k][:, 0].min()))
    return rows


_GUTTER_TOLERANCE = 0.025  # of the page width


def _left_of(box: np.ndarray, g: float) -> bool:
    return float(box[:, 0].mean()) < g


def _gutter(boxes: Sequence[np.ndarray], rows: list[list[int]], width: float) -> float | None:
    """An x between 30% and 70% of the width that no line of these rows crosses (preferring
    one with lines on both sides); the one nearest the centre."""
    # Boxes are shrunk a little: a centred header block may poke past the gutter.
    tol = _GUTTER_TOLERANCE * width
    lefts = [
        (float(boxes[i][:, 0].min()) + tol, float(boxes[i][:, 0].max()) - tol)
        for r in rows
        for i in r
    ]
    fallback: float | None = None
    # candidates: a grid, plus just beside every box edge (boxes split from one detected
    # line touch each other), nearest the centre first
    grid = [f * width for f in np.linspace(0.3, 0.7, 17)]
    edges = [v for x0, x1 in lefts for v in (x0 - 0.5, x1 + 0.5) if 0.3 * width <= v <= 0.7 * width]
    for x in sorted(grid + edges, key=lambda v: abs(v - width / 2)):
        if any(x0 < x < x1 for x0, x1 in lefts):
            continue
        if any(x1 <= x for _, x1 in lefts) and any(x0 >= x for x0, _ in lefts):
            return x
        fallback = x if fallback is None else fallback
    return fallback


def _row_span(boxes: Sequence[np.ndarray], row: list[int]) -> tuple[float, float]:
    return (
        min(float(boxes[i][:, 1].min()) for i in row),
        max(float(boxes[i][:, 1].max()) for i in row),
    )


def _both_sides(boxes: Sequence[np.ndarray], row: list[int], g: float) -> bool:
    return any(_left_of(boxes[i], g) for i in row) and any(not _left_of(boxes[i], g) for i in row)


def _grow_zone(
    boxes: Sequence[np.ndarray], rows: list[list[int]], width: float, line_h: float
) -> tuple[int, float | None, int]:
    """From ``rows[0]``, the longest run of rows one gutter separates: (rows, gutter, rows
    with lines on both sides). A row with lines on one side only joins when it follows the
    previous row closely (same block spacing), so the body below a header is not swallowed."""
    best: tuple[int, float | None, int] = (1, None, 0)
    last_both = 0
    for n in range(1, len(rows) + 1):
        chunk = rows[:n]
        g = _gutter(boxes, chunk, width)
        if g is None:
            break
        both = _both_sides(boxes, chunk[-1], g)
        if n > 1 and not both:
            gap = _row_span(boxes, chunk[-1])[0] - _row_span(boxes, chunk[-2])[1]
            if gap > 1.2 * line_h:
                break
        if both:
            last_both = n
        elif n - last_both > 4:
            break
        n_both = sum(_both_sides(boxes, r, g) for r in chunk)
        best = (n, g, n_both)
    return best


def reading_order(boxes: Sequence[np.ndarray], width: float) -> list[int]:
    """Indices of ``boxes`` (4×2 arrays) in reading order.

    Rows top-to-bottom, left-to-right; where two or more consecutive rows are split by one
    vertical gutter (a two-column header, two side-by-side columns, a signature block),
    the left block is read before the right block.
    """
    if not boxes:
        return []
    rows = _rows(boxes, list(range(len(boxes))))
    heights = [float(np.ptp(b[:, 1])) for b in boxes]
    line_h = float(np.median(heights))
    order: list[int] = []
    i = 0
    while i < len(rows):
        n, g, n_both = _grow_zone(boxes, rows[i:], width, line_h)
        if g is not None and n_both >= 2:
            # rows above the block's first two-sided row (a form code in the corner) come first
            while not _both_sides(boxes, rows[i], g):
                order += rows[i]
                i += 1
                n -= 1
            zone = rows[i : i + n]
            order += [k for r in zone for k in r if _left_of(boxes[k], g)]
            order += [k for r in zone for k in r if not _left_of(boxes[k], g)]
            i += n
        else:
            order += rows[i]
            i += 1
    return order
