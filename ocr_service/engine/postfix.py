"""Word-pair corrections for misreads that recur in administrative Vietnamese.

The recognizers drop the dot below on capitals ("CỘNG" → "CÔNG", "NHẬN" → "NHÂN");
the single words are valid Vietnamese, so only fixed phrases of official documents,
where the misread pair cannot be meant, are corrected.
"""

from __future__ import annotations

import re

__all__ = ["fix_phrases"]

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
