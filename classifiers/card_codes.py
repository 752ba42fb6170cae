"""The chip citizen card's machine-readable parts: QR payload, ICAO 9303 TD1 MRZ, id structure.

The QR code and the MRZ are independent readings of the fields printed on the card; the
extractor uses them to confirm or correct what OCR read. The 12-digit personal id number
itself encodes the province of birth registration, the century and sex, and the birth
year, so it can be checked against the other fields.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

from core.id_structure import check_id_number
from core.ids import is_ascii_digits, is_id_number
from core.mrz import TD1_LINE1, check_digit
from core.normalize import normalize_date

__all__ = [
    "Mrz",
    "check_digit",
    "decode_qr",
    "find_mrz",
    "id_structure_problems",
    "parse_mrz",
]

log = logging.getLogger(__name__)

# --- id number structure -------------------------------------------------------------------


def id_structure_problems(
    id_number: str, *, sex: str | None = None, date_of_birth: str | None = None
) -> list[str]:
    """The codes of what is wrong with an id number, alone and against sex and birth date
    (empty = fine): ``core.id_structure.check_id_number``, the rule intake shows the clerk."""
    found = check_id_number(id_number, sex=sex, date_of_birth=date_of_birth)
    return [f.code for f in found.findings]


# --- QR --------------------------------------------------------------------------------------


def _zxing(gray: np.ndarray) -> tuple[str | None, bool]:
    """The first QR code zxing decodes in ``gray``, and whether it saw a QR symbol at all
    (one it found but could not decode counts)."""
    try:
        # built per call: a module-level zxing object is reported as leaked at interpreter exit
        qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
        found = zxingcpp.read_barcodes(gray, formats=qr_only, return_errors=True)
    except (RuntimeError, ValueError):  # pragma: no cover - an image zxing cannot take
        return None, False
    text = next((str(r.text) for r in found if r.text and not r.error), None)
    return text, bool(found)


# A whole A4 page at high dpi is halved first: the QR code is still large enough there.
_MAX_SIDE = 3000
_BINARY_BLOCK = 31  # px: several QR modules wide at a card photo's scale


def decode_qr(image: np.ndarray) -> str | None:
    """The text of a QR code anywhere on the page (zxing-cpp), or ``None``.

    zxing-cpp was chosen by ``bench/qr_bench.py`` over OpenCV's QRCodeDetector, its Aruco
    variant and the WeChat decoder: it read the most real card photos and every generated
    one, at a hundredth of their CPU time. It finds a code at any rotation and under
    perspective; a code whose modules are only a few pixels wide (a card filling a fifth
    of a phone photo) is read from the page doubled. A code zxing found but could not
    decode is tried once more on a local-threshold view (``_binarised``); a page on which
    it found no code at all is not: that view costs 0.05-0.12 s a page, and on a page
    without a code (a letter, most certificates) it never found one.
    """
    full = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    gray = full
    halved = max(gray.shape[:2]) > _MAX_SIDE
    if halved:
        gray = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    text, seen = _zxing(gray)
    if text is None and max(gray.shape[:2]) <= _MAX_SIDE:
        # The closer look at a halved page is the page itself, not its half enlarged back
        # (the same size, sharper, and no enlarging: 33 -> 19 ms on a 300-dpi A4 page).
        closer = (
            full if halved else cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
        )
        text, seen_closer = _zxing(closer)
        seen = seen or seen_closer
    if text is None and seen:
        text, _ = _zxing(_binarised(full))
    return text


def _binarised(gray: np.ndarray) -> np.ndarray:
    """``gray`` (at most ``_MAX_SIDE``) thresholded against its neighbourhood: a card's
    guilloche and a photo's uneven light, or the blur of a card turned back from a tilt,
    defeat zxing's own binariser on some codes this view gives it clean."""
    f = min(1.0, _MAX_SIDE / max(gray.shape[:2]))
    if f < 1.0:
        gray = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    return cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, _BINARY_BLOCK, 5
    )


# --- MRZ (ICAO 9303 TD1: 3 lines of 30) --------------------------------------------------------

_TO_DIGIT = {
    "O": "0",
    "Q": "0",
    "D": "0",
    "U": "0",
    "I": "1",
    "L": "1",
    "T": "1",
    "Z": "2",
    "S": "5",
    "G": "6",
    "B": "8",
    "A": "4",
    "<": "0",
}
_TO_ALPHA = {"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B", "4": "A"}
# Characters a general-purpose recogniser reads in place of the filler '<'.
_FILLER_SLIPS = re.compile(r"[Kk«‹<(\[{cC]")


@dataclass(frozen=True)
class Mrz:
    """Fields of a TD1 MRZ; ``valid`` says whether every check digit passed after repair."""

    lines: tuple[str, str, str]
    document_number: str
    id_number: str | None
    date_of_birth: str | None
    sex: str | None
    date_of_expiry: str | None
    nationality: str
    surname_and_given: str | None
    valid: bool
    checks_passed: int
    # the composite check: the only one over line 1's optional data (Vietnam's 12-digit id)
    composite_valid: bool = False

    def fields(self) -> dict[str, str]:
        out = {
            "id_number": self.id_number,
            "date_of_birth": self.date_of_birth,
            "sex": self.sex,
            "date_of_expiry": self.date_of_expiry,
        }
        return {k: v for k, v in out.items() if v}


def _clean_mrz_line(text: str) -> str:
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).upper()
    s = s.replace("«", "<<").replace("‹", "<").replace(" ", "")
    s = re.sub(r"[^A-Z0-9<]", "<", s)
    return s


def _digits(field: str) -> str:
    return "".join(_TO_DIGIT.get(c, c) for c in field)


def _valid_yymmdd(s: str) -> bool:
    return is_ascii_digits(s, 6) and 1 <= int(s[2:4]) <= 12 and 1 <= int(s[4:]) <= 31


def _repair_numeric(
    field: str, check: str, valid: Callable[[str], bool] = lambda s: True
) -> tuple[str, bool]:
    """Make ``field`` numeric and consistent with its check digit, trying slip alternatives.

    A single misread digit is repaired only when exactly one look-alike substitution passes
    both the check digit and ``valid`` (a date must be a date): one check digit cannot
    choose between two candidates, and a guess would be worse than leaving the field out.
    """
    fixed = _digits(field)
    chk = _digits(check)
    if fixed.isdigit() and check_digit(fixed) == chk and valid(fixed):
        return fixed, True
    confusions = {
        "0": "869",
        "1": "74",
        "3": "8",
        "5": "6",
        "6": "58",
        "7": "1",
        "8": "0365",
        "9": "0",
    }
    found = {
        cand
        for i, c in enumerate(fixed)
        for alt in confusions.get(c, "")
        if (cand := fixed[:i] + alt + fixed[i + 1 :]).isdigit()
        and check_digit(cand) == chk
        and valid(cand)
    }
    if len(found) == 1:
        return found.pop(), True
    return fixed, False


def _yymmdd(s: str, *, future: bool) -> str | None:
    if not is_ascii_digits(s, 6):
        return None
    yy, mm, dd = int(s[:2]), int(s[2:4]), int(s[4:])
    year = 2000 + yy if (future or yy <= 30) else 1900 + yy
    if future and year > 2099:
        year -= 100
    return normalize_date(f"{dd:02d}/{mm:02d}/{year}")


def parse_mrz(
    line1: str, line2: str, line3: str, *, birth_year_hint: int | None = None
) -> Mrz | None:
    """Parse a TD1 MRZ, repairing common OCR slips with the help of the check digits.

    An empty ``line1`` is a line 1 not read (``find_mrz``'s line 2 alone): its document
    number and the composite check fail, and no id comes from it."""
    l1, l2, l3 = (_clean_mrz_line(x) for x in (line1, line2, line3))
    line1_read = bool(l1)
    if not line1_read:
        l1 = "IDVNM"
    elif len(l1) < 25:
        return None
    if len(l2) < (_LINE2_HEAD if not line1_read else 25):
        return None
    # Filler slips ("K" for "<") only in runs at the end or inside names.
    l1 = (l1 + "<" * 30)[:30]
    l2 = (l2 + "<" * 30)[:30]
    l3 = (l3 + "<" * 30)[:30]
    if not l1.startswith(("ID", "I<", "1D", "IO", "LD")):
        return None
    # Vietnam's optional data is the 12-digit id then fillers in line 1 and fillers only in
    # line 2: a letter read there in place of a filler ('C', 'K') is a filler, else the
    # composite check over them fails on a slip of the recogniser.
    l1 = l1[:27] + _FILLER_SLIPS.sub("<", l1[27:])
    l2 = l2[:18] + _FILLER_SLIPS.sub("<", l2[18:29]) + l2[29:]
    checks = 0
    doc_no, ok1 = _repair_numeric(l1[5:14], l1[14])
    ok1 = ok1 and line1_read
    checks += ok1
    optional = _digits(l1[15:30].split("<")[0]) if l1[15:30] else ""
    dob_raw, ok2 = _repair_numeric(l2[0:6], l2[6], _valid_yymmdd)
    checks += ok2
    sex_c = {"M": "male", "F": "female", "H": "male", "E": "female"}.get(l2[7])
    exp_raw, ok3 = _repair_numeric(l2[8:14], l2[14], _valid_yymmdd)
    checks += ok3
    nationality = "".join(_TO_ALPHA.get(c, c) for c in l2[15:18])
    composite_data = (
        doc_no
        + _digits(l1[14])
        + l1[15:30]
        + dob_raw
        + _digits(l2[6])
        + exp_raw
        + _digits(l2[14])
        + l2[18:29]
    )
    ok4 = check_digit(composite_data) == _digits(l2[29])
    if not ok4:
        # The optional data in line 1 holds digits in Vietnam's MRZ: repair and retry.
        opt_fixed = "".join(_TO_DIGIT.get(c, c) if c != "<" else c for c in l1[15:30])
        composite_data = (
            doc_no
            + _digits(l1[14])
            + opt_fixed
            + dob_raw
            + _digits(l2[6])
            + exp_raw
            + _digits(l2[14])
            + l2[18:29]
        )
        ok4 = check_digit(composite_data) == _digits(l2[29])
        if ok4:
            optional = opt_fixed.split("<")[0]
    ok4 = ok4 and line1_read
    checks += ok4
    id_number = None
    if is_id_number(optional[:12]):
        id_number = optional[:12]
    elif len(optional) >= 12 and is_id_number(_digits(optional[:12])):
        id_number = _digits(optional[:12])
    dob = _yymmdd(dob_raw, future=False)
    if dob and birth_year_hint and abs(int(dob[:4]) - birth_year_hint) == 100:
        dob = f"{birth_year_hint}{dob[4:]}"
    name = _mrz_name(l3)
    return Mrz(
        lines=(l1, l2, l3),
        document_number=doc_no,
        id_number=id_number,
        date_of_birth=dob if ok2 else None,
        sex=sex_c,
        date_of_expiry=_yymmdd(exp_raw, future=True) if ok3 else None,
        nationality=nationality,
        surname_and_given=name,
        valid=bool(ok1 and ok2 and ok3 and ok4),
        checks_passed=int(checks),
        composite_valid=bool(ok4),
    )


def _mrz_name(l3: str) -> str | None:
    s = re.sub(r"K{2,}$", lambda m: "<" * len(m.group(0)), l3.rstrip("<"))
    s = s.rstrip("<K")
    if not s:
        return None
    s = "".join(_TO_ALPHA.get(c, c) for c in s)
    parts = [p.replace("<", " ").strip() for p in s.split("<<", 1)]
    return " ".join(p for p in parts if p) or None


# Line 1 read with its fixed head garbled past ``TD1_LINE1``: up to three signs of the
# document code (or none, when the recogniser dropped "ID"), the state VNM with each letter
# read as one of its look-alikes in OCR-B ("IDWMM"), then the document number's digits.
# A line 1 cut at its start (the photo's frame or the card's edge took "ID" and the state's
# first letters: "NM0787…") keeps the state's last one or two letters before the digits.
_LINE1_GARBLED = re.compile(r"^(?:[A-Z0-9<]{0,3}?[VYNWU][NMWH][MNWH]|[NMWH]{1,2})(?=[0-9OQDIL]{3})")
# Line 2 whose sex or state is garbled: the birth date and its check, one sign, the expiry.
# (A digit is any sign ``_TO_DIGIT`` reads as one but the filler: "AA0622" is "440622".)
_DIGIT_SIGN = "[0-9" + "".join(c for c in _TO_DIGIT if c != "<") + "]"
_LINE2_GARBLED = re.compile(rf"^{_DIGIT_SIGN}{{7}}.{_DIGIT_SIGN}{{7}}")
# Check digits (of the four) a garbled zone must pass: one passes by chance 1 in 10.
_GARBLED_CHECKS_MIN = 2
# Line 2's head: the birth date and its check, the sex, the expiry and its check.
_LINE2_HEAD = 15
# The state VNM read with its look-alikes in OCR-B; line 1 of any state ("IDFRA…").
_VNM_SLIPS = re.compile(r"[VYNWU][NMWH][MNWH]")
_ANY_LINE1 = re.compile(r"^[I1TL][A-Z0-9<]([A-Z]{3})[0-9OQDIL]{3}")


def find_mrz(texts: list[str]) -> tuple[str, str, str] | None:
    """Pick the three TD1 lines among OCR lines by their content (order on the page may vary).

    Line 1 carries the document code and "VNM" then digits (``core.mrz.TD1_LINE1``: its first
    letters are often misread, "TDVNM", "1DVNM", and the state too, "IDYNM"); line 2 starts with the birth date and holds "VNM" at 15-18;
    line 3 is the name, letters and fillers only.

    A zone whose fixed parts OCR garbled further (the code dropped, the state read "WMM", the
    sex or state in line 2 unreadable) is taken only when its check digits vouch for it: two
    of the four pass (``parse_mrz``'s one-slip repair allowed). Each field still comes only
    with its own check passed. A line 1 cut at its start ("NM0787…") is realigned by the
    state's letters it kept. With no line 1 at all, line 2's head alone (``_line2_alone``)
    gives its two checked dates and the sex, as ``("", line 2, line 3)``.
    """
    cands = [_clean_mrz_line(t) for t in texts]
    cands = [c for c in cands if len(c) >= 24]
    l1 = next((c for c in cands if TD1_LINE1.match(c)), None)
    l2 = None
    if l1 is not None:
        l2 = next((c for c in cands if c is not l1 and _is_line2(c)), None)
        if l2 is not None:
            l3 = _name_line(cands, l1, l2)
            # Normalise the misread document code and state: whatever precedes the state is
            # "ID", and the state, read with a look-alike slip, is VNM (neither is under a
            # check digit; the document number, dates and composite that follow still are).
            state = TD1_LINE1.match(l1)
            assert state is not None
            return "IDVNM" + l1[state.end(1) :], l2, l3
    return _garbled_mrz(cands) or _line2_alone([_clean_mrz_line(t) for t in texts])


def _is_line2(c: str) -> bool:
    return bool(re.match(r"^[0-9OQDIL]{6}[0-9OQDIL<][MF<]", c) or c[15:18] == "VNM")


def _name_line(cands: list[str], l1: str, l2: str) -> str:
    return next(
        (c for c in cands if c not in (l1, l2) and "<<" in c and not re.search(r"\d{3}", c)), ""
    )


def _garbled_mrz(cands: list[str]) -> tuple[str, str, str] | None:
    """The zone read from lines whose fixed parts are garbled, vouched for by its check digits
    (``find_mrz``), or ``None``."""
    for c1 in cands:
        head = _LINE1_GARBLED.match(c1)
        if head is None or not 26 <= len(c1) - head.end() + 5 <= 32:
            continue
        l1 = "IDVNM" + c1[head.end() :]
        for l2 in (c for c in cands if c is not c1 and 26 <= len(c) <= 32):
            if not (_is_line2(l2) or _LINE2_GARBLED.match(l2)):
                continue
            l3 = _name_line(cands, c1, l2)
            mrz = parse_mrz(l1, l2, l3)
            if mrz is not None and mrz.checks_passed >= _GARBLED_CHECKS_MIN:
                return l1, l2, l3
    return None


def _line2_alone(cands: list[str]) -> tuple[str, str, str] | None:
    """Line 2's head read without a line 1 (line 1 lost, or the zone read in pieces: a
    finger or glare over its middle), as ``("", line 2, line 3)``, when its two date checks
    both pass as read: no slip is repaired, as a check digit misread would be "repaired"
    into a wrong date with no other check to catch it. It gives the birth date and expiry,
    each under its own check digit, and the sex (under none, as in any zone); no id, whose
    only check is the composite over line 1. Line 2 read as far as its nationality must read
    VNM there, and a line 1 of another state makes the zone no Vietnamese card's."""
    if any(
        (m := _ANY_LINE1.match(c)) is not None and not _VNM_SLIPS.fullmatch(m.group(1))
        for c in cands
    ):
        return None
    for l2 in cands:
        if not _LINE2_HEAD <= len(l2) <= 32 or not _LINE2_GARBLED.match(l2):
            continue
        if len(l2) >= 18 and not _VNM_SLIPS.fullmatch(l2[15:18]):
            continue
        if all(_checks_as_read(l2[i : i + 6], l2[i + 6]) for i in (0, 8)):
            return "", l2, _name_line([c for c in cands if len(c) >= 24], "", l2)
    return None


def _checks_as_read(field: str, check: str) -> bool:
    """A date of the zone whose check digit passes with no slip repaired."""
    date = _digits(field)
    return _valid_yymmdd(date) and check_digit(date) == _digits(check)
