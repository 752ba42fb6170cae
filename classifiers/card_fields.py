"""Citizen card (CCCD 2021 / Căn cước 2024) extractors: printed labels fused with QR and MRZ.

OCR reads the printed fields; the QR code (front of 2021, back of 2024) and the MRZ (back)
are independent machine-readable copies. A value confirmed by two sources gets a high
confidence; where they disagree the machine-readable source wins (the QR has error
correction, each MRZ field has a check digit); ``field_source`` records which won.
The id number's own structure (province, century/sex digit, birth year) is checked
against the other fields last.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from classifiers.card_codes import find_mrz, id_structure_problems, parse_mrz
from classifiers.card_type import page_qr
from classifiers.fields import (
    AT_IMAGE_EDGE,
    CUT_BY_GLARE,
    GLARE_BEFORE,
    ExtractedFields,
    FieldSpec,
    LabelExtractor,
    PageInput,
)
from classifiers.text_lines import LayoutLine, compact, labels_opening_lines
from core.normalize import fold, normalize_date, normalize_id_number, normalize_name

__all__ = ["CardBackExtractor", "CardFrontExtractor"]

log = logging.getLogger(__name__)


def _merge(out: ExtractedFields, name: str, value: str, source: str, *, trust: float) -> None:
    """Fuse a machine-readable reading into the OCR result: both readings are kept, and a
    disagreement is marked for review (the machine-readable source wins: the QR has error
    correction, each MRZ field a check digit)."""
    if name not in out.fields:
        out.set(name, value, trust, source)
        if out.review.get(name) == GLARE_BEFORE:
            del out.review[name]  # the print's reading left out as cut short; this one is whole
        return
    out.readings.setdefault(name, {out.source.get(name, "ocr"): out.fields[name]})
    out.readings[name][source] = value
    if out.fields[name] == value:
        out.set(name, value, max(0.995, out.confidence[name]), source)
        _confirmed_whole(out, name)
        return
    log.debug("%s: OCR reading corrected by %s", name, source)  # values are personal
    out.review[name] = f"{'/'.join(sorted(out.readings[name]))} disagree; {source} taken"
    out.set(name, value, trust, source)


def _confirmed_whole(out: ExtractedFields, name: str) -> None:
    """A machine-readable source read the same value: one read at the image's edge or where
    glare begins was not cut off after all."""
    if out.review.get(name) in (AT_IMAGE_EDGE, CUT_BY_GLARE):
        del out.review[name]


_VIET_NAM = "Việt Nam"
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _printed_with_qr_letters(printed: str, qr: str) -> str | None:
    """The printed address spelled with the QR code's letters, or ``None`` when the two are
    not the same words (but for one short word OCR garbled).

    OCR slips on tone marks ("Thành" for "Thanh"); the QR code does not (error correction),
    but it separates every part with a comma where the card wraps a line or prints none.
    When both hold the same words (diacritics aside), the QR's words are taken with the
    print's separators: a comma where the print shows one (OCR may read it ";"), a space
    elsewhere. An abbreviating QR ("TP." for "Thành phố") has other words: the print stays.
    """
    p_words = [(m.group(0), m.end()) for m in _WORD.finditer(printed)]
    q_words = [m.group(0) for m in _WORD.finditer(qr)]
    if not p_words or len(p_words) != len(q_words):
        return None
    differ = [p for (p, _), q in zip(p_words, q_words, strict=True) if fold(p) != fold(q)]
    # One short word OCR garbled (a hamlet's number "1" read "Ỷq") among four or more that
    # agree is still the same address; a longer or a second differing word is another.
    if differ and (len(differ) > 1 or len(differ[0]) > 2 or len(p_words) < 5):
        return None
    out = []
    for k, ((_, end), word) in enumerate(zip(p_words, q_words, strict=True)):
        out.append(word)
        if k + 1 < len(p_words):
            gap = printed[end : printed.find(p_words[k + 1][0], end)]
            out.append(", " if ("," in gap or ";" in gap) else " ")
    return "".join(out)


def _continued(printed: str, qr: str, pages: Sequence[PageInput]) -> str:
    """``printed`` and its wrapped second line, when the page's layout lost the wrap: the
    printed words begin the QR's and a line of the page holds exactly the QR's other words
    (a tilted card's lines come out of reading order)."""
    p_words = [fold(w) for w in _WORD.findall(printed)]
    q_words = [fold(w) for w in _WORD.findall(qr)]
    if not p_words or len(p_words) >= len(q_words) or q_words[: len(p_words)] != p_words:
        return printed
    rest = q_words[len(p_words) :]
    for ln in (ln for p in pages for ln in p.lines):
        if [fold(w) for w in _WORD.findall(ln.text)] == rest:
            return f"{printed} {ln.text.strip()}"
    return printed


def _words_of(text: str) -> list[str]:
    return [fold(w) for w in _WORD.findall(text)]


def _just_under(upper: LayoutLine, lower: LayoutLine) -> bool:
    """``lower`` is the row right under ``upper`` and starts before ``upper`` ends: where a
    wrapped value goes on (a tilted card's lines come out of reading order, so it is not
    always the next line)."""
    return (
        upper.yc < lower.yc
        and lower.y0 - upper.y1 < upper.height
        and lower.x0 < upper.x1
        and upper.page == lower.page
    )


def _with_the_cards_wrap(qr: str, pages: Sequence[PageInput]) -> str:
    """The QR's address with a space, not its comma, where the card wraps the line: the QR
    puts a comma between every two parts, the card prints none at its wrap. The wrap is
    where a line of the page ends with the last word of the QR's parts before it and the
    line right under it holds exactly the words of the parts after it (a line ending in a
    comma printed keeps the comma)."""
    parts = [part.strip() for part in qr.split(",")]
    lines = [ln for p in pages for ln in p.lines]
    for k in range(1, len(parts)):
        head, rest = _words_of(parts[k - 1]), _words_of(", ".join(parts[k:]))
        if not head or not rest:
            continue
        ends = [
            ln
            for ln in lines
            if _words_of(ln.text)[-1:] == head[-1:] and not ln.text.rstrip().endswith(",")
        ]
        for first in ends:
            if any(_words_of(ln.text) == rest and _just_under(first, ln) for ln in lines):
                return f"{', '.join(parts[:k])} {', '.join(parts[k:])}"
    return qr


def _merge_address(
    out: ExtractedFields, name: str, qr_value: str | None, pages: Sequence[PageInput]
) -> None:
    """An address stays as printed (the QR abbreviates and punctuates its own way): the QR
    corrects its letters when both are the same words, supplies it (for review) when OCR
    read none, and is only reported when they differ."""
    if not qr_value:
        return
    if name not in out.fields:
        out.set(name, _with_the_cards_wrap(qr_value, pages), 0.8, "qr")
        out.review[name] = "read from the QR code only: check it against the print"
        return
    printed = out.fields[name]
    out.readings[name] = {"ocr": printed, "qr": qr_value}
    printed = _continued(printed, qr_value, pages)
    spelled = _printed_with_qr_letters(printed, qr_value)
    if spelled is not None:
        out.set(name, spelled, max(0.97, out.confidence[name]), "ocr+qr")
        _confirmed_whole(out, name)
    else:
        out.review[name] = "ocr/qr disagree; the print kept"


_SAME_PLACE_WORDS = 3  # commune, district and province at least


def _spell_origin(out: ExtractedFields, qr_address: str | None) -> None:
    """The place of origin spelled with the QR's letters where it names the same place as
    the end of the QR's address (the same three or more words, diacritics aside): the QR
    holds no origin, but a place's name is spelled one way (OCR slips on tone marks)."""
    origin = out.fields.get("place_of_origin")
    if not origin or not qr_address:
        return
    o_words = [fold(w) for w in _WORD.findall(origin)]
    q_matches = list(_WORD.finditer(qr_address))
    n = len(o_words)
    if n < _SAME_PLACE_WORDS or n > len(q_matches):
        return
    tail = q_matches[-n:]
    if [fold(m.group(0)) for m in tail] != o_words:
        return
    spelled = _printed_with_qr_letters(origin, qr_address[tail[0].start() :])
    if spelled is not None and spelled != origin:
        out.set("place_of_origin", spelled, out.confidence["place_of_origin"], "ocr+qr")


_DIGIT_RUN = re.compile(r"(?<![0-9])[0-9]{4,11}(?![0-9])")


def _number_hidden(pages: Sequence[PageInput], number: str) -> bool:
    """The card shows only the start of ``number`` (the rest whited out or covered): a run
    of 4-11 digits that begins it is printed, and the whole number nowhere."""
    texts = [re.sub(r"(?<=[0-9]) (?=[0-9])", "", ln.text) for p in pages for ln in p.lines]
    if any(number in t for t in texts):
        return False
    return any(number.startswith(m.group(0)) for t in texts for m in _DIGIT_RUN.finditer(t))


# The nationality label's first word, which OCR keeps, then what it made of the rest of the
# label and its gloss ("Quốc dch/Nationalty:"), then the country's name closing the row.
_NATIONALITY_ROW = re.compile(r"(?:^|\W)quoc\W(?:(?!viet).){1,24}?\W(viet\W*nam)\W*$")


def _nationality_closing_its_row(pages: Sequence[PageInput], out: ExtractedFields) -> None:
    """The nationality whose label OCR garbled past recognition ("Quốc tchJNationaký;"): a
    row that holds the label's first word and ends in the country's name (only citizens hold these
    cards, so no other nationality is printed there)."""
    for line in (ln for p in pages for ln in p.lines):
        if _NATIONALITY_ROW.search(fold(line.text)):
            out.set("nationality", _VIET_NAM, 0.85 * line.confidence)
            return


# A box ending in the country's name, whatever OCR made of the label before it.
_ENDS_IN_COUNTRY = re.compile(r"(?:^|\W)viet\W*nam\W*$")
# The card's number: nine (the CMND's) to twelve digits in one run.
_CARD_NUMBER = re.compile(r"(?<![0-9])(?:[0-9]\s?){8,11}[0-9](?![0-9])")
# The sex as a card prints it, the last word of its box.
_SEX_WORDS = {"nam": "male", "nu": "female"}


def _sex_and_nationality_row(pages: Sequence[PageInput], out: ExtractedFields) -> None:
    """The sex and the nationality whose labels OCR garbled past any label rule ("Cam 0 taa
    Nam" | "0n mơ Matmaty Viêt Nam"). Below its number, a chip card's front (2016, 2021 and
    2024) prints the sex and the nationality on one row, the nationality last, and no other
    line there ends in the country's name (the heading that does sits above the number; only
    citizens hold these cards). So a box below the number that ends in the country's name is the
    nationality, and the box right before it on its row, when its last word is "Nam" or "Nữ",
    is the sex. Each is taken only when missing, below the printed reading's confidence."""
    for page in pages:
        numbers = [ln for ln in page.lines if _CARD_NUMBER.search(ln.text)]
        if not numbers:
            continue
        below = min(ln.y1 for ln in numbers)
        rows = [
            ln for ln in page.lines if ln.y0 >= below and _ENDS_IN_COUNTRY.search(fold(ln.text))
        ]
        if len(rows) != 1:
            continue  # none, or more than the one row a card prints
        country = rows[0]
        if "nationality" not in out.fields:
            out.set("nationality", _VIET_NAM, 0.85 * country.confidence)
        before = [
            ln
            for ln in page.lines
            if ln is not country
            and abs(ln.yc - country.yc) < 0.5 * country.height
            and ln.x1 <= country.x0 + 0.5 * country.height
        ]
        if "sex" in out.fields or not before:
            return
        nearest = max(before, key=lambda ln: ln.x1)
        words = re.findall(r"[a-z]+", fold(nearest.text))
        if words and words[-1] in _SEX_WORDS:
            out.set("sex", _SEX_WORDS[words[-1]], 0.85 * nearest.confidence)
        return


def _printed(pages: Sequence[PageInput], phrase: str) -> bool:
    needle = compact(phrase)[0]
    return any(needle in compact(ln.text)[0] for p in pages for ln in p.lines)


def _qr_fields(pages: Sequence[PageInput]) -> dict[str, str]:
    for p in pages:
        payload = page_qr(p)
        if payload is not None:
            return payload.fields()
    return {}


# The id number read from the print alone that fails its own structure and also contradicts
# the card: the digits were misread, so none of them is given (wrong is worse than missing).
_MISREAD_ID = (
    "misread: the number fits no id's structure and contradicts the card's birth date or sex;"
    " type it from the card"
)


def _check_id(out: ExtractedFields) -> None:
    """Lower the id's confidence when its structure disagrees with sex or birth date; drop it,
    for review, when it also fails on its own and only the print read it.

    Digits 1-6 restate the province of birth, the century and sex and the birth year
    (Decree 137/2015 Art. 13). A number that fails on its own (a province code in no table,
    a birth year to come: a citizen born abroad may carry a country's code, so that alone
    is not enough) and also disagrees with the card's own birth date or sex has misread
    digits; a number the QR or MRZ confirmed is kept (their check digits hold)."""
    id_number = out.fields.get("id_number")
    if not id_number:
        return
    problems = id_structure_problems(
        id_number, sex=out.fields.get("sex"), date_of_birth=out.fields.get("date_of_birth")
    )
    if not problems:
        return
    alone = id_structure_problems(id_number)
    if out.source.get("id_number") == "ocr" and alone and set(problems) - set(alone):
        out.drop("id_number")
        out.review["id_number"] = _MISREAD_ID
        return
    out.confidence["id_number"] = round(out.confidence["id_number"] * 0.6, 4)


# Twelve digits alone on their line, after at most the "Số:" label however misread ("sẽ:").
_ID_LINE = re.compile(r"^[^0-9]{0,5}((?:[0-9]\s?){12})\W{0,3}$")
_UPPER_NAME = re.compile(r"^[^\W\d_]+(?: [^\W\d_]+){1,5}$")
# Printed in capitals on a card front, but never a holder's name.
_CARD_HEADINGS = ("cong hoa", "can cuoc", "identity", "socialist", "viet nam", "citizen")


def _template_fields(pages: Sequence[PageInput], out: ExtractedFields) -> None:
    """A card front whose labels OCR could not read (blur): the card's fixed layout still
    tells the id number (the line of twelve digits alone) and the name (the line of
    capitals right under it). Taken at a lower confidence, and only when missing."""
    lines: list[LayoutLine] = [ln for p in pages for ln in p.lines]
    for k, line in enumerate(lines):
        m = _ID_LINE.match(line.text.strip())
        if m is None or (number := normalize_id_number(m.group(1))) is None:
            continue
        if "id_number" not in out.fields:
            out.set("id_number", number, 0.6 * line.confidence, "ocr")
        if "full_name" not in out.fields:
            for below in lines[k + 1 : k + 3]:
                text = below.text.strip()
                folded = compact(text)[0]
                if (
                    _UPPER_NAME.match(text)
                    and text == text.upper()
                    and not any(h in folded for h in _CARD_HEADINGS)
                    and (name := normalize_name(text)) is not None
                ):
                    out.set("full_name", name, 0.6 * below.confidence, "ocr")
                    break
        return


@dataclass
class CardFrontExtractor:
    """The card front: its printed labels (``specs``, from the type's record) fused with the
    2021 card's QR code, then the id number's structure checked."""

    doc_type: str
    specs: tuple[FieldSpec, ...]
    other_labels: tuple[str, ...] = ()
    # The labels the old 9-digit CMND prints: half of them opening lines make the page a
    # CMND when OCR lost its red title.
    cmnd_labels: tuple[str, ...] = ()

    def _is_cmnd(self, pages: Sequence[PageInput]) -> bool:
        if _printed(pages, "chứng minh nhân dân"):
            return True
        lines = [ln for p in pages for ln in p.lines]
        return bool(self.cmnd_labels) and labels_opening_lines(self.cmnd_labels, lines) >= 0.5

    def extract(self, pages: Sequence[PageInput]) -> ExtractedFields:
        out = LabelExtractor(self.doc_type, self.specs, other_labels=self.other_labels).extract(
            pages
        )
        nationality = out.fields.get("nationality")
        if nationality and nationality != _VIET_NAM and fold(nationality).startswith("viet "):
            # only citizens hold these cards: a reading that begins "Việt" is Việt Nam misread
            out.set("nationality", _VIET_NAM, 0.9 * out.confidence["nationality"])
        if "old_id_number" in out.fields and not self._is_cmnd(pages):
            out.drop("old_id_number")  # 9 digits are an old number on a CMND only
        if "id_number" not in out.fields or "full_name" not in out.fields:
            _template_fields(pages, out)
        if "nationality" not in out.fields:
            _nationality_closing_its_row(pages, out)
        if ("nationality" not in out.fields or "sex" not in out.fields) and not self._is_cmnd(
            pages
        ):
            _sex_and_nationality_row(pages, out)
        # The 2021 card has its QR on the front (read whether or not OCR read the title).
        qr = _qr_fields(pages)
        if "id_number" in qr and _number_hidden(pages, qr["id_number"]):
            # the holder hid the number on the print: the QR does not give it back
            qr.pop("id_number")
            out.drop("id_number")
            out.review["id_number"] = "partly hidden on the card"
        for name in ("id_number", "full_name", "date_of_birth", "sex"):
            if name in qr:
                _merge(out, name, qr[name], "qr", trust=0.97)
        _merge_address(out, "place_of_residence", qr.get("place_of_residence"), pages)
        _spell_origin(out, qr.get("place_of_residence"))
        if "date_of_expiry" not in out.fields:
            _expiry_on_a_renewal_birthday(pages, out)
        if all(p.machine_readable for p in pages):
            _check_id(out)
        return out


# A citizen card is renewed when its holder turns 14, 25, 40 and 60 (Luật Căn cước công dân
# 2014 Art. 21, Luật Căn cước 2023 Art. 21): it is valid until that birthday, so the date it
# prints as its expiry is the birth date's day and month in one of those years.
_RENEWAL_AGES = (14, 25, 40, 60)


def _expiry_on_a_renewal_birthday(pages: Sequence[PageInput], out: ExtractedFields) -> None:
    """The expiry whose label OCR garbled past recognition ("Có xy zw đơn: 15/08/2032"): the
    one date on the card, other than the birth date, that falls on a renewal birthday."""
    born = out.fields.get("date_of_birth", "")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", born):
        return
    year, birthday = int(born[:4]), born[4:]
    renewals = {f"{year + age}{birthday}" for age in _RENEWAL_AGES}
    found: dict[str, float] = {}
    for line in (ln for p in pages for ln in p.lines):
        date = normalize_date(line.text)
        if date in renewals:
            found.setdefault(date, line.confidence)
    if len(found) == 1:
        ((date, confidence),) = found.items()
        out.set("date_of_expiry", date, confidence)
    elif not found:
        _expiry_from_its_year(pages, out, year, birthday)


# The expiry label's first words, which OCR keeps when it garbles the rest ("Có giá ơị dễn").
_EXPIRY_OPENING = "co gia"
# The year closing the value: four digits, nothing but marks after them.
_CLOSING_YEAR = re.compile(r"(?<![0-9])[0-9]*?([0-9]{4})\W*$")


def _expiry_from_its_year(
    pages: Sequence[PageInput], out: ExtractedFields, born_year: int, birthday: str
) -> None:
    """The expiry whose day and month OCR garbled ("Có giá trị đến23M02025": the slashes
    read as letters or digits, a 1 read as a 4): the value after the expiry label still
    ends in its year, and a card expires on its holder's birthday in a renewal year (Art.
    21), so that year alone fixes the date. Taken for review, below the printed reading's
    confidence; a year that is no renewal year gives nothing."""
    renewal_years = {born_year + age for age in _RENEWAL_AGES}
    for line in (ln for p in pages for ln in p.lines):
        folded, index = compact(line.text)
        if not folded.startswith(_EXPIRY_OPENING):
            continue
        after = line.text[index[len(_EXPIRY_OPENING) - 1] + 1 :]
        m = _CLOSING_YEAR.search(after)
        if m is None or int(m.group(1)) not in renewal_years:
            continue
        out.set("date_of_expiry", f"{m.group(1)}{birthday}", 0.6 * line.confidence)
        out.review["date_of_expiry"] = (
            "day and month misread: the holder's birthday in the year read (renewal age)"
        )
        return


# The issue date as the CMND and the 2016 card print it in their signature block, "Ngày 26
# tháng 09 năm 2013": three words, each before a number (day and month of two digits, as
# cards print them), whatever OCR made of the words ("Noáy 26 nưp 09 năm 2013").
_SMALL_WORD = r"[^\W\d_]{1,6}"
_DATE_WRITTEN_OUT = re.compile(
    rf"(?<!\w){_SMALL_WORD}\s+([0-9]{{2}})\s+{_SMALL_WORD}\s+([0-9]{{2}})\s+{_SMALL_WORD}\s+([0-9]{{4}})(?![0-9])"
)


def _issue_date_written_out(pages: Sequence[PageInput], out: ExtractedFields) -> None:
    """The issue date whose words OCR garbled past the label "Ngày" and the date's own
    forms: on a card back, the only date written out in words and numbers is the issue date
    (the 2021 and 2024 backs print theirs as numbers)."""
    for line in (ln for p in pages for ln in p.lines):
        m = _DATE_WRITTEN_OUT.search(line.text)
        if m is None:
            continue
        day, month, year = m.groups()
        value = normalize_date(f"{day}/{month}/{year}")
        if value is not None:
            out.set("date_of_issue", value, 0.85 * line.confidence)
            return


@dataclass
class CardBackExtractor:
    """The card back: issue and expiry dates by their labels (``specs``, from the type's
    record), the rest from the 2024 card's QR code and the MRZ."""

    doc_type: str
    specs: tuple[FieldSpec, ...]
    other_labels: tuple[str, ...] = ()

    def extract(self, pages: Sequence[PageInput]) -> ExtractedFields:
        label_out = LabelExtractor(
            self.doc_type, self.specs, other_labels=self.other_labels
        ).extract(pages)
        out = ExtractedFields()
        for name in ("date_of_issue", "date_of_expiry"):
            if name in label_out.fields:
                out.set(name, label_out.fields[name], label_out.confidence[name])
            if name in label_out.review:
                out.review[name] = label_out.review[name]
        if "date_of_issue" not in out.fields:
            _issue_date_written_out(pages, out)
        # The 2021 back ("Đặc điểm nhân dạng", fingerprints) has no QR; the 2024 back has one.
        qr = {} if _printed(pages, "đặc điểm nhân dạng") else _qr_fields(pages)
        for name in ("id_number", "date_of_birth", "sex", "date_of_issue"):
            if name in qr:
                _merge(out, name, qr[name], "qr", trust=0.97)
        lines = [ln for p in pages for ln in p.lines]
        use_mrz = all(p.machine_readable for p in pages)
        found = find_mrz([ln.text for ln in lines]) if use_mrz else None
        if found is not None:
            century = None
            if out.fields.get("id_number"):
                century = 1900 + 100 * (int(out.fields["id_number"][3]) // 2)
            mrz = parse_mrz(*found)
            if mrz is not None:
                mrz_fields = mrz.fields()
                idn = mrz_fields.get("id_number")
                if idn and (idn[-9:] != mrz.document_number or not mrz.composite_valid):
                    # optional data disagrees with the checked number, or its own check (the
                    # composite, the only one over its first digits) fails
                    mrz_fields.pop("id_number")
                if idn and "id_number" in mrz_fields:
                    century = 1900 + 100 * (int(idn[3]) // 2)
                dob = mrz_fields.get("date_of_birth")
                if dob and century is not None:
                    mrz_fields["date_of_birth"] = f"{century + int(dob[2:4])}{dob[4:]}"
                for name, value in mrz_fields.items():
                    _merge(out, name, value, "mrz", trust=0.96 if mrz.valid else 0.85)
        if use_mrz:
            _check_id(out)
        return out
