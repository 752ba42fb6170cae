"""ICAO 9303 TD1 machine-readable zone (3 × 30) as printed on the back of Vietnamese chip cards."""

from __future__ import annotations

from datetime import date

from .people import strip_diacritics

__all__ = ["check_digit", "td1_lines", "qr_payload"]

_WEIGHTS = (7, 3, 1)


def _value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    if "A" <= ch <= "Z":
        return ord(ch) - 55
    if ch == "<":
        return 0
    raise ValueError(f"invalid MRZ character {ch!r}")


def check_digit(field: str) -> str:
    """ICAO 9303 check digit: weights 7,3,1 repeating, mod 10."""
    return str(sum(_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(field)) % 10)


def _yymmdd(d: date) -> str:
    return d.strftime("%y%m%d")


def mrz_name(surname: str, given_names: str) -> str:
    """SURNAME<<GIVEN<NAMES, ASCII-folded, truncated to 30 characters."""

    def clean(s: str) -> str:
        s = strip_diacritics(s).upper()
        return "<".join("".join(c for c in w if "A" <= c <= "Z") for w in s.split())

    name = f"{clean(surname)}<<{clean(given_names)}"
    return name[:30].ljust(30, "<")


def td1_lines(
    id_number: str, dob: date, sex: str, expiry: date, surname: str, given: str
) -> list[str]:
    """Three TD1 lines: IDVNM + last 9 digits of the id (+check) + the full id as optional data."""
    doc = id_number[-9:]
    opt1 = id_number.ljust(15, "<")
    line1 = f"IDVNM{doc}{check_digit(doc)}{opt1}"
    d, e = _yymmdd(dob), _yymmdd(expiry)
    l2_head = f"{d}{check_digit(d)}{'M' if sex == 'male' else 'F'}{e}{check_digit(e)}VNM"
    opt2 = "<" * 11
    composite = line1[5:30] + l2_head[0:7] + l2_head[8:15] + opt2
    line2 = f"{l2_head}{opt2}{check_digit(composite)}"
    line3 = mrz_name(surname, given)
    assert len(line1) == len(line2) == len(line3) == 30
    return [line1, line2, line3]


def qr_payload(
    id_number: str, old_id: str, full_name: str, dob: date, sex: str, address: str, issue: date
) -> str:
    """`id|old id|name|ddmmyyyy|Nam/Nữ|address|ddmmyyyy` as encoded in the CCCD QR code."""
    return "|".join(
        [
            id_number,
            old_id,
            full_name,
            dob.strftime("%d%m%Y"),
            "Nam" if sex == "male" else "Nữ",
            address,
            issue.strftime("%d%m%Y"),
        ]
    )
