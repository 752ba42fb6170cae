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

import cv2
import numpy as np

from core.mrz import td1_checks_passed
from core.records import OcrLine
from ocr_service.engine import _exec_tesseract as tess
from ocr_service.engine.crops import line_contrast

__all__ = ["fix_mrz_line", "reread_zone"]

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


# --- the zone read again ---------------------------------------------------------------------

_WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
# Heights (px) a line of the zone is read at: OCR-B at 30 px read every check digit of the
# real and generated card backs tried; 40 px is the second chance.
_REREAD_HEIGHTS = (30, 40)
_ZONE_MARGIN = 0.4  # of a line's height, around the zone's lines


def _looks_like_zone_line(text: str) -> bool:
    """An MRZ line as a general recognizer reads it: about 30 characters of capitals,
    digits and fillers ("<", or "K" for it), no lower case, no spaces between words."""
    s = text.replace(" ", "")
    return (
        len(s) in _LENGTH
        and s == s.upper()
        and sum(c in _ALPHABET or c == "«" for c in s) >= 0.9 * len(s)
        and sum(c.isdigit() or c == "<" for c in s) >= 3
    )


def _score(texts: list[str]) -> int:
    """Check digits passed by the first two lines of a reading (0-4)."""
    lines = [_compact(t) for t in texts]
    return td1_checks_passed(lines[0], lines[1]) if len(lines) >= 2 else 0


def reread_zone(image: np.ndarray, lines: list[OcrLine]) -> list[OcrLine]:
    """``lines`` with a card's MRZ read again from a crop of the whole zone, by Tesseract
    restricted to the MRZ alphabet, when that reading passes more of the ICAO check digits
    than the page's reading did; every other line unchanged.

    The page's recognizer reads the zone as Vietnamese text ("K" for the filler, "NNM" for
    "VNM"); the zone's own alphabet and check digits say which reading is right."""
    zone = [i for i, ln in enumerate(lines) if _looks_like_zone_line(ln.text)]
    if not 2 <= len(zone) <= 3 or zone[-1] - zone[0] != len(zone) - 1:
        return lines
    before = _score([lines[i].text for i in zone])
    if before == 4:
        return lines
    pts = np.array([p for i in zone for p in lines[i].box], dtype=np.float32)
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    line_h = float(y1 - y0) / len(zone)
    m = _ZONE_MARGIN * line_h
    h, w = image.shape[:2]
    crop = image[
        int(max(0, y0 - m)) : int(min(h, y1 + m)), int(max(0, x0 - m)) : int(min(w, x1 + m))
    ]
    if crop.size == 0:
        return lines
    best: tuple[int, list[str]] = (before, [])
    for height in _REREAD_HEIGHTS:
        texts = _read_zone(crop, height / max(line_h, 1.0))
        if len(texts) == len(zone) and (score := _score(texts)) > best[0]:
            best = (score, texts)
        if best[0] == 4:
            break
    if not best[1]:
        return lines
    out = list(lines)
    for i, text in zip(zone, best[1], strict=True):
        out[i] = OcrLine(text=text, box=lines[i].box, confidence=lines[i].confidence)
    return out


def _read_zone(crop: np.ndarray, factor: float) -> list[str]:
    gray = line_contrast(crop)
    interp = cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA
    gray = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=interp)
    gray = cv2.copyMakeBorder(gray, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=(255,))
    words = tess.image_to_words(gray, lang="eng", psm=6, whitelist=_WHITELIST)
    rows: dict[tuple[int, int, int], list[str]] = {}
    for word in words:
        rows.setdefault((word.block, word.par, word.line), []).append(word.text)
    texts = ["".join(ws) for _, ws in sorted(rows.items())]
    return [t for t in texts if len(t) in _LENGTH]
