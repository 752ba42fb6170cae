"""Shared helpers for understanding tests: an in-memory register, PageText from rows."""

from __future__ import annotations

from collections.abc import Iterable

from core.records import OcrLine, PageText, PersonRecord


class MemoryRegister:
    """A PopulationRegister in a dict (the Protocol, without a database)."""

    def __init__(self, rows: Iterable[PersonRecord] = ()) -> None:
        self.rows = {r.id_number: r for r in rows}

    def get(self, id_number: str) -> PersonRecord | None:
        return self.rows.get(id_number)

    def upsert(self, rows: Iterable[PersonRecord]) -> int:
        n = 0
        for r in rows:
            self.rows[r.id_number] = r
            n += 1
        return n


def page_from_rows(
    rows: list[tuple[float, float, str]],
    *,
    page: int = 1,
    height: float = 40,
    char_w: float = 18,
    width: int = 2480,
    page_height: int = 3508,
    confidence: float = 0.97,
) -> PageText:
    """A page whose lines are ``(x, y, text)``; box width grows with the text length."""
    lines = []
    for x, y, text in rows:
        x1 = x + char_w * len(text)
        lines.append(
            OcrLine(text, ((x, y), (x1, y), (x1, y + height), (x, y + height)), confidence)
        )
    return PageText(page, width, page_height, lines)
