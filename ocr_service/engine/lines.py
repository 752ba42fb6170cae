"""The steps of reading a page's text lines, in the order ``OcrEngine.read`` takes them.

grow the boxes → cut the lines out (split where the detector joined two, rows of dots
dropped, each crop cleaned) → recognize (with the second reader's opinion on tone marks) →
tidy the text (fixed misreads, seal text and signatures dropped, the motto split off) →
put the lines in reading order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from core.records import OcrLine
from ocr_service.engine.base import Recognition, Recognizer, WordReader
from ocr_service.engine.colour import is_colour_line
from ocr_service.engine.crops import (
    LineView,
    clean_line,
    clean_line_at,
    crop_quad,
    is_dot_row,
    pad_quad,
    split_at_column,
    split_point,
    split_wide_gaps,
)
from ocr_service.engine.reading_order import column_edges, reading_order
from ocr_service.engine.scribble_filter import is_scribble, reads_as_words
from ocr_service.engine.text_fixes import tidy_line
from ocr_service.engine.vote import PAD_BOTTOM, PAD_TOP, vote_readings
from ocr_service.engine.word_vote import revise_doubtful_words

__all__ = [
    "FoundLine",
    "LineCrop",
    "cut_lines",
    "grow_boxes",
    "in_reading_order",
    "is_kept_by_colour",
    "recognize_lines",
    "split_motto",
    "tidy_readings",
]


@dataclass(frozen=True)
class LineCrop:
    """One line to read: its box on the page, the crop cut by it, and that crop cleaned for
    the recognizer, which starts ``offset`` px into ``raw`` (leaders trimmed off the left)."""

    quad: np.ndarray
    raw: np.ndarray
    clean: np.ndarray
    offset: int


@dataclass(frozen=True)
class FoundLine:
    """A line of text kept: its box on the page, its tidied text and the reading's
    confidence."""

    quad: np.ndarray
    text: str
    confidence: float


def grow_boxes(quads: list[np.ndarray], pad: float) -> list[np.ndarray]:
    """Each box grown by ``pad`` of its height above and below (the int8 detector's boxes
    are a little tight); the boxes themselves when ``pad`` is 0."""
    if not pad:
        return quads
    return [pad_quad(q, pad, pad) for q in quads]


def cut_lines(image: np.ndarray, quads: list[np.ndarray]) -> list[LineCrop]:
    """The lines under ``quads`` cut out of ``image``: a box the detector ran across a text
    column's edge or across a wide gap is split first; a row of dots alone (a dotted rule,
    a leader boxed apart) is dropped, having nothing to read; each crop is cleaned (seals
    faded, dot leaders erased)."""
    # a line that is not split keeps its first crop (one perspective warp per line)
    # and its views made once (``LineView``) for the splits, the dot-row test and the cleaning
    split: list[np.ndarray] = []
    views: list[LineView] = []
    edges = column_edges(quads)
    for k, q in enumerate(quads):
        view = LineView(crop_quad(image, q))
        crop = view.crop
        parts = split_at_column(crop, q, edges[k], view=view) if k in edges else [q]
        if len(parts) == 1:
            parts = split_wide_gaps(crop, q, view=view)
        if len(parts) == 1 and parts[0] is q:
            split.append(q)
            views.append(view)
        else:
            split.extend(parts)
            views.extend(LineView(crop_quad(image, part)) for part in parts)
    lines = []
    for q, v in zip(split, views, strict=True):
        if is_dot_row(v.crop, view=v):
            continue
        cleaned, offset = clean_line_at(v.crop, view=v)
        lines.append(LineCrop(q, v.crop, cleaned, offset))
    return lines


def recognize_lines(
    image: np.ndarray,
    lines: list[LineCrop],
    recognizer: Recognizer,
    second_reader: Recognizer | None,
) -> list[Recognition]:
    """Each line read by ``recognizer``, with ``second_reader``'s opinion on tone marks when
    there is one: a recognizer that reads words (``WordReader``) has its doubtful words read
    again (``engine.word_vote``); any other has each line read a second time from a crop
    padded above, ``second_reader`` breaking the ties (``engine.vote``)."""
    quads = [line.quad for line in lines]
    raw = [line.raw for line in lines]
    crops = [line.clean for line in lines]
    if second_reader is not None and isinstance(recognizer, WordReader):
        words = recognizer.read_words(crops)
        offsets = [line.offset for line in lines]
        return revise_doubtful_words(image, quads, raw, offsets, words, second_reader, clean_line)
    readings = recognizer.recognize(crops)
    if second_reader is None:
        return readings
    padded = [crop_quad(image, q, pad=PAD_TOP, pad_bottom=PAD_BOTTOM) for q in quads]
    return vote_readings(readings, padded, recognizer, second_reader, clean_line, raw)


# A line drawn in colour is kept only when read at least this surely: a coloured title is
# read confidently, a seal's ring text or a signature in colour is read as junk.
_MIN_COLOUR_LINE_CONFIDENCE = 0.9
# ... or, read at least this surely, when it reads as words (``reads_as_words``): a small
# blurred card's red title or number is read at 0.74-0.87, and still as words.
_MIN_COLOUR_WORDS_CONFIDENCE = 0.7
# A page more than this share of whose lines are drawn in colour is printed in colour (a
# card back's blue print): there colour is no sign of a seal or a signature.
_PRINTED_IN_COLOUR = 0.5


def is_kept_by_colour(raw: np.ndarray, reading: Recognition) -> bool:
    """Whether a line's reading passes the test of colour on a page printed in black
    (``_passes_colour``; ``raw`` is the line's crop before cleaning)."""
    return _passes_colour(tidy_line(reading.text), reading.confidence, is_colour_line(raw))


def _passes_colour(text: str, confidence: float, drawn_in_colour: bool) -> bool:
    """A line not drawn in colour always passes; one drawn in colour when read at least
    ``_MIN_COLOUR_LINE_CONFIDENCE`` surely, or at least ``_MIN_COLOUR_WORDS_CONFIDENCE``
    surely as words (``text`` tidied)."""
    if not drawn_in_colour or confidence >= _MIN_COLOUR_LINE_CONFIDENCE:
        return True
    return confidence >= _MIN_COLOUR_WORDS_CONFIDENCE and reads_as_words(text)


def tidy_readings(lines: list[LineCrop], readings: list[Recognition]) -> list[FoundLine]:
    """The lines worth keeping, their text tidied (``text_fixes.tidy_line``): nothing left
    after tidying, a doubtful line in colour on a page printed in black (``_passes_colour``)
    and a signature in dark ink are dropped; a header line run together with the national
    motto is split in two. On a page most of whose lines are drawn in colour, those lines
    are its print and are judged as any line (its lines read at 0.8 had been dropped as
    seals, and with them the labels that type the page)."""
    in_colour = [is_colour_line(line.raw) for line in lines]
    printed_in_colour = sum(in_colour) > _PRINTED_IN_COLOUR * len(lines)
    found: list[FoundLine] = []
    for line, reading, drawn_in_colour in zip(lines, readings, in_colour, strict=True):
        text = tidy_line(reading.text)
        if not text:
            continue
        if not printed_in_colour and not _passes_colour(text, reading.confidence, drawn_in_colour):
            continue
        if is_scribble(text, reading.confidence, line.raw):  # a signature in dark ink
            continue
        for quad, part in split_motto(line.raw, line.quad, text):
            found.append(FoundLine(quad, part, float(reading.confidence)))
    return found


def in_reading_order(found: list[FoundLine], page_width: float) -> list[OcrLine]:
    """The page's lines as the spec's records, in reading order (``engine.reading_order``)."""
    order = reading_order([f.quad for f in found], page_width)
    lines = []
    for i in order:
        line = found[i]
        box = tuple((float(x), float(y)) for x, y in line.quad)
        lines.append(OcrLine(text=line.text, box=box, confidence=line.confidence))  # type: ignore[arg-type]
    return lines


# The national motto heads the right block of every administrative document; when the
# detector runs it together with the agency name on the left, split it off.
_MOTTO = re.compile(
    r"^(?P<left>.*\S)\s+(?P<right>(?:C[ỘÔO]NG\s+H[OÒ][AÀ]?\s+X[ÃA]\s+H[ỘÔOỒ]I|Độc\s+lập\s*-\s*Tự\s+do).*)$",
    re.IGNORECASE,
)


def split_motto(crop: np.ndarray, quad: np.ndarray, text: str) -> list[tuple[np.ndarray, str]]:
    """``(quad, text)`` of the line, or of its two parts when it is an agency's name run
    together with the motto: cut at the word gap nearest where the text divides."""
    m = _MOTTO.match(text)
    if m is None or len(m.group("left")) < 3:
        return [(quad, text)]
    left, right = m.group("left"), m.group("right")
    w = crop.shape[1]
    x = split_point(crop, len(left) / (len(left) + len(right) + 1))
    q = np.asarray(quad, np.float32)
    t = x / max(w, 1)
    top, bot = q[0] + (q[1] - q[0]) * t, q[3] + (q[2] - q[3]) * t
    return [
        (np.array([q[0], top, bot, q[3]], np.float32), left),
        (np.array([top, q[1], q[2], bot], np.float32), right),
    ]
