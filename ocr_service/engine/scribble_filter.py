"""Signatures read as text: a doubted line whose ink runs in joined strokes and whose
reading holds no word.

A signer's scribble in dark ink passes the coloured-line filter, and the recognizer reads
it as letters ("CLLbLlK", "LLAK", "xbkkk") with middling confidence. Three signs together
tell it from print: the recognizer doubts it; its ink runs in a stroke far wider than
any printed letter (straight rules, such as an underline, left aside); and not one of
its words could be a word: no Vietnamese syllable, no English-looking word, no number.
"""

from __future__ import annotations

import re
import string
import unicodedata

import cv2
import numpy as np

__all__ = ["has_word", "is_scribble", "joined_strokes", "reads_as_words"]

# A line read with more doubt than this may be a scribble; printed lines read above it.
_MAX_CONFIDENCE = 0.9
# An ink stroke this many line heights wide is handwriting: printed letters are about one.
_STROKE_WIDTH = 2.0

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng
# (initial consonant)(vowel nucleus, one to three letters)(final consonant)
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"(?P<nucleus>[aăâeêioôơuưy]{1,3})(?:ch|ng|nh|[cmnpt])?"
)
_LETTERS = re.compile(r"[^\W\d_]+")
_NUMBER = re.compile(r"\d{3}")
_PUNCTUATION = string.punctuation + "–—“”‘’…"
# English words of two letters are a closed class; longer ones are judged by their shape.
_ENGLISH_PAIRS = {
    "am",
    "an",
    "as",
    "at",
    "be",
    "by",
    "do",
    "go",
    "he",
    "if",
    "in",
    "is",
    "it",
    "me",
    "my",
    "no",
    "of",
    "on",
    "or",
    "so",
    "to",
    "up",
    "us",
    "we",
}
_ENGLISH_ONSET = 3  # consonants before the first vowel at most ("str", "sch")
_ENGLISH_CONSONANTS = 5  # consonants in a row at most ("ngths")


def _well_cased(word: str) -> bool:
    """All lower case, all capitals, or a capital then lower case: no "LlK", no "LAs"."""
    return word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())


def _is_syllable(word: str) -> bool:
    """A Vietnamese syllable: its letters fit (initial)(nucleus)(final), the nucleus has no
    letter twice in a row, and it carries one tone mark at most."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(c in _TONES for c in decomposed) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    m = _SYLLABLE.fullmatch(bare)
    return m is not None and all(
        a != b for a, b in zip(m["nucleus"], m["nucleus"][1:], strict=False)
    )


def _looks_english(word: str) -> bool:
    """A word English could have: a vowel, no more than ``_ENGLISH_ONSET`` consonants before
    it nor ``_ENGLISH_CONSONANTS`` in a row anywhere, no letter three times in a row, no
    doubled first letter and no "aa"."""
    w = word.lower()
    if not w.isascii():
        return False
    if len(w) == 2:
        return w in _ENGLISH_PAIRS
    first_vowel = next((i for i, c in enumerate(w) if c in "aeiouy"), None)
    return (
        first_vowel is not None
        and first_vowel <= _ENGLISH_ONSET
        and w[0] != w[1]
        and "aa" not in w
        and not re.search(r"(.)\1\1", w)
        and max(len(run) for run in re.split("[aeiouy]+", w)) <= _ENGLISH_CONSONANTS
    )


def has_word(text: str) -> bool:
    """``text`` holds something a printed line would: a well-cased word of two letters or
    more that is a Vietnamese syllable or looks English, or a number of three digits."""
    if _NUMBER.search(text):
        return True
    return any(
        len(w) >= 2 and _well_cased(w) and (_is_syllable(w) or _looks_english(w))
        for w in _LETTERS.findall(text)
    )


def reads_as_words(text: str) -> bool:
    """Every token of ``text``, the punctuation at its ends aside, is a word, and there are
    two or more: a Vietnamese syllable in any case (a blurred title's case is misread), a
    well-cased word that looks English, or a number of three digits or more. Print read
    doubtfully still reads so ("GIẤY CHỨNG MINH NHÂN DÂN", "Số: 012345678"); a seal's ring
    text or a signature reads as fragments and stray letters."""
    tokens = [t for t in (t.strip(_PUNCTUATION) for t in text.split()) if t]
    return len(tokens) >= 2 and all(_is_word(t) for t in tokens)


def _is_word(token: str) -> bool:
    if token.isdigit():
        return len(token) >= 3
    return (
        len(token) >= 2
        and token.isalpha()
        and (_is_syllable(token) or (_well_cased(token) and _looks_english(token)))
    )


def joined_strokes(crop: np.ndarray) -> bool:
    """The line's ink holds a stroke wider than ``_STROKE_WIDTH`` line heights (cursive
    handwriting: printed letters stand apart), once straight horizontal rules are gone."""
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    h = gray.shape[0]
    if h < 8:
        return False
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, int(_STROKE_WIDTH * h)), np.uint8))
    ink = cv2.subtract(ink, rules)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return n > 1 and int(stats[1:n, cv2.CC_STAT_WIDTH].max()) > _STROKE_WIDTH * h


def is_scribble(text: str, confidence: float, crop: np.ndarray) -> bool:
    """A signature read as text: doubted, drawn in joined strokes, and holding no word."""
    return confidence < _MAX_CONFIDENCE and not has_word(text) and joined_strokes(crop)
