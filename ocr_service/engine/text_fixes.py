"""A recognized line's text tidied: dot leaders dropped, recurring misreads of fixed text fixed.

``tidy_line`` is what every line read goes through. The recognizers drop the dot below on
capitals ("CỘNG" → "CÔNG", "NHẬN" → "NHÂN"); the single words are valid Vietnamese, so only
fixed phrases of official documents, where the misread pair cannot be meant, are corrected. The narrow marks between the parts
of a fixed phrase (the hyphens of the motto, the "/" between a chip card's Vietnamese label
and its English gloss) are read as junk ("Độc lập Ơl Tự do", "Nơi cư trú -_ Place of"):
between two parts read right, whatever stands is the mark.
"""

from __future__ import annotations

import re

from ocr_service.engine.mrz_text import fix_mrz_line

__all__ = ["fix_phrases", "fix_separators", "fix_units", "tidy_line"]

_LEADER_RUN = re.compile(r"\s*[.…·•]{4,}[\s.…·•oO0a]*")
# what a leader the image step missed reads as: a tail of dots, o's and zeros
_LEADER_TAIL = re.compile(r"\s+[\"'.,·…•]*[oO0.·…•]{6,}[\"'.,·…•oO0cuUN]*$")


def tidy_line(text: str) -> str:
    """One space between words; leftover dot leaders (and the specks read after them) go;
    fixed phrases, separators, units and MRZ lines put right."""
    text = fix_phrases(_LEADER_RUN.sub(" ", text))
    text = _LEADER_TAIL.sub("", text)
    if len(text) >= 5 and not text.strip(" .,·…•oO0'\""):
        return ""  # a leader on its own
    return fix_mrz_line(fix_units(fix_separators(" ".join(text.split()))))


# (misread, correct) in lower case; applied in lower, UPPER and Capitalised forms.
_PAIRS = [
    ("công hoà", "cộng hoà"),
    ("công hòa", "cộng hòa"),
    ("xã hòi", "xã hội"),
    ("xã hôi", "xã hội"),
    ("xác nhân", "xác nhận"),
    ("chứng nhân", "chứng nhận"),
    ("tình trang", "tình trạng"),
    ("đôc lập", "độc lập"),
    ("hanh phúc", "hạnh phúc"),
    ("nghĩa viêt", "nghĩa việt"),
]


def _variants() -> list[tuple[re.Pattern[str], str]]:
    out = []
    for wrong, right in _PAIRS:
        for f in (str.lower, str.upper, str.capitalize):
            out.append((re.compile(rf"(?<!\w){re.escape(f(wrong))}(?!\w)"), f(right)))
    return out


_FIXES = _variants()


def fix_phrases(text: str) -> str:
    for pattern, right in _FIXES:
        text = pattern.sub(right, text)
    return text


# (left part, right part, the mark between them); the parts are matched as read
_SEPARATED = [
    ("Độc lập", "Tự do", "-"),
    ("Tự do", "Hạnh phúc", "-"),
    ("ĐỘC LẬP", "TỰ DO", "-"),
    ("TỰ DO", "HẠNH PHÚC", "-"),
    ("Independence", "Freedom", "-"),
    ("Freedom", "Happiness", "-"),
    # chip-card labels (2021 and 2024 cards, both sides): the Vietnamese label's last
    # word, then its English gloss
    ("Họ và tên", "Full name", "/"),
    ("Ngày sinh", "Date of birth", "/"),
    ("năm sinh", "Date of birth", "/"),
    ("Giới tính", "Sex", "/"),
    ("Quốc tịch", "Nationality", "/"),
    ("Quê quán", "Place of origin", "/"),
    ("thường trú", "Place of residence", "/"),
    ("cư trú", "Place of residence", "/"),
    ("định danh cá nhân", "Personal identification", "/"),
    ("tên khai sinh", "Surname", "/"),
    ("nhân dạng", "Personal identification", "/"),
    ("tháng, năm", "Date, month, year", "/"),
    ("đăng ký khai sinh", "Place of birth", "/"),
    ("năm cấp", "Date of issue", "/"),
    ("hết hạn", "Date of expiry", "/"),
]


# what a slash between a card label and its gloss is read as: up to two short tokens
_SLASH_JUNK = r"\s*(?:\S{1,3}\s*){0,2}?"
# a motto's hyphen: one short token, not a conjunction ("Tự do và Hạnh phúc" is prose)
_HYPHEN_JUNK = r"\s*(?:(?!(?:và|hay|and|or)\b)\S{1,3}\s*)?"
_SEPARATORS = [
    (
        re.compile(
            rf"(?<!\w)({re.escape(a)})"
            + (_SLASH_JUNK if mark == "/" else _HYPHEN_JUNK)
            + rf"({re.escape(b)})(?!\w)"
        ),
        rf"\1 {mark} \2",
    )
    for a, b, mark in _SEPARATED
]
# the 2021 card's "Số / No.:" before the 12-digit number: "sø;wo: 0311…", "Số/No:0311…"
_CARD_NUMBER = re.compile(
    r"^[Ss][ốôoø0]?\s*\S{0,2}?\s*[NnWw][oO0]\s*[.,]?\s*[:;.]?\s*(?=\d{12}(?!\d))"
)


def fix_separators(text: str) -> str:
    for pattern, right in _SEPARATORS:
        text = pattern.sub(right, text)
    return _CARD_NUMBER.sub("Số / No.: ", text)


# Square metres are printed "m²"; the superscript two is read as a plain "2". Only after a
# number or inside "(m2)", where nothing else can be meant.
_SQUARE_METRES = re.compile(r"(?<=\d)(\s?)m2(?![\w²])|(?<=\()m2(?=\))")


def fix_units(text: str) -> str:
    """ "120 m2" → "120 m²", "(m2)" → "(m²)"."""
    return _SQUARE_METRES.sub(lambda m: f"{m.group(1) or ''}m²", text)
