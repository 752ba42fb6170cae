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


def _gutter(boxes: Sequence[np.ndarray], rows: list[list[int]], width: float) -> float | None:
    """An x between 30% and 70% of the width that no line of these rows crosses (preferring
    one with lines on both sides); the one nearest the centre."""
    lefts = [(float(boxes[i][:, 0].min()), float(boxes[i][:, 0].max())) for r in rows for i in r]
    fallback: float | None = None
    for frac in np.linspace(0.5, 0.3, 9).tolist() + np.linspace(0.5, 0.7, 9).tolist():
        x = frac * width
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


def _split_zone(
    boxes: Sequence[np.ndarray], rows: list[list[int]], width: float, from_top: bool
) -> tuple[list[int], int]:
    """Find the run of rows at the top (or bottom) that forms a two-column block; return its
    indices read left block then right block, and how many rows it used.

    The block grows row by row while one gutter separates all its lines; a row with lines
    on one side only joins when it follows the previous row closely (same block spacing),
    so the body below a header is not swallowed.
    """
    seq = rows if from_top else rows[::-1]
    best: tuple[list[int], int] = ([], 0)
    heights = [float(np.ptp(boxes[i][:, 1])) for r in seq for i in r]
    line_h = float(np.median(heights)) if heights else 0.0
    last_both = 0
    for n in range(1, len(seq) + 1):
        chunk = seq[:n]
        g = _gutter(boxes, chunk, width)
        if g is None:
            break
        row = chunk[-1]
        both = any(boxes[i][:, 0].max() <= g for i in row) and any(
            boxes[i][:, 0].min() >= g for i in row
        )
        if n > 1:
            a0, a1 = _row_span(boxes, chunk[-2])
            b0, b1 = _row_span(boxes, row)
            gap = (b0 - a1) if from_top else (a0 - b1)
            if not both and gap > 1.2 * line_h:
                break
        if both:
            last_both = n
        elif n - last_both > 3:
            break
        if last_both == 0:
            continue
        ordered = chunk if from_top else chunk[::-1]
        left = [i for r in ordered for i in r if boxes[i][:, 0].max() <= g]
        right = [i for r in ordered for i in r if boxes[i][:, 0].min() >= g]
        best = (left + right, n)
    return best


def reading_order(boxes: Sequence[np.ndarray], width: float) -> list[int]:
    """Indices of ``boxes`` (4×2 arrays) in reading order."""
    if not boxes:
        return []
    rows = _rows(boxes, list(range(len(boxes))))
    head, n_head = _split_zone(boxes, rows, width, from_top=True)
    rest = rows[n_head:]
    tail, n_tail = _split_zone(boxes, rest, width, from_top=False) if len(rest) >= 2 else ([], 0)
    middle = rest[: len(rest) - n_tail]
    return head + [i for r in middle for i in r] + tail
