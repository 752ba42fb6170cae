"""Word-level majority of three line readings (ocr_service.engine.vote)."""

from __future__ import annotations

import numpy as np

from ocr_service.engine.base import Recognition
from ocr_service.engine.vote import vote_readings, vote_words


def test_two_readings_outvote_the_first_word_by_word() -> None:
    first = "phường Văn Miểu, quận Đồng Đa"
    second = "phường Văn Miếu, quận Đồng Đa"
    third = "phường Văn Miếu, quận Đống Đa"
    # Miếu: second and third agree; Đồng/Đống: no majority against the first
    assert vote_words(first, second, third) == "phường Văn Miếu, quận Đồng Đa"


def test_first_reading_kept_when_the_others_disagree_or_do_not_align() -> None:
    assert vote_words("Thôn Thương", "Thôn Thượng", "Thôn Thưởng") == "Thôn Thương"
    assert vote_words("Anh Mạnh", "Anh M ạnh", "Anh Manh") == "Anh Mạnh"
    # the two others agree on the whole line with another word count: take it
    assert vote_words("Nguyễn Vănn A", "Nguyễn Văn An", "Nguyễn Văn An") == "Nguyễn Văn An"


class _Fixed:
    name = "fixed"

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.calls = 0

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        self.calls += 1
        return [Recognition(t, 0.9) for t in self.texts[: len(crops)]]


def test_checker_only_reads_the_lines_where_the_two_readings_differ() -> None:
    crops = [np.zeros((4, 4, 3), np.uint8)] * 2
    first = [Recognition("ĐẦU TỪ", 0.98), Recognition("Hà Nội", 0.99)]
    second = _Fixed(["ĐẦU TƯ", "Hà Nội"])
    checker = _Fixed(["ĐẦU TƯ"])
    out = vote_readings(first, crops, second, checker, lambda c: c, crops)
    assert [r.text for r in out] == ["ĐẦU TƯ", "Hà Nội"]
    assert out[0].confidence == 0.98
    assert checker.calls == 1
    # no checker: the first readings unchanged, no second read
    again = _Fixed(["x", "y"])
    assert vote_readings(first, crops, again, None, lambda c: c, crops) == first
    assert again.calls == 0
