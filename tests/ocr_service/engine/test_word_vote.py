"""Tesseract first, asterocr on the words it doubts (ocr_service.engine.word_vote)."""

from __future__ import annotations

import numpy as np
import pytest

from ocr_service.engine.base import LineWord, Recognition
from ocr_service.engine.word_vote import decide_word, revise_doubtful_words


def test_majority_of_three_readings_of_a_word() -> None:
    # both asterocr readings agree against Tesseract
    assert decide_word("NGUYÊN", "NGUYỄN", "NGUYỄN") == "NGUYỄN"
    # Tesseract agrees with one of them
    assert decide_word("Thượng", "Thương", "Thượng") == "Thượng"
    # all differ: the tight asterocr reading
    assert decide_word("Miểu", "Miếu", "Mieu") == "Miếu"
    # asterocr read nothing, or more than the word (a neighbour's letters): no vote
    assert decide_word("Lan.", "", "Lan") == "Lan."
    assert decide_word("Lan", "Lan Ng", "Lan") == "Lan"


class _Reader:
    name = "fake"

    def __init__(self, text: str) -> None:
        self.text = text
        self.widths: list[int] = []

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        self.widths += [c.shape[1] for c in crops]
        return [Recognition(self.text, 0.97) for _ in crops]


def test_only_doubtful_words_are_read_again_from_their_own_part_of_the_line() -> None:
    image = np.full((100, 400, 3), 255, np.uint8)
    quad = np.array([[0, 40], [400, 40], [400, 80], [0, 80]], np.float32)
    crop = image[40:80]
    words = [
        LineWord("Họ", 0, 60, 0.99),
        LineWord("NGUYÊN", 100, 220, 0.62),
        LineWord("Lan", 260, 320, 0.97),
    ]
    reader = _Reader("NGUYỄN")
    out = revise_doubtful_words(image, [quad], [crop], [0], [words], reader, lambda c: c)
    assert [r.text for r in out] == ["Họ NGUYỄN Lan"]
    # one word read twice (tight and padded), each crop the word plus a small margin
    assert len(reader.widths) == 2
    assert all(120 <= w <= 135 for w in reader.widths)
    assert out[0].confidence == np.mean([0.99, 0.97, 0.97])


def test_confident_lines_cost_no_second_reading() -> None:
    image = np.full((60, 200, 3), 255, np.uint8)
    quad = np.array([[0, 10], [200, 10], [200, 50], [0, 50]], np.float32)
    reader = _Reader("x")
    words = [[LineWord("Kinh", 10, 90, 0.96)]]
    out = revise_doubtful_words(image, [quad], [image[10:50]], [0], words, reader, lambda c: c)
    assert [r.text for r in out] == ["Kinh"] and reader.widths == []


def test_no_padded_reading_when_asterocr_agrees_with_tesseract() -> None:
    image = np.full((60, 200, 3), 255, np.uint8)
    quad = np.array([[0, 10], [200, 10], [200, 50], [0, 50]], np.float32)
    reader = _Reader("Kinh")
    words = [[LineWord("Kinh", 10, 90, 0.55)]]
    out = revise_doubtful_words(image, [quad], [image[10:50]], [0], words, reader, lambda c: c)
    assert [r.text for r in out] == ["Kinh"] and len(reader.widths) == 1


def test_a_reading_that_only_lost_a_glyph_of_tesseracts_gets_no_vote() -> None:
    # the crop's edge cut the first letter; the "fi" ligature read as "f"
    assert decide_word("Hạnh", "ạnh", "ạnh") == "Hạnh"
    assert decide_word("finger", "fnger", "fnger") == "finger"
    assert decide_word("identification:", "identifcation:", "identifcation:") == "identification:"
    # a tone mark found is still a tone mark found, and a stray mark still goes
    assert decide_word("Seo", "Sẹo", "Sẹo") == "Sẹo"
    assert decide_word("'Tô", "Tô", "Tô") == "Tô"


@pytest.mark.parametrize(
    ("tess", "tight", "chosen"),
    [
        # OCR dropped the space between a label and its number; asterocr read the crop "M"
        ("Ngày23", "M", "Ngày23"),
        ("tháng12", "thang", "tháng12"),
        # the number kept, a mark or a digit settled (one lost beside it), still counts
        ("Ngay23", "Ngày23", "Ngày23"),
        ("Ngày28", "Ngày29", "Ngày29"),
        ("12/05/2028.ê", "12/05/2029ê", "12/05/2029ê"),
        ("đến1205/2028", "đến12M52029", "đến12M52029"),
        # leader dots Tesseract read as a word may go for marks: no number was glued to it
        ("Rang", '"0', '"0'),
    ],
)
def test_a_reading_that_lost_the_number_glued_to_its_word_gets_no_vote(
    tess: str, tight: str, chosen: str
) -> None:
    assert decide_word(tess, tight, tight) == chosen


def test_a_lone_mark_is_not_read_again() -> None:
    # the motto's hyphen cut out alone reads as letters ("Ơl"): Tesseract's "-" stays
    image = np.full((60, 300, 3), 255, np.uint8)
    quad = np.array([[0, 10], [300, 10], [300, 50], [0, 50]], np.float32)
    reader = _Reader("Ơl")
    words = [
        [LineWord("lập", 10, 60, 0.95), LineWord("-", 80, 90, 0.92), LineWord("Tự", 110, 150, 0.97)]
    ]
    out = revise_doubtful_words(image, [quad], [image[10:50]], [0], words, reader, lambda c: c)
    assert [r.text for r in out] == ["lập - Tự"] and reader.widths == []


def test_a_reading_that_only_swaps_look_alike_letters_and_digits_gets_no_vote() -> None:
    assert decide_word("CT07", "CTO7", "CTO7") == "CT07"
    assert decide_word("I1", "11", "11") == "I1"
    assert decide_word("NGUYÊN", "NGUYỄN", "NGUYỄN") == "NGUYỄN"  # a tone mark still counts


def test_no_padded_reading_when_the_tight_one_has_no_vote() -> None:
    # "CTO7" only swaps look-alikes of Tesseract's "CT07": Tesseract's stands, so the
    # padded crop is not read at all
    image = np.full((60, 200, 3), 255, np.uint8)
    quad = np.array([[0, 10], [200, 10], [200, 50], [0, 50]], np.float32)
    reader = _Reader("CTO7")
    words = [[LineWord("CT07", 10, 90, 0.55)]]
    out = revise_doubtful_words(image, [quad], [image[10:50]], [0], words, reader, lambda c: c)
    assert [r.text for r in out] == ["CT07"] and len(reader.widths) == 1


def test_a_lone_letter_read_as_another_letter_gets_no_vote() -> None:
    # a glyph cut out alone: asterocr may fix its marks, not say which letter it is
    assert decide_word("Ọ", "D.", "D.") == "Ọ"
    assert decide_word("Ọ", "O", "O") == "O"
    # one letter for another in a longer word is a reading like any other
    assert decide_word("Bo", "Bơ", "Bo") == "Bo"
    assert decide_word("Bo", "Bơ", "Bơ") == "Bơ"


def test_a_reading_of_marks_only_gets_no_vote_on_letters() -> None:
    assert decide_word("I.,", "]", "B") == "I.,"
    assert decide_word("I.,", "1,", "]") == "1,"
    # a single glyph read as a letter may be a mark's stroke: the mark stands
    assert decide_word("Í", "/", "/") == "/"


def test_a_reading_that_spells_no_syllable_gets_no_vote_on_one() -> None:
    # no vowel; a stop carrying ngã (only sắc and nặng go with -p, -t, -c, -ch)
    assert decide_word("HỒ", "HC", "HC") == "HỒ"
    assert decide_word("Mật", "Mẫt", "Mẫt") == "Mật"
    # a syllable for a syllable, and a syllable for no syllable, still vote
    assert decide_word("Mật", "Mắt", "Mắt") == "Mắt"
    assert decide_word("Mẫt", "Mật", "Mật") == "Mật"
    assert decide_word("UBND", "UBNĐ", "UBNĐ") == "UBNĐ"
    # "ă" and "â" are always closed by a consonant or a glide: "QUẬ" is "QUÂN" that lost its end
    assert decide_word("QUÂN", "QUẬ", "QUẬ") == "QUÂN"
    assert decide_word("CÂN", "CẬN", "CẬN") == "CẬN"


def test_a_reading_that_took_in_the_next_words_glyph_gets_no_vote() -> None:
    # Tesseract saw dots after the label; the crop's margin caught the value's first letter
    assert decide_word("tịch:.....", "tịch:...V", "tịch:V") == "tịch:....."
    assert decide_word("...ngày", "Lngày", "Lngày") == "...ngày"
    # a digit for a dot is the word's own glyph, and marks alone still count
    assert decide_word(".9", "19", "19") == "19"
    assert decide_word("sinh:...", "sinh:", "sinh:") == "sinh:"


def test_when_all_three_differ_a_syllable_beats_no_syllable() -> None:
    # Tesseract's is no syllable either, so the tight reading has its vote; the padded one
    # alone spells a word
    assert decide_word("Hgc", "Hộgc", "Hộc") == "Hộc"
    assert decide_word("Hgc", "Hộc", "Hốc") == "Hộc"  # both syllables: the tight one


def test_a_nearly_sure_word_is_read_again_only_as_a_lower_case_syllable() -> None:
    # at 0.90-0.93 asterocr is asked about "Thủa" (a syllable in lower case), not about a
    # word in capitals ("CHỨNG"), an English gloss ("birth:") or a number; below 0.90 all are
    image = np.full((60, 700, 3), 255, np.uint8)
    quad = np.array([[0, 10], [700, 10], [700, 50], [0, 50]], np.float32)
    reader = _Reader("Ba")
    sure = [
        LineWord("CHỨNG", 10, 100, 0.91),
        LineWord("birth:", 130, 220, 0.91),
        LineWord("2023", 250, 330, 0.91),
        LineWord("Thủa", 360, 440, 0.91),
    ]
    revise_doubtful_words(image, [quad], [image[10:50]], [0], [sure], reader, lambda c: c)
    # "Thủa" alone ("Ba" has other letters: no padded read)
    assert len(reader.widths) == 1
    doubtful = [LineWord(w.text, w.x0, w.x1, 0.85) for w in sure]
    reader = _Reader("Ba")
    revise_doubtful_words(image, [quad], [image[10:50]], [0], [doubtful], reader, lambda c: c)
    assert len(reader.widths) == 4


class _ByHeight:
    """Reads a tight crop (at most ``tight_height`` px high) as ``tight`` and a padded one as
    ``padded``."""

    name = "fake"

    def __init__(self, tight: str, padded: str, tight_height: int = 45) -> None:
        self.tight, self.padded, self.tight_height = tight, padded, tight_height
        self.heights: list[int] = []

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        self.heights += [c.shape[0] for c in crops]
        return [
            Recognition(self.tight if c.shape[0] <= self.tight_height else self.padded, 0.9)
            for c in crops
        ]


def _revise(tess: str, reader: _ByHeight) -> str:
    image = np.full((100, 200, 3), 255, np.uint8)
    quad = np.array([[0, 40], [200, 40], [200, 80], [0, 80]], np.float32)
    words = [[LineWord(tess, 10, 90, 0.55)]]
    return revise_doubtful_words(image, [quad], [image[40:80]], [0], words, reader, lambda c: c)[
        0
    ].text


def test_the_padded_crop_is_read_only_to_settle_marks() -> None:
    # other letters than Tesseract's: asterocr's reading stands, the padded crop unread
    reader = _ByHeight("Lam", "Lan")
    assert _revise("Lan", reader) == "Lam" and len(reader.heights) == 1
    # marks alone: the padded crop is read, and siding with Tesseract keeps its reading
    reader = _ByHeight("Lán", "Lan")
    assert _revise("Lan", reader) == "Lan" and len(reader.heights) == 2
    reader = _ByHeight("Lán", "Lán")
    assert _revise("Lan", reader) == "Lán" and len(reader.heights) == 2
