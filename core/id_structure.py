"""The structure of a personal id number (cấu trúc số định danh cá nhân), checked at intake.

Decree 137/2015/NĐ-CP Art. 13: 12 digits, 6 of them the century-and-sex code, the birth year
and the province (or country) where the birth was registered, then 6 random digits.
Circular 07/2016/TT-BCA Art. 7 and Appendix I: digits 1-3 the province code
(``core/data/province_codes.json``), digit 4 the century and sex (0/1: born 1900-1999, male/
female; 2/3: 2000-2099; 4/5: 2100-2199; 6/7: 2200-2299; 8/9: 2300-2399), digits 5-6 the
birth year's last two digits.

Every finding is a **warning**, never a refusal: the register may hold a number issued in
error, or a citizen born abroad carries a country code not in the table; the clerk decides.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.ids import is_id_number

__all__ = ["IdFinding", "IdStructure", "check_id_number", "province_codes"]

_PROVINCES = Path(__file__).with_name("data") / "province_codes.json"


@lru_cache(maxsize=1)
def province_codes() -> dict[str, str]:
    """Province code → name, Circular 07/2016/TT-BCA Appendix I (63 codes)."""
    data: dict[str, Any] = json.loads(_PROVINCES.read_text(encoding="utf-8"))
    codes: dict[str, str] = data["codes"]
    return codes


@dataclass(frozen=True)
class IdFinding:
    """One thing about the number the clerk should look at; ``message`` is for the page."""

    code: str
    message: str

    def export(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class IdStructure:
    """What the number says about its holder, and what does not fit."""

    id_number: str
    province_code: str | None = None
    province: str | None = None  # None: a code not in the table (maybe a country's)
    sex: str | None = None  # "male" / "female", from digit 4
    birth_year: int | None = None  # century from digit 4 + digits 5-6
    findings: list[IdFinding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def _birth_year(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]).year
    except ValueError:
        return None


def check_id_number(
    id_number: str,
    *,
    date_of_birth: str | None = None,
    sex: str | None = None,
    today: date | None = None,
) -> IdStructure:
    """Check ``id_number``'s structure, and against the holder's ISO ``date_of_birth`` and
    ``sex`` (``male``/``female``) when known (from the register or the card). Never raises."""
    if not is_id_number(id_number):
        return IdStructure(
            id_number=id_number,
            findings=[
                IdFinding(
                    "not_twelve_digits",
                    "Số định danh cá nhân phải gồm đúng 12 chữ số (0-9).",
                )
            ],
        )
    findings: list[IdFinding] = []
    province_code = id_number[:3]
    province = province_codes().get(province_code)
    if province is None:
        findings.append(
            IdFinding(
                "unknown_province",
                f"Ba số đầu ({province_code}) không phải mã tỉnh, thành phố nơi đăng ký khai "
                "sinh (Thông tư 07/2016/TT-BCA, Phụ lục I); nếu công dân đăng ký khai sinh ở "
                "nước ngoài thì đây có thể là mã quốc gia. Kiểm tra lại số trên thẻ.",
            )
        )
    digit = int(id_number[3])
    century = 1900 + 100 * (digit // 2)
    holder_sex = "female" if digit % 2 else "male"
    birth_year = century + int(id_number[4:6])
    this_year = (today or date.today()).year
    if birth_year > this_year:
        findings.append(
            IdFinding(
                "birth_year_in_future",
                f"Chữ số thứ tư ({digit}) cho thế kỷ sinh {century}-{century + 99}, tức năm "
                f"sinh {birth_year}, chưa tới; kiểm tra lại số trên thẻ.",
            )
        )
    known_year = _birth_year(date_of_birth)
    if known_year is not None and known_year != birth_year:
        if known_year // 100 * 100 != century:
            findings.append(
                IdFinding(
                    "century_mismatch",
                    f"Chữ số thứ tư ({digit}) ứng với người sinh trong các năm {century}-"
                    f"{century + 99}, nhưng năm sinh là {known_year}.",
                )
            )
        else:
            findings.append(
                IdFinding(
                    "birth_year_mismatch",
                    f"Chữ số thứ năm và sáu ({id_number[4:6]}) là năm sinh {birth_year}, "
                    f"nhưng năm sinh là {known_year}.",
                )
            )
    if sex in ("male", "female") and sex != holder_sex:
        findings.append(
            IdFinding(
                "sex_mismatch",
                f"Chữ số thứ tư ({digit}) ứng với giới tính "
                f"{'nữ' if holder_sex == 'female' else 'nam'}, khác giới tính "
                f"{'nữ' if sex == 'female' else 'nam'} đã ghi.",
            )
        )
    return IdStructure(
        id_number=id_number,
        province_code=province_code,
        province=province,
        sex=holder_sex,
        birth_year=birth_year,
        findings=findings,
    )
