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


def test_card_back_by_its_mrz() -> None:
    rows = [
        (100, 500, "TDVNM0947044600001094704460<<<"),
        (100, 560, "9409260M3409268VNM<<<<<<<<<<<3"),
    ]
    assert _classify(rows) == "citizen_id_back"


def test_empty_page_is_other() -> None:
    assert _classify([]) == "other"
