"""Identity cards of every version in circulation typed and read (classifiers.doctypes.citizen_id_*)."""

from __future__ import annotations

import pytest

from classifiers.classify import classify_page
from classifiers.text_lines import layout_lines
from classifiers.understand import understand_pages
from core.records import DocumentResult
from tests.classifiers._helpers import page_from_rows

# Made-up holders: no real person's values.


def _classify(rows: list[tuple[float, float, str]]) -> str:
    text = page_from_rows(rows, width=1200, page_height=760)
    return classify_page(layout_lines(text), text.height).doc_type


def test_the_old_cmnd_number_is_old_id_number_never_id_number() -> None:
    rows = [
        (200, 40, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (300, 120, "GIẤY CHỨNG MINH NHÂN DÂN"),
        (300, 200, "Số: 123456789"),
        (300, 260, "Họ tên: TRẦN VĂN ĐỨC"),
        (300, 320, "Sinh ngày: 01-02-1989"),
        (300, 380, "Nguyên quán: Tam Quang, Vũ Thư, Thái Bình"),
    ]
    text = page_from_rows(rows, width=1200, page_height=760)
    doc = understand_pages("cmnd.jpg", [text], register=None)[0]
    assert doc.doc_type == "citizen_id_front"
    assert doc.fields["old_id_number"] == "123456789"
    assert "id_number" not in doc.fields
    assert doc.fields["date_of_birth"] == "1989-02-01"
    assert doc.fields["place_of_origin"] == "Tam Quang, Vũ Thư, Thái Bình"


def test_nine_digits_on_a_chip_card_are_no_old_number() -> None:
    rows = [(300, 120, "CĂN CƯỚC CÔNG DÂN"), (300, 200, "Số / No.: 036089 001")]
    text = page_from_rows(rows, width=1200, page_height=760)
    doc = understand_pages("card.jpg", [text], register=None)[0]
    assert doc.doc_type == "citizen_id_front"
    assert "old_id_number" not in doc.fields
    assert "id_number" not in doc.fields


def test_the_2016_card_back_without_mrz_is_a_card_back() -> None:
    rows = [
        (100, 300, "Đặc điểm nhân dạng: Nốt ruồi cách 1cm dưới mắt trái"),
        (100, 380, "NGÓN TRỎ TRÁI"),
        (700, 380, "NGÓN TRỎ PHẢI"),
        (100, 450, "CỤC TRƯỞNG CỤC CẢNH SÁT"),
    ]
    assert _classify(rows) == "citizen_id_back"


def test_a_text_naming_one_or_two_of_a_back_labels_is_no_card() -> None:
    rows = [
        (100, 100, "Điều 3. Nội dung thể hiện trên thẻ"),
        (100, 160, "Mặt sau thẻ gồm đặc điểm nhân dạng của người được cấp thẻ"),
        (100, 220, "và vân tay của ngón trỏ trái, ngón trỏ phải."),
    ]
    assert _classify(rows) == "other"


def test_a_page_read_as_one_letter_is_no_card() -> None:
    # a blank page with a faint seal gave one letter; every card label "contains" it
    assert _classify([(300, 400, "T")]) == "other"


def test_a_misread_nationality_on_a_citizen_card_is_viet_nam() -> None:
    rows = [
        (300, 120, "CĂN CƯỚC CÔNG DÂN"),
        (300, 300, "Giới tính / Sex: Nam Quốc tịch / Nationality: Việt gờ"),
    ]
    text = page_from_rows(rows, width=1200, page_height=760)
    doc = understand_pages("card.jpg", [text], register=None)[0]
    assert doc.fields["nationality"] == "Việt Nam"
    rows[1] = (300, 300, "Giới tính / Sex: Nam Quốc tịch / Nationality: Lào")
    other = understand_pages("card.jpg", [page_from_rows(rows, width=1200)], register=None)[0]
    assert other.fields["nationality"] == "Lào"  # what is read otherwise stays as read


# A card whose title OCR lost (printed in red, under glare, a cut-off edge): its bare number
# line and half of one version's printed labels still make it a card front.
_CMND_NO_TITLE = [
    (200, 40, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    (300, 200, "Số 123456789"),
    (300, 260, "Họ tên TRẦN VĂN ĐỨC"),
    (300, 320, "Sinh ngày 01-02-1989"),
    (300, 380, "Nguyên quán Tam Quang, Vũ Thư, Thái Bình"),
]


def test_a_cmnd_front_without_its_title_is_typed_and_its_number_is_old_id_number() -> None:
    assert _classify(_CMND_NO_TITLE) == "citizen_id_front"
    text = page_from_rows(_CMND_NO_TITLE, width=1200, page_height=760)
    doc = understand_pages("cmnd.jpg", [text], register=None)[0]
    assert doc.fields["old_id_number"] == "123456789"
    assert "id_number" not in doc.fields
    assert doc.fields["full_name"] == "Trần Văn Đức"  # the CMND's label is "Họ tên"


def test_a_2016_front_without_its_title_is_typed_by_number_and_labels() -> None:
    rows = [
        (300, 200, "Số: 001089001234"),
        (300, 260, "Họ và tên: LÊ THỊ MAI"),
        (300, 320, "Ngày, tháng, năm sinh: 01/02/1989"),
        (300, 380, "Quê quán: Vũ Thư, Thái Bình"),
    ]
    assert _classify(rows) == "citizen_id_front"


def test_card_labels_without_a_bare_card_number_are_no_card_front() -> None:
    # a form asks for the same particulars but prints no card number alone on a line
    rows = [
        (300, 200, "Số: 12/UBND"),
        (300, 260, "Họ và tên: LÊ THỊ MAI"),
        (300, 320, "Ngày, tháng, năm sinh: 01/02/1989"),
        (300, 380, "Quê quán: Vũ Thư, Thái Bình"),
    ]
    assert _classify(rows) != "citizen_id_front"
    assert _classify([(300, 200, "Số 123456789"), (300, 260, "Họ tên TRẦN VĂN ĐỨC")]) == "other"


def test_nine_digits_under_2016_labels_are_no_old_number() -> None:
    # a cut-off 12-digit number on a 2016 card is not a CMND's number
    rows = [
        (300, 200, "Số: 001089001"),
        (300, 260, "Họ và tên: LÊ THỊ MAI"),
        (300, 320, "Ngày, tháng, năm sinh: 01/02/1989"),
        (300, 380, "Quê quán: Vũ Thư, Thái Bình"),
    ]
    text = page_from_rows(rows, width=1200, page_height=760)
    doc = understand_pages("card.jpg", [text], register=None)[0]
    assert doc.doc_type == "citizen_id_front"
    assert "old_id_number" not in doc.fields
    assert "id_number" not in doc.fields


_CMND_BACK_HALF_READ = [
    (100, 60, "Dân tộc: Kinh"),
    (100, 120, "tổn gi Phật giáo"),  # garbled: Tôn giáo
    (100, 180, "DẤU VẾT RIÊNG VÀ DỊ HÌNH"),
    (100, 240, "Nốt ruồi cách 2cm trên mép trái"),
    (700, 60, "Ngàv 12 thág 03 năm 2010"),
    (700, 120, "GlÁM ĐC C HÀ NỘI"),  # garbled: Giám đốc CA
]


def test_a_card_back_with_half_its_labels_read_is_a_card_back() -> None:
    assert _classify(_CMND_BACK_HALF_READ) == "citizen_id_back"


def test_half_a_back_labels_on_a_long_page_is_no_card() -> None:
    body = [(100, 300 + 40 * k, f"Dòng văn bản thứ {k} của trang") for k in range(20)]
    assert _classify(_CMND_BACK_HALF_READ + body) != "citizen_id_back"


def _back_signed(date_line: str) -> DocumentResult:
    """A made-up 2016 card back whose signature block dates it ``date_line``, understood."""
    rows = [
        (100, 60, "Đặc điểm nhân dạng:"),
        (100, 120, "Nốt ruồi cách 1cm dưới mắt trái"),
        (100, 180, date_line),
        (100, 240, "CỤC TRƯỞNG CỤC CẢNH SÁT"),
        (700, 60, "Ngón trỏ trái"),
        (900, 60, "Ngón trỏ phải"),
    ]
    text = page_from_rows(rows, width=1200, page_height=760)
    doc = understand_pages("back.jpg", [text], register=None)[0]
    assert doc.doc_type == "citizen_id_back"
    return doc


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("Ngày 06 tháng 11 năm 2020", "2020-11-06"),
        # OCR dropped the space between "Ngày" and its day: the label is still a whole word,
        # since no word holds a digit
        ("Ngày23 tháng 04 năm 2019", "2019-04-23"),
    ],
)
def test_the_issue_date_in_a_back_signature_block_is_read(printed: str, iso: str) -> None:
    assert _back_signed(printed).fields["date_of_issue"] == iso


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("Noáy 21 nưp 04 năm 2012", "2012-04-21"),  # "Ngày" and "tháng" garbled
        ("Ngày 14 đăng 08 ăn 2019", "2019-08-14"),  # "tháng" and "năm" garbled
    ],
)
def test_an_issue_date_whose_words_ocr_garbled_is_read_by_its_shape(written: str, iso: str) -> None:
    # the back's only date written out in words and numbers is its issue date
    assert _back_signed(written).fields["date_of_issue"] == iso


def test_numbers_that_are_no_written_out_date_give_no_issue_date() -> None:
    assert "date_of_issue" not in _back_signed("Ngày 31 đăng 02 ăn 2019").fields  # no such day
