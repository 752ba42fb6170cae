"""ICAO 9303 check digits of a TD1 machine-readable zone (the card back's 3 lines of 30), and
lines that read as pieces of one.

Shared by the engine, which re-reads a card's MRZ and keeps the reading whose check digits
pass, and the classifiers, which parse and repair it (classifiers.card_codes).
"""

from __future__ import annotations

import re

__all__ = ["MRZ_PIECES_MIN", "TD1_LINE1", "check_digit", "mrz_filler_lines", "td1_checks_passed"]

_WEIGHTS = (7, 3, 1)

# The start of a Vietnamese card's TD1 line 1 as OCR reads it: a document code of 1-3 signs
# (often misread: "TDVNM", "1DVNM"), the issuing state VNM with its look-alike slips (V read
# Y or N, N and M swapped), then the document number's first digits. Group 1 is the state.
TD1_LINE1 = re.compile(r"^[A-Z0-9<]{1,3}?([VNY][NM][MN])[0-9OQDIL]{3}")

# An MRZ line read with its letters and digits garbled still shows the zone's filler '<' in
# runs, which no other print on a card or a page carries: a line of mostly MRZ signs
# (capitals, digits, '<'; spaces aside) holding a run of two fillers is a piece of an MRZ.
_MRZ_SIGN = re.compile(r"[A-Z0-9<]")
_MRZ_SIGNS_SHARE = 0.8
# Pieces that make a page a card back when no line reads as the MRZ's first: two, as one
# stray "<<" may be read from anything.
MRZ_PIECES_MIN = 2


def _char_value(c: str) -> int:
    if c.isdigit():
        return int(c)
    if "A" <= c <= "Z":
        return ord(c) - 55
    return 0  # '<'


def check_digit(data: str) -> str:
    """ICAO 9303 check digit (weights 7-3-1, letters A=10…Z=35, filler 0)."""
    return str(sum(_char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(data)) % 10)


def td1_checks_passed(line1: str, line2: str) -> int:
    """How many of the four TD1 check digits hold as read (document number, birth date,
    expiry date, composite), without any repair: 0-4."""
    if len(line1) < 30 or len(line2) < 30:
        return 0
    fields = ((line1[5:14], line1[14]), (line2[0:6], line2[6]), (line2[8:14], line2[14]))
    passed = sum(check_digit(data) == check for data, check in fields)
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    return passed + (check_digit(composite) == line2[29])


def mrz_filler_lines(texts: list[str]) -> int:
    """How many of ``texts`` read as pieces of an MRZ: mostly MRZ signs with a run of two
    fillers ("1830<<<", "TRAN<<NGOC<QUYEN<<<<"), however garbled the rest. An MRZ read upside
    down turns its fillers to '>' and is not counted."""
    found = 0
    for text in texts:
        s = text.upper().replace("«", "<<").replace(" ", "")
        if "<<" not in s:
            continue
        signs = sum(1 for c in s if _MRZ_SIGN.match(c))
        found += signs >= _MRZ_SIGNS_SHARE * len(s)
    return found
