"""A second opinion on each line's tone marks: read twice, let a third reader break ties.

The line recognizer misreads Vietnamese tone marks now and then ("Thượng" → "Thương",
"Miếu" → "Miểu"), and which word it gets wrong changes with the crop: the same line read
from a crop padded above (room for the stacked marks of capitals) errs elsewhere or not at
all. So every line is read a second time from the padded crop; where the two readings
disagree, a different recognizer (Tesseract ``vie``) reads the line too and each word is
decided by majority. Lines where both readings agree cost nothing more.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ocr_service.engine.base import Recognition, Recognizer

__all__ = ["PAD_BOTTOM", "PAD_TOP", "vote_readings", "vote_words"]

# Measured on generated pages (bench/extract_eval subset): more than ~0.3 above shrinks the
# letters too much at the recognizer's fixed input height.
PAD_TOP = 0.15
PAD_BOTTOM = 0.05


def vote_words(first: str, second: str, third: str) -> str:
    """Word-by-word majority of three readings of one line; the first reading wins
    unless the other two agree on a different word at the same position. Readings that
    split the line into a different number of words are not comparable and get no vote."""
    a = first.split()
    b, c = second.split(), third.split()
    if len(b) != len(a) or len(c) != len(a):
        # one comparable alternative: take it only when it equals the third reading whole
        if " ".join(b) == " ".join(c) and b:
            return " ".join(b)
        return first
    out = [y if y == z and y != x else x for x, y, z in zip(a, b, c, strict=True)]
    return " ".join(out)


def vote_readings(
    first: list[Recognition],
    padded_crops: list[np.ndarray],
    recognizer: Recognizer,
    checker: Recognizer | None,
    clean: Callable[[np.ndarray], np.ndarray],
    tight_crops: list[np.ndarray],
) -> list[Recognition]:
    """``first`` (the tight crops' readings) revised by a padded re-read and, where those
    two disagree, by ``checker`` reading the tight crop."""
    if checker is None or not first:
        return first
    second = recognizer.recognize([clean(c) for c in padded_crops])
    unsure = [
        i
        for i, (r, s) in enumerate(zip(first, second, strict=True))
        if " ".join(r.text.split()) != " ".join(s.text.split())
    ]
    if not unsure:
        return first
    third = checker.recognize([clean(tight_crops[i]) for i in unsure])
    out = list(first)
    for i, t in zip(unsure, third, strict=True):
        text = vote_words(first[i].text, second[i].text, t.text)
        if text != first[i].text:
            out[i] = Recognition(text, first[i].confidence)
    return out
