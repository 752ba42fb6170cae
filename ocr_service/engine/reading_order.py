"""Reading order: rows top-to-bottom, left-to-right; a two-column block (a document's header
or signature block, an ID card's photo or QR column beside its fields) is read one column at
a time, and a row of signers' blocks one signer at a time, as Vietnamese administrative
documents and chip ID cards are laid out. Also where a detected line runs across the left
edge of a text column (two lines the detector joined)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

import numpy as np

__all__ = ["column_edges", "reading_order"]


class _Geom:
    """Each box's x and y extremes and means, computed once (the order looks at them many
    times)."""

    def __init__(self, boxes: Sequence[np.ndarray]) -> None:
        self.x0 = [float(b[:, 0].min()) for b in boxes]
        self.x1 = [float(b[:, 0].max()) for b in boxes]
        self.xm = [float(b[:, 0].mean()) for b in boxes]
        self.y0 = [float(b[:, 1].min()) for b in boxes]
        self.y1 = [float(b[:, 1].max()) for b in boxes]
        self.ym = [float(b[:, 1].mean()) for b in boxes]


def _rows(bx: _Geom, order: list[int]) -> list[list[int]]:
    """Group box indices into rows by vertical overlap: each box's middle lies within the
    other's span (a box made tall by a signature through it does not pull the next line
    into its row)."""
    rows: list[list[int]] = []
    spans: list[tuple[float, float]] = []
    for i in sorted(order, key=lambda k: bx.ym[k]):
        y0, y1 = bx.y0[i], bx.y1[i]
        cy = (y0 + y1) / 2
        if rows:
            r0, r1 = spans[-1]
            mutual = r0 <= cy <= r1 and y0 <= (r0 + r1) / 2 <= y1
            if mutual and min(y1, r1) - max(y0, r0) > 0.4 * min(y1 - y0, r1 - r0):
                rows[-1].append(i)
                spans[-1] = (min(r0, y0), max(r1, y1))
                continue
        rows.append([i])
        spans.append((y0, y1))
    for row in rows:
        row.sort(key=lambda k: bx.x0[k])
    return rows


_GUTTER_TOLERANCE = 0.025  # of the page width
# A column whose lines start this many line heights above the other column's is read whole
# first: on a card the other column is a photo or QR code with a caption under it.
_COLUMN_LEAD = 4.0


def _left_of(bx: _Geom, i: int, g: float) -> bool:
    return bx.xm[i] < g


class _Gutter:
    """The gutter of a growing run of rows (``add`` one row at a time): an x between 30% and
    70% of ``x0..x1`` that no line of the rows crosses (preferring one with lines on both
    sides); the one nearest the centre.

    Boxes are shrunk a little: a centred header block may poke past the gutter (a short word
    keeps its middle half). The candidates are a grid, plus just beside every box edge
    (boxes split from one detected line touch each other), nearest the centre first (ties:
    the grid first, then the edges in the order the boxes came). A crossed candidate stays
    crossed as rows are added, so the candidates still open are kept in that order and the
    open intervals the boxes cover are kept merged: each row costs a few bisections."""

    def __init__(self, bx: _Geom, x0: float, x1: float, tol: float) -> None:
        self.bx, self.tol = bx, tol
        self.lo, self.hi = x0 + 0.3 * (x1 - x0), x0 + 0.7 * (x1 - x0)
        self.centre = (x0 + x1) / 2
        self.starts: list[float] = []  # disjoint open intervals covered by boxes, sorted
        self.ends: list[float] = []
        self.min_b = float("inf")  # nearest right end and farthest left start of any box
        self.max_a = float("-inf")
        self.seq = 0
        self.open: list[tuple[float, int, float]] = []  # (distance to centre, seq, x)
        for v in np.linspace(self.lo, self.hi, 17):
            self._candidate(float(v))

    def _crossed(self, x: float) -> bool:
        k = bisect.bisect_left(self.starts, x) - 1
        return k >= 0 and x < self.ends[k]

    def _candidate(self, x: float) -> None:
        key = (abs(x - self.centre), self.seq, x)
        self.seq += 1
        if not self._crossed(x):
            bisect.insort(self.open, key)

    def add(self, row: list[int]) -> None:
        bx = self.bx
        spans = []
        for i in row:
            a, b = bx.x0[i], bx.x1[i]
            d = min(self.tol, 0.25 * (b - a))
            spans.append((a + d, b - d))
        for a, b in spans:
            self.min_b = b if b < self.min_b else self.min_b
            self.max_a = a if a > self.max_a else self.max_a
            if a < b:
                lo = bisect.bisect_right(self.ends, a)
                hi = bisect.bisect_left(self.starts, b)
                if lo < hi:
                    a, b = min(a, self.starts[lo]), max(b, self.ends[hi - 1])
                self.starts[lo:hi] = [a]
                self.ends[lo:hi] = [b]
        for a, b in spans:
            for v in (a - 0.5, b + 0.5):
                if self.lo <= v <= self.hi:
                    self._candidate(v)

    def gutter(self) -> float | None:
        fallback: float | None = None
        k = 0
        while k < len(self.open):
            x = self.open[k][2]
            if self._crossed(x):
                del self.open[k]
                continue
            if self.min_b <= x <= self.max_a:
                return x
            fallback = x if fallback is None else fallback
            k += 1
        return fallback


def _gutter(bx: _Geom, rows: list[list[int]], x0: float, x1: float, tol: float) -> float | None:
    """An x between 30% and 70% of ``x0..x1`` that no line of these rows crosses (preferring
    one with lines on both sides); the one nearest the centre (``_Gutter``)."""
    gz = _Gutter(bx, x0, x1, tol)
    for r in rows:
        gz.add(r)
    return gz.gutter()


def _row_span(bx: _Geom, row: list[int]) -> tuple[float, float]:
    return (min(bx.y0[i] for i in row), max(bx.y1[i] for i in row))


def _both_sides(bx: _Geom, row: list[int], g: float) -> bool:
    return any(_left_of(bx, i, g) for i in row) and any(not _left_of(bx, i, g) for i in row)


def _grow_zone(
    bx: _Geom,
    rows: list[list[int]],
    x0: float,
    x1: float,
    tol: float,
    line_h: float,
) -> tuple[int, float | None, int]:
    """From ``rows[0]``, the longest run of rows one gutter separates: (rows, gutter, rows
    with lines on both sides). A row with lines on one side only joins when it follows the
    previous row closely (same block spacing), so the body below a header is not swallowed;
    after the last two-sided row at most four such rows join."""
    best: tuple[int, float | None, int] = (1, None, 0)
    last_both = 0
    gz = _Gutter(bx, x0, x1, tol)
    counted_g: float | None = None  # the gutter the rows counted so far were split by
    counted = 0  # two-sided rows among rows[: n - 1] for that gutter
    for n in range(1, len(rows) + 1):
        gz.add(rows[n - 1])
        g = gz.gutter()
        if g is None:
            break
        both = _both_sides(bx, rows[n - 1], g)
        if n > 1 and not both:
            gap = _row_span(bx, rows[n - 1])[0] - _row_span(bx, rows[n - 2])[1]
            if gap > 1.2 * line_h:
                break
        if both:
            last_both = n
        elif last_both and n - last_both > 4:
            break
        if counted_g is None or g != counted_g:
            counted = sum(_both_sides(bx, r, g) for r in rows[: n - 1])
            counted_g = g
        counted += both
        best = (n, g, counted)
    return best


def _cell_spans(bx: _Geom, row: list[int], line_h: float) -> list[tuple[float, float, list[int]]]:
    """The row's cells left to right: (x0, x1, boxes), boxes less than a line height apart
    being one cell (a line the detector broke in two)."""
    cells: list[tuple[float, float, list[int]]] = []
    for k in sorted(row, key=lambda k: bx.x0[k]):
        a, b = bx.x0[k], bx.x1[k]
        if cells and a - cells[-1][1] < line_h:
            x0, x1, members = cells[-1]
            cells[-1] = (x0, max(x1, b), [*members, k])
        else:
            cells.append((a, b, [k]))
    return cells


def _cells(bx: _Geom, row: list[int], line_h: float) -> int:
    """Boxes of a row, those less than a line height apart counted as one (a line the
    detector broke in two)."""
    return len(_cell_spans(bx, row, line_h))


def _is_grid(zone: list[list[int]], bx: _Geom, g: float, line_h: float) -> bool:
    """The gutter does not part two columns but cells of rows: a table, or rows of short
    fields ("Giới tính: Nam   Dân tộc: Kinh   Quốc tịch: Việt Nam"), read row by row.

    A column has at most one cell in each row; the zone is two columns when both sides
    are, or when one side is and also runs on in rows the other side leaves empty."""

    def simple(side: bool) -> bool:
        return all(
            _cells(bx, [k for k in r if _left_of(bx, k, g) == side], line_h) <= 1 for r in zone
        )

    for side in (True, False):
        if not simple(side):
            continue
        if simple(not side):
            return False
        if any(_left_of(bx, r[0], g) == side for r in zone if not _both_sides(bx, r, g)):
            return False
    return True


# A signer's stack may leave this many line heights blank for the signature and seal.
_STACK_GAP = 8.0


def _stacks(bx: _Geom, rows: list[list[int]], line_h: float) -> tuple[int, list[list[int]]]:
    """A signature block of centred stacks from ``rows[0]``: (rows, stacks left to right),
    or (1, []) when there is none.

    Each cell of the first row is a heading ("Chồng", "Vợ", "TM. ỦY BAN NHÂN DÂN"); the
    cells of the rows below each lie under exactly one heading, centred on it (the hint,
    the signature, the signer's name), so each signer's block is read whole, one after the
    other. Two stacks at least must have lines under their headings, and stacks whose lines
    sit in the same rows throughout are a table's columns (read row by row), not signers."""
    heads = _cell_spans(bx, rows[0], line_h)
    if len(heads) < 2:
        return 1, []
    stacks = [list(members) for _, _, members in heads]
    levels: list[set[int]] = [set() for _ in heads]  # the rows where each stack has a line
    bottom = _row_span(bx, rows[0])[1]
    n = 1
    for row in rows[1:]:
        top, low = _row_span(bx, row)
        if top - bottom > _STACK_GAP * line_h:
            break
        placed: list[tuple[int, list[int]]] = []
        for a, b, members in _cell_spans(bx, row, line_h):
            under = [j for j, (h0, h1, _) in enumerate(heads) if a < h1 and h0 < b]
            if len(under) != 1:
                break
            h0, h1, _ = heads[under[0]]
            slack = 0.25 * max(b - a, h1 - h0) + 0.5 * line_h
            if abs((a + b) / 2 - (h0 + h1) / 2) > slack:
                break
            placed.append((under[0], members))
        else:
            for j, members in placed:
                stacks[j] += members
                levels[j].add(n)
            bottom = max(bottom, low)
            n += 1
            continue
        break
    filled = [lv for lv in levels if lv]
    if len(filled) < 2 or (len(filled) == len(heads) and all(lv == filled[0] for lv in filled)):
        return 1, []
    return n, stacks


def _extent(bx: _Geom, idx: list[int]) -> tuple[float, float]:
    return (
        min(bx.x0[i] for i in idx),
        max(bx.x1[i] for i in idx),
    )


def _order(
    bx: _Geom,
    idx: list[int],
    x0: float,
    x1: float,
    tol: float,
    line_h: float,
) -> list[int]:
    """Reading order of the boxes ``idx`` lying within ``x0..x1``; each column of a
    two-column block is ordered the same way (the captions under two fingerprint boxes)."""
    rows = _rows(bx, idx)
    order: list[int] = []
    i = 0
    while i < len(rows):
        n, g, n_both = _grow_zone(bx, rows[i:], x0, x1, tol, line_h)
        if g is None or n_both == 0:
            order += rows[i]
            i += 1
            continue
        zone = rows[i : i + n]
        first = next(k for k, r in enumerate(zone) if _both_sides(bx, r, g))
        left = [k for r in zone for k in r if _left_of(bx, k, g)]
        right = [k for r in zone for k in r if not _left_of(bx, k, g)]
        top_left, top_right = _row_span(bx, left)[0], _row_span(bx, right)[0]
        columns: list[list[int]] = []
        if abs(top_left - top_right) > _COLUMN_LEAD * line_h:
            # a column that starts well above the other (beside a photo) is read first
            columns = [left, right] if top_left < top_right else [right, left]
            if len(columns[1]) < 2 and n_both < 2:
                columns = []
        elif n_both >= 2 and not _is_grid(zone, bx, g, line_h):
            lead = [k for r in zone[:first] for k in r]
            order += lead  # a form code in the corner, above a header
            led = set(lead)
            columns = [[k for k in left if k not in led], [k for k in right if k not in led]]
        if not columns:
            n_stack, columns = _stacks(bx, rows[i:], line_h)
            if not columns:
                order += rows[i]
                i += 1
                continue
            n = n_stack
        i += n
        for col in columns:
            order += _order(bx, col, *_extent(bx, col), tol, line_h)
    return order


def reading_order(boxes: Sequence[np.ndarray], width: float) -> list[int]:
    """Indices of ``boxes`` (4×2 arrays) in reading order.

    Rows top-to-bottom, left-to-right; where two or more consecutive rows are split by one
    vertical gutter (a two-column header, two side-by-side columns, a signature block),
    one column is read before the other: the left one, unless the right one starts several
    lines higher (an ID card's fields beside its photo or QR code, whose caption comes
    last). Each column is ordered the same way in turn. A row of headings with lines
    centred under each (signers' blocks: "Chồng", "Vợ", "TM. ỦY BAN NHÂN DÂN", each with
    its signature and name) is read one heading's stack at a time, left to right.
    """
    if not boxes:
        return []
    line_h = float(np.median([float(np.ptp(b[:, 1])) for b in boxes]))
    return _order(
        _Geom(boxes), list(range(len(boxes))), 0.0, float(width), _GUTTER_TOLERANCE * width, line_h
    )


def column_edges(quads: Sequence[np.ndarray]) -> dict[int, float]:
    """Detected lines that run across the left edge of a text column: {index: x of the edge}.

    On the 2021 ID card the expiry date under the photo sits level with the residence field
    a word space away, and the detector joins the two into one line. An edge is an x where
    at least three lines within three line heights (some above, some below) start, a quarter
    line height apart at most; no nearby line crosses it, one ends left of it (the other
    column), and one of those starting there has nothing left of it in its row (the column
    runs beside a photo, not a row of field cells). The line must reach two line heights
    past the edge on both sides."""
    if not quads:
        return {}
    bbs = [
        (float(q[:, 0].min()), float(q[:, 0].max()), float(q[:, 1].min()), float(q[:, 1].max()))
        for q in quads
    ]
    h = float(np.median([b[3] - b[2] for b in bbs]))

    def same_row(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
        return min(a[3], b[3]) - max(a[2], b[2]) > 0.5 * min(a[3] - a[2], b[3] - b[2])

    edges: dict[int, float] = {}
    for i, line in enumerate(bbs):
        x0, x1, y0, y1 = line
        if x1 - x0 < 6 * h:
            continue
        near = [
            b
            for j, b in enumerate(bbs)
            if j != i and b[3] > y0 - 3 * h and b[2] < y1 + 3 * h and not same_row(b, line)
        ]
        for x in sorted({b[0] for b in near if x0 + 2 * h < b[0] < x1 - 2 * h}):
            starts = [b for b in near if abs(b[0] - x) < 0.25 * h]
            if (
                len(starts) >= 3
                and any(b[2] < y0 for b in starts)
                and any(b[2] > y0 for b in starts)
                and not any(b[0] < x - 0.5 * h < b[1] for b in near)
                and any(b[1] < x - 0.5 * h for b in near)
                and any(
                    not any(o[1] < x and same_row(o, b) for o in bbs if o is not b) for b in starts
                )
            ):
                edges[i] = x
                break
    return edges
