"""Draws of daily sequence numbers, in a light module that spawned test processes import fast."""

from __future__ import annotations

import threading
from datetime import date

from storage.db import session_scope
from storage.sequences import next_daily_sequence

__all__ = ["AGENCY", "DAY", "draw", "draw_in_threads"]

AGENCY = "000.00.00.Z99"
DAY = date(2026, 11, 23)


def draw(url: str, count: int, agency: str = AGENCY) -> list[int]:
    """``count`` numbers, one transaction each (as one dossier each)."""
    out = []
    for _ in range(count):
        with session_scope(url) as s:
            out.append(next_daily_sequence(s, agency_code=agency, day=DAY))
    return out


def draw_in_threads(url: str, threads: int, count: int) -> list[int]:
    results: list[list[int]] = [[] for _ in range(threads)]

    def run(i: int) -> None:
        results[i] = draw(url, count)

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    return [n for r in results for n in r]
