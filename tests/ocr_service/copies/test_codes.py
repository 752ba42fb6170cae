"""National codes: the dossier code of Circular 01/2018/TT-VPCP, the result code of Decree 45/2020."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.errors import InvalidInputError
from ocr_service.copies.codes import (
    DIGITIZATION_CODE_PRESETS,
    DigitizationCodeTemplate,
    DossierCode,
    digitization_code_template,
    format_dossier_code,
    format_result_code,
    is_valid_agency_code,
    is_valid_dossier_code,
    parse_dossier_code,
    parse_result_code,
    receipt_day,
)

QUANG_NINH = "000.00.00.H49"  # the People's Committee of Quảng Ninh province (QCVN 102 code)


def test_the_dossier_code_has_the_circulars_structure() -> None:
    # V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX (Circular 01/2018/TT-VPCP, Art. 19 cl. 1)
    code = format_dossier_code(agency_code=QUANG_NINH, received_on=date(2026, 11, 23), sequence=7)
    assert code == "000.00.00.H49-261123-0007"
    assert parse_dossier_code(code) == DossierCode(QUANG_NINH, date(2026, 11, 23), 7)
    assert str(parse_dossier_code(code)) == code
    assert (
        format_dossier_code(
            agency_code="001.20.36.H49", received_on=date(2019, 1, 6), sequence=9999
        )
        == "001.20.36.H49-190106-9999"
    )


@pytest.mark.parametrize(
    "bad",
    [
        "000.00.00.H49-261123-7",  # 4 digits
        "000.00.00.H49-261123-0000",  # numbers start at 0001
        "000.00.00.H49-261323-0001",  # month 13
        "000.00.00.H49-260230-0001",  # 30 February
        "00.00.00.H49-261123-0001",  # V1V2V3 is three characters
        "000.00.00.49-261123-0001",  # MX1X2: a group letter first
        "000.00.00.H49/261123/0001",  # separators are hyphens
        "000.00.00.H49-20261123-0001",  # YYMMDD, not YYYYMMDD
        "SH-20261121-7KQ2M9XD-R",  # sohoa's own digitization code is not a dossier code
        "",
    ],
)
def test_malformed_dossier_codes_are_refused_in_vietnamese(bad: str) -> None:
    assert not is_valid_dossier_code(bad)
    with pytest.raises(InvalidInputError) as err:
        parse_dossier_code(bad)
    assert "không đúng định dạng" in err.value.message


def test_a_day_holds_at_most_9999_dossiers_and_the_agency_code_is_checked() -> None:
    with pytest.raises(InvalidInputError, match="9999"):
        format_dossier_code(agency_code=QUANG_NINH, received_on=date(2026, 1, 1), sequence=10000)
    with pytest.raises(InvalidInputError):
        format_dossier_code(agency_code="H49", received_on=date(2026, 1, 1), sequence=1)
    assert is_valid_agency_code(QUANG_NINH) and not is_valid_agency_code("000.00.00.h49")


def test_the_receipt_day_is_vietnams_day() -> None:
    # 23:30 UTC on 22 November is 06:30 on 23 November in Hà Nội
    assert receipt_day(datetime(2026, 11, 22, 23, 30, tzinfo=UTC)) == date(2026, 11, 23)
    assert receipt_day(datetime(2026, 11, 22, 16, 59)) == date(2026, 11, 22)  # naive = UTC


def test_the_result_code_is_derived_from_the_dossier_code() -> None:
    # "Mã hồ sơ thủ tục hành chính-KQ(n)" (Decree 45/2020/NĐ-CP, Art. 14 cl. 3)
    dossier = "000.00.00.H49-261123-0007"
    assert format_result_code(dossier) == f"{dossier}-KQ"
    assert format_result_code(dossier, 2) == f"{dossier}-KQ2"
    assert format_result_code(dossier, 2, parenthesized=True) == f"{dossier}-KQ(2)"
    for code, index in ((f"{dossier}-KQ", None), (f"{dossier}-KQ2", 2), (f"{dossier}-KQ(12)", 12)):
        parsed = parse_result_code(code)
        assert str(parsed.dossier) == dossier and parsed.index == index
    for bad in (f"{dossier}-KQ0", f"{dossier}-KQ(2", f"{dossier}KQ1", "x-KQ1"):
        with pytest.raises(InvalidInputError):
            parse_result_code(bad)
    with pytest.raises(InvalidInputError):
        format_result_code("not-a-dossier", 1)


def test_a_digitization_code_template_formats_and_parses_back() -> None:
    template = DigitizationCodeTemplate("{applicant_id}.{doc_type_code}.{dossier_code}")
    code = template.format(
        applicant_id="001192012345", doc_type_code="KS.01", dossier_code="000.00.00.H49-261123-0007"
    )
    assert code == "001192012345.KS.01.000.00.00.H49-261123-0007"
    assert template.parse(code) == {
        "applicant_id": "001192012345",
        "doc_type_code": "KS.01",
        "dossier_code": "000.00.00.H49-261123-0007",
    }
    # no identifier: left empty, as Art. 10 cl. 2 says for a result without one
    assert template.parse(".KS.000.00.00.H49-261123-0007")["applicant_id"] == ""
    with pytest.raises(InvalidInputError):
        template.parse("001192012345.KS.not-a-dossier")
    with pytest.raises(InvalidInputError):
        template.format(applicant_id="00119 2012345", doc_type_code="KS", dossier_code="x")
    for bad in ("{who}.{dossier_code}", "{seq}.{seq}", "plain text"):
        with pytest.raises(ValueError):
            DigitizationCodeTemplate(bad)


def test_codes_take_ascii_digits_only() -> None:
    """An Arabic-Indic or full-width digit never passes as part of a code (issue 17 item 2)."""
    good = "000.00.00.H29-261206-0001"
    assert is_valid_dossier_code(good)
    for digit in ("\u0661", "\uff11", "\U0001d7cf"):  # ١, １, 𝟏
        assert not is_valid_dossier_code(good.replace("1", digit, 1))
        assert not is_valid_agency_code("000.00.00.H2" + digit)


def test_the_one_stop_preset_numbers_a_citizens_papers_with_two_digits() -> None:
    """The preset writes identifier.procedure.document type.NN, as the one-stop system's
    code does (docs/legal-codes.md §3); a name not among the presets is read as a template."""
    template = digitization_code_template("one-stop-component")
    assert template.template == DIGITIZATION_CODE_PRESETS["one-stop-component"]
    code = template.format(
        applicant_id="001192012345",
        procedure_code="1.001193",
        doc_type_code="birth_certificate",
        seq=3,
    )
    assert code == "001192012345.1.001193.birth_certificate.03"
    assert template.format(
        applicant_id="001192012345", procedure_code="p", doc_type_code="x", seq=112
    ).endswith(".x.112")
    parsed = template.parse(code)
    assert parsed["applicant_id"] == "001192012345" and parsed["seq"] == "03"
    assert digitization_code_template("{day}-{seq:04d}").format(day="20261206", seq=7) == (
        "20261206-0007"
    )


def test_a_template_without_a_number_or_with_a_format_on_another_field_is_refused() -> None:
    for bad in ("{applicant_id}.{doc_type_code}", "no-such-preset", "{applicant_id:>12}.{seq}"):
        with pytest.raises(ValueError):
            digitization_code_template(bad)
    with pytest.raises(ValueError):
        DigitizationCodeTemplate("{day}.{seq:x}")
