"""Whether a page is running prose (a letter, a decision, a law page) rather than a form.

A form is a title and labelled fill-in lines ("Họ, chữ đệm, tên: …"); a letter or a legal
text is long lines of sentences, numbered articles ("Điều 3.", "Khoản 2") and the frame of
an addressed letter ("Kính gửi", "V/v", "Nơi nhận", "Căn cứ"). A page of prose that names
a card or a certificate is about it, not it: the classifier (classifiers.classify) takes
such a page for ``other`` unless the form's cues outweigh the prose. The decision uses the
layout (how long the lines run across the text column) and the content together, never
one keyword.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from classifiers.text_lines import LayoutLine, compact

__all__ = ["ProseCues", "prose_cues"]

# "Label: value" or "1. Label: …" (a fill-in line): a short label before a colon.
_LABELLED = re.compile(r"^\s*(?:[0-9IVX]{1,3}[.)]\s*|[a-zđ][.)]\s*)?[^\W\d][^:：]{1,40}[:：]")
# Sentence punctuation inside or at the end of a line.
_SENTENCE = re.compile(r"[.;,]\s+\S|[.;]\s*$")
# The frame of an official letter or a legal text (folded, punctuation-free ``compact``).
_LETTER_FRAME = (
    re.compile(r"^kinh gui\b"),
    re.compile(r"^noi nhan\b"),
    re.compile(r"^v v\b"),
    re.compile(r"^can cu\b"),
    re.compile(r"^dieu \d{1,3}\b"),
    re.compile(r"^khoan \d{1,2}\b"),
    re.compile(r"^chuong [ivx0-9]{1,5}\b"),
    re.compile(r"^luu vt\b"),
    re.compile(r"^nhu tren\b"),
)
# A line of prose runs across most of the text column and holds a sentence's worth of words.
_PROSE_WIDTH = 0.6
_PROSE_WORDS = 8


@dataclass(frozen=True)
class ProseCues:
    """Counts of a page's lines that speak for prose and for a form."""

    lines: int
    prose: int  # long lines of running text
    labelled: int  # "Label: value" fill-in lines
    frame: int  # lines that open with a letter's or a legal text's frame words

    @property
    def is_prose(self) -> bool:
        """Prose dominates: many long running lines and few fill-in lines, or the frame of
        a letter and more running lines than fill-in lines."""
        if self.lines == 0:
            return False
        mostly_running = self.prose >= 6 and self.prose >= 2 * self.labelled
        framed = self.frame >= 2 and self.prose >= 3 and self.prose > self.labelled
        return mostly_running or framed


def prose_cues(lines: Sequence[LayoutLine]) -> ProseCues:
    """Count the lines of ``lines`` (one page) that are running prose, fill-in lines, and
    the frame of a letter."""
    if not lines:
        return ProseCues(0, 0, 0, 0)
    x0 = min(ln.x0 for ln in lines)
    x1 = max(ln.x1 for ln in lines)
    column = max(1.0, x1 - x0)
    prose = labelled = frame = 0
    for ln in lines:
        text = ln.text.strip()
        words = len(text.split())
        is_labelled = bool(_LABELLED.match(text))
        labelled += is_labelled
        c = compact(text)[0]
        frame += any(p.match(c) for p in _LETTER_FRAME)
        long_line = (ln.x1 - ln.x0) >= _PROSE_WIDTH * column and words >= _PROSE_WORDS
        if long_line and not is_labelled and (_SENTENCE.search(text) or words >= 12):
            prose += 1
    return ProseCues(len(lines), prose, labelled, frame)
