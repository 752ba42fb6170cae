"""CCCD machine-readable parts: ICAO 9303 check digits, TD1 MRZ with OCR slips, QR, id structure."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import segno

from classifiers.card_codes import (
    check_digit,
    decode_qr,
    find_mrz,
    id_structure_problems,
    parse_mrz,
)
from core.card_qr import read_card_qr


def _td1(id_number: str, dob: str, sex: str, expiry: str, name: str) -> list[str]:
    """Build a Vietnamese TD1 MRZ the way the card prints it (independent of the parser)."""
    doc = id_number[-9:]
    l1 = f"IDVNM{doc}{check_digit(doc)}{id_number}".ljust(30, "<")
    head = f"{dob}{check_digit(dob)}{sex}{expiry}{check_digit(expiry)}VNM"
    opt = "<" * 11
    l2 = head + opt + check_digit(l1[5:30] + head[0:7] + head[8:15] + opt)
    return [l1, l2, name.ljust(30, "<")]


def test_icao_check_digit_examples() -> None:
    # ICAO 9303 part 5 specimen values.
    assert check_digit("D23145890") == "7"
    assert check_digit("740812") == "2"
    assert check_digit("120415") == "9"


def test_parse_clean_mrz() -> None:
    lines = _td1("001192012345", "920815", "F", "370815", "NGUYEN<<THI<MINH<HANG")
    mrz = parse_mrz(*lines)
    assert mrz is not None and mrz.valid
    assert mrz.id_number == "001192012345"
    assert mrz.date_of_birth == "1992-08-15"
    assert mrz.sex == "female"
    assert mrz.date_of_expiry == "2037-08-15"
    assert mrz.surname_and_given == "NGUYEN THI MINH HANG"


def test_mrz_ocr_slips_are_repaired_with_check_digits() -> None:
    l1, l2, l3 = _td1("079085001234", "850304", "M", "450304", "TRAN<<VAN<AN")
    slipped1 = l1.replace("0", "O", 2).replace("<", "K")  # O for 0, K for the filler
    slipped2 = l2[:2] + "O" + l2[3:]  # a letter O inside the birth date
    mrz = parse_mrz(slipped1, slipped2, l3.replace("<", "K"))
    assert mrz is not None
    assert mrz.id_number == "079085001234"
    assert mrz.date_of_birth == "1985-03-04"
    assert mrz.valid


def test_mrz_single_wrong_digit_fixed_by_its_check_digit() -> None:
    l1, l2, l3 = _td1("001085012345", "850318", "M", "450318", "NGUYEN<<AN")
    broken = "650318" + l2[6:]  # an 8 read as 6: only one look-alike passes check + date
    mrz = parse_mrz(l1, broken, l3)
    assert mrz is not None
    assert mrz.date_of_birth == "1985-03-18"


def test_mrz_ambiguous_repair_leaves_the_field_out() -> None:
    l1, l2, l3 = _td1("001192012345", "920815", "F", "370815", "NGUYEN<<AN")
    broken = "920816" + l2[6:]  # several look-alikes pass the one check digit: no guess
    mrz = parse_mrz(l1, broken, l3)
    assert mrz is not None
    assert mrz.date_of_birth is None


def test_mrz_with_wrong_check_digit_leaves_the_field_out() -> None:
    l1, l2, l3 = _td1("001192012345", "920815", "F", "370815", "NGUYEN<<AN")
    broken = "9Z0815" + str((int(l2[6]) + 3) % 10) + l2[7:]
    mrz = parse_mrz(l1, broken, l3)
    assert mrz is not None
    assert not mrz.valid
    assert mrz.date_of_birth is None


def test_find_mrz_among_other_lines_in_any_order() -> None:
    lines = _td1("001192012345", "920815", "F", "370815", "NGUYEN<<AN")
    texts = ["CỤC TRƯỞNG", lines[2], "Tô Văn Huệ", lines[0], lines[1]]
    found = find_mrz(texts)
    assert found is not None
    assert found[0].startswith("IDVNM") and found[1].startswith("920815")


def test_find_mrz_takes_line_1_with_the_state_misread_and_writes_it_vnm() -> None:
    lines = _td1("001192012345", "920815", "F", "370815", "NGUYEN<<AN")
    for slip in ("IDYNM", "IDNNM", "IDVMN", "1DYNM"):
        misread = slip + lines[0][5:]
        found = find_mrz([misread, lines[1], lines[2]])
        assert found is not None, slip
        assert found[0] == lines[0]  # the same line as printed: the check digits then hold
        mrz = parse_mrz(*found)
        assert mrz is not None and mrz.valid
    # another state is no Vietnamese card's line 1
    assert find_mrz(["IDFRA" + lines[0][5:], lines[1], lines[2]]) is None


def test_find_mrz_takes_a_zone_whose_fixed_parts_are_garbled_when_its_checks_vouch() -> None:
    l1, l2, l3 = _td1("001192012345", "920815", "F", "370815", "NGUYEN<<AN")
    # the state read with look-alikes, or the document code dropped; line 2's sex and
    # state unreadable
    garbled2 = l2[:7] + "7" + l2[8:15] + "0MM" + l2[18:]
    for head in ("IDWMM", "IDVMM", "1DWNN", "VNM"):
        found = find_mrz([head + l1[5:], garbled2, l3])
        assert found is not None, head
        assert found[0] == l1
        mrz = parse_mrz(*found)
        assert mrz is not None and mrz.checks_passed == 4
        assert mrz.fields() == {
            "id_number": "001192012345",
            "date_of_birth": "1992-08-15",
            "date_of_expiry": "2037-08-15",
        }


def test_a_garbled_zone_gives_no_field_whose_check_fails() -> None:
    l1, l2, l3 = _td1("001192012345", "920815", "F", "370815", "NGUYEN<<AN")
    # the birth date's check digit off by 3: that date is left out, the rest still vouch
    broken2 = l2[:6] + str((int(l2[6]) + 3) % 10) + l2[7:]
    found = find_mrz(["IDWMM" + l1[5:], broken2, l3])
    assert found is not None
    mrz = parse_mrz(*found)
    assert mrz is not None and not mrz.valid
    assert mrz.date_of_birth is None
    assert mrz.date_of_expiry == "2037-08-15"


def test_a_garbled_zone_whose_checks_do_not_vouch_is_no_mrz() -> None:
    l1, l2, l3 = _td1("001192012345", "920815", "F", "370815", "NGUYEN<<AN")
    # every check digit off: lines of that shape alone say nothing
    bad1 = l1[:14] + str((int(l1[14]) + 3) % 10) + l1[15:]
    bad2 = "".join(str((int(c) + 3) % 10) if i in (6, 14, 29) else c for i, c in enumerate(l2))
    assert find_mrz(["IDWMM" + bad1[5:], bad2, l3]) is None
    # another state is still no Vietnamese card's line 1, however well it checks
    assert find_mrz(["IDFRA" + l1[5:], l2[:7] + "7" + l2[8:], l3]) is None


def test_find_mrz_takes_line_1_cut_at_its_start_when_its_checks_vouch() -> None:
    l1, l2, l3 = _td1("079168755417", "680706", "F", "280706", "VO<<KHANH<MINH<LY")
    # the photo's frame took "ID" and the state's first letters
    for cut in (3, 4):
        found = find_mrz([l1[cut:], l2, l3])
        assert found is not None, cut
        assert found[0] == l1
        mrz = parse_mrz(*found)
        assert mrz is not None and mrz.valid
        assert mrz.fields() == {
            "id_number": "079168755417",
            "date_of_birth": "1968-07-06",
            "sex": "female",
            "date_of_expiry": "2028-07-06",
        }


def test_line_2_read_alone_gives_its_checked_dates_and_sex_and_no_id() -> None:
    l1, l2, l3 = _td1("084371830600", "840622", "M", "440622", "DUONG<<CONG<THANG")
    # line 1 lost, line 2 read in pieces (a finger over its middle), "44" read "AA"
    piece = l2[:8] + "AA" + l2[10:18] + "E"
    found = find_mrz(["Ngày, tháng, năm cấp", piece, "<<<<5", l3])
    assert found is not None and found[0] == ""
    mrz = parse_mrz(*found)
    assert mrz is not None and mrz.checks_passed == 2 and not mrz.composite_valid
    assert sorted(mrz.fields().items()) == [
        ("date_of_birth", "1984-06-22"),
        ("date_of_expiry", "2044-06-22"),
        ("sex", "male"),
    ]


def test_line_2_alone_is_no_mrz_unless_both_its_dates_check() -> None:
    l1, l2, l3 = _td1("084371830600", "840622", "M", "440622", "DUONG<<CONG<THANG")
    off = str((int(l2[14]) + 3) % 10)
    assert find_mrz([l2[:14] + off + l2[15:], l3]) is None
    # nor one whose nationality is another state's, nor beside another state's line 1
    assert find_mrz([l2[:15] + "FRA" + l2[18:], l3]) is None
    assert find_mrz(["IDFRA" + l1[5:9], l2, l3]) is None
    assert find_mrz([l2[:15] + "VNM", l3]) is not None


def test_qr_payload_parse() -> None:
    payload = read_card_qr(
        "001192012345|123456789|Nguyễn Thị Minh Hằng|15081992|Nữ|Số 12 phố Nghi Tàm, Hà Nội|10052021"
    )
    assert payload is not None
    assert payload.fields() == {
        "id_number": "001192012345",
        "full_name": "Nguyễn Thị Minh Hằng",
        "date_of_birth": "1992-08-15",
        "sex": "female",
        "place_of_residence": "Số 12 phố Nghi Tàm, Hà Nội",
        "date_of_issue": "2021-05-10",
    }
    assert payload.old_id_number == "123456789"


@pytest.mark.parametrize("text", ["https://example.org", "a|b|c", "12345|x|y|z|w|v|u"])
def test_qr_that_is_not_a_card_is_ignored(text: str) -> None:
    assert read_card_qr(text) is None


def test_decode_qr_from_a_small_noisy_scan() -> None:
    text = "036089001234||Trần Văn Đức|01021989|Nam|Xóm 3, xã Tam Quang, tỉnh Thái Bình|20022025"
    qr = segno.make(text, error="m")
    m = np.pad(np.array(list(qr.matrix), dtype=np.uint8), 3)
    img = ((1 - m) * 255).astype(np.uint8)
    img = cv2.resize(img, None, fx=3, fy=3, interpolation=cv2.INTER_NEAREST)  # ~3 px modules
    page = np.full((600, 800), 235, np.uint8)
    page[100 : 100 + img.shape[0], 500 : 500 + img.shape[1]] = img
    rng = np.random.default_rng(0)
    page = np.clip(page.astype(int) + rng.normal(0, 12, page.shape), 0, 255).astype(np.uint8)
    assert decode_qr(cv2.cvtColor(page, cv2.COLOR_GRAY2BGR)) == text


def test_decode_qr_none_on_a_page_without_one() -> None:
    assert decode_qr(np.full((400, 300, 3), 255, np.uint8)) is None


def test_id_structure() -> None:
    assert id_structure_problems("001192012345", sex="female", date_of_birth="1992-08-15") == []
    assert id_structure_problems("079203001234", sex="male", date_of_birth="2003-01-01") == []
    assert "unknown_province" in id_structure_problems("003192012345")
    assert "sex_mismatch" in id_structure_problems("001192012345", sex="male")
    assert "birth_year_mismatch" in id_structure_problems(
        "001192012345", date_of_birth="1993-08-15"
    )
    assert "century_mismatch" in id_structure_problems(
        "001292012345",
        date_of_birth="1992-08-15",  # 2 = born in the 2000s
    )
    assert id_structure_problems("00119201234") == ["not_twelve_digits"]


def _qr_page(text: str) -> np.ndarray:
    qr = segno.make(text, error="l")
    m = np.pad(np.array(list(qr.matrix), dtype=np.uint8), 4)
    img = cv2.resize(((1 - m) * 255).astype(np.uint8), None, fx=6, fy=6, interpolation=0)
    page = np.full((700, 900), 240, np.uint8)
    page[100 : 100 + img.shape[0], 400 : 400 + img.shape[1]] = img
    return page


def test_the_local_threshold_retry_runs_only_where_zxing_saw_a_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The local-threshold view is tried for a code zxing found and could not decode, never
    on a page where it found none (a letter): the view is the dearest part of the search."""
    import classifiers.card_codes as cc

    calls: list[tuple[int, ...]] = []
    real = cc._binarised

    def counting(gray: np.ndarray) -> np.ndarray:
        calls.append(gray.shape)
        return real(gray)

    monkeypatch.setattr(cc, "_binarised", counting)
    letter = np.full((1400, 1000), 245, np.uint8)
    for y in range(100, 1300, 40):  # lines of "print"
        letter[y : y + 12, 80:920:3] = 30
    assert decode_qr(letter) is None
    assert calls == []

    text = "036089001234||Trần Văn Đức|01021989|Nam|Xóm 3, xã Tam Quang, tỉnh Thái Bình|20022025"
    page = _qr_page(text)
    assert decode_qr(page) == text
    assert calls == []  # read at once

    # its data modules scratched past what error correction mends: found, not decoded
    scratched = page.copy()
    scratched[300:330, 420:700] = 0
    scratched[420:440, 420:700] = 255
    assert decode_qr(scratched) is None
    assert len(calls) == 1


def test_a_page_halved_for_the_first_look_is_looked_at_closer_at_its_own_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A page longer than the search's limit is halved for the first look; the closer look
    is the page itself, not its half enlarged back to the same size."""
    import classifiers.card_codes as cc

    text = "079203001234||Lê Thị Hoa|15081992|Nữ|Thôn 2, xã Phú Thọ, tỉnh Hà Nam|01022024"
    qr = segno.make(text, error="m")
    m = np.pad(np.array(list(qr.matrix), dtype=np.uint8), 4)
    img = ((1 - m) * 255).astype(np.uint8)  # 1-px modules: lost when halved and enlarged
    page = np.full((cc._MAX_SIDE + 400, 2400), 240, np.uint8)
    page[900 : 900 + img.shape[0], 1500 : 1500 + img.shape[1]] = img
    looks: list[np.ndarray] = []
    real = cc._zxing

    def watching(gray: np.ndarray) -> tuple[str | None, bool]:
        looks.append(gray)
        return real(gray)

    monkeypatch.setattr(cc, "_zxing", watching)
    assert decode_qr(page) == text
    assert max(looks[0].shape) <= cc._MAX_SIDE  # halved
    assert looks[1] is page  # the page itself, as it came


def test_fillers_read_as_letters_in_the_optional_data_keep_the_composite_check() -> None:
    # made-up holder; the recogniser reads some fillers '<' after the id and in line 2 as 'C'
    l1, l2, l3 = _td1("066078962739", "780510", "M", "380510", "PHAM<<VAN<LUC")
    slipped1 = l1[:28] + "C" + l1[29:]
    slipped2 = l2[:19] + "CCCCCCC" + l2[26:]
    mrz = parse_mrz(slipped1, slipped2, l3)
    assert mrz is not None and mrz.composite_valid and mrz.valid
    assert mrz.id_number == "066078962739"


def test_an_id_misread_in_its_first_digits_fails_only_the_composite_check() -> None:
    # the id's last nine digits are the document number (checked); its first three only
    # the composite check covers
    l1, l2, l3 = _td1("066078962739", "780510", "M", "380510", "PHAM<<VAN<LUC")
    misread = l1[:16] + "0" + l1[17:]  # 066... read 006...
    mrz = parse_mrz(misread, l2, l3)
    assert mrz is not None and mrz.checks_passed == 3
    assert not mrz.composite_valid
