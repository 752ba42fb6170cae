"""The diploma's extractor: the holder by label, the degree from the title, the issue date.

The degree is the subtitle under "BẰNG TỐT NGHIỆP [ĐẠI HỌC]" or what follows "BẰNG" on a
one-line title; OCR loses tone marks in its large capitals, which are restored from a list
of degree phrases.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from classifiers.fields import ExtractedFields, FieldSpec, LabelExtractor, PageInput
from classifiers.text_lines import compact
from core.normalize import fold, normalize_date, normalize_text, strip_leader_junk

__all__ = ["DiplomaExtractor", "degree_from_titles"]

# Words of degree names, to restore tone marks OCR loses in large capitals ("KỸ SỬ" → "KỸ SƯ").
# Phrases, not single words: "SỬ" is right in "LỊCH SỬ" and wrong in "KỸ SƯ".
_DEGREE_PHRASES = (
    "TRUNG HỌC PHỔ THÔNG",
    "TRUNG HỌC CƠ SỞ",
    "CAO ĐẲNG",
    "ĐẠI HỌC",
    "CỬ NHÂN",
    "KỸ SƯ",
    "KIẾN TRÚC SƯ",
    "BÁC SĨ",
    "DƯỢC SĨ",
    "THẠC SĨ",
    "TIẾN SĨ",
    "SƯ PHẠM",
    "TOÁN HỌC",
    "NGỮ VĂN",
    "VẬT LÝ",
    "HOÁ HỌC",
    "HÓA HỌC",
    "SINH HỌC",
    "LỊCH SỬ",
    "ĐỊA LÝ",
    "TIẾNG ANH",
    "TIN HỌC",
    "CÔNG NGHỆ THÔNG TIN",
    "CÔNG NGHỆ",
    "THÔNG TIN",
    "KỸ THUẬT ĐIỆN",
    "KỸ THUẬT",
    "ĐIỆN TỬ",
    "QUẢN TRỊ KINH DOANH",
    "QUẢN TRỊ",
    "KINH DOANH",
    "KINH TẾ",
    "KẾ TOÁN",
    "TÀI CHÍNH",
    "NGÂN HÀNG",
    "LUẬT KINH TẾ",
    "LUẬT",
    "XÂY DỰNG",
    "CƠ KHÍ",
    "NÔNG NGHIỆP",
    "MÔI TRƯỜNG",
    "Y KHOA",
    "DƯỢC HỌC",
    "NGÔN NGỮ ANH",
)


def _restore_degree_marks(value: str) -> str:
    words = value.split(" ")
    phrases = sorted(
        ((fold(p).split(" "), p.split(" ")) for p in _DEGREE_PHRASES), key=lambda fp: -len(fp[0])
    )
    out: list[str] = []
    i = 0
    while i < len(words):
        for folded, proper in phrases:
            n = len(folded)
            if [fold(w) for w in words[i : i + n]] == folded:
                out.extend(proper)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


def degree_from_titles(lines: Sequence[str]) -> str | None:
    """The degree as printed: the subtitle under "BẰNG TỐT NGHIỆP [ĐẠI HỌC]" ("CỬ NHÂN KẾ TOÁN",
    "TRUNG HỌC PHỔ THÔNG"), or what follows "BẰNG" on a one-line title ("BẰNG KỸ SƯ …")."""
    for i, text in enumerate(lines):
        c = compact(text)[0]
        if not c.startswith("bang "):
            continue
        if c.startswith("bang tot nghiep"):
            for nxt in lines[i + 1 : i + 3]:
                value = strip_leader_junk(normalize_text(nxt))
                letters = [ch for ch in value if ch.isalpha()]
                if letters and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters):
                    return _restore_degree_marks(value)
            return None
        head_rest = normalize_text(text).split(" ", 1)
        return head_rest[1] if len(head_rest) == 2 else None
    return None


_PLACE_DATE = re.compile(r",\s*ng\w{1,3}\s+\d{1,2}\s+th\w{2,4}\s+\d{1,2}\s+n\w{1,3}\s+\d{4}")


@dataclass
class DiplomaExtractor:
    """A diploma: the holder by its labels (``specs``, from the type's record), the degree
    from the printed title, the issue date from the place-and-date line."""

    doc_type: str
    specs: tuple[FieldSpec, ...]
    other_labels: tuple[str, ...] = ()

    def extract(self, pages: Sequence[PageInput]) -> ExtractedFields:
        out = LabelExtractor(self.doc_type, self.specs, other_labels=self.other_labels).extract(
            pages
        )
        lines = [ln for p in pages for ln in p.lines]
        degree = degree_from_titles([ln.text for ln in lines])
        if degree:
            conf = min((ln.confidence for ln in lines if "BẰNG" in ln.text.upper()), default=0.5)
            out.set("degree", degree, conf * 0.95)
        for ln in lines:  # "Hà Nội, ngày 20 tháng 06 năm 2015" above the signature
            m = _PLACE_DATE.search(fold(ln.text))
            if m:
                value = normalize_date(ln.text[m.start() + 1 :])
                if value:
                    out.set("issue_date", value, ln.confidence)
        return out
