"""Line geometry and fuzzy label finding: where on a page a printed label and its value sit.

OCR gives lines with boxes. A field's value is on the label's line after the colon or
dotted leader, or in the next box on the same row, or on the line(s) below when it is
wrapped. Labels are matched diacritics-insensitively and fuzzily so that an OCR slip in a
label ("Ngay thang nam sinh", "Quê quản") still anchors its value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from core.normalize import BALLOT_BOXES, fold, is_leader_noise, strip_leader_junk
from core.records import OcrLine, PageText

__all__ = [
    "LABEL_COLON",
    "LabelHit",
    "LayoutLine",
    "ValueSpan",
    "compact",
    "find_label",
    "labels_opening_lines",
    "layout_lines",
    "value_for_label",
]

_PUNCT = re.compile(r"[^\w\s]")


@dataclass(frozen=True)
class LayoutLine:
    """An OCR line with its bounding rectangle; ``index`` is its position in reading order."""

    index: int
    page: int
    text: str
    confidence: float
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return max(1.0, self.y1 - self.y0)

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    def x_at(self, char_index: int) -> float:
        """Approximate x of a character (proportional to its index in the line)."""
        n = max(1, len(self.text))
        return self.x0 + (self.x1 - self.x0) * min(max(char_index, 0), n) / n


def layout_lines(page: PageText) -> list[LayoutLine]:
    """Lines of a page sorted top-to-bottom then left-to-right by row."""
    raw: list[LayoutLine] = []
    for line in page.lines:
        if not line.text.strip():
            continue
        raw.append(_to_layout(line, page.page, 0))
    raw.sort(key=lambda ln: (ln.yc, ln.x0))
    # Group into rows (similar y), then order each row left to right.
    rows: list[list[LayoutLine]] = []
    for ln in raw:
        if rows and abs(rows[-1][-1].yc - ln.yc) < 0.5 * min(rows[-1][-1].height, ln.height):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    ordered = [ln for row in rows for ln in sorted(row, key=lambda r: r.x0)]
    return [
        LayoutLine(i, ln.page, ln.text, ln.confidence, ln.x0, ln.y0, ln.x1, ln.y1)
        for i, ln in enumerate(ordered)
    ]


def _to_layout(line: OcrLine, page: int, index: int) -> LayoutLine:
    xs = [p[0] for p in line.box]
    ys = [p[1] for p in line.box]
    return LayoutLine(
        index, page, line.text, float(line.confidence), min(xs), min(ys), max(xs), max(ys)
    )


@lru_cache(maxsize=4096)
def compact(text: str) -> tuple[str, tuple[int, ...]]:
    """Folded text without punctuation, single-spaced, plus a map back to original indices."""
    folded = fold(text)
    out: list[str] = []
    idx: list[int] = []
    for i, ch in enumerate(folded):
        if _PUNCT.match(ch) or ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                idx.append(i)
            continue
        out.append(ch)
        idx.append(i)
    while out and out[-1] == " ":
        out.pop()
        idx.pop()
    return "".join(out), tuple(idx)


def labels_opening_lines(labels: Sequence[str], lines: Sequence[LayoutLine]) -> float:
    """Fraction of ``labels`` that open a line of the page (fuzzily): a card prints its
    labels at the start of a line or as captions, a text that talks about them mid-sentence."""
    starts = [compact(ln.text)[0] for ln in lines]
    found = 0
    for label in labels:
        needle = compact(label)[0]
        found += any(fuzz.ratio(needle, s[: len(needle)]) >= 88 for s in starts)
    return found / len(labels) if labels else 0.0


@dataclass(frozen=True)
class LabelHit:
    """A label found in a line: character span in the original text and a 0-100 score."""

    line: LayoutLine
    label: str
    start: int
    end: int
    score: float


def find_label(
    line: LayoutLine, label: str, *, min_score: float = 86.0, at_start: bool = False
) -> LabelHit | None:
    """Find ``label`` in ``line`` (fuzzy, diacritics-insensitive); short labels must be exact."""
    hay, idx = compact(line.text)
    needle, _ = compact(label)
    if not hay or not needle:
        return None
    if len(needle) <= 6:
        # a whole word: no letter or digit before it, no letter after it; a digit may follow,
        # since no word holds one: OCR dropped the space before the label's number ("Ngày11")
        for m in re.finditer(rf"(?<![a-z0-9]){re.escape(needle)}(?![a-z])", hay):
            if at_start and m.start() > 2:
                break
            return LabelHit(line, label, idx[m.start()], idx[m.end() - 1] + 1, 100.0)
        return None
    if len(hay) < len(needle) * 0.8:
        return None
    res = fuzz.partial_ratio_alignment(needle, hay, score_cutoff=min_score)
    if res is None:
        return None
    start, end = res.dest_start, res.dest_end
    if at_start and start > 3:
        return None
    # Snap the end to the word boundary so a slip at the label's last letter is absorbed.
    while end < len(hay) and hay[end - 1] != " " and hay[end] != " ":
        end += 1
    # Refuse a match that starts inside a word (e.g. "ten" inside "tenant").
    if start > 0 and hay[start - 1] != " ":
        return None
    return LabelHit(line, label, idx[start], idx[end - 1] + 1, float(res.score))


# The slash before a card label's English gloss, or what OCR made of it ("-_", "-.", ";", "!").
_GLOSS_SLASH = r"(?:/|[-–_.;\"'|*+()!]{1,3})"
# The chip cards' own short glosses: their value may follow with the colon lost ("Sex Nam").
_CARD_GLOSS = re.compile(
    rf"^\s*{_GLOSS_SLASH}?\s*(?:Sex|Nationality|Full name|Date of (?:birth|expiry)"
    rf"|Place of (?:origin|residence))\b\s*[:：;.]?\s*(?=\S)",
    re.IGNORECASE,
)
_ENGLISH_GLOSS = re.compile(rf"^\s*{_GLOSS_SLASH}\s*[A-Za-z][A-Za-z ,.'/]{{0,40}}?\s*[:：]")
_ENGLISH_GLOSS_ONLY = re.compile(
    rf"^\s*{_GLOSS_SLASH}\s*[A-Za-z][^\W\d_ ,.'/]*(?:[ ,.'/]+[^\W\d_]+)*[ .]*$"
)
LABEL_COLON = re.compile(r"^\s*(?:/[^:：]{0,45})?[:：]")
_BARE_GLOSS = re.compile(r"^[1lI|!]?[A-Za-z][A-Za-z ,.']{2,24}[:：]\s*")
# A gloss OCR garbled ("/N@naý;", "/ Place of ONgÌ:"): a slash, up to four words mostly of
# ASCII letters, a colon or semicolon.
_GARBLED_GLOSS = re.compile(r"^\s*/\s*(?P<gloss>(?:[^\s:：;]{1,16}\s*){1,4})[:：;]\s*")
_LEAD = re.compile(r"^[\s:：.…·_\-–—]*")


def _mostly_english(text: str) -> bool:
    """Letters mostly ASCII: an English gloss, though OCR may have put a stray mark on one
    ("givên name"), not a Vietnamese value."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isascii() for c in letters) >= 0.9 * len(letters)


def _strip_after_label(text: str) -> tuple[str, int]:
    """Drop the colon/dotted leader and a bilingual "/ English label:" after a label."""
    offset = 0
    m0 = _CARD_GLOSS.match(text)
    if m0:
        return text[m0.end() :], m0.end()
    if _ENGLISH_GLOSS_ONLY.match(text) and _mostly_english(text):
        return "", len(text)  # "Personal identification number" with no colon
    m = _ENGLISH_GLOSS.match(text)
    g = _GARBLED_GLOSS.match(text) if m is None else None
    if g is not None and (len(g.group("gloss").split()) == 1 or _mostly_english(g.group("gloss"))):
        m = g
    if m:
        offset += m.end()
        text = text[m.end() :]
    m2 = _LEAD.match(text)
    if m2:
        offset += m2.end()
        text = text[m2.end() :]
    # An English gloss whose slash OCR lost ("Quốc tịch: Nauonafity: Việt Nam").
    m3 = _BARE_GLOSS.match(text)
    if m3:
        offset += m3.end()
        text = text[m3.end() :]
    return text, offset


@dataclass
class ValueSpan:
    """The raw value text of a field and the lines it came from."""

    text: str
    lines: list[LayoutLine]

    @property
    def confidence(self) -> float:
        if not self.lines:
            return 0.0
        return min(ln.confidence for ln in self.lines)


# What is left of a card label's gloss when OCR garbled it into one word ("Quốc tịch! Nẵt"
# for "Quốc tịch / Nationality:"): a slash or a glyph shaped like one (not a dot or a dash,
# which a form's leaders are made of), one word, nothing more.
_GLOSS_AS_ONE_WORD = re.compile(r"^\s*[/|!;\\]\s*[^\W\d_]{2,12}[\s.:;]*$")


_LABEL_LINE = re.compile(r"^\s*(?:[0-9a-zđ]{1,2}[.)]\s*)?[^\W\d][^:：]{1,45}[:：]")


def _starts_with_any_label(line: LayoutLine, labels: Iterable[str]) -> bool:
    """A line that opens with a known label, or looks like "Some label: value". One word
    and a colon with nothing after it is not taken for a label: it is the wrapped end of
    a value with a speck read as a colon ("Nghệ" / "An:")."""
    m = _LABEL_LINE.match(line.text)
    words = len(m.group(0).split()) if m else 0
    if m and (2 <= words <= 8 or (words == 1 and line.text[m.end() :].strip(" .…_·:"))):
        return True
    for lab in labels:
        hit = find_label(line, lab, at_start=True)
        if hit is None:
            continue
        # A short label opens a line as a label only with its colon: "Số 25 Cao Thắng" is
        # the wrapped rest of an address, "Số: 12" the label.
        if len(compact(lab)[0]) > 6 or LABEL_COLON.match(line.text[hit.end :]):
            return True
    return False


def _lone_glyph(text: str) -> bool:
    """One character that is no ASCII letter or digit ("Ì", "¡"): a speck or the end of a
    card's frame OCR read after a label, not its value."""
    t = text.strip()
    return len(t) == 1 and not (t.isascii() and t.isalnum())


# A list number or letter opening a label line ("2.", "b)", "II."): no value.
_LIST_MARK = re.compile(r"^\s*(?:\d{1,2}|[a-zđA-ZĐ]|[IVXivx]{1,4})\s*[.)]?\s*$")


def _lead_before_label(line: LayoutLine, labels: Sequence[str], wrap: bool) -> str | None:
    """In a line that reads as a label line, the words before its first known label: the
    short value of the label before it, when OCR split one row of a form after that label
    and ran the value into the next label's box ("Giới tính:" / "Nam Quốc tịch: ...").
    None for a value that wraps (a name, an address), when the line does not read as a
    label line, a label opens it, or the lead is a list mark or a lone letter."""
    if wrap or not _starts_with_any_label(line, labels):
        return None
    hits = _label_hits_in_line(line, labels)
    start = min((h.start for h in hits), default=0)
    if start == 0:
        return None
    lead = line.text[:start].strip(" :;,.…_·/|")
    if not any(ch.isalpha() for ch in lead) or _LIST_MARK.match(lead):
        return None
    return lead


def _label_hits_in_line(line: LayoutLine, labels: Iterable[str]) -> list[LabelHit]:
    hits = [h for lab in labels if (h := find_label(line, lab)) is not None]
    return hits


def value_for_label(
    hit: LabelHit,
    lines: Sequence[LayoutLine],
    all_labels: Sequence[str],
    *,
    wrap: bool = False,
    max_wrap_lines: int = 3,
) -> ValueSpan | None:
    """The value printed after a label: same line, same row to the right, or the line below."""
    line = hit.line
    rest, offset = _strip_after_label(line.text[hit.end :])
    # Cut at the next label on the same line ("Giới tính: Nữ   Dân tộc: Kinh").
    # Only a label followed by its colon ends the value: "Cửa hàng điện thoại Hoa Mai" is a
    # shop name, not the label "Điện thoại".
    other_hits = [
        h
        for h in _label_hits_in_line(line, [lab for lab in all_labels if lab != hit.label])
        if h.start >= hit.end + offset and LABEL_COLON.match(line.text[h.end :])
    ]
    if other_hits:
        cut = min(h.start for h in other_hits) - (hit.end + offset)
        rest = rest[:cut]
    right = _boxes_right(hit, lines)
    # A slash and one word ending the label's box, with a box beside it on the row that is
    # no label, is the label's gloss garbled (OCR gives the English word Vietnamese marks, so
    # it is not read as English), and the box beside holds the value: the detector split the
    # row at the wide gap between a card's gloss and its value.
    if (
        _GLOSS_AS_ONE_WORD.match(rest)
        and right
        and not _starts_with_any_label(right[0], all_labels)
    ):
        rest = ""
    rest = rest.lstrip(" :;,.…_·").rstrip()
    # A stray quote or dash after the label, or an empty dotted fill-in line read as
    # letters ("ooooo....oo"), is no value: look right and below.
    rest = "" if is_leader_noise(rest) else strip_leader_junk(rest)
    if not any(ch.isalnum() for ch in rest) or _lone_glyph(rest):
        rest = ""
    used = [line]
    anchor = line
    choice = _choice_row(right, all_labels)
    if choice and (not rest.strip() or any(ch in BALLOT_BOXES for ch in rest)):
        # a choice with ballot boxes, each box a line of its own (a PDF form's check boxes):
        # its whole row is the value, so the ticked option can be told from the others
        used, anchor = ([line, *choice], line) if rest.strip() else (choice, choice[0])
        rest = " ".join([rest, *(ln.text for ln in choice)]).strip()
    elif not rest.strip():
        # A box that looks like a label line may hold the value before its label: OCR ran
        # a short value into the next label's box or line ("Giới tính:" | "Nam Quốc tịch:").
        lead = _lead_before_label(right[0], all_labels, wrap) if right else None
        if right and (lead or not _starts_with_any_label(right[0], all_labels)):
            rest = lead or right[0].text
            used = [right[0]]
            anchor = right[0]
        else:
            below = _next_below(line, lines, x_from=line.x0 - line.height)
            if below is None:
                return None
            lead = _lead_before_label(below, all_labels, wrap)
            if not lead and _starts_with_any_label(below, all_labels):
                return None
            rest = lead or below.text
            used = [below]
            anchor = below
        rest, _ = _strip_after_label(rest)
        rest = rest.lstrip(" :;,.…_·").rstrip()
        rest = "" if is_leader_noise(rest) else strip_leader_junk(rest)
    if wrap:
        current = anchor
        for _ in range(max_wrap_lines):
            nxt = _next_below(current, lines, x_from=line.x0 - 0.5 * line.height)
            if nxt is None or _starts_with_any_label(nxt, all_labels):
                break
            if _beside_next_label(nxt, line, lines, all_labels):
                break
            if nxt.x0 < line.x0 - line.height:  # starts left of the label: another block
                break
            # A continuation line is not far left of the label and starts before the value ends.
            if nxt.x0 > anchor.x1 or nxt.y0 - current.y1 > 0.9 * current.height:
                break
            rest = f"{rest.rstrip(' .…_·')} {strip_leader_junk(nxt.text.strip())}"
            used.append(nxt)
            current = nxt
    if not rest.strip(" .…_·") or is_leader_noise(rest):
        return None
    return ValueSpan(rest, used)


def _choice_row(right: Sequence[LayoutLine], labels: Sequence[str]) -> list[LayoutLine]:
    """The boxes right of a label up to the next label, when one of them is a ballot box
    ("☐", "☒": a choice's options); else none."""
    row: list[LayoutLine] = []
    for ln in right:
        if _starts_with_any_label(ln, labels):
            break
        row.append(ln)
    return row if any(ch in BALLOT_BOXES for ln in row for ch in ln.text) else []


def _beside_next_label(
    box: LayoutLine, label: LayoutLine, lines: Sequence[LayoutLine], labels: Sequence[str]
) -> bool:
    """Whether ``box`` sits on a row that a line in the label's own column opens with a
    label: that row is the next field's, and a box beside its label (a speck, a seal's mark
    read as a letter) does not continue the value above. A label line of another block
    (left of the column, a card's expiry under its photo) does not end the value."""
    for ln in lines:
        if ln is box or ln is label or ln.page != box.page or ln.x0 >= box.x0:
            continue
        if abs(ln.x0 - label.x0) > label.height:
            continue
        overlap = min(ln.y1, box.y1) - max(ln.y0, box.y0)
        if overlap > 0.5 * min(ln.height, box.height) and _starts_with_any_label(ln, labels):
            return True
    return False


def _boxes_right(hit: LabelHit, lines: Sequence[LayoutLine]) -> list[LayoutLine]:
    """The boxes on the label's row to the right of the label, nearest first."""
    line = hit.line
    right = [
        ln
        for ln in lines
        if ln is not line
        and ln.page == line.page
        and abs(ln.yc - line.yc) < 0.5 * line.height
        and ln.x0 >= line.x_at(hit.end) - line.height
    ]
    right.sort(key=lambda ln: ln.x0)
    return right


def _next_below(
    line: LayoutLine, lines: Sequence[LayoutLine], *, x_from: float
) -> LayoutLine | None:
    """The nearest line below ``line`` that overlaps it horizontally, within ~1.6 line heights."""
    best: LayoutLine | None = None
    for ln in lines:
        if ln is line or ln.page != line.page or ln.yc <= line.y1 - 0.2 * line.height:
            continue
        if ln.y0 - line.y1 > 1.6 * line.height:
            continue
        if ln.x1 < x_from or ln.x0 > line.x1 or ln.xc < x_from:
            continue  # mostly left of the value's column: another block (a tilted card's)
        if abs(ln.yc - line.yc) < 0.5 * line.height:
            continue
        if best is None or (ln.y0, ln.x0) < (best.y0, best.x0):
            best = ln
    return best
