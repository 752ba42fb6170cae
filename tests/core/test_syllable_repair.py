"""Impossible Vietnamese syllables repaired by spelling rules (core.normalize)."""

from __future__ import annotations

import pytest

from core.normalize import is_syllable, normalize_address, normalize_name, repair_syllable


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("Nguyễnn", "Nguyễn"),  # a letter read twice
        ("Hiệpp", "Hiệp"),
        ("Quyềt", "Quyết"),  # huyền on a -t syllable cannot be
        ("Giồc", "Giốc"),
        ("Bảch", "Bách"),
    ],
)
def test_impossible_syllables_repaired(read: str, fixed: str) -> None:
    assert repair_syllable(read) == fixed


@pytest.mark.parametrize(
    "word", ["Quyết", "Mạnh", "Thị", "Hoàng", "Đoòng", "TNHH", "Lắk", "Thuỷ", "12A", "Sơn", "Lập"]
)
def test_valid_or_foreign_words_unchanged(word: str) -> None:
    assert repair_syllable(word) == word


def test_names_and_places_use_the_repair() -> None:
    assert normalize_name("NGUYỄNN TRỌNG QUYỀT") == "Nguyễn Trọng Quyết"
    assert normalize_address("phường Hiệpp Thành, quận 12") == "phường Hiệp Thành, quận 12"


def test_lone_leader_letter_after_a_name_dropped() -> None:
    assert normalize_name("Vũ Hồng Hiền U") == "Vũ Hồng Hiền"


@pytest.mark.parametrize("word", ["Quậ", "NẴ", "lă", "Cầ"])
def test_an_open_short_vowel_is_no_syllable(word: str) -> None:
    # "ă" and "â" are closed by a consonant ("ăn", "Quận") or a glide ("cây", "đậu")
    assert not is_syllable(word)


@pytest.mark.parametrize("word", ["Quận", "cây", "đậu", "Nẵng", "ăn", "CÂU"])
def test_closed_short_vowels_are_syllables(word: str) -> None:
    assert is_syllable(word)
