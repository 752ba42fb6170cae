"""Label-anchored, layout-aware extraction on synthetic OCR lines (no models)."""

from __future__ import annotations

import numpy as np
import pytest

from classifiers.extractors import get_extractor
from classifiers.fields import GLARE_BEFORE, ExtractedFields, PageInput
from classifiers.text_lines import layout_lines
from classifiers.understand import split_documents, understand_pages
from core.normalize import normalize_nationality
from tests.classifiers._helpers import page_from_rows

HEADER = [
    (300, 150, "ỦY BAN NHÂN DÂN"),
    (1400, 150, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    (330, 210, "PHƯỜNG YÊN PHỤ"),
    (1500, 210, "Độc lập - Tự do - Hạnh phúc"),
    (360, 280, "Số: 334/2020"),
]


def _extracted(doc_type: str, rows: list[tuple[float, float, str]]) -> ExtractedFields:
    page = page_from_rows(rows)
    ex = get_extractor(doc_type)
    assert ex is not None
    return ex.extract([PageInput(page, None, layout_lines(page))])


def _extract(doc_type: str, rows: list[tuple[float, float, str]]) -> dict[str, str]:
    return _extracted(doc_type, rows).fields


def test_birth_certificate_fields_same_line_wrapped_and_inline() -> None:
    rows = [
        *HEADER,
        (900, 450, "GIẤY KHAI SINH"),
        (250, 600, "Họ, chữ đệm, tên: NGUYỄN THỊ MINH HẰNG"),
        (250, 670, "Ngày, tháng, năm sinh: ngày 15 tháng 8 năm 1992"),
        (400, 740, "ghi bằng chữ: Ngày mười lăm, tháng tám, năm một nghìn chín trăm chín mươi hai"),
        (250, 810, "Giới tính: Nữ"),
        (1000, 810, "Dân tộc: Kinh"),
        (1700, 810, "Quốc tịch: Việt Nam"),
        (250, 880, "Nơi sinh: Bệnh viện Phụ sản Hà Nội, Số 929 đường La Thành, phường Ngọc"),
        (250, 950, "Khánh, quận Ba Đình, Thành phố Hà Nội"),
        (250, 1020, "Quê quán: xã Cổ Loa, huyện Đông Anh, Hà Nội"),
        (250, 1090, "Số định danh cá nhân: 001192012345"),
        (250, 1200, "Họ, chữ đệm, tên người mẹ: Lê Thị Hoa"),
        (250, 1270, "Năm sinh: 1970"),
        (1000, 1270, "Dân tộc: Tày"),
        (250, 1340, "Nơi cư trú: Số 12 phố Nghi Tàm"),
        (250, 1410, "Họ, chữ đệm, tên người cha: NGUYỄN VĂN AN"),
        (250, 1550, "Họ, chữ đệm, tên người đi khai sinh: Nguyễn Văn An"),
        (250, 1620, "Ngày, tháng, năm đăng ký: 20/08/1992"),
    ]
    assert _extract("birth_certificate", rows) == {
        "full_name": "Nguyễn Thị Minh Hằng",
        "date_of_birth": "1992-08-15",
        "sex": "female",
        "ethnicity": "Kinh",  # the child's, not the mother's (first in reading order)
        "nationality": "Việt Nam",
        "place_of_birth": "Bệnh viện Phụ sản Hà Nội, Số 929 đường La Thành, phường Ngọc Khánh, quận Ba Đình, Thành phố Hà Nội",
        "place_of_origin": "xã Cổ Loa, huyện Đông Anh, Hà Nội",
        "id_number": "001192012345",
        "mother_name": "Lê Thị Hoa",
        "father_name": "Nguyễn Văn An",
        "registration_date": "1992-08-20",
        "registration_number": "334",
    }


def test_labels_with_ocr_slips_still_anchor_values() -> None:
    rows = [
        (900, 450, "GIAY KHAl SINH"),
        (250, 600, "Ho, chu dem, tèn: Trần Văn Đức"),
        (250, 670, "Ngay, thang, nărn sinh: 01/02/1989"),
        (250, 740, "Gioi tinh: Nam"),
        (250, 810, "Quê quản: xã Tam Quang, huyện Vũ Thư, Thái Bình"),
    ]
    fields = _extract("birth_certificate", rows)
    assert fields["full_name"] == "Trần Văn Đức"
    assert fields["date_of_birth"] == "1989-02-01"
    assert fields["sex"] == "male"
    assert fields["place_of_origin"] == "xã Tam Quang, huyện Vũ Thư, Thái Bình"


def test_value_in_the_next_box_on_the_same_row_or_on_the_next_line() -> None:
    rows = [
        (900, 450, "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"),
        (250, 600, "Họ, chữ đệm, tên:"),
        (900, 602, "PHẠM QUỐC BẢO"),  # separate box, same row
        (250, 670, "Giấy tờ tùy thân:"),
        (250, 740, "Căn cước công dân số 001089012345"),  # value on the line below
        (250, 810, "Tình trạng hôn nhân: Hiện tại chưa đăng ký kết hôn với ai."),
    ]
    fields = _extract("marital_status_certificate", rows)
    assert fields["full_name"] == "Phạm Quốc Bảo"
    assert fields["id_number"] == "001089012345"
    assert fields["marital_status"] == "single"


def test_a_choice_of_ballot_boxes_each_a_box_of_its_own_is_read_whole() -> None:
    """A filled PDF form's check boxes are lines of their own on the label's row: the value
    is the row up to the next label, so the ticked option is known (on main: the box right of
    the label alone, "☐", no sex; or the first option's word)."""
    rows = [
        (900, 450, "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"),
        (250, 600, "Họ, chữ đệm, tên: PHẠM THỊ AN"),
        (250, 670, "Giới tính:"),
        (600, 670, "☐"),
        (650, 670, "Nam"),
        (800, 670, "☒"),
        (850, 670, "Nữ"),
        (1100, 670, "Dân tộc: Kinh"),
        (250, 740, "Tình trạng hôn nhân:"),
        (700, 740, "Chưa kết hôn"),
        (950, 740, "☐"),
        (1100, 740, "Đã ly hôn"),
        (1300, 740, "☒"),
    ]
    fields = _extract("marital_status_certificate", rows)
    assert fields["sex"] == "female"
    assert fields["marital_status"] == "divorced"


def test_a_field_not_printed_is_absent() -> None:
    rows = [
        (900, 450, "GIẤY KHAI SINH"),
        (250, 600, "Họ, chữ đệm, tên: Trần Văn Đức"),
        (250, 670, "Ngày, tháng, năm sinh: không rõ"),
    ]
    fields = _extract("birth_certificate", rows)
    assert "date_of_birth" not in fields and "id_number" not in fields
    assert fields["full_name"] == "Trần Văn Đức"


def test_marriage_columns_are_read_per_spouse() -> None:
    rows = [
        *HEADER,
        (800, 450, "GIẤY CHỨNG NHẬN KẾT HÔN"),
        (500, 600, "Thông tin người chồng"),
        (1600, 600, "Thông tin người vợ"),
        (250, 680, "Họ, chữ đệm, tên: TRẦN VĂN"),
        (1350, 680, "Họ, chữ đệm, tên: NGUYỄN THỊ"),
        (250, 740, "ĐỨC"),
        (1350, 740, "MINH HẰNG"),
        (250, 810, "Ngày, tháng, năm sinh: 01/02/1989"),
        (1350, 810, "Ngày, tháng, năm sinh: 15/08/1992"),
        (250, 880, "Số định danh cá nhân:"),
        (1350, 880, "Số định danh cá nhân:"),
        (250, 950, "036089001234"),
        (1350, 950, "001192012345"),
        (250, 1100, "Ngày, tháng, năm đăng ký: 03/03/2020"),
    ]
    assert _extract("marriage_certificate", rows) == {
        "husband_name": "Trần Văn Đức",
        "husband_date_of_birth": "1989-02-01",
        "husband_id_number": "036089001234",
        "wife_name": "Nguyễn Thị Minh Hằng",
        "wife_date_of_birth": "1992-08-15",
        "wife_id_number": "001192012345",
        "registration_date": "2020-03-03",
        "registration_number": "334",
    }


def test_understand_pages_splits_a_dossier_and_verifies(register) -> None:
    form = page_from_rows(
        [
            (1400, 150, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            (800, 450, "TỜ KHAI ĐĂNG KÝ KẾT HÔN"),
            (250, 600, "Họ, chữ đệm, tên người yêu cầu: Nguyễn Thị Minh Hằng"),
            (250, 670, "Giấy tờ tùy thân: CCCD số 001192012345, cấp ngày 01/01/2021"),
        ],
        page=1,
    )
    continuation = page_from_rows(
        [(250, 300, "Tôi cam đoan những nội dung khai trên đây là đúng sự thật")], page=2
    )
    notice = page_from_rows(
        [
            (1400, 150, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            (900, 450, "THÔNG BÁO"),
            (250, 600, "Về việc tiếp nhận hồ sơ trực tuyến"),
        ],
        page=3,
    )
    birth = page_from_rows(
        [
            (900, 450, "GIẤY KHAI SINH"),
            (250, 600, "Họ, chữ đệm, tên: Trần Văn Đức"),
            (250, 670, "Số định danh cá nhân: 036089001234"),
        ],
        page=4,
    )
    docs = understand_pages("dossier.pdf", [form, continuation, notice, birth], register=register)
    assert [(d.doc_type, d.pages) for d in docs] == [
        ("application_form", [1, 2]),
        ("other", [3]),
        ("birth_certificate", [4]),
    ]
    assert docs[0].fields == {"full_name": "Nguyễn Thị Minh Hằng", "id_number": "001192012345"}
    assert docs[0].verification.status == "match"
    assert docs[1].verification.status == "not_applicable" and docs[1].fields == {}
    assert docs[2].verification.status == "match"
    assert all(0 < c <= 1 for d in docs for c in d.field_confidence.values())
    assert set(docs[0].field_confidence) == set(docs[0].fields)
    exported = docs[0].export()
    assert exported["source"] == "dossier.pdf" and exported["pages"] == [1, 2]


def test_a_lone_page_without_title_is_other() -> None:
    page = page_from_rows([(250, 300, "một dòng chữ không có tiêu đề")])
    docs = split_documents([PageInput(page)])
    assert [d.doc_type for d in docs] == ["other"]


def test_a_card_labels_english_gloss_with_a_stray_tone_mark_is_not_taken_for_the_name() -> None:
    rows = [
        (60, 40, "CĂN CƯỚC"),
        (60, 200, "Ho, chữ đêm và tên khai sinh/ Sumame. mlddle name and givên name"),
        (60, 250, "TRẦN VIỆT XUÂN TÀI"),
        (60, 300, "Ngày, thắng, năm sinh/ Date of birth: 08/02/1997"),
    ]
    fields = _extract("citizen_id_front", rows)
    assert fields["full_name"] == "Trần Việt Xuân Tài"
    assert fields["date_of_birth"] == "1997-02-08"


def test_a_card_gloss_behind_a_misread_slash_is_not_taken_for_the_name() -> None:
    rows = [
        (60, 40, "CĂN CƯỚC"),
        (60, 200, "Họ. chữ đệm và tên khai snh -. Sumame. midde name and ghen name"),
        (60, 250, "LÊ TUẤN HẢI"),
        (60, 300, "Giới tinh -_ Sex: Nam"),
    ]
    fields = _extract("citizen_id_front", rows)
    assert fields["full_name"] == "Lê Tuấn Hải"
    assert fields["sex"] == "male"
    rows[1] = (60, 200, "Họ. chữ đệm và tên khai snh ( Sumame. midde name and ghen name")
    rows[3] = (60, 300, "Giới tinh / Sex Nam")
    fields = _extract("citizen_id_front", rows)
    assert (fields["full_name"], fields["sex"]) == ("Lê Tuấn Hải", "male")


def test_a_wrapped_value_ending_in_a_speck_read_as_a_colon_is_kept_whole() -> None:
    rows = [
        (60, 40, "CĂN CƯỚC CÔNG DÂN"),
        (60, 200, "Quê quán / Place of origin: xã Nghi Phong, huyện Nghi Lộc, Nghệ"),
        (60, 250, "An:"),
        (60, 300, "Nơi thường trú / Place of residence: Số 140 đường Trần Hưng Đạo,"),
    ]
    fields = _extract("citizen_id_front", rows)
    assert fields["place_of_origin"] == "xã Nghi Phong, huyện Nghi Lộc, Nghệ An"


def test_a_blurred_card_front_still_gives_the_id_and_name_by_its_layout() -> None:
    # what OCR made of a blurred 2024 card: no label is readable
    rows = [
        (380, 100, "CỘNG HOÀ XÃ HOI CHÙ NGHĨA VIỆT NAM"),
        (430, 145, "NOCIALNT REPURUIC 0R MET NAM"),
        (540, 250, "identtty card"),
        (366, 324, "S6 tnh sanh A nhân ¿ pemonai Wenhheahon numher"),
        (366, 364, "001193927660"),
        (365, 429, "Hq hư tm N tên khat sinh umama 01006 name anh qien nama"),
        (365, 466, "TRẦN KIM BẢO VY"),
        (364, 521, "Ngày, thăng. năm sinh - bat of binn 09/11/1003"),
    ]
    got = _extracted("citizen_id_front", rows)
    assert got.fields["id_number"] == "001193927660"
    assert got.fields["full_name"] == "Trần Kim Bảo Vy"
    assert got.confidence["full_name"] < 0.7  # for the clerk to review


def _card_2016_front(number: str, born: str) -> list[tuple[float, float, str]]:
    """A made-up 2016 card front (no QR code): its number and birth date as OCR read them."""
    return [
        (600, 260, "CĂN CƯỚC CÔNG DÂN"),
        (600, 330, f"Số: {number}"),
        (450, 400, "Họ và tên: TRẦN VĂN ĐỨC"),
        (450, 470, f"Ngày, tháng, năm sinh: {born}"),
        (450, 540, "Giới tính: Nam"),
    ]


def test_a_printed_id_that_fits_no_structure_and_contradicts_the_card_is_left_for_review() -> None:
    # "036089…" misread "003088…": no province's code, and born in 1988 by its digits 4-6
    got = _extracted("citizen_id_front", _card_2016_front("003088001234", "01/02/1989"))
    assert "id_number" not in got.fields
    assert got.review["id_number"].startswith("misread: the number fits no id's structure")
    assert got.fields["date_of_birth"] == "1989-02-01"
    # a code in no table alone may be a country's (born abroad): kept
    abroad = _extracted("citizen_id_front", _card_2016_front("003089001234", "01/02/1989"))
    assert abroad.fields["id_number"] == "003089001234"
    # a number that fits, against a birth date (either may be misread): kept, less sure
    other = _extracted("citizen_id_front", _card_2016_front("036088001234", "01/02/1989"))
    assert other.fields["id_number"] == "036088001234"
    assert other.confidence["id_number"] < 0.8 and "id_number" not in other.review


def test_an_address_read_short_of_its_province_is_left_for_review() -> None:
    # a made-up card front whose residence's second line OCR did not find
    front = _card_2016_front("036089001234", "01/02/1989")
    rows = [
        *front,
        (450, 610, "Quê quán: xã Tam Quang, huyện Vũ Thư, Thái Bình"),
        (450, 680, "Nơi thường trú: Số 12 đường Trần Phú"),
    ]
    doc = understand_pages("card.jpg", [page_from_rows(rows)], register=None)[0]
    assert "place_of_residence" not in doc.fields
    assert doc.field_review["place_of_residence"].startswith("not read to its end")
    assert doc.fields["place_of_origin"] == "xã Tam Quang, huyện Vũ Thư, Thái Bình"
    # read whole, it stays; a place of birth may be a hospital's name alone
    whole = [*rows[:-1], (450, 680, "Nơi thường trú: Số 12 đường Trần Phú, phường Hà Cầu,")]
    whole.append((450, 730, "quận Hà Đông, Hà Nội"))
    doc = understand_pages("card.jpg", [page_from_rows(whole)], register=None)[0]
    assert doc.fields["place_of_residence"].endswith("quận Hà Đông, Hà Nội")
    birth = [
        *HEADER,
        (900, 450, "GIẤY KHAI SINH"),
        (250, 600, "Nơi sinh: Bệnh viện Từ Dũ"),
    ]
    doc = understand_pages("birth.jpg", [page_from_rows(birth)], register=None)[0]
    assert doc.fields["place_of_birth"] == "Bệnh viện Từ Dũ"


def test_an_address_wrapped_onto_a_house_number_line_is_kept_whole() -> None:
    rows = [
        *HEADER,
        (900, 450, "GIẤY KHAI SINH"),
        (250, 600, 'Nơi sinh: "'),
        (600, 600, "Bệnh viện Đa khoa"),
        (270, 660, "Số 12 Trần Phú, phường Hà Cầu, quận Hà Đông, thành phố Hà Nội"),
        (250, 740, "Quê quán: xã Yên Nghĩa, huyện Ứng Hòa, thành phố Hà Nội"),
    ]
    got = _extract("birth_certificate", rows)
    # the quote after the label is no value; "Số 12" without a colon is no "Số:" label
    assert got["place_of_birth"].startswith("Bệnh viện Đa khoa Số 12 Trần Phú")
    assert got["place_of_birth"].endswith("Hà Nội")
    assert got["registration_number"] == "334"  # from the header's "Số: 334/2020" only


def test_a_land_certificate_inner_page_continues_its_document() -> None:
    cover = page_from_rows(
        [
            (1400, 150, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            (900, 450, "GIẤY CHỨNG NHẬN"),
            (300, 520, "QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT"),
            (200, 700, "I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất"),
            (250, 770, "Ông: Trần Văn Bình"),
            (250, 840, "Địa chỉ đăng ký thường trú: xã Tân Hòa, huyện Quốc Oai, Hà Nội"),
        ],
        page=1,
    )
    inner = page_from_rows(
        [
            (200, 100, "II. Thửa đất, nhà ở và tài sản khác gắn liền với đất"),
            (250, 170, "1. Thửa đất:"),
            (280, 240, "a) Thửa đất số: CT5"),
            (900, 240, "tờ bản đồ số: 7"),
            (280, 310, "b) Địa chỉ: phường Yên Nghĩa, quận Hà Đông, thành phố Hà Nội"),
            (280, 380, "c) Diện tích: 120,5 m²"),
        ],
        page=2,
    )
    docs = understand_pages("land.pdf", [cover, inner], register=None)
    assert [d.doc_type for d in docs] == ["land_use_certificate"]
    assert docs[0].pages == [1, 2]
    f = docs[0].fields
    assert f["owner_name"] == "Trần Văn Bình"
    assert f["parcel_number"] == "CT5"
    assert f["map_sheet_number"] == "7"
    assert f["area_m2"] == "120.5"
    # the owner's residence is not the parcel's address
    assert f["address"].startswith("phường Yên Nghĩa")


def test_a_birth_date_in_words_supplies_unread_digits_and_flags_a_disagreement() -> None:
    base = [
        *HEADER,
        (900, 450, "GIẤY KHAI SINH"),
        (250, 600, "Họ, chữ đệm, tên: NGUYỄN THỊ MINH HẰNG"),
    ]
    words = (1100, 670, "ghi bằng chữ: Ngày mười lăm, tháng tám, năm một nghìn chín trăm")
    words2 = (1100, 740, "chín mươi hai")
    unread = _extracted(
        "birth_certificate",
        [*base, (250, 670, "Ngày, tháng, năm sinh: 1S/?8/l99"), words, words2],
    )
    assert unread.fields["date_of_birth"] == "1992-08-15"
    assert unread.source["date_of_birth"] == "words"
    disagree = _extracted(
        "birth_certificate",
        [*base, (250, 670, "Ngày, tháng, năm sinh: 16/08/1992"), words, words2],
    )
    assert disagree.fields["date_of_birth"] == "1992-08-16"  # the digits stay
    assert disagree.confidence["date_of_birth"] < 0.8  # but go to review
    agree = _extracted(
        "birth_certificate",
        [*base, (250, 670, "Ngày, tháng, năm sinh: 15/08/1992"), words, words2],
    )
    assert agree.confidence["date_of_birth"] >= 0.8


def test_a_registration_date_only_in_the_signature_block() -> None:
    rows = [
        *HEADER,
        (900, 450, "GIẤY CHỨNG NHẬN KẾT HÔN"),
        (250, 600, "Họ, chữ đệm, tên: TRẦN VĂN AN"),
        (250, 670, "Cấp ngày: 02/03/2001"),
        (1300, 1500, "Hà Nội, ngày 28 tháng 10 năm 2007"),
        (1400, 1570, "CHỦ TỊCH"),
    ]
    assert _extract("marriage_certificate", rows)["registration_date"] == "2007-10-28"
    # a date after a label, or up in the body, is not the signature block's
    body = [r for r in rows if "Hà Nội" not in r[2]] + [
        (250, 740, "Nơi cấp: ngày 5 tháng 6 năm 2003")
    ]
    assert "registration_date" not in _extract("marriage_certificate", body)


def test_household_business_owner_under_its_numbered_heading() -> None:
    head = [*HEADER, (700, 450, "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH")]
    inline = [*head, (250, 600, "5. Chủ hộ kinh doanh: TRẦN VĂN AN"), (250, 670, "Dântộc: Kinh")]
    assert _extract("household_business_registration", inline)["owner_name"] == "Trần Văn An"
    below = [
        *head,
        (250, 600, "5. Chủ hộ kinh doanh:"),
        (250, 670, "Họ và tên: TRẦN THỊ BÌNH"),
        (250, 740, "Giới tính: Nữ"),
    ]
    assert _extract("household_business_registration", below)["owner_name"] == "Trần Thị Bình"


def test_dotted_fill_in_lines_give_their_values_and_blank_ones_nothing() -> None:
    rows = [
        *HEADER,
        (900, 450, "GIẤY KHAI SINH"),
        (250, 600, "Họ, chữ đệm, tên:....TRẦN VĂN AN............"),
        (250, 740, "Giới tính:...Nam.....Dân tộc:..Kinh......Quốc tịch:...Việt Nam....."),
        (250, 810, "Nơi sinh: ……………………………………………………"),
        (250, 950, "Họ, chữ đệm, tên người mẹ: .............................."),
        (250, 1020, "Họ, chữ đệm, tên người cha: ooooooo.....oooo......."),
    ]
    got = _extract("birth_certificate", rows)
    assert got["full_name"] == "Trần Văn An"
    assert (got["sex"], got["ethnicity"], got["nationality"]) == ("male", "Kinh", "Việt Nam")
    # the dots of a blank line, even read as letters, are not a value
    assert not {"place_of_birth", "mother_name", "father_name"} & set(got)


def test_a_card_gloss_run_into_the_value_slot_is_no_value() -> None:
    rows = [
        (60, 40, "CĂN CƯỚC CÔNG DÂN"),
        (60, 200, "Quốc tịch: ENationalíy"),
        (60, 250, "Quê quán: | Place of orgn"),
        (60, 300, "Nơi thường trú / Place of residence: thôn Đông, xã Tây, huyện Nam"),
    ]
    fields = _extract("citizen_id_front", rows)
    assert "nationality" not in fields
    assert "place_of_origin" not in fields
    assert fields["place_of_residence"] == "thôn Đông, xã Tây, huyện Nam"


@pytest.mark.parametrize(
    ("misread", "printed"),
    [
        ("Thôn Bắc † xã Tây, huyện Nam", "Thôn Bắc 1 xã Tây, huyện Nam"),
        # "ă" and "â" are always closed: "Quậ" is "Quận" that lost its last letter (a lone
        # letter is no word: a block's name, "Lô Ă")
        ("Lô Ă, Phường 2, Quậ 5, Thành phố Đông", "Lô Ă, Phường 2, Quận 5, Thành phố Đông"),
        # a hamlet's number read as a letter: no address writes a lone small letter
        ("Tổ s, phường Đông, quận Tây", "Tổ 5, phường Đông, quận Tây"),
        # a comma read as a dot runs the number into the next word
        ("Số 12.Thôn Bắc, xã Tây, huyện Nam", "Số 12, Thôn Bắc, xã Tây, huyện Nam"),
        # a digit read as a dash before the block's letter
        ("Khu -A, xã Tây, huyện Nam", "Khu 4A, xã Tây, huyện Nam"),
        # a word no syllable in small letters (a number's digits misread)
        ("Thôn Bắc, xã Tây, huyện Nam, ấp lz", "Thôn Bắc, xã Tây, huyện Nam, ấp 12"),
    ],
)
def test_an_address_with_a_mark_or_word_no_address_writes_goes_to_review_unguessed(
    misread: str, printed: str
) -> None:
    rows = [(60, 40, "CĂN CƯỚC CÔNG DÂN"), (60, 300, f"Nơi thường trú: {misread}")]
    out = _extracted("citizen_id_front", rows)
    assert "place_of_residence" not in out.fields
    assert "place_of_residence" in out.review
    rows[1] = (60, 300, f"Nơi thường trú: {printed}")
    assert "place_of_residence" in _extract("citizen_id_front", rows)


@pytest.mark.parametrize(
    "address",
    [
        "Buôn Ea Kao, xã Ea Kênh, huyện Krông Pắc, tỉnh Đắk Lắk",  # a minority language's places
        "Thôn H'Mông, xã Tây, huyện M'Drắk, tỉnh Đắk Lắk",
        "Số 12A/3 đường Lê Lợi, P.12, Q.3, TP.HCM",  # house numbers and abbreviated units
        "Lô Ă, Phường 2, Quận 5, Thành phố Đông",  # a block's letter
        "Km 12, QL1A, xã Tây, huyện Nam, tỉnh Đông",
        "Thôn 3, xã Tây, huyện Nam, tỉnh ĐắkLắk",  # a province's words run together
    ],
)
def test_an_address_written_as_addresses_are_is_kept(address: str) -> None:
    rows = [(60, 40, "CĂN CƯỚC CÔNG DÂN"), (60, 300, f"Nơi thường trú: {address}")]
    out = _extracted("citizen_id_front", rows)
    assert out.fields["place_of_residence"] == address and not out.review


def test_an_address_opening_with_a_mark_is_a_garbled_gloss_and_goes_to_review() -> None:
    rows = [
        (60, 40, "CĂN CƯỚC CÔNG DÂN"),
        (60, 300, "Quê quán / Pe '5 orn xã Tây, huyện Nam"),
    ]
    out = _extracted("citizen_id_front", rows)
    assert "place_of_origin" not in out.fields and "place_of_origin" in out.review
    rows[1] = (60, 300, "Quê quán: xã Tây, huyện Nam")
    assert _extract("citizen_id_front", rows)["place_of_origin"] == "xã Tây, huyện Nam"


def test_a_birth_certificate_nationality_cut_after_viet_is_viet_nam() -> None:
    rows = [
        *HEADER,
        (700, 400, "GIẤY KHAI SINH"),
        (200, 500, "Họ, chữ đệm, tên: TRẦN VĂN BÌNH"),
        (200, 560, "Dân tộc: Kinh                 Quốc tịch: Việt"),
    ]
    assert _extract("birth_certificate", rows)["nationality"] == "Việt Nam"


def test_after_a_misread_gloss_the_value_is_the_next_box_on_the_row() -> None:
    rows = [
        (60, 40, "CĂN CƯỚC CÔNG DÂN"),
        (60, 200, "Giới tính / Sex: Nữ Quốc tịch ENationalíy;"),
        (900, 200, "Việt Nam"),
    ]
    fields = _extract("citizen_id_front", rows)
    assert (fields["sex"], fields["nationality"]) == ("female", "Việt Nam")


def test_a_lone_glyph_between_a_label_and_its_gloss_is_the_separator_not_a_value() -> None:
    rows = [
        (60, 40, "CĂN CƯỚC CÔNG DÂN"),
        (60, 200, "Giới tính / Sex: Nữ Quốc tịch Í Nationaity:"),
        (900, 200, "Việt Nam"),
    ]
    assert _extract("citizen_id_front", rows)["nationality"] == "Việt Nam"


def test_a_gloss_garbled_into_one_word_leaves_the_value_in_the_box_beside() -> None:
    # "/ Nationality:" read as a "!" and one word with a Vietnamese mark; the value boxed apart
    rows = [
        (60, 40, "CĂN CƯỚC CÔNG DÂN"),
        (60, 200, "Giới tính / Sex: Nữ Quốc tịch! Nẵt"),
        (900, 200, "Việt Nam"),
    ]
    fields = _extract("citizen_id_front", rows)
    assert (fields["sex"], fields["nationality"]) == ("female", "Việt Nam")


def test_a_word_after_a_slash_stays_the_value_when_the_box_beside_is_a_label() -> None:
    rows = [
        (60, 40, "CĂN CƯỚC CÔNG DÂN"),
        (60, 200, "Giới tính / Sex: Nữ"),
        (60, 260, "Quốc tịch! Nhật"),
        (600, 260, "Quê quán: xã Tây, huyện Nam"),
    ]
    fields = _extract("citizen_id_front", rows)
    assert fields["nationality"].endswith("Nhật")
    assert fields["place_of_origin"] == "xã Tây, huyện Nam"


def test_a_name_tone_mark_that_makes_no_usual_name_is_the_usual_one_under_review() -> None:
    rows = [
        (900, 450, "GIẤY KHAI SINH"),
        (250, 600, "Họ, chữ đệm, tên: ĐINH QUANG KHÁI"),
        (250, 670, "Họ, chữ đệm, tên người mẹ: Lâm Thị Hoa"),
    ]
    got = _extracted("birth_certificate", rows)
    assert got.fields["full_name"] == "Đinh Quang Khải"
    assert got.confidence["full_name"] < 0.8 and "full_name" in got.review
    # a usual name as read is neither changed nor sent to review
    assert got.fields["mother_name"] == "Lâm Thị Hoa" and "mother_name" not in got.review


def test_the_english_gloss_anchors_nationality_when_the_vietnamese_label_is_garbled() -> None:
    rows = [
        (60, 40, "CĂN CƯỚC CÔNG DÂN"),
        (60, 200, "Giới tính / Sex: Nam Quốc dch/ Nationaltý;"),
        (900, 200, "Việt Nam"),
    ]
    fields = _extract("citizen_id_front", rows)
    assert (fields["sex"], fields["nationality"]) == ("male", "Việt Nam")


def test_a_block_left_of_the_value_column_does_not_end_a_wrapped_address() -> None:
    # the expiry label under the photo, its box reaching just under the residence's start
    rows = [
        (60, 40, "CĂN CƯỚC CÔNG DÂN"),
        (600, 300, "Nơi thường trú: Thôn Đông"),
        (110, 330, "Có giá trị đến: 01/02/2040"),
        (600, 345, "Tam Quang, Vũ Thư, Thái Bình"),
    ]
    fields = _extract("citizen_id_front", rows)
    assert fields["place_of_residence"] == "Thôn Đông Tam Quang, Vũ Thư, Thái Bình"
    assert fields["date_of_expiry"] == "2040-02-01"


def test_a_value_run_into_the_next_labels_line_is_read_before_that_label() -> None:
    # OCR split the row "Giới tính: Nam   Quốc tịch: Việt Nam" after the first label
    rows = [
        (60, 40, "CĂN CƯỚC CÔNG DÂN"),
        (60, 200, "Ngày sinh / Date of birth: 01/02/1990"),
        (60, 250, "Giới tính / Sex:"),
        (60, 300, "Nữ Quốc tịch / Nationality: Việt Nam"),
        (60, 350, "Quê quán / Place of origin:"),
    ]
    got = _extract("citizen_id_front", rows)
    assert (got["sex"], got["nationality"]) == ("female", "Việt Nam")
    # or into the next label's box on the same row
    same_row = [*rows[:3], (400, 250, "Nữ Quốc tịch / Nationality: Việt Nam"), rows[4]]
    got = _extract("citizen_id_front", same_row)
    assert (got["sex"], got["nationality"]) == ("female", "Việt Nam")
    # a speck read after the label is no value either
    rows[2] = (60, 250, "Giới tính / Sex: Ì")
    assert _extract("citizen_id_front", rows)["sex"] == "female"
    # a list number before the next label is no value
    rows[3] = (60, 300, "2. Quốc tịch / Nationality: Việt Nam")
    assert "sex" not in _extract("citizen_id_front", rows)


def test_a_card_expiry_whose_label_ocr_garbled_after_co_gia_is_read() -> None:
    rows = [
        (60, 40, "CĂN CƯỚC CÔNG DÂN"),
        (60, 200, "Ngày sinh / Date of birth: 01/02/1990"),
        (60, 700, "Có giá ưị đế 07/05/2041"),
        (60, 740, "Date of expiry"),
    ]
    assert _extract("citizen_id_front", rows)["date_of_expiry"] == "2041-05-07"
    # the label read whole, without its date, takes nothing from its own first words
    rows[2] = (60, 700, "Có giá trị đến:")
    assert "date_of_expiry" not in _extract("citizen_id_front", rows)


def test_a_card_gloss_slash_read_as_an_exclamation_mark_is_the_gloss() -> None:
    rows = [
        (60, 40, "CĂN CƯỚC CÔNG DÂN"),
        (60, 250, "Giới tính / Sex:"),
        (60, 300, "Nam Quốc tịch! Nationaity: Việt Nam"),
    ]
    got = _extract("citizen_id_front", rows)
    assert (got["sex"], got["nationality"]) == ("male", "Việt Nam")


def test_a_card_number_after_a_misread_so_label_is_the_id_number() -> None:
    # a tight low-resolution crop of a 2016 card: "Số:" read as another short word
    rows = [
        (380, 100, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (430, 160, "CĂN CƯỚC CÔNG DÂN"),
        (400, 220, "sẽ: 001193927660"),
        (365, 280, "W xe TRẦN KIM BẢO VY"),
    ]
    got = _extracted("citizen_id_front", rows)
    assert got.fields["id_number"] == "001193927660"


def test_a_speck_beside_the_next_label_does_not_continue_a_wrapped_value() -> None:
    # a mark read as a letter, on the next label's row but a little higher than it, between
    # the wrapped place of origin and the id number's label of the same column
    rows = [
        *HEADER,
        (900, 450, "GIẤY KHAI SINH"),
        (250, 600, "Họ, chữ đệm, tên: NGUYỄN THỊ MINH HẰNG"),
        (250, 1020, "Quê quán: xã Cổ Loa, huyện Đông Anh, Hà Nội"),
        (1000, 1082, "A"),
        (245, 1090, "Số định danh cá nhân: 001192012345"),
    ]
    fields = _extract("birth_certificate", rows)
    assert fields["place_of_origin"] == "xã Cổ Loa, huyện Đông Anh, Hà Nội"
    assert fields["id_number"] == "001192012345"


def test_a_wrapped_value_continues_beside_another_blocks_label() -> None:
    # the next row's label line starts left of the value's label column: another block
    rows = [
        (60, 40, "CĂN CƯỚC CÔNG DÂN"),
        (600, 300, "Nơi thường trú: Thôn Đông"),
        (110, 340, "Có giá trị đến: 01/02/2040"),
        (600, 345, "Tam Quang, Vũ Thư, Thái Bình"),
    ]
    fields = _extract("citizen_id_front", rows)
    assert fields["place_of_residence"] == "Thôn Đông Tam Quang, Vũ Thư, Thái Bình"


def _front_rows(expiry_line: str) -> list[tuple[float, float, str]]:
    return [
        (60, 40, "CĂN CƯỚC CÔNG DÂN"),
        (600, 200, "Số / No.: 001092012345"),
        (600, 260, "Ngày sinh / Date of birth: 15/08/1992"),
        (600, 300, "Nơi thường trú: Thôn Đông, Tam Quang, Vũ Thư, Thái Bình"),
        (110, 340, expiry_line),
    ]


def _front_with_expiry_line(expiry_line: str) -> dict[str, str]:
    return _extract("citizen_id_front", _front_rows(expiry_line))


def test_a_card_expiry_whose_label_ocr_garbled_is_the_date_on_a_renewal_birthday() -> None:
    # valid until the holder's 40th birthday; the label is past recognition
    assert _front_with_expiry_line("Cxo xy zw đơn: 15/08/2032")["date_of_expiry"] == "2032-08-15"


def test_a_stray_date_that_is_no_renewal_birthday_is_no_expiry() -> None:
    assert "date_of_expiry" not in _front_with_expiry_line("Cxo xy zw đơn: 16/08/2032")


def test_a_card_expiry_whose_day_and_month_ocr_garbled_is_the_birthday_in_its_year() -> None:
    # the slashes read as a letter or lost, a 1 read as a 4: the year, a renewal year (the
    # holder's 25th and 40th), still ends the value after the expiry label
    for line in ("Có giá trị dến15X082017", "Có giá tị đón: 45/08/2032", "Có giá ơị dễn1508/2017"):
        got = _extracted("citizen_id_front", _front_rows(line))
        assert got.fields["date_of_expiry"] in ("2017-08-15", "2032-08-15")
        assert "date_of_expiry" in got.review


def test_a_card_nationality_whose_label_ocr_garbled_is_the_viet_nam_closing_its_row() -> None:
    # the label's first word kept, the rest and its gloss garbled, the country's name (here
    # with OCR's slips in its marks) at the row's end
    for row in (
        "Giới tính / Sex: Nữ Quốc tchJNatonaký; Viêt Nam",
        "Nữ Quốc dch/Natonalý;: Việt Nàm",
    ):
        rows = [*_front_rows("Có giá trị đến: 15/08/2032")[:3], (600, 280, row)]
        got = _extract("citizen_id_front", rows)["nationality"]
        assert got == normalize_nationality("Viet Nam")


def _garbled_chip_front(row: list[tuple[float, float, str]]) -> list[tuple[float, float, str]]:
    """A chip card front whose labels OCR garbled below its number, ``row`` its row of sex
    and nationality (made-up values)."""
    return [
        (300, 40, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIÊT NAM"),
        (400, 120, "CĂN CƯỚC CÔNG DÂN"),
        (300, 200, "Sô: 012345678901"),
        (300, 260, "Rw ẹ TRẦN VĂN AN"),
        (300, 320, "Ngày. vọ nơ gì 0MO990"),
        *row,
        (300, 440, "QU QUA xã Bình An, huyện Phú Tân, An Giang"),
    ]


def test_a_chip_front_row_ending_in_viet_nam_gives_nationality_and_the_sex_before_it() -> None:
    # both labels garbled past any label rule; the row below the number that ends in the
    # country's name is the sex-and-nationality row
    for sex_box, sex in (("Cam 0 taa Nam", "male"), ("QANN Nữ", "female")):
        got = _extract(
            "citizen_id_front",
            _garbled_chip_front([(300, 380, sex_box), (750, 380, "0n mơ Matmaty Viêt Nam")]),
        )
        assert (got.get("sex"), got.get("nationality")) == (sex, normalize_nationality("Viet Nam"))


def test_no_sex_from_a_box_before_the_country_that_ends_in_no_sex_word() -> None:
    got = _extract(
        "citizen_id_front", _garbled_chip_front([(300, 380, "Nơ"), (750, 380, "tonsst. Viêt Nam")])
    )
    assert "sex" not in got and got["nationality"] == normalize_nationality("Viet Nam")


def test_the_heading_above_the_number_is_no_nationality_row() -> None:
    rows = [
        (20, 40, "Giai con Nam"),
        (300, 40, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIÊT NAM"),
        (300, 200, "Sô: 012345678901"),
    ]
    got = _extract("citizen_id_front", rows)
    assert "nationality" not in got and "sex" not in got


def test_a_cmnd_gets_no_nationality_from_a_row_ending_in_viet_nam() -> None:
    # the old card prints no nationality
    rows = [
        (300, 40, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIÊT NAM"),
        (300, 120, "GIẤY CHỨNG MINH NHÂN DÂN"),
        (400, 200, "Số 012345678"),
        (300, 380, "Nơi ĐKHK thường trú Viêt Nam"),
    ]
    assert "nationality" not in _extract("citizen_id_front", rows)


def test_a_name_with_quoc_and_viet_is_no_nationality() -> None:
    rows = [*_front_rows("Có giá trị đến: 15/08/2032")[:3], (600, 280, "TRẦN QUỐC VIỆT")]
    assert "nationality" not in _extract("citizen_id_front", rows)


def _front_with_qr(rows: list[tuple[float, float, str]], qr: str) -> ExtractedFields:
    page = page_from_rows(rows)
    ex = get_extractor("citizen_id_front")
    assert ex is not None
    image = np.zeros((4, 4, 3), np.uint8)  # the QR's text is given: no pixels are read
    return ex.extract([PageInput(page, image, layout_lines(page), qr_text=qr, qr_decoded=True)])


# A made-up holder's QR and a card front whose residence label OCR garbled past recognition.
_QR = "001092012345||Trần Văn Bình|15081992|Nam|Xóm 2, Tam Quang, Vũ Thư, Thái Bình|01022021"
_QR_FRONT = [
    (60, 40, "CĂN CƯỚC CÔNG DÂN"),
    (600, 200, "Số / No.: 001092012345"),
    (600, 300, "Nới thx tí ( Pace of: Xóm 2"),
]


def test_an_address_from_the_qr_only_takes_a_space_where_the_card_wraps_it() -> None:
    # the residence label garbled past recognition; the QR puts a comma between every two
    # parts, the card prints none where its line wraps
    rows = [*_QR_FRONT, (600, 340, "Tam Quang, Vũ Thư, Thái Bình")]
    got = _front_with_qr(rows, _QR)
    assert got.fields["place_of_residence"] == "Xóm 2 Tam Quang, Vũ Thư, Thái Bình"
    # printed on one line, or a comma printed at the wrap: the QR's commas stay
    for first in ("Nới thx tí ( Pace of: Xóm 2, Tam Quang, Vũ Thư, Thái Bình", "Nới thx: Xóm 2,"):
        got = _front_with_qr(
            [*rows[:2], (600, 300, first), (600, 380, "Tam Quang, Vũ Thư, Thái Bình")], _QR
        )
        assert got.fields["place_of_residence"] == "Xóm 2, Tam Quang, Vũ Thư, Thái Bình"


def test_the_qr_address_wrap_is_found_under_its_line_out_of_reading_order() -> None:
    # a tilted card: a speck at the far right, between the two rows, comes between them in
    # reading order; the row right under the first still holds the QR's other words
    rows = [*_QR_FRONT, (1900, 322, "ặ"), (600, 345, "Tam Quang, Vũ Thư, Thái Bình")]
    got = _front_with_qr(rows, _QR)
    assert got.fields["place_of_residence"] == "Xóm 2 Tam Quang, Vũ Thư, Thái Bình"
    # the same words on a row above (the place of origin) are no wrap
    rows = [*rows[:2], (600, 250, "Tam Quang, Vũ Thư, Thái Bình"), rows[2]]
    got = _front_with_qr(rows, _QR)
    assert got.fields["place_of_residence"] == "Xóm 2, Tam Quang, Vũ Thư, Thái Bình"


def test_a_garbled_expiry_in_no_renewal_year_gives_no_date() -> None:
    for line in ("Có giá trị dến15X082018", "Có giá trị đến: 45/08/2031"):
        assert "date_of_expiry" not in _extract("citizen_id_front", _front_rows(line))


Rows = list[tuple[float, float, str]]


def _glare_card(name: str) -> Rows:
    """A card front's lines: the name on its own line under its label, box from x 300."""
    return [
        (40, 30, "CĂN CƯỚC CÔNG DÂN"),
        (40, 120, "Họ và tên / Full name:"),
        (300, 170, name),  # its box: y 170-210
        (40, 230, "Quốc tịch: Lào"),
    ]


def _drawn(
    rows: Rows, ground: tuple[int, int, int], *patches: tuple[int, int, int, int]
) -> np.ndarray:
    """The card's pixels: ink strokes over each line's box, ground between them, and each
    patch (y0, y1, x0, x1) blown out to white."""
    image = np.full((400, 900, 3), ground, np.uint8)
    for x, y, text in rows:
        for k in range(len(text)):
            if text[k] != " ":
                image[y + 8 : y + 32, int(x) + 18 * k + 4 : int(x) + 18 * k + 9] = 40
    for y0, y1, x0, x1 in patches:
        image[y0:y1, x0:x1] = 255
    return image


def _read_front(rows: Rows, image: np.ndarray) -> ExtractedFields:
    page = page_from_rows(rows, width=900, page_height=400)
    ex = get_extractor("citizen_id_front")
    assert ex is not None
    return ex.extract([PageInput(page, image, layout_lines(page))])


_CARD = (150, 200, 215)  # a card's tinted ground (BGR)
_PAPER = (248, 248, 248)  # white paper: as white as glare all over


def test_a_value_whose_line_ends_where_glare_begins_is_kept_for_review() -> None:
    """Glare washing a card out to white cuts the OCR line short where it begins: a name
    whose line ends at a blown-out patch may go on under it, so it goes to review below the
    review threshold; the same card without the patch, and white paper (as white as glare
    all over), are read as before."""
    rows = _glare_card("TRẦN VĂN BÌNH")  # the name's box: x 300-534

    def read(
        *patches: tuple[int, int, int, int], ground: tuple[int, int, int] = _CARD
    ) -> ExtractedFields:
        return _read_front(rows, _drawn(rows, ground, *patches))

    past_name = (140, 260, 540, 700)  # blown out from just past the name's end
    cut = read(past_name)
    assert cut.fields["full_name"] == "Trần Văn Bình"  # kept for the clerk to complete
    assert cut.confidence["full_name"] <= 0.7
    assert cut.review["full_name"].startswith("may be cut short by glare")
    assert "nationality" not in cut.review  # its line ends on the card's ground

    # a glare spot over the name's last letters (the OCR box took them in, washed out)
    over = read((140, 260, 505, 545))
    assert over.review["full_name"].startswith("may be cut short by glare")

    clear = read()
    assert clear.confidence["full_name"] >= 0.8
    assert clear.review == {}

    assert read(past_name, ground=_PAPER).review == {}  # paper: no brighter than its ground


def test_a_value_whose_line_begins_where_glare_ends_is_left_for_review() -> None:
    """Glare washing a card out to white also cuts a line's start: the detector's box
    begins where the print comes back, and a name read without its first word looks whole.
    A value on its own line whose box begins at a blown-out patch (or whose first letters
    sit in one) is left out and flagged for the clerk; a value after its label in the same
    box (the label was read, its start was not lost), the same card without the patch and
    white paper are read as before."""
    rows = _glare_card("VĂN BÌNH")  # the name's box: x 300-444

    def read(
        *patches: tuple[int, int, int, int], ground: tuple[int, int, int] = _CARD
    ) -> ExtractedFields:
        return _read_front(rows, _drawn(rows, ground, *patches))

    before_name = (165, 215, 180, 298)  # blown out up to just before the name's box
    cut = read(before_name)
    assert "full_name" not in cut.fields  # what is left reads as a whole name: left out
    assert cut.review["full_name"] == GLARE_BEFORE

    # a glare spot over the name's first letters (the OCR box took them in, washed out)
    assert read((165, 215, 290, 330)).review["full_name"] == GLARE_BEFORE

    # a milder highlight across the name's start on a light card: the letters under it
    # pale, too faint for the detector, and the ones it found paler than the card
    light = (228, 232, 236)
    mild = _drawn(rows, light)
    for x in range(204, 300, 18):  # the first word, under the highlight: no box found
        mild[178:202, x : x + 5] = 40
    patch = mild[165:215, 200:340]
    patch[:] = np.where(patch < 100, 215, 242)
    assert _read_front(rows, mild).review["full_name"] == GLARE_BEFORE
    assert read(ground=light).review == {}

    # before the nationality's box lies its label's line start, not the value's: not cut
    assert read((225, 275, 0, 38)).review == {}

    clear = read()
    assert clear.confidence["full_name"] >= 0.8
    assert clear.review == {}

    assert read(before_name, ground=_PAPER).review == {}  # paper: no brighter than its ground


def test_a_value_at_the_image_edge_is_kept_for_review_not_as_sure() -> None:
    """A card cut off by the photo's frame: a value whose line reaches the image's edge may be
    truncated, so it goes to review below the review threshold; the same card with a margin
    around its text (a tight crop of the whole card) is read as before."""
    rows = [
        (40, 30, "CĂN CƯỚC CÔNG DÂN"),
        (40, 120, "Họ và tên / Full name:"),
        (300, 170, "TRẦN VĂN BÌNH"),  # its box ends at x = 300 + 13 * 18 = 534
        (40, 230, "Quốc tịch: Việt Nam"),
    ]

    def read(width: int, height: int) -> ExtractedFields:
        page = page_from_rows(rows, width=width, page_height=height)
        ex = get_extractor("citizen_id_front")
        assert ex is not None
        return ex.extract([PageInput(page, None, layout_lines(page))])

    cut = read(534, 400)  # the name's line runs into the right edge
    assert cut.fields["full_name"] == "Trần Văn Bình"  # kept for the clerk to complete
    assert cut.confidence["full_name"] < 0.8
    assert cut.review["full_name"].startswith("at the image's edge")
    assert "nationality" not in cut.review

    whole = read(580, 400)  # a tight crop: the text stops a margin short of the edge
    assert whole.fields["full_name"] == "Trần Văn Bình"
    assert whole.confidence["full_name"] >= 0.8
    assert whole.review == {}

    bottom = read(580, 272)  # the nationality's line is cut by the bottom edge
    assert bottom.review["nationality"].startswith("at the image's edge")
    assert "full_name" not in bottom.review

    # a value after its label on a line that starts at the left edge: its start was read
    rows[3] = (0, 230, "Quốc tịch: Việt Nam")
    assert "nationality" not in read(800, 400).review
