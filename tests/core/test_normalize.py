"""Vietnamese-aware normalisation of printed values into the spec's formats."""

from __future__ import annotations

import unicodedata

import pytest

from core import normalize as nz


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("ngày 15 tháng 8 năm 1992", "1992-08-15"),
        ("Ngày 05 tháng 08 năm 1992", "1992-08-05"),
        ("15/08/1992", "1992-08-15"),
        ("15-08-1992", "1992-08-15"),
        ("15.08.1992", "1992-08-15"),
        ("15 / 08 / 1992", "1992-08-15"),
        ("l5/O8/1992", "1992-08-15"),  # OCR slips inside the digits
        ("ngay 1 thang 2 nam 2003 (ghi bằng chữ ...)", "2003-02-01"),
        ("15081992", "1992-08-15"),  # QR payload form
        # a card back's "Ngày 06 tháng 11 năm 2020" whose "Ngày" the label took
        ("06 tháng 11 năm 2020", "2020-11-06"),
        ("19 thăng 05 năm 2013", "2013-05-19"),  # OCR slip in a small word
    ],
)
def test_dates_in_every_printed_form(printed: str, iso: str) -> None:
    assert nz.normalize_date(printed) == iso


@pytest.mark.parametrize(
    ("printed", "iso"),
    [("0102/2040", "2040-02-01"), ("01/022040", "2040-02-01"), (" 15.081992 ", "1992-08-15")],
)
def test_a_date_with_one_separator_lost_is_still_read(printed: str, iso: str) -> None:
    assert nz.normalize_date(printed) == iso


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("Ngày23 tháng 04 năm 2019", "2019-04-23"),
        ("ngày 3 tháng12 năm2019", "2019-12-03"),
        ("Ngàyl7 tháng O4 năm 2019", "2019-04-17"),  # a look-alike glued to the word
        ("23 tháng12 năm 2019", "2019-12-23"),
    ],
)
def test_a_number_glued_to_its_small_word_stays_whole(printed: str, iso: str) -> None:
    # the small words are letters only: "Ngày23" is not "Ngày2" + day 3
    assert nz.normalize_date(printed) == iso


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("1 2/05/2023", "2023-05-12"),
        ("Date, month, year:2 8/03/2021", "2021-03-28"),
        ("15/0 8/1992", "1992-08-15"),
        ("Số 12 1/05/2023", "2023-05-01"),  # a number before a one-digit day stays apart
    ],
)
def test_a_day_or_month_ocr_split_in_two_is_one_number(printed: str, iso: str) -> None:
    assert nz.normalize_date(printed) == iso


@pytest.mark.parametrize(
    "bad",
    [
        "31/02/1992",
        "15/13/1992",
        "không rõ",
        "",
        "1992",
        "Số 5 thôn 3 năm 2020",
        "tổ 6 thôn 2 năm 2020",
        "1513/1992",
        "Số 0102/2040",
    ],
)
def test_impossible_or_missing_dates_are_absent(bad: str) -> None:
    assert nz.normalize_date(bad) is None


@pytest.mark.parametrize(
    ("printed", "sex"),
    [
        ("Nam", "male"),
        ("Nữ", "female"),
        ("NỮ", "female"),
        ("Nu", "female"),
        ("Male", "male"),
        ("Female", "female"),
        ("Nam / Male", "male"),
    ],
)
def test_sex(printed: str, sex: str) -> None:
    assert nz.normalize_sex(printed) == sex


def test_sex_unreadable_is_absent() -> None:
    assert nz.normalize_sex("???") is None


@pytest.mark.parametrize(
    ("printed", "sex"),
    [
        ("☐ Nam ☒ Nữ", "female"),  # the first option is no longer taken for the value
        ("☒ Nam ☐ Nữ", "male"),
        ("Nam ☐ Nữ ☑", "female"),  # boxes after their options
        ("Nam ✓ Nữ", "male"),
        ("☐ Nam ☐ Nữ", None),  # none ticked: absent, not guessed
        ("☒ Nam ☒ Nữ", None),
    ],
)
def test_sex_of_a_choice_with_ballot_boxes_is_the_ticked_option(
    printed: str, sex: str | None
) -> None:
    assert nz.normalize_sex(printed) == sex


def test_marital_status_of_a_choice_with_ballot_boxes_is_the_ticked_option() -> None:
    assert nz.normalize_marital_status("☒ Chưa kết hôn ☐ Đã ly hôn") == "single"
    assert nz.ticked_option("Giới tính Nam") is None  # no ballot box: no choice


def test_names_capitalised_nfc_single_spaced() -> None:
    decomposed = unicodedata.normalize("NFD", "NGUYỄN  THỊ MINH   HẰNG")
    out = nz.normalize_name(decomposed)
    assert out == "Nguyễn Thị Minh Hằng"
    assert unicodedata.is_normalized("NFC", out)
    assert nz.normalize_name("đặng văn ĐỨC") == "Đặng Văn Đức"


@pytest.mark.parametrize(
    ("printed", "digits"),
    [
        ("001192012345", "001192012345"),
        ("001 192 012 345", "001192012345"),
        ("Căn cước công dân số 0O1192O12345", "001192012345"),
        ("CCCD số 00l192012345, cấp ngày 12/03/2012", "001192012345"),
    ],
)
def test_id_numbers(printed: str, digits: str) -> None:
    assert nz.normalize_id_number(printed) == digits


@pytest.mark.parametrize("bad", ["00119201234", "Nguyễn Văn A", "0011920123456789"])
def test_id_numbers_that_are_not_12_digits_are_absent(bad: str) -> None:
    assert nz.normalize_id_number(bad) is None


def test_registration_number_is_the_entry_before_slash_or_space() -> None:
    assert nz.normalize_registration_number("Số: 334/2020/KS") == "334"
    assert nz.normalize_registration_number("334 quyển 02") == "334"
    assert nz.normalize_registration_number("12/XNTTHN") == "12"


def test_business_code_has_no_spaces() -> None:
    assert nz.normalize_business_code("12A8 867 365") == "12A8867365"


def test_area_uses_a_dot_decimal() -> None:
    assert nz.normalize_area("123,4 m²") == "123.4"
    assert nz.normalize_area("1.234,5 m2") == "1234.5"


@pytest.mark.parametrize(
    ("printed", "status"),
    [
        ("Hiện tại chưa đăng ký kết hôn với ai.", "single"),
        ("Đã đăng ký kết hôn, nhưng đã ly hôn theo Bản án số 12/2019/HNGĐ-ST", "divorced"),
        ("Hiện tại đang có vợ/chồng.", "married"),
    ],
)
def test_marital_status(printed: str, status: str) -> None:
    assert nz.normalize_marital_status(printed) == status


def test_fold_is_length_preserving() -> None:
    s = "Đặng Thị Hằng"
    assert nz.fold(s) == "dang thi hang"
    assert len(nz.fold(s)) == len(unicodedata.normalize("NFC", s))


@pytest.mark.parametrize(
    ("ocr", "clean"),
    [
        ("Bệnh viện Hùng Vươngoomaa", "Bệnh viện Hùng Vương"),  # dots glued to the last word
        ("Hồ Chí Minhm00", "Hồ Chí Minh"),
        ("Nam.oao", "Nam"),
        ("quận Ninh ooo", "quận Ninh"),  # a whole token of dots
        ("Kinh 00000000000000000000", "Kinh"),
        ("tỉnh Ana", "tỉnh An"),
        # Left alone: real syllables, numbers, acronyms.
        ("Việt Nam", "Việt Nam"),
        ("Quận 10", "Quận 10"),
        ("CÔNG TY TNHH", "CÔNG TY TNHH"),
        ("Cửa hàng Hoa", "Cửa hàng Hoa"),
    ],
)
def test_dotted_leader_noise_is_stripped(ocr: str, clean: str) -> None:
    assert nz.strip_leader_junk(ocr) == clean


def test_valid_syllables() -> None:
    assert all(
        nz.valid_syllable(w) for w in ["nguyễn", "oanh", "thuỷ", "khuyến", "ngoãn", "trường"]
    )
    assert not any(nz.valid_syllable(w) for w in ["oanho", "minhs", "ooo", "escsss"])


def test_address_unit_words_get_their_tone_marks_back() -> None:
    assert (
        nz.normalize_address("Số 9 phố Huế, Quân 1, Thanh phố Hồ Chí Minh")
        == "Số 9 phố Huế, Quận 1, Thành phố Hồ Chí Minh"
    )
    # Inside a place name "Thanh" is a name, not a unit word.
    assert (
        nz.normalize_address("xã Cẩm Thanh, thành phố Hội An") == "xã Cẩm Thanh, thành phố Hội An"
    )


def test_ethnicity_snaps_to_the_official_list() -> None:
    assert nz.normalize_ethnicity("Khnh") == "Kinh"
    assert nz.normalize_ethnicity("H'Mong") == "H'Mông"
    assert nz.normalize_ethnicity("Ê Đê") == "Ê Đê"


@pytest.mark.parametrize(
    ("ocr", "address"),
    [
        ("phường Thạch Thang, quận Hải Châu Đà Nẵng", "phường Thạch Thang, quận Hải Châu, Đà Nẵng"),
        (
            "phường Hoà Cường Bắc quân Hải Châu, Thành phố Đà Nẵng",
            "phường Hoà Cường Bắc, quận Hải Châu, Thành phố Đà Nẵng",
        ),
        ("phường 12 quận 10 Thành phố Hồ Chí Minh", "phường 12, quận 10, Thành phố Hồ Chí Minh"),
        (
            "phường Điện Biên, thành phố Thanh Hoá;, tỉnh Thanh Hoá",
            "phường Điện Biên, thành phố Thanh Hoá, tỉnh Thanh Hoá",
        ),
        # Names that merely contain unit words or province names are left alone.
        ("Trạm y tế xã Hoà Tiến", "Trạm y tế xã Hoà Tiến"),
        ("Bệnh viện Phụ sản Hà Nội", "Bệnh viện Phụ sản Hà Nội"),
    ],
)
def test_address_commas_lost_by_ocr_are_restored(ocr: str, address: str) -> None:
    assert nz.normalize_address(ocr) == address


@pytest.mark.parametrize(
    "address",
    [
        "phường Quan Hoa, quận Cầu Giấy, Thành phố Hà Nội",
        "Số 36 đường Phan Đình Phùng, phường Quán Thánh, quận Ba Đình, Thành phố Hà Nội",
        "xã Quang Trung, huyện Quốc Oai, Thành phố Hà Nội",
    ],
)
def test_a_unit_name_that_looks_like_a_unit_word_is_not_split_off(address: str) -> None:
    # "Quan Hoa" after "phường" is the ward's name, not "quận Hoa".
    assert nz.normalize_address(address) == address


def test_entry_numbers_keep_their_code_letters() -> None:
    from core.normalize import normalize_number

    assert normalize_number("CT8") == "CT8"  # an apartment block's parcel
    assert normalize_number(": B12;") == "B12"
    assert normalize_number("thửa 45, tờ 3") == "45"
    assert normalize_number("O12") == "012"  # a recognizer's O for 0 is no code letter
    assert normalize_number("Số 1O2") == "102"


def test_dates_written_in_words() -> None:
    from core.normalize import date_from_words

    assert date_from_words("ngày mười lăm tháng ba năm hai nghìn không trăm hai mươi") == (
        "2020-03-15"
    )
    assert date_from_words("Ngày hai mươi mốt, tháng năm, năm hai nghìn linh năm") == (
        "2005-05-21"
    )  # "năm" is May here, and the year's marker after it
    assert date_from_words("ngày mồng một tháng giêng năm một nghìn chín trăm chín mươi hai") == (
        "1992-01-01"
    )
    assert date_from_words("ngày mười tháng mười hai năm hai nghìn mười lăm") == "2015-12-10"
    # a number word misread is not guessed at, nor a day that does not exist
    assert date_from_words("ngày mười bảy tháng chí năm hai nghìn không tầm hai mươi") is None
    assert date_from_words("ngày ba mươi tháng hai năm hai nghìn") is None
    assert date_from_words("Ngày 15 tháng 3 năm 2020") is None  # digits are normalize_date's


def test_address_specks_after_the_last_word_and_semicolons_between_parts() -> None:
    assert nz.normalize_address("xã Hòa Bình, huyện Kiến Xương, tỉnh Lạng Sơn *®") == (
        "xã Hòa Bình, huyện Kiến Xương, tỉnh Lạng Sơn"
    )
    assert (
        nz.normalize_address("Hòa Bình, Kiến Xương; Lạng Sơn") == "Hòa Bình, Kiến Xương, Lạng Sơn"
    )
    # a closing bracket is part of the address
    assert nz.normalize_address("Tổ 4 (khu phố 2)") == "Tổ 4 (khu phố 2)"


@pytest.mark.parametrize(
    ("printed", "nationality"),
    [("Việt Nam", "Việt Nam"), ("Việt", "Việt Nam"), ("Việt gờ", "Việt Nam"), ("Lào", "Lào")],
)
def test_a_nationality_whose_first_word_is_viet_is_viet_nam(printed: str, nationality: str) -> None:
    assert nz.normalize_nationality(printed) == nationality


def test_a_lone_letter_after_a_middle_name_is_the_given_name_not_a_leader() -> None:
    assert nz.normalize_name("Trần Văn B") == "Trần Văn B"
    assert nz.normalize_name("Lê Thị C") == "Lê Thị C"
    assert nz.normalize_name("Trần Văn Bình o") == "Trần Văn Bình"
    # the dotted leader under it is no mark of the letter: no name is "Ọ"
    assert nz.normalize_name("Lâm Thị Ọ") == "Lâm Thị O"


def test_a_lone_capital_after_a_middle_name_is_not_leader_junk() -> None:
    assert nz.strip_leader_junk("Vương Văn E") == "Vương Văn E"
    assert nz.strip_leader_junk("Hồ Thị K.") == "Hồ Thị K."
    # after any other word a lone leader-like letter is still a leader's
    assert nz.strip_leader_junk("Hồ Minh C") == "Hồ Minh"


def test_a_province_with_a_tone_mark_misread_is_that_province_in_its_printed_case() -> None:
    assert nz.normalize_address("THÀNH PHÓ HÓ CHÍ MINH") == "THÀNH PHỐ HỒ CHÍ MINH"
    assert nz.normalize_address("xã Tân Lập, tỉnh Binh Thuận") == "xã Tân Lập, tỉnh Bình Thuận"
    # a printed spelling of a province stays as printed; other places are not touched
    assert nz.normalize_address("tỉnh Khánh Hoà") == "tỉnh Khánh Hoà"
    assert nz.normalize_address("thôn Binh An") == "thôn Binh An"


def test_a_lone_letter_or_speck_is_no_place() -> None:
    assert nz.normalize_address("ị") is None
    assert nz.normalize_address("* 1 .") is None
    assert nz.normalize_address("Số 1") == "Số 1"


@pytest.mark.parametrize(
    ("read", "usual"),
    [
        ("Đinh Quang Khái", "Đinh Quang Khải"),  # hỏi read as sắc: only "Khải" is a name
        ("VÕ ĐỨC CHIỂN", "VÕ ĐỨC CHIẾN"),  # stacked over a capital's circumflex, case kept
        ("Mạc Văn Hả", "Mạc Văn Hà"),
        # usual as read, or several usual variants ("Thúy", "Thùy", "Thủy"): as read
        ("Lê Thu Thũy", "Lê Thu Thũy"),
        ("Tô Ngọc Hiển", "Tô Ngọc Hiển"),
        ("Mai Thị Cẩm Vân", "Mai Thị Cẩm Vân"),  # "Cầm" is a name too, and so is "Cẩm"
        # no mark above, or a word no usual name is near: as read
        ("Tô Ngọc Lan", "Tô Ngọc Lan"),
        ("Tô Ngọc Quỵnh", "Tô Ngọc Quỵnh"),
        ("Kha Văn Đẳng", "Kha Văn Đẳng"),
        # the surname is not a given name: left to the surname rules
        ("Hổ Văn Lâm", "Hổ Văn Lâm"),
    ],
)
def test_a_given_name_tone_that_makes_no_usual_name_takes_the_one_that_does(
    read: str, usual: str
) -> None:
    assert nz.usual_name_tones(read) == usual


def test_a_district_number_read_as_a_letter_is_a_digit() -> None:
    assert nz.normalize_address("Số 4 Lò Đúc, QUẬN I, Hà Nội") == "Số 4 Lò Đúc, QUẬN 1, Hà Nội"
    assert nz.normalize_address("quận l, Đà Nẵng") == "quận 1, Đà Nẵng"
    # a ward may be named in Roman numerals; a district word inside a name is not a unit
    assert nz.normalize_address("Phường I, tỉnh Hậu Giang") == "Phường I, tỉnh Hậu Giang"


def test_the_country_closing_an_address_is_a_part_of_its_own() -> None:
    assert (
        nz.normalize_address("xã Tân Lập, tỉnh Bình Thuận Việt Nam")
        == "xã Tân Lập, tỉnh Bình Thuận, Việt Nam"
    )
    assert nz.normalize_address("Việt Nam") == "Việt Nam"
    assert nz.normalize_address("Số 5 phố Việt Nam") == "Số 5 phố Việt Nam"


def test_a_stop_before_a_unit_comma_put_back_is_dropped() -> None:
    assert (
        nz.normalize_address("Số 7 Lê Lợi, PHƯỜNG 3. QUẬN 5, Hồ Chí Minh")
        == "Số 7 Lê Lợi, PHƯỜNG 3, QUẬN 5, Hồ Chí Minh"
    )


def test_a_nationality_is_written_in_words() -> None:
    assert nz.normalize_nationality("02/03/1987") is None
    assert nz.normalize_nationality("Lào 2") is None
    assert nz.normalize_nationality("Lào") == "Lào"


@pytest.mark.parametrize(
    "address",
    [
        "xã Ea Tu, thành phố Buôn Ma Thuột, tỉnh Đắk Lắk",
        "xã Ea Tu, thành phố Buôn Ma Thuột, tỉnh Đắc Lắc",  # the spelling before 2004
        "xã Ea Tu, thành phố Buôn Ma Thuột, ĐắkLắk",  # run together
        "phường Sông Cầu, thành phố Bắc Cạn, tỉnh Bắc Cạn",
        "Phường 1, Quận 3, TP.HCM",
        "phường Láng, Hà Nội, Việt Nam",
        "phường Thuận Hóa, thành phố Huế",
        "xã Long Sơn, thành phố Vũng Tàu, tỉnh Bà Rịa - Vũng Tàu.",
    ],
)
def test_an_address_ends_with_its_province_however_spelled(address: str) -> None:
    assert nz.ends_with_province(address)


@pytest.mark.parametrize(
    "address",
    ["xã Tịnh Ấn, tỉnh Quảng", "phường Tân Lợi, thành phố Buôn Ma", "xã A, huyện B", "tỉnh Đắk"],
)
def test_an_address_cut_short_does_not(address: str) -> None:
    assert not nz.ends_with_province(address)
