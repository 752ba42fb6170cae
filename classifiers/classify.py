"""Which kind of document a page is: a registry of scoring classifiers, the highest wins.

Each document type's record (classifiers.doctypes) gives the cues of a classifier that
scores a page in [0, 1] (Paperless-ngx style). Titles are matched fuzzily and
diacritics-insensitively near the top of the page, so OCR slips ("GIAY KHAl SINH") and
partial pages still classify; body markers (labels that only that form prints) add
evidence. Below ``THRESHOLD`` the page is ``other``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from rapidfuzz import fuzz

from classifiers import doctypes
from classifiers.doctypes import Cues, DocType
from classifiers.prose import prose_cues
from classifiers.text_lines import LayoutLine, compact, labels_opening_lines
from core.mrz import MRZ_PIECES_MIN, TD1_LINE1, mrz_filler_lines

__all__ = [
    "CLASSIFIERS",
    "THRESHOLD",
    "TITLED_SCORE",
    "HEADED_SCORE",
    "DocTypeClassifier",
    "MrzClassifier",
    "PageClass",
    "TitleClassifier",
    "classifier_for",
    "classify_page",
    "has_document_header",
]

# Below this best score a page is ``other``; a barely-read title (TITLED_SCORE) passes.
THRESHOLD = 0.6
# What a page whose title matched scores at least (a barely-read title and no markers); a
# card read by its MRZ or by enough of its labels may score as much. understand.py takes a
# score this high for a page with its own heading, which opens a new document.
TITLED_SCORE = 0.75
# What an untitled page scores whose section heading only one type prints (an inner page of
# a certificate): enough to be that type, too little to open a new document of it.
HEADED_SCORE = 0.7
# A more specific type's title read this surely vetoes the page (it is that type instead).
_EXCLUDE_MIN = 0.9
# Markers without a title stay below a clearly read title of another type (up to 0.95).
_MARKERS_ONLY_MAX = 0.9


class DocTypeClassifier(Protocol):
    """Scores how well a page fits one document type (0 = not at all, 1 = certain)."""

    @property
    def doc_type(self) -> str: ...

    def score(self, lines: Sequence[LayoutLine], page_height: float) -> float: ...


def _title_score(
    title: str, lines: Sequence[LayoutLine], page_height: float, *, opening: bool = False
) -> float:
    """Best fuzzy match of ``title`` at the start of a line (or two joined lines) up top.

    The title must open the line and end at a word boundary, so "GIẤY KHAI SINH" does not
    fire on "TỜ KHAI ĐĂNG KÝ KHAI SINH" nor "ĐƠN" on "ĐỒNG". A short title stands on a
    line of its own ("CĂN CƯỚC" is not "CĂN CƯỚC CÔNG DÂN") unless it is an ``opening``
    (the first words of many titles: "ĐƠN XIN …").
    """
    needle, _ = compact(title)
    best = 0.0
    top = [ln for ln in lines if ln.yc <= 0.6 * page_height] or list(lines)
    # A copy is marked "BẢN SAO" before its title: the title is matched after the mark.
    texts = [_COPY_MARK.sub("", compact(ln.text)[0], count=1) for ln in top]
    candidates = list(texts)
    candidates += [f"{a} {b}" for a, b in zip(texts, texts[1:], strict=False)]
    n = len(needle)
    width = max((ln.x1 for ln in lines), default=1.0)
    # Titles are printed in capitals, or at least stand centred on their own line (OCR
    # sometimes reads capitals as small letters); body text mentioning a title is neither.
    uppers = [
        _mostly_upper(ln.text) or (abs(ln.xc - width / 2) < 0.18 * width and len(t) <= n + 8)
        for ln, t in zip(top, texts, strict=True)
    ]
    upper_ok = uppers + [a and b for a, b in zip(uppers, uppers[1:], strict=False)]
    for hay, is_upper in zip(candidates, upper_ok, strict=True):
        if len(hay) < 0.7 * n or not is_upper:
            continue
        if n <= 9 and len(hay) > n + 3 and not opening:
            continue  # a short title ("CĂN CƯỚC") is a line of its own
        scores = []
        for k in (-2, -1, 0, 1, 2):
            cut = n + k
            if cut <= 0 or cut > len(hay):
                continue
            if cut < len(hay) and hay[cut] != " ":
                continue  # the title must end at a word boundary
            scores.append(fuzz.ratio(needle, hay[:cut]))
        if scores:
            best = max(best, max(scores) / 100.0)
    return best


_COPY_MARK = re.compile(r"^ban sao (?=\S)")


@lru_cache(maxsize=4096)
def _mostly_upper(text: str) -> bool:
    """Capitals make up 70% of the letters. Cached: every title of every type asks it of
    the same lines of a page (a tenth of a second a page, uncached)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.7 * len(letters)


_NUMBERING = re.compile(r"^(?:[0-9ivx]{1,4}|[a-z])\s")
_HEADING_MIN = 88


def _heading_found(headings: Sequence[str], lines: Sequence[LayoutLine]) -> bool:
    """One of ``headings`` opens a line (after its numbering "I.", "2.", "a)"), fuzzily."""
    for ln in lines:
        hay = compact(ln.text)[0]
        hay = _NUMBERING.sub("", hay, count=1)
        for h in headings:
            needle = compact(h)[0]
            if len(hay) >= 0.9 * len(needle) and fuzz.ratio(needle, hay[: len(needle)]) >= (
                _HEADING_MIN
            ):
                return True
    return False


def _marker_score(markers: Sequence[str], lines: Sequence[LayoutLine]) -> float:
    """Fraction of the body markers found anywhere on the page (fuzzy partial match)."""
    if not markers:
        return 0.0
    page = " ".join(compact(ln.text)[0] for ln in lines)
    found = 0
    for m in markers:
        needle, _ = compact(m)
        if len(needle) <= 6:
            found += bool(re.search(rf"(?<![a-z0-9]){re.escape(needle)}(?![a-z0-9])", page))
        elif len(page) >= len(needle):  # else partial_ratio finds a one-letter page in it
            found += fuzz.partial_ratio(needle, page) >= 88
    return found / len(markers)


@dataclass(frozen=True)
class TitleClassifier:
    """Scores a page by its printed title and a few labels only that form carries; a card
    whose title OCR lost, by its number line and one version's labels (``label_sets``)."""

    doc_type: str
    cues: Cues
    label_sets: tuple[tuple[str, ...], ...] = ()

    def score(self, lines: Sequence[LayoutLine], page_height: float) -> float:
        cues = self.cues
        if not lines:
            return 0.0
        title = max(_title_score(t, lines, page_height) for t in cues.titles)
        if cues.openings:
            title = max(
                title,
                *(_title_score(t, lines, page_height, opening=True) for t in cues.openings),
            )
        markers = _marker_score(cues.markers, lines)
        excluded = max((_title_score(t, lines, page_height) for t in cues.excludes), default=0.0)
        if excluded >= _EXCLUDE_MIN:
            return 0.0
        if title >= cues.title_min:
            # A clearer title adds up to 0.2, the markers up to 0.1.
            return min(
                1.0,
                TITLED_SCORE
                + 0.2 * (title - cues.title_min) / (1 - cues.title_min)
                + 0.1 * markers,
            )
        by_markers = max(
            min(_MARKERS_ONLY_MAX, cues.marker_only_weight * markers),
            self._by_number_and_labels(lines),
        )
        if cues.headings and _heading_found(cues.headings, lines):
            return max(by_markers, min(TITLED_SCORE - 0.01, HEADED_SCORE + 0.1 * markers))
        return by_markers

    def _by_number_and_labels(self, lines: Sequence[LayoutLine]) -> float:
        """A barely-read title's score when the type's number line stands alone on a line
        and half of one version's printed labels open lines (the CMND's red title lost, its
        "Số 123456789", "Họ tên", "Sinh ngày" read); else 0. A form names such labels but
        prints no bare card number."""
        pattern = self.cues.number_line
        if pattern is None or not self.label_sets:
            return 0.0
        if not any(re.fullmatch(pattern, compact(ln.text)[0]) for ln in lines):
            return 0.0
        share = max(labels_opening_lines(labels, lines) for labels in self.label_sets)
        return TITLED_SCORE + 0.1 * share if share >= _VERSION_LABELS_HALF else 0.0


# Share of one template version's own labels that identifies a page without a title (a
# card back): most of them, so that a text which names one or two of them is no card.
_VERSION_LABELS_MIN = 0.6
# Half of them (two of four) where something else says card: its number line (a front), or
# a page as short as a card (a back: a dozen lines; a page of text has more).
_VERSION_LABELS_HALF = 0.5
_CARD_LINES_MAX = 20


@dataclass(frozen=True)
class MrzClassifier:
    """The back of a chip card: its ICAO MRZ ("IDVNM…"), or two lines of one garbled but
    still showing its fillers ("<<"), the back's fixed labels, or most of the labels one
    version's back prints (``label_sets``: the 2016 card has no MRZ and no English)."""

    doc_type: str
    cues: Cues
    label_sets: tuple[tuple[str, ...], ...] = ()

    def score(self, lines: Sequence[LayoutLine], page_height: float) -> float:
        mrz = any(TD1_LINE1.match(re.sub(r"\s", "", ln.text.upper())) for ln in lines)
        markers = _marker_score(self.cues.markers, lines)
        least = _VERSION_LABELS_HALF if len(lines) <= _CARD_LINES_MAX else _VERSION_LABELS_MIN
        for labels in self.label_sets:
            share = labels_opening_lines(labels, lines)
            if share >= least:
                markers = max(markers, share)
        if mrz:
            return min(1.0, 0.9 + 0.2 * markers)
        by_markers = min(0.95, 1.6 * markers) if markers >= 0.25 else 0.0
        if mrz_filler_lines([ln.text for ln in lines]) >= MRZ_PIECES_MIN:
            # an MRZ whose first line OCR garbled: as sure as a barely-read title
            return max(TITLED_SCORE, by_markers)
        return by_markers


def classifier_for(doc_type: DocType) -> DocTypeClassifier | None:
    """The classifier a type's record asks for (None: the type is never classified, ``other``)."""
    if doc_type.cues is None:
        return None
    if doc_type.cues.by == "mrz":
        label_sets = tuple(v.printed_labels for v in doc_type.versions if v.printed_labels)
        return MrzClassifier(doc_type.name, doc_type.cues, label_sets)
    if doc_type.cues.number_line is not None:
        label_sets = tuple(v.printed_labels for v in doc_type.versions if v.printed_labels)
        return TitleClassifier(doc_type.name, doc_type.cues, label_sets)
    return TitleClassifier(doc_type.name, doc_type.cues)


# The registry, in the records' order (ties go to the earlier type).
CLASSIFIERS: dict[str, DocTypeClassifier] = {
    t.name: c for t in doctypes.all_types() if (c := classifier_for(t)) is not None
}


@dataclass
class PageClass:
    doc_type: str
    score: float
    scores: dict[str, float] = field(default_factory=dict)


def classify_page(lines: Sequence[LayoutLine], page_height: float) -> PageClass:
    """Score the page with every registered classifier; the best above the threshold wins.

    A page of running prose (classifiers.prose: a letter, a decision, a law page) is
    ``other`` whatever it names, unless its form cues hold their own: the type's title read
    and at least half as many fill-in lines as running lines.
    """
    scores = {name: c.score(lines, page_height) for name, c in CLASSIFIERS.items()}
    best = max(scores, key=lambda k: scores[k]) if scores else doctypes.OTHER
    if not scores or scores[best] < THRESHOLD:
        return PageClass(doctypes.OTHER, 1.0 - (scores.get(best, 0.0) if scores else 0.0), scores)
    prose = prose_cues(lines)
    if prose.is_prose and not (scores[best] >= TITLED_SCORE and 2 * prose.labelled >= prose.prose):
        return PageClass(doctypes.OTHER, 1.0 - scores[best] / 2, scores)
    return PageClass(best, scores[best], scores)


_MOTTO = ("cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc")


def has_document_header(lines: Sequence[LayoutLine], page_height: float) -> bool:
    """A page that opens a document: national motto or an upper-case title near the top."""
    for ln in lines:
        if ln.yc > 0.45 * page_height:
            continue
        c = compact(ln.text)[0]
        if any(fuzz.partial_ratio(m, c) >= 88 for m in _MOTTO if len(c) >= 0.6 * len(m)):
            return True
    return False
