"""Signatures read as text are told from printed lines."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ocr_service.engine.scribble_filter import (
    has_word,
    is_scribble,
    joined_strokes,
    reads_as_words,
)

# how Tesseract read the spouses' signatures on generated marriage certificates
SCRIBBLE_READINGS = [
    "CLLbLlK",
    "(Leskbbdr",
    "LLLbllK",
    "LAAAk",
    "CLLRUL",
    "HautgwW",
    "LLLALL LL",
    "xbkkk",
    "LAAL",
    "Qkx",
    "LLLLLK",
    "A/AAM,",
    "LLKKUK",
    "LAA44k",
    ".3 cLLbtk",
    "LAs4y4",
    "LLAK",
    "AL",
]


@pytest.mark.parametrize("text", SCRIBBLE_READINGS)
def test_signature_readings_hold_no_word(text: str) -> None:
    assert not has_word(text)


@pytest.mark.parametrize(
    "text",
    [
        "Personal identification",
        "Date of expiry",
        "Right index finger",
        "DIRECTOR GENERAL OF THE POLICE DEPARTMENT",
        "IDVNM0852489660034085248966<<<",
        "NGUYEN<<KIM<CHAU<<<<",
        "9209046F3209044VNM<<<<<<<<<<<4",
        "CT07 123",
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "Số: 123/QĐ-UBND",
        "Hoàng Ngọc Phúc",
        "NGHIÊNG",
        "khuyên",
        "Ngô Thị",
        "(Ký, ghi rõ",
        "ý ghi rõ họ tên, đóng",
        "079090748814",
        "strengths",
        "of",
        # a misread word in a line of words: the line is text
        "Nguyễn Thị CLLbLlK",
    ],
)
def test_printed_text_holds_a_word(text: str) -> None:
    assert has_word(text)


def test_a_vietnamese_syllable_has_one_nucleus_and_one_tone_mark_at_most() -> None:
    assert has_word("Thị") and has_word("khuyến")
    assert not has_word("Thịị")  # a letter twice in the nucleus
    assert not has_word("hóà")  # two tone marks


def _printed(text: str = "Hoang Ngoc Phuc", underline: bool = False) -> np.ndarray:
    img = np.full((60, 420, 3), 255, np.uint8)
    cv2.putText(img, text, (8, 40), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (20, 20, 20), 2)
    if underline:
        cv2.line(img, (8, 52), (400, 52), (20, 20, 20), 2)
    return img


def _signature() -> np.ndarray:
    img = np.full((90, 320, 3), 255, np.uint8)
    xs = np.linspace(10, 300, 80)
    ys = 45 + 25 * np.sin(xs / 9.0) + 8 * np.cos(xs / 23.0)
    pts = np.stack([xs, ys], axis=1).astype(np.int32).reshape(-1, 1, 2)
    cv2.polylines(img, [pts], False, (40, 30, 30), 3)
    return img


def test_a_cursive_stroke_is_joined_and_printed_letters_are_not() -> None:
    assert joined_strokes(_signature())
    assert not joined_strokes(_printed())
    assert not joined_strokes(_printed(underline=True))  # a straight rule is no stroke
    assert not joined_strokes(np.full((5, 100, 3), 0, np.uint8))  # too thin to tell


def test_a_scribble_needs_doubt_no_word_and_joined_ink() -> None:
    sig = _signature()
    assert is_scribble("CLLbLlK", 0.74, sig)
    assert not is_scribble("CLLbLlK", 0.95, sig)  # read confidently
    assert not is_scribble("Hoàng Ngọc Phúc", 0.74, sig)
    assert not is_scribble("CLLbLlK", 0.74, _printed("CLLbLlK"))


# a card's title or number read doubtfully, and what a seal or a signature reads as
TITLES_AND_NUMBERS = [
    "GIẤY CHỨNG MINH NHÂN DÂN",
    "gIẤY CHỨNG MINH NHÂN ĐÂN",  # a blurred title's case misread
    "Căn Cước Công DÂN",
    "IDENTITY CARD",
    "Số: 012345678",
    "số 001234567890",
]
FRAGMENTS = [
    *SCRIBBLE_READINGS,
    "ĐNnHO Ay19",  # a seal's ring text in fragments
    "NVG NVHN HNIW dnnh3",  # a title read upside down
    "Lâ",  # one word alone: a seal's stray letters read as one
    "© —",
    "Số 12",
]


@pytest.mark.parametrize(
    ("text", "words"), [(t, True) for t in TITLES_AND_NUMBERS] + [(t, False) for t in FRAGMENTS]
)
def test_a_title_or_a_number_reads_as_words_and_fragments_do_not(text: str, words: bool) -> None:
    assert reads_as_words(text) is words
