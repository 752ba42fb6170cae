"""The id number's structure (Decree 137/2015 Art. 13, Circular 07/2016/TT-BCA Art. 7, App. I)."""

from __future__ import annotations

from datetime import date

import pytest

from core.card_qr import parse_card_qr
from core.errors import InvalidInputError
from core.id_structure import check_id_number, province_codes

TODAY = date(2026, 12, 6)


def codes(result: object) -> list[str]:
    return [f.code for f in result.findings]  # type: ignore[attr-defined]


def test_the_table_has_the_63_provinces_with_its_source() -> None:
    table = province_codes()
    assert len(table) == 63
    assert table["001"] == "Hà Nội" and table["079"] == "Hồ Chí Minh" and table["096"] == "Cà Mau"
    assert all(len(c) == 3 and c.isdigit() for c in table)
    assert "003" not in table  # the codes skip numbers (002 Hà Giang, 004 Cao Bằng)


def test_a_valid_number_reads_province_sex_and_birth_year() -> None:
    # Hà Nội, digit 1: a woman born in the 1900s, year 92
    result = check_id_number("001192012345", date_of_birth="1992-03-04", sex="female", today=TODAY)
    assert result.ok and result.findings == []
    assert (result.province_code, result.province) == ("001", "Hà Nội")
    assert (result.sex, result.birth_year) == ("female", 1992)
    # digit 2: a man born in 2000-2099
    result = check_id_number("079205000111", date_of_birth="2005-01-01", sex="male", today=TODAY)
    assert result.ok and (result.sex, result.birth_year) == ("male", 2005)


def test_a_province_code_not_in_the_table_is_a_warning() -> None:
    result = check_id_number("003192012345", date_of_birth="1992-03-04", today=TODAY)
    assert codes(result) == ["unknown_province"]
    assert result.province is None and result.birth_year == 1992  # the rest is still read
    assert "003" in result.findings[0].message


def test_the_century_digit_against_the_birth_year() -> None:
    # digit 2 says 2000-2099, the register says 1992
    result = check_id_number("001292012345", date_of_birth="1992-03-04", today=TODAY)
    assert codes(result) == ["birth_year_in_future", "century_mismatch"]
    assert "1992" in result.findings[1].message
    # digit 0 says 1900-1999, the card says 2003 (same last two digits)
    result = check_id_number("001003012345", date_of_birth="2003-03-04", today=TODAY)
    assert codes(result) == ["century_mismatch"]
    # same century, other year
    assert codes(check_id_number("001193012345", date_of_birth="1992-03-04")) == [
        "birth_year_mismatch"
    ]
    # digit 4 (2100-2199) cannot be anyone's yet
    assert "birth_year_in_future" in codes(check_id_number("001492012345", today=TODAY))


def test_sex_against_the_century_and_sex_digit() -> None:
    assert codes(check_id_number("001092012345", sex="female", today=TODAY)) == ["sex_mismatch"]
    assert codes(check_id_number("001092012345", sex="male", today=TODAY)) == []
    assert codes(check_id_number("001092012345", sex=None, today=TODAY)) == []


def test_not_twelve_ascii_digits_is_a_finding_not_an_exception() -> None:
    for bad in ("00119201234", "0011920123456", "00119201234x", "００１192012345"):
        assert codes(check_id_number(bad)) == ["not_twelve_digits"]


def test_the_card_qr_payload() -> None:
    card = parse_card_qr(
        "001192012345|123456789|Trần Thị Thử Nghiệm|04031992|Nữ|Số 1 phố Thử, Hà Nội|15082021"
    )
    assert card.id_number == "001192012345" and card.old_id_number == "123456789"
    assert card.full_name == "Trần Thị Thử Nghiệm"
    assert (card.date_of_birth, card.sex, card.issued_on) == ("1992-03-04", "female", "2021-08-15")
    # no old number, fewer fields, trailing extras ignored
    card = parse_card_qr("079205000111||Lê Văn Mẫu|01012005|Nam")
    assert card.old_id_number is None and card.sex == "male" and card.place_of_residence is None
    card = parse_card_qr("079205000111||Lê Văn Mẫu|31022005|Nam|x|y|extra|more")
    assert card.date_of_birth is None  # 31 February is no date


@pytest.mark.parametrize(
    "payload", ["", "not a card", "12345|x|y", "https://example.org/?a|b", "x" * 3000]
)
def test_a_payload_that_is_not_a_card_is_refused(payload: str) -> None:
    with pytest.raises(InvalidInputError):
        parse_card_qr(payload)
