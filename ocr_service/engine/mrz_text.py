"""A line of a chip card's machine-readable zone (ICAO 9303 TD1) put back into its alphabet.

The MRZ is printed in OCR-B from A–Z, 0–9 and the filler "<" only, 30 characters a line,
and the recognizers read it as text: fillers as "-" or "«", a Vietnamese tone mark on a
name's letter ("THỦY"), spaces inside the line, "TDVNM" for the document code "ID". A line
is taken for an MRZ line only when its characters are nearly all of that alphabet and it
holds a run of fillers, which no other printed line does.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fix_mrz_line"]

_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
_FILLERS = str.maketrans({"-": "<", "‹": "<", "_": "<", "—": "<", "–": "<"})
# line 1 opens with the document code ("I" + a letter or filler; "ID" on the chip card),
# then the issuing state's three letters and the document number
_LINE1 = re.compile(r"^[T1lI|!][D0O]([A-Z]{3})(?=[0-9O])")
# letters OCR-B digits are taken for, in the name line, which holds no digit
_TO_LETTER = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B"})
_LENGTH = range(26, 35)  # 30, give or take a misread character


def _compact(text: str) -> str:
    s = unicodedata.normalize("NFKD", text.replace("«", "<<"))
    s = "".join(c for c in s if not unicodedata.combining(c)).upper()
    return s.translate(_FILLERS).replace(" ", "")


def _is_mrz(raw: str, s: str) -> bool:
    """``s`` (``raw`` compacted) has an MRZ line's length and alphabet, a printed filler
    and letters or digits: a rule of dashes is no MRZ line."""
    return (
        len(s) in _LENGTH
        and "<" in raw
        and "<<" in s
        and sum(c.isalnum() for c in s) >= 8
        and sum(c in _ALPHABET for c in s) >= 0.9 * len(s)
    )


def _is_name_line(s: str) -> bool:
    """Line 3: surname << given names < …, letters only; a digit in it is a misread letter."""
    return s[0].isalpha() and not re.search(r"\d\d", s) and sum(c.isdigit() for c in s) <= 4


def fix_mrz_line(text: str) -> str:
    """``text`` with its MRZ part (the line, or its tail after words run into it) in the
    MRZ alphabet; any other line unchanged."""
    words = text.split()
    found: list[tuple[int, int, str]] = []
    for k, word in enumerate(words):
        if not all(c in _ALPHABET for c in _compact(word[:2])) or word[:2] != word[:2].upper():
            continue  # a lower-case or accented word is text beside the zone, not in it
        raw = " ".join(words[k:])
        s = _compact(raw)
        if _is_mrz(raw, s):
            found.append((abs(len(s) - 30), -k, s))
    if not found:
        return text
    _, k, s = min(found)
    s = _LINE1.sub(r"ID\1", s)
    if _is_name_line(s):
        s = s.translate(_TO_LETTER)
    return " ".join([*words[:-k], s])
