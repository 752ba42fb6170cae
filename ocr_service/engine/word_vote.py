"""Tesseract reads every line; asterocr re-reads only the words Tesseract doubts.

Tesseract ``vie`` reads a page's lines in one process for about a third of asterocr's CPU
time, and its word confidence says where it went wrong: on the tuning pages (samples
002, 005 and 009 of every type) a confidence below 0.93 flagged 13.6% of the words and
82% of the wrong ones, most of them tone marks ("NGUYÊN" for "NGUYỄN"). Each doubtful
word is cut out of the page and read by asterocr from a tight crop, and again from one
padded above (room for stacked marks, see ``engine.vote``) only when the first asterocr
reading differs from Tesseract's in marks alone; the majority of the readings wins. Reading
a word costs asterocr a fraction of reading its line.

Two kinds of doubtful word are not asterocr's to judge. A mark without a letter or digit
("-" of the motto, "/" of a bilingual card label) cut out alone is a sliver that asterocr
reads as letters ("Ơl", "-_"): on samples 001-010 it changed 82 such marks, none for the
better, so they keep Tesseract's reading. And a reading that is Tesseract's minus its first
letter (the tight crop's edge) or minus the "i" of an "fi" ligature (asterocr reads the
ligature glyph as "f": "fnger") is asterocr losing a glyph, not finding a tone mark.

What it cannot catch: the other 18% of Tesseract's wrong words carry a confidence of 0.93
or more, and they are tone marks too ("HÔI" for "HỘI", "Thú" for "Thủ", "Manh" for
"Mạnh"). This is still the default, at half the CPU of asterocr reading every line (and
the same CER on the evaluation set); where such a slip lands in a field that then differs from the register only in diacritics, the
pipeline reads its lines again the slow way (``engine.reread``). ``SOHOA_RECOGNIZER=
asterocr`` reads every line that way.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from core.normalize import fold_keep_case, is_syllable
from ocr_service.engine.base import LineWord, Recognition, Recognizer
from ocr_service.engine.crops import crop_quad, sub_quad
from ocr_service.engine.vote import PAD_BOTTOM, PAD_TOP

__all__ = ["DOUBT_BELOW", "decide_word", "revise_doubtful_words"]

DOUBT_BELOW = 0.93
# From this confidence up, a word asterocr is not asked about unless it is a syllable in
# lower case (``_worth_rereading``).
_SURE_UNLESS_LOWER_CASE = 0.90
# each side of a word's box, in line heights: a glyph's edges without the neighbour's
_MARGIN = 0.12


def _word_quad(
    quad: np.ndarray, crop: np.ndarray, offset: int, word: LineWord
) -> np.ndarray | None:
    """The part of a line's quad under ``word`` (read on the cleaned crop that starts
    ``offset`` px into ``crop``), with a small margin; None when it cannot be mapped."""
    h, w = crop.shape[:2]
    if h > 1.5 * w:  # a vertical line: crop_quad turned it; positions don't map back
        return None
    x0 = max(0.0, word.x0 + offset - _MARGIN * h)
    x1 = min(float(w), word.x1 + offset + _MARGIN * h)
    if x1 - x0 < 0.3 * h:
        return None
    return sub_quad(quad, x0 / w, x1 / w)


def _is_mark(text: str) -> bool:
    """Punctuation or a symbol: nothing asterocr can read from a crop of it alone."""
    return not any(c.isalnum() for c in text)


def _lost_a_glyph(tess: str, reading: str) -> bool:
    """``reading`` is ``tess`` minus its first letter or minus the "i" of an "fi"."""
    if len(tess) > 1 and tess[0].isalnum() and reading == tess[1:]:
        return True
    return any(
        reading == tess[: i + 1] + tess[i + 2 :]
        for i in range(len(tess) - 1)
        if tess[i : i + 2] == "fi"
    )


# Look-alike letters and digits: asterocr, read on one word cut out of its line, has no
# context to tell them apart ("CT07" read "CTO7").
_LOOK_ALIKE = str.maketrans("0OoIl1", "000111")


def _swapped_look_alikes(tess: str, reading: str) -> bool:
    """``reading`` differs from ``tess`` only by 0/O and 1/I/l swaps."""
    return reading != tess and reading.translate(_LOOK_ALIKE) == tess.translate(_LOOK_ALIKE)


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def _other_lone_letter(tess: str, reading: str) -> bool:
    """Tesseract read one letter and ``reading`` is another letter, not the same one with
    other marks ("Ạ" read "C"): a glyph cut out alone has no context to tell which letter it
    is, and asterocr is asked for tone marks, not for that."""
    t, r = _letters(tess), _letters(reading)
    return (
        len(t) == 1
        and t.isalpha()
        and len(r) == 1
        and r.isalpha()
        and fold_keep_case(t) != fold_keep_case(r)
    )


def _caught_neighbour(tess: str, reading: str) -> bool:
    """``reading`` is Tesseract's letters plus letters where Tesseract saw only marks at the
    word's edge ("quán:......" read "quán:...T"): the crop's margin caught the next (or
    previous) word's first glyph, which that word reads itself."""
    t, r = _letters(tess), _letters(reading)
    if not t or len(r) <= len(t):
        return False
    ends_in_marks = not tess[-1].isalnum() and r.startswith(t) and r[len(t) :].isalpha()
    opens_with_marks = not tess[0].isalnum() and r.endswith(t) and r[: -len(t)].isalpha()
    return ends_in_marks or opens_with_marks


def _marks_for_letters(tess: str, reading: str) -> bool:
    """``reading`` holds no letter or digit where Tesseract read some ("I.," read "]"):
    asterocr saw a sliver, not the word. A single glyph Tesseract read as a letter is
    another matter: a mark's stroke is read as one ("/" between a card's label and its
    gloss read "Í"), so there the mark stands."""
    return len(tess.strip()) > 1 and bool(_letters(tess)) and not _letters(reading)


def _no_syllable_for_one(tess: str, reading: str) -> bool:
    """Tesseract's letters make a Vietnamese syllable and ``reading``'s cannot be one (no
    vowel, "HC"; a stop with a tone no stop carries, "Viễt"): no word is spelt that way."""
    t, r = _letters(tess), _letters(reading)
    return t.isalpha() and r.isalpha() and is_syllable(t) and not is_syllable(r)


def _lost_the_number(tess: str, reading: str) -> bool:
    """Tesseract read a syllable glued to a number ("Ngày11", "tháng12": OCR dropped the
    space between a label and its value) and ``reading`` keeps fewer than half its digits
    ("M"): asterocr, asked to settle marks, lost the number that is the value (one digit
    lost or read otherwise beside others it fixed still counts). A word of letters alone
    (leader dots Tesseract made letters of) is not this case: there a shorter reading is
    often the right one."""
    m = re.fullmatch(r"([^\W\d_]+)(\d+)|(\d+)([^\W\d_]+)", _letters(tess))
    if m is None:
        return False
    word, digits = m.group(1) or m.group(4), m.group(2) or m.group(3)
    kept = sum(c.isdigit() for c in reading)
    return len(word) > 1 and is_syllable(word) and 2 * kept < len(digits)


def _has_vote(tess: str, reading: str) -> bool:
    """A reading that is not one word, that only lost a glyph of Tesseract's or the number
    glued to its word, only swapped look-alike letters and digits, made a lone letter
    another letter, took in a glyph of the next word, spelt no syllable where Tesseract
    read one or read only marks where Tesseract read letters gets no vote."""
    a = reading.strip()
    return (
        bool(a)
        and " " not in a
        and not _lost_a_glyph(tess, a)
        and not _lost_the_number(tess, a)
        and not _swapped_look_alikes(tess, a)
        and not _other_lone_letter(tess, a)
        and not _caught_neighbour(tess, a)
        and not _no_syllable_for_one(tess, a)
        and not _marks_for_letters(tess, a)
    )


def _worth_rereading(word: LineWord, doubt_below: float) -> bool:
    """Whether asterocr should read ``word`` again: Tesseract doubts it (confidence below
    ``doubt_below``) and it holds a letter or digit. Nearly sure (0.90 up), only a syllable
    in lower case (or with a capital initial) is: there asterocr's re-read of Tesseract's
    tone marks helps, while on a word in capitals it moves marks wrongly ("CHỨNG" read
    "CHÚNG", "TRẠNG" "TRANG") and a non-syllable (an English gloss, a number) it leaves as
    it was or spoils. On the generated pages (seed 3) asterocr changed 6 such capital
    syllables for the worse and 1 for the better, on the real letters with a text layer 5
    and 2; the words skipped are about a third of its re-reading."""
    if word.confidence >= doubt_below or _is_mark(word.text):
        return False
    if word.confidence < _SURE_UNLESS_LOWER_CASE:
        return True
    letters = _letters(word.text)
    return letters.isalpha() and not letters.isupper() and is_syllable(letters)


def decide_word(tess: str, tight: str, padded: str) -> str:
    """Majority of three readings of one word; when all differ, the tight asterocr reading
    (the better reader of tone marks), unless it spells no Vietnamese syllable and the
    padded one does. A tight reading without a vote (``_has_vote``) leaves Tesseract's."""
    a, b = tight.strip(), padded.strip()
    if not _has_vote(tess, a):
        return tess
    if a == b or tess not in (a, b):
        if a != b and _alone_spells_a_syllable(b, a) and _has_vote(tess, b):
            return b
        return a
    return tess


def _alone_spells_a_syllable(reading: str, other: str) -> bool:
    """``reading``'s letters make a Vietnamese syllable and ``other``'s (letters too) do not."""
    r, o = _letters(reading), _letters(other)
    return r.isalpha() and o.isalpha() and is_syllable(r) and not is_syllable(o)


def _marks_only(tess: str, reading: str) -> bool:
    """``reading`` spells Tesseract's letters and differs from them in marks alone (tone
    marks, a hat, a horn, the stroke of "đ"): the question the padded crop (room above for
    stacked marks, ``engine.vote``) is read to settle. A reading with other letters is
    asterocr's own: on the 35 real files of ``bench.real_eval`` a padded read overturned such
    a reading 17 times in 304 (and one with marks alone 27 times in 262); on the pages
    with a transcript (``bench.ocr_eval``) taking it unread lost 2 of 155 words there."""
    return fold_keep_case(tess) == fold_keep_case(reading.strip())


def revise_doubtful_words(
    image: np.ndarray,
    quads: list[np.ndarray],
    raw: list[np.ndarray],
    offsets: list[int],
    words: list[list[LineWord]],
    reader: Recognizer,
    clean: Callable[[np.ndarray], np.ndarray],
    doubt_below: float = DOUBT_BELOW,
) -> list[Recognition]:
    """Each line's reading after the doubtful words were read again by ``reader``.

    ``raw`` are the line crops cut from ``image`` by ``quads``; ``words`` were read on
    the cleaned crops, which start ``offsets`` pixels into ``raw``."""
    jobs: list[tuple[int, int, np.ndarray]] = []
    tight: list[np.ndarray] = []
    for i, (quad, crop, offset, line) in enumerate(zip(quads, raw, offsets, words, strict=True)):
        for j, word in enumerate(line):
            if not _worth_rereading(word, doubt_below):
                continue
            part = _word_quad(quad, crop, offset, word)
            if part is None:
                continue
            jobs.append((i, j, part))
            tight.append(clean(crop_quad(image, part)))
    texts = [[w.text for w in line] for line in words]
    confs = [[w.confidence for w in line] for line in words]
    first = reader.recognize(tight)
    # asterocr's readings that disagree with Tesseract (agreement is a majority) and have a
    # vote (else Tesseract's stands whatever it reads); the padded crop is read only for
    # those that differ from Tesseract's in marks alone (``_marks_only``), and a reading
    # with other letters stands as its own second reading
    split = [
        k
        for k, (job, a) in enumerate(zip(jobs, first, strict=True))
        if a.text.strip() != texts[job[0]][job[1]] and _has_vote(texts[job[0]][job[1]], a.text)
    ]
    marks = [k for k in split if _marks_only(texts[jobs[k][0]][jobs[k][1]], first[k].text)]
    padded = reader.recognize(
        [clean(crop_quad(image, jobs[k][2], pad=PAD_TOP, pad_bottom=PAD_BOTTOM)) for k in marks]
    )
    second = {k: first[k].text for k in split} | {
        k: b.text for k, b in zip(marks, padded, strict=True)
    }
    for k in split:
        i, j, _ = jobs[k]
        chosen = decide_word(texts[i][j], first[k].text, second[k])
        if chosen != texts[i][j]:
            texts[i][j] = chosen
            confs[i][j] = first[k].confidence
    return [
        Recognition(" ".join(t), float(np.mean(c)) if c else 0.0)
        for t, c in zip(texts, confs, strict=True)
    ]
