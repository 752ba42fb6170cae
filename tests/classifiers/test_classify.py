"""Document type classification: fuzzy titles, OCR slips, partial pages, registry."""

from __future__ import annotations

import pytest

from classifiers.classify import CLASSIFIERS, classify_page
from classifiers.text_lines import layout_lines
from tests.classifiers._helpers import page_from_rows

TITLES = {
    "birth_certificate": "GIẤY KHAI SINH",
    "marriage_certificate": "GIẤY CHỨNG NHẬN KẾT HÔN",
    "marital_status_certificate": "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",
    "residence_confirmation": "XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ",
    "household_business_registration": "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH",
    "enterprise_registration": "GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP",
    "diploma": "BẰNG TỐT NGHIỆP ĐẠI HỌC",
    "application_form": "TỜ KHAI ĐĂNG KÝ KHAI SINH",
    "citizen_id_front": "CĂN CƯỚC CÔNG DÂN",
}


def _classify(rows: list[tuple[float, float, str]]) -> str:
    page = page_from_rows(rows)
    return classify_page(layout_lines(page), page.height).doc_type


@pytest.mark.parametrize(("doc_type", "title"), list(TITLES.items()))
def test_every_type_has_a_classifier_and_its_title_wins(doc_type: str, title: str) -> None:
    assert doc_type in CLASSIFIERS
    rows = [
        (1400, 150, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (700, 450, title),
        (250, 600, "Họ và tên: A B"),
    ]
    assert _classify(rows) == doc_type


@pytest.mark.parametrize(
    ("doc_type", "ocr_title"),
    [
        ("birth_certificate", "GIAY KHAl SINH"),
        ("marriage_certificate", "GIẤY CHỨNG NHÂN KẾT HỒN"),
        ("marital_status_certificate", "GIAY XAC NHAN TINH TRANG HON NHAN"),
        ("household_business_registration", "GIẤY CHỨNG NHẬN ĐĂNG KY HÔ KINH DOANH"),
    ],
)
def test_titles_with_ocr_slips(doc_type: str, ocr_title: str) -> None:
    assert _classify([(700, 450, ocr_title)]) == doc_type


def test_land_title_split_over_two_lines() -> None:
    rows = [
        (900, 450, "GIẤY CHỨNG NHẬN"),
        (300, 520, "QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT"),
    ]
    assert _classify(rows) == "land_use_certificate"


def test_application_for_a_birth_registration_is_not_a_birth_certificate() -> None:
    assert _classify([(700, 450, "TỜ KHAI ĐĂNG KÝ KHAI SINH")]) == "application_form"
    assert (
        _classify([(700, 450, "ĐƠN ĐỀ NGHỊ CẤP GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN")])
        == "application_form"
    )


def test_body_text_mentioning_a_title_does_not_classify() -> None:
    rows = [
        (900, 450, "THÔNG BÁO"),
        (250, 600, "Công dân mang theo căn cước công dân và giấy khai sinh của con"),
        (250, 670, "căn cước"),
    ]
    assert _classify(rows) == "other"


def test_partial_card_without_its_title_still_classifies_by_its_labels() -> None:
    rows = [
        (300, 300, "Họ và tên / Full name:"),
        (300, 350, "NGUYỄN VĂN AN"),
        (300, 400, "Ngày sinh / Date of birth: 01/01/1990"),
        (300, 450, "Quốc tịch / Nationality: Việt Nam"),
        (300, 500, "Quê quán / Place of origin: Hà Nội"),
    ]
    assert _classify(rows) == "citizen_id_front"


# A made-up back's MRZ as read, and as read with its first line garbled (no "IDVNM" to
# find): its other lines still show the zone's fillers, which nothing else on a page does.
_MRZ_READ = ["TDVNM0947044600001094704460<<<", "9409260M3409268VNM<<<<<<<<<<<3"]
_MRZ_GARBLED = ["L0VN1O8A37483O6OO1O8", "8406228M3406226VNM<<<<<<<<<<<4", "NGUYEN<<VAN<AN<<<<<"]


@pytest.mark.parametrize(
    ("texts", "doc_type"),
    [
        (_MRZ_READ, "citizen_id_back"),
        (_MRZ_GARBLED, "citizen_id_back"),
        (["XEM TRANG SAU <<<", "Hết"], "other"),  # one stray run of fillers is no MRZ
    ],
)
def test_card_back_by_its_mrz(texts: list[str], doc_type: str) -> None:
    assert _classify([(100, 500 + 60 * i, t) for i, t in enumerate(texts)]) == doc_type


def test_empty_page_is_other() -> None:
    assert _classify([]) == "other"


# A law page that lists what a card prints: every card label is there, in running sentences.
_LAW_PAGE = [
    (250, 200, "Điều 3. Mô tả thẻ Căn cước công dân"),
    (250, 270, "1. Mặt trước thẻ gồm các thông tin sau đây: hình Quốc huy nước Cộng hòa xã"),
    (250, 340, "hội chủ nghĩa Việt Nam; dòng chữ Căn cước công dân / Citizen Identity Card;"),
    (250, 410, "dòng chữ Họ và tên / Full name, Ngày sinh / Date of birth, Giới tính / Sex,"),
    (250, 480, "Quốc tịch / Nationality, Quê quán / Place of origin, Nơi thường trú / Place of"),
    (250, 550, "residence; Có giá trị đến / Date of expiry, in trên nền hoa văn màu xanh."),
    (250, 620, "2. Mặt sau thẻ gồm các thông tin: bộ phận lưu trữ thông tin được mã hóa; vân"),
    (250, 690, "tay, đặc điểm nhận dạng của người được cấp thẻ; ngày, tháng, năm cấp thẻ; họ,"),
    (250, 760, "chữ đệm và tên, chức danh, chữ ký của người cấp thẻ và dấu có hình Quốc huy."),
    (250, 830, "Khoản 3. Ngôn ngữ khác ngoài tiếng Việt thể hiện trên thẻ do Chính phủ quy định."),
]


def test_a_law_page_about_identity_cards_is_not_a_card() -> None:
    page = page_from_rows(_LAW_PAGE)
    lines = layout_lines(page)
    cls = classify_page(lines, page.height)
    assert cls.doc_type == "other"
    # the card's labels alone would have made it a card: the prose rule decided
    assert max(cls.scores.values()) >= 0.6


def test_a_form_with_a_letter_frame_stays_a_form() -> None:
    rows = [
        (700, 150, "ĐƠN XIN ĐĂNG KÝ TẠM TRÚ"),
        (300, 250, "Kính gửi: Công an xã Định Trung"),
        (300, 330, "Tôi tên là: Trần Thị Bích"),
        (300, 400, "Ngày sinh: 01/02/1990"),
        (300, 470, "Số CCCD: 001190000001"),
        (300, 540, "Nay tôi làm đơn này kính xin Công an xã cho tôi được đăng ký tạm trú tại địa"),
        (300, 610, "chỉ trên, từ ngày 01 tháng 01 năm 2026 đến ngày 31 tháng 12 năm 2026."),
        (300, 680, "Lý do: đi làm"),
        (300, 750, "Tôi xin hứa thực hiện tốt các nội quy, quy định về an ninh trật tự của địa"),
        (300, 820, "phương. Nếu vi phạm tôi xin chịu hoàn toàn trách nhiệm."),
    ]
    assert _classify(rows) == "application_form"


def test_a_short_title_opening_begins_a_longer_title() -> None:
    assert _classify([(600, 150, "ĐƠN XIN ĐĂNG KÍ TẠM TRÚ")]) == "application_form"
    # a short title that is no opening still stands on a line of its own
    assert _classify([(600, 150, "CĂN CƯỚC CỦA NGƯỜI GỐC VIỆT NAM CHƯA XÁC ĐỊNH")]) != (
        "citizen_id_front"
    )


def test_an_inner_land_certificate_page_by_its_section_heading() -> None:
    rows = [
        (200, 100, "II. Thửa đất, nhà ở và tài sản khác gắn liền với đất"),
        (250, 170, "1. Thửa đất:"),
        (280, 240, "a) Thửa đất số: 12"),
        (280, 310, "c) Diện tích: 120,5 m²"),
    ]
    page = page_from_rows(rows)
    cls = classify_page(layout_lines(page), page.height)
    assert cls.doc_type == "land_use_certificate"
    # no title: not enough to open a document of its own (understand.split_documents)
    assert cls.score < 0.75


def test_a_page_naming_a_land_section_in_a_sentence_is_not_land() -> None:
    rows = [(250, 400, "Ông trình bày về thửa đất, nhà ở và tài sản khác gắn liền với đất")]
    assert _classify(rows) == "other"


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [
        ("BẢN SAO GIẤY CHỨNG NHẬN KẾT HÔN", "marriage_certificate"),
        ("BẢN SAO TRÍCH LỤC KẾT HÔN", "marriage_certificate"),
        ("BẢN SAO GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", "marital_status_certificate"),
        ("BẢN SAO GIẤY KHAI SINH", "birth_certificate"),
    ],
)
def test_a_copy_marked_before_its_title_is_the_document(title: str, doc_type: str) -> None:
    assert _classify([(500, 450, title)]) == doc_type


def test_a_copy_mark_alone_types_nothing() -> None:
    assert _classify([(700, 450, "BẢN SAO")]) == "other"
