"""Field extraction anchored on printed labels: the extractor Protocol and the label tables.

Each extractor declares the ``doc_type`` it handles and turns a document's pages into
fields in the spec's formats, a confidence per field and where each value came from. Each
type's record (classifiers.doctypes) holds its extractor; classifiers.extractors is the
registry. The label-anchored extractor is driven by a table of ``FieldSpec``: the labels a
form prints (Vietnamese and, on cards, the English gloss), the kind of value (for its
normaliser and validation), whether the value may wrap onto following lines, and an
optional section ("Thông tin người chồng") the label must sit in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from classifiers.card_codes import id_structure_problems
from classifiers.text_lines import (
    LABEL_COLON,
    LabelHit,
    LayoutLine,
    ValueSpan,
    compact,
    find_label,
    value_for_label,
)
from core import normalize as nz
from core.records import PageText

__all__ = [
    "AT_IMAGE_EDGE",
    "CUT_BY_GLARE",
    "GLARE_BEFORE",
    "ExtractedFields",
    "FieldExtractor",
    "FieldSpec",
    "LabelExtractor",
    "PageInput",
    "Section",
    "UNFINISHED_PLACE",
    "drop_unfinished_places",
]


@dataclass
class PageInput:
    """One page of a document as the extractors see it: OCR text and (optionally) pixels."""

    text: PageText
    image: np.ndarray | None = None
    lines: list[LayoutLine] = field(default_factory=list)
    # False for the plain baseline: no QR/MRZ fusion (bench/extract_eval.py --baseline).
    machine_readable: bool = True
    # The QR code's text, decoded once per page (classifiers.card_type.page_qr).
    qr_text: str | None = None
    qr_decoded: bool = False


@dataclass
class ExtractedFields:
    fields: dict[str, str] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    source: dict[str, str] = field(default_factory=dict)
    # Every reading of a field by source ("ocr", "qr", "mrz") where more than one source read
    # it, and why a field needs a person's look (sources disagree, value partly hidden).
    readings: dict[str, dict[str, str]] = field(default_factory=dict)
    review: dict[str, str] = field(default_factory=dict)

    def set(self, name: str, value: str, confidence: float, source: str = "ocr") -> None:
        self.fields[name] = value
        self.confidence[name] = round(max(0.0, min(1.0, confidence)), 4)
        self.source[name] = source

    def drop(self, name: str) -> None:
        self.fields.pop(name, None)
        self.confidence.pop(name, None)
        self.source.pop(name, None)


class FieldExtractor(Protocol):
    """Extracts one document type's fields from its pages."""

    doc_type: str

    def extract(self, pages: Sequence[PageInput]) -> ExtractedFields: ...


# --- value kinds: normaliser + how much a valid value raises confidence --------------------


def _name_check(v: str) -> float:
    return 1.0 if len(v.split()) >= 2 else 0.75


def _id_check(v: str) -> float:
    return 1.0 if not id_structure_problems(v) else 0.7


def _old_id_number(text: str) -> str | None:
    """The old identity card's (CMND's) 9-digit number: a run of exactly 9 digits."""
    runs = re.findall(r"(?<![0-9])[0-9](?:[ .]?[0-9]){8,}(?![0-9])", text)
    digits = [re.sub(r"[ .]", "", r) for r in runs]
    return next((d for d in digits if len(d) == 9 and d.isascii()), None)


_KINDS: dict[str, tuple[Callable[[str], str | None], Callable[[str], float]]] = {
    "name": (nz.normalize_name, _name_check),
    "date": (nz.normalize_date, lambda v: 1.0),
    "sex": (nz.normalize_sex, lambda v: 1.0),
    "id": (nz.normalize_id_number, _id_check),
    "old_id": (_old_id_number, lambda v: 1.0),
    "address": (nz.normalize_address, lambda v: 1.0 if len(v) >= 4 else 0.6),
    "text": (nz.normalize_printed, lambda v: 1.0),
    "nationality": (nz.normalize_nationality, lambda v: 1.0),
    "regno": (nz.normalize_registration_number, lambda v: 1.0),
    "code": (nz.normalize_business_code, lambda v: 1.0),
    "area": (nz.normalize_area, lambda v: 1.0),
    "marital": (nz.normalize_marital_status, lambda v: 1.0),
    "ethnicity": (nz.normalize_ethnicity, lambda v: 1.0 if v in nz.ETHNIC_GROUPS else 0.7),
    "number": (nz.normalize_number, lambda v: 1.0),
}


# The openings of the English glosses the cards print under their labels ("Quốc tịch /
# Nationality", "Quê quán / Place of origin"): no Vietnamese value contains them, so a reading
# that does is the label's own text run into the value slot ("FNationaký"), not a value.
_GLOSS_OPENINGS = ("full nam", "date of", "nationa", "place of", "personal ident")
# What an address is written with: letters, digits, spaces and , . / - ( ) ' . Any other mark
# inside one ("Thôn 1" read "Thôn †") is an OCR slip: the value goes to a person, unguessed.
_ADDRESS_MARKS = re.compile(r"[^\w\s,./()'\-–]")


def _gloss_at(text: str) -> int | None:
    """Where the first card-label gloss opening in ``text`` starts, or None."""
    folded = nz.fold(text)
    found = [i for g in _GLOSS_OPENINGS if (i := folded.find(g)) >= 0]
    return min(found, default=None)


def _label_fragment(value: str) -> bool:
    """``value`` holds a card label's English gloss: it is label text, not a value."""
    return _gloss_at(value) is not None


def _gloss_first(text: str) -> bool:
    """``text`` opens with a gloss (after at most one stray letter or mark: "FNationaký"):
    the label's own text ran on where its value should be."""
    at = _gloss_at(text)
    return at is not None and len(re.sub(r"\W", "", text[:at])) <= 1


def _separator_before_gloss(value: str, hit: LabelHit) -> bool:
    """``value`` is one glyph and its label's line runs on into the gloss right after it
    ("Quốc tịch Í Nationality:"): the glyph is the "/" between label and gloss misread."""
    return len(re.sub(r"\W", "", value)) <= 1 and _gloss_first(hit.line.text[hit.end :])


# A house or block number: "12", "12A", "12/3", "12-14", "A1", "QL1A" (a national road);
# its letters in capitals
_NUMBER_FORM = re.compile(
    r"(?:[0-9]+[^\W\d_]?|[^\W\d_]{1,3}[0-9]+[^\W\d_]?)(?:[/-][0-9]+[^\W\d_]?)*"
)
# An abbreviated unit run into what it names: "P.12", "TP.HCM", "TT.Phước"
_ABBREVIATED = re.compile(r"(?P<unit>[^\W\d_]{1,3})\.(?P<rest>.+)")


def _from_capital_to_capital(word: str) -> list[str]:
    """``word`` cut before each capital: "ĐắkLắk" → "Đắk", "Lắk"."""
    parts: list[str] = []
    for c in word:
        if c.isupper() or not parts:
            parts.append(c)
        else:
            parts[-1] += c
    return parts


def _address_word_written(word: str) -> bool:
    """``word`` (a piece of an address between spaces and commas) is written as addresses
    write their words: a Vietnamese syllable, a number or a house or block number ("12A",
    "12/3", "A1"), a name in capitals or capitalised (a minority language's place, "Krông",
    "Ea", "H'Mông"), or an abbreviated unit ("P.", "TP.HCM", "P.12")."""
    word = word.strip("()\"'")
    if word.endswith(".") and word[:-1].isalpha() and len(word) <= 4:
        return True  # an abbreviation: "P.", "Tp.", "tx."
    word = word.rstrip(".")
    if not any(c.isalnum() for c in word) or word.isdigit() or nz.is_syllable(word):
        return True
    letters = "".join(c for c in word if c.isalpha())
    if _NUMBER_FORM.fullmatch(word):
        return not letters or letters.isupper()
    if word.replace("'", "").replace("’", "").isalpha():
        # in capitals, or each of its words capitalised, run together or not ("ĐắkLắk")
        return word.isupper() or all(part.istitle() for part in _from_capital_to_capital(word))
    m = _ABBREVIATED.fullmatch(word)
    return m is not None and m.group("unit").isupper() and _address_word_written(m.group("rest"))


def _unreadable(kind: str, value: str) -> str | None:
    """Why ``value`` cannot stand as read (it goes to review, absent), or None."""
    if kind == "address" and (m := _ADDRESS_MARKS.search(value)):
        return f"OCR slip: {m.group()!r} is no letter an address prints"
    # a mark opening the value is what is left of a card label's gloss ("/ Place of origin")
    # when OCR garbled its words
    if kind == "address" and not value[0].isalnum():
        return f"OCR slip: an address opens with a word or a number, not {value[0]!r}"
    # no Vietnamese word ends in "ă" or "â" ("Quậ" is "Quận" that lost its end): the place as
    # read is not the place printed; a lone letter may be a block's name ("Lô Â")
    if kind == "address" and any(
        nz.open_short_vowel(w) for w in re.findall(r"[^\W\d_]{2,}", value)
    ):
        return "OCR slip: a word of the address ends in ă or â, as no word does: a letter was lost"
    # A number misread as letters ("Tổ 5" read "Tổ s") or run into its neighbour by a misread
    # comma ("số 12.Thôn") makes a word no address writes: the place read is not the place
    # printed. (Its letters stay out of the reason: they are part of a citizen's address.)
    if kind == "address" and not all(_address_word_written(w) for w in re.split(r"[\s,;]+", value)):
        return (
            "OCR slip: a word of the address is no word, number or abbreviation an address writes"
        )
    return None


# The fields that hold an administrative address (a place of origin or residence, the seat of
# a business, a parcel's location): every one ends with its province or centrally run city.
# A place of birth may be a hospital's name alone, and is not one of them.
_PLACE_FIELDS = frozenset({"place_of_origin", "place_of_residence", "address"})
UNFINISHED_PLACE = "not read to its end: an address ends with its province; type it from the paper"


def drop_unfinished_places(out: ExtractedFields) -> None:
    """An address read from the print alone that does not end with a province's name was cut
    short (its last line lost, or the page's edge) or its end misread: it is not given, but
    flagged for the clerk (wrong is worse than missing). A machine-readable copy (the QR)
    is whole by its error correction and is kept."""
    for name in _PLACE_FIELDS & out.fields.keys():
        if out.source.get(name) == "ocr" and not nz.ends_with_province(out.fields[name]):
            out.drop(name)
            out.review[name] = UNFINISHED_PLACE


# A name whose tone mark was taken from the usual given names, not as read, is shown to a
# person (below the review page's threshold of 0.8).
_USUAL_TONE_TRUST = 0.75
_USUAL_TONE_WHY = "a tone mark read that makes no usual name: the usual one taken; check it"

# A date read from its words is as sure as its line; from a signature block, a little less
# (the date signed is the date registered on the forms that print no label for it); digits
# and words that disagree put the field under the review threshold (0.8, the review page).
_WORDS_DATE_TRUST = 0.95
_SIGNATURE_DATE_TRUST = 0.85
_DISAGREEING_DATE = 0.5
_WRITTEN_DATE = re.compile(
    r"ng\w{1,3}\s*[0-9oOlI]{1,2}\s*,?\s*th\w{2,4}\s*[0-9oOlI]{1,2}\s*,?\s*n\w{1,3}\s*[0-9oOlI]{4}"
)


def _signature_date(lines: Sequence[LayoutLine]) -> tuple[str, float] | None:
    """The date of a page's signature block: "…, ngày 28 tháng 10 năm 2007" (or a line
    opening with "Ngày …") in the lower half of the page's text, with no label before it."""
    if not lines:
        return None
    top = min(ln.y0 for ln in lines)
    bottom = max(ln.y1 for ln in lines)
    middle = (top + bottom) / 2
    for ln in sorted(lines, key=lambda ln: ln.yc):
        if ln.yc < middle:
            continue
        folded = nz.fold(ln.text)
        m = _WRITTEN_DATE.search(folded)
        if m is None or ":" in ln.text[: m.start()]:
            continue  # no date, or the date of a label ("Ngày cấp: …")
        before = folded[: m.start()].strip()
        if before and not before.endswith(","):
            continue  # "…, ngày" (the place, then the date) or the date alone
        date = nz.normalize_date(ln.text[m.start() :])
        if date is not None:
            return date, ln.confidence
    return None


# A value whose line touches the edge of the image read may run on past it (a card cut off
# by the photo's frame): it is kept, for the clerk to complete, but never as a sure value.
AT_IMAGE_EDGE = "at the image's edge: may be cut off; check it against the paper"
_AT_EDGE_TRUST = 0.7
# How near an edge a line's box counts as touching it, in line heights (the detector's boxes
# reach the last inked pixel; a tight crop of a whole card keeps its printed margin, more
# than half a line height, between its text and the photo's edge).
_EDGE_MARGIN = 0.15


def _at_image_edge(span: ValueSpan, label_line: LayoutLine, pages: Sequence[PageInput]) -> bool:
    """Some line of ``span`` touches an edge of its page's image where its value may have
    been cut: the top, bottom or right edge, or the left edge unless the value follows its
    label on that line (the label was read, so the value's start was not cut)."""
    sizes = {p.text.page: (p.text.width, p.text.height) for p in pages}
    for ln in span.lines:
        if ln.page not in sizes:
            continue
        width, height = sizes[ln.page]
        margin = max(1.0, _EDGE_MARGIN * ln.height)
        if ln.y0 <= margin or ln.y1 >= height - margin or ln.x1 >= width - margin:
            return True
        if ln.x0 <= margin and ln is not label_line:
            return True
    return False


# A value whose line stops where glare washes the card out may have run on under it: kept
# for the clerk to complete, never as a sure value (as at the image's edge). One whose line
# begins there has lost its first words (a family name, a house number) and what is left
# still reads as a whole value (a name, an address ending with its province): it is left
# out, flagged for the clerk to type (wrong is worse than missing).
CUT_BY_GLARE = "may be cut short by glare: its line ends where the card is washed out"
GLARE_BEFORE = "may be cut short by glare: its line begins where the card is washed out"
# Near-white in every channel: blown out by glare (a card's printed ground is tinted).
_GLARE_WHITE = 235
# Blown out = this much brighter than the line's own ground (the brightest tenth of its
# first part: the card between the letters) — white paper is as white as its glare-free
# ground, so a form on paper is never flagged.
_GLARE_OVER_GROUND = 12
_GLARE_TAIL_OVER_GROUND = 25
_GLARE_FAINT_OVER_GROUND = 8
# The kinds whose first part still reads as a value (a name, a place); a date, a number or a
# sex cut short no longer passes its own normaliser.
_CUTTABLE_KINDS = frozenset({"name", "address", "text", "nationality"})


def _washed_out_beside(ln: LayoutLine, image: np.ndarray, *, start: bool) -> bool:
    """The pixels on ``ln``'s row just past its end (``start``: just before its start) are
    blown out (near-white, flat and brighter than the line's own ground), or its last
    (first) letters sit in such a patch: the line may go on under glare. The ground is the
    brightest tenth of the line's part away from that side (the card between the letters).
    Nothing is said where too little lies beside it in the image (the image's edge is its
    own rule)."""
    height, width = image.shape[:2]
    h = ln.height
    y0, y1 = int(max(0, ln.y0 + 0.15 * h)), int(min(height, ln.y1 - 0.15 * h))
    if start:
        x0, x1 = int(max(0, ln.x0 - 1.75 * h)), int(ln.x0 - 0.25 * h)
    else:
        x0, x1 = int(ln.x1 + 0.25 * h), int(min(width, ln.x1 + 1.75 * h))
    bx0, bx1 = int(max(0, ln.x0)), int(min(width, ln.x1))
    if y1 - y0 < 2 or x1 - x0 < 0.75 * h or bx1 - bx0 < 2 * h:
        return False

    def brightness(part: np.ndarray) -> np.ndarray:  # each pixel's darkest channel
        return (part.min(axis=2) if part.ndim == 3 else part).astype(np.float32)

    line = brightness(image[y0:y1, bx0:bx1])
    beside = brightness(image[y0:y1, x0:x1])
    far = int(0.6 * (bx1 - bx0))
    ground = float(np.percentile(line[:, -far:] if start else line[:, :far], 90))
    if (
        (beside >= _GLARE_WHITE).mean() >= 0.9
        and float(np.median(beside)) - ground >= _GLARE_OVER_GROUND
        and beside.std() <= 8
    ):
        return True
    # the glare begins over the line's last (first) letters (read washed out, or not at all)
    edge = line[:, : int(h)] if start else line[:, bx1 - bx0 - int(h) :]
    if (edge >= _GLARE_WHITE).mean() >= 0.4 and float(
        np.median(edge)
    ) - ground >= _GLARE_TAIL_OVER_GROUND:
        return True
    # a milder highlight across the box's edge, the print beside it too faint to be found:
    # the pixels beside the box and its edge letters both paler than the ground
    return all(
        (part >= _GLARE_WHITE).mean() >= 0.4
        and float(np.median(part)) - ground >= _GLARE_FAINT_OVER_GROUND
        for part in (beside, edge)
    )


def _cut_by_glare(
    span: ValueSpan, label_line: LayoutLine, pages: Sequence[PageInput]
) -> str | None:
    """Why ``span`` may be cut short by glare, or None: its last line ends where glare
    washes its page out, or its first line begins there (unless the value follows its label
    in that line's box: the label was read, so the value's start was not lost)."""
    if not span.lines:
        return None
    images = {p.text.page: p.image for p in pages if p.image is not None}
    first, last = span.lines[0], span.lines[-1]
    if last.page in images and _washed_out_beside(last, images[last.page], start=False):
        return CUT_BY_GLARE
    if (
        first is not label_line
        and first.page in images
        and _washed_out_beside(first, images[first.page], start=True)
    ):
        return GLARE_BEFORE
    return None


@dataclass(frozen=True)
class FieldSpec:
    name: str
    labels: tuple[str, ...]
    kind: str = "text"
    wrap: bool = False
    at_start: bool = False  # the label must open its line (short labels like "Số")
    section: str | None = None  # name of a Section the label must lie in
    min_score: float = 86.0
    # Labels of the same date written out in words beside the digits ("ghi bằng chữ"): it
    # gives the date when the digits are unread, and a disagreement marks it for review.
    words_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A region of the page introduced by a heading ("Thông tin người vợ")."""

    name: str
    headings: tuple[str, ...]


@dataclass
class _Region:
    page: int
    y0: float
    y1: float
    x0: float
    x1: float

    def contains(self, ln: LayoutLine) -> bool:
        return (
            ln.page == self.page
            and self.y0 - 0.3 * ln.height <= ln.yc <= self.y1
            and self.x0 <= ln.xc <= self.x1
        )


def _find_sections(
    sections: Sequence[Section], lines: Sequence[LayoutLine], width: float
) -> dict[str, _Region]:
    """Locate section headings; side-by-side headings make columns, stacked ones make bands."""
    # Score every heading line per section, then assign greedily so that "Thông tin người
    # chồng" is not also taken as the wife's heading (the fuzzy scores are close).
    cands: list[tuple[float, str, LayoutLine]] = []
    for sec in sections:
        for ln in lines:
            hits = [h for t in sec.headings if (h := find_label(ln, t, min_score=85)) is not None]
            if hits:
                best = max(hits, key=lambda h: h.score + 0.5 * len(compact(h.label)[0]))
                cands.append((best.score + 0.5 * len(compact(best.label)[0]), sec.name, ln))
    cands.sort(key=lambda c: (-c[0], c[2].index))
    heads: dict[str, LayoutLine] = {}
    for _, name, ln in cands:
        if name in heads or any(o is ln for o in heads.values()):
            continue
        heads[name] = ln
    regions: dict[str, _Region] = {}
    items = sorted(heads.items(), key=lambda kv: (kv[1].page, kv[1].yc, kv[1].x0))
    for name, ln in items:
        same_row = [
            o for n, o in items if n != name and o.page == ln.page and abs(o.yc - ln.yc) < ln.height
        ]
        below = [o for n, o in items if o.page == ln.page and o.yc > ln.yc + ln.height]
        if same_row:
            others = sorted([ln, *same_row], key=lambda o: o.xc)
            i = others.index(ln)
            x0 = 0.0 if i == 0 else (others[i - 1].x1 + ln.x0) / 2
            x1 = width if i == len(others) - 1 else (ln.x1 + others[i + 1].x0) / 2
            regions[name] = _Region(ln.page, ln.y0, 1e9, x0, x1)
        else:
            y1 = min((o.y0 for o in below), default=1e9)
            regions[name] = _Region(ln.page, ln.y0, y1, -1e9, 1e9)
    return regions


@dataclass
class LabelExtractor:
    """Label-anchored, layout-aware extraction driven by a table of field specs."""

    doc_type: str
    specs: tuple[FieldSpec, ...]
    sections: tuple[Section, ...] = ()
    # Labels printed on the form that are not fields we return but end a value (stop words).
    other_labels: tuple[str, ...] = ()
    # The field the signature block's date gives when no label does ("Hà Nội, ngày 28
    # tháng 10 năm 2007" under the body: the date the office registered and signed).
    signature_date: str | None = None

    @property
    def all_labels(self) -> list[str]:
        labels = [lab for s in self.specs for lab in s.labels]
        return [*labels, *self.other_labels]

    def extract(self, pages: Sequence[PageInput]) -> ExtractedFields:
        out = ExtractedFields()
        lines = [ln for p in pages for ln in p.lines]
        width = max((p.text.width for p in pages), default=1)
        regions = _find_sections(self.sections, lines, width)
        hits = self._resolve_hits(lines)
        all_labels = self.all_labels
        for k, spec in enumerate(self.specs):
            if spec.name in out.fields:
                continue
            region = regions.get(spec.section) if spec.section else None
            if spec.section and region is None:
                continue
            for hit in hits.get(k, []):
                if region is not None and not region.contains(hit.line):
                    continue
                if spec.at_start and compact(hit.line.text[: hit.start])[0]:
                    continue
                scope = [ln for ln in lines if region is None or region.contains(ln)]
                span = value_for_label(hit, scope, all_labels, wrap=spec.wrap)
                normaliser, check = _KINDS[spec.kind]
                if span is not None and (
                    _gloss_first(span.text) or _separator_before_gloss(span.text, hit)
                ):
                    # the rest of the line is the label's gloss: the value is the next box on
                    # the row or the line below, as after a label that ends its line
                    whole = LabelHit(hit.line, hit.label, hit.start, len(hit.line.text), hit.score)
                    span = value_for_label(whole, scope, all_labels, wrap=spec.wrap)
                if span is None:
                    continue
                # a value runs up to the next label's gloss ("Nữ Quốc tịch ENationaký")
                value = normaliser(span.text[: _gloss_at(span.text)])
                if not value or _label_fragment(value):
                    continue
                if why := _unreadable(spec.kind, value):
                    out.review[spec.name] = why
                    continue
                conf = span.confidence * check(value) * (0.7 + 0.3 * hit.score / 100)
                if spec.kind == "name" and (usual := nz.usual_name_tones(value)) != value:
                    value, conf = usual, min(conf, _USUAL_TONE_TRUST)
                    out.review[spec.name] = _USUAL_TONE_WHY
                if _at_image_edge(span, hit.line, pages):
                    conf = min(conf, _AT_EDGE_TRUST)
                    out.review[spec.name] = AT_IMAGE_EDGE
                elif spec.kind in _CUTTABLE_KINDS and (
                    glare := _cut_by_glare(span, hit.line, pages)
                ):
                    out.review[spec.name] = glare
                    if glare == GLARE_BEFORE:
                        break  # its first words lost, the rest reads as a whole value: left out
                    conf = min(conf, _AT_EDGE_TRUST)
                out.set(spec.name, value, conf)
                break
        for spec in self.specs:
            if spec.words_labels:
                self._date_in_words(spec, lines, out)
        if self.signature_date and self.signature_date not in out.fields:
            signed = _signature_date([ln for ln in lines if ln.page == lines[-1].page])
            if signed is not None:
                out.set(self.signature_date, signed[0], signed[1] * _SIGNATURE_DATE_TRUST)
        return out

    def _date_in_words(
        self, spec: FieldSpec, lines: Sequence[LayoutLine], out: ExtractedFields
    ) -> None:
        """The date of ``spec`` written in words: supplies it when the digits are unread;
        where the two disagree the digits stay, below the review threshold."""
        for ln in lines:
            hit = next((h for lab in spec.words_labels if (h := find_label(ln, lab))), None)
            if hit is None:
                continue
            span = value_for_label(hit, lines, self.all_labels, wrap=True)
            words = nz.date_from_words(span.text) if span is not None else None
            if span is None or words is None:
                return
            if spec.name not in out.fields:
                out.set(spec.name, words, span.confidence * _WORDS_DATE_TRUST, "words")
            elif out.fields[spec.name] != words:
                conf = min(out.confidence[spec.name], _DISAGREEING_DATE)
                out.set(spec.name, out.fields[spec.name], conf, out.source[spec.name])
            return

    def _resolve_hits(self, lines: Sequence[LayoutLine]) -> dict[int, list[LabelHit]]:
        """All label hits; where two labels overlap on a line the longer (more specific) wins."""
        raw: list[tuple[int | None, LabelHit]] = []
        for ln in lines:
            line_hits: list[tuple[int | None, LabelHit]] = []
            for k, spec in enumerate(self.specs):
                for lab in spec.labels:
                    h = find_label(ln, lab, min_score=spec.min_score)
                    if h is not None:
                        line_hits.append((k, h))
            for lab in self.other_labels:
                h = find_label(ln, lab)
                if h is not None:
                    line_hits.append((None, h))
            # Specificity: an exact short label beats a long one that only matched fuzzily, and
            # a label followed by its colon beats one that ran into the value ("Họ, chữ đệm,
            # tên: VÕ HỒNG" is not the label "Họ, chữ đệm, tên vợ").
            line_hits.sort(
                key=lambda sh: (
                    -(
                        sh[1].score
                        + 0.5 * len(compact(sh[1].label)[0])
                        + (20 if LABEL_COLON.match(sh[1].line.text[sh[1].end :]) else 0)
                    )
                )
            )
            kept: list[tuple[int | None, LabelHit]] = []
            for spec_index, h in line_hits:
                same = [
                    o for _, o in kept if (o.start, o.end, o.label) == (h.start, h.end, h.label)
                ]
                if not same and any(h.start < o.end and o.start < h.end for _, o in kept):
                    continue  # a more specific label owns this span
                kept.append((spec_index, h))  # several specs may share one label (per section)
            raw.extend(kept)
        out: dict[int, list[LabelHit]] = {}
        for spec_index, h in raw:
            if spec_index is not None:
                out.setdefault(spec_index, []).append(h)
        for hs in out.values():
            hs.sort(key=lambda h: (-round(h.score / 5), h.line.index))
        return out
