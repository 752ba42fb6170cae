"""A citizen card typed and read by its QR code when OCR gave too little (classifiers.card_type)."""

from __future__ import annotations

import cv2
import numpy as np
import segno

from classifiers.card_codes import decode_qr
from classifiers.card_type import card_side, qr_card_type
from classifiers.fields import PageInput
from classifiers.text_lines import layout_lines
from classifiers.understand import understand_pages
from tests.classifiers._helpers import page_from_rows
from tests.classifiers.test_card_codes import _td1

# A made-up holder (no real person's values).
PAYLOAD = (
    "036089001234|123456789|Trần Văn Đức|01021989|Nam|Xóm 3, Tam Quang, Vũ Thư, Thái Bình|20022025"
)


def _card_photo(text: str, *, module: int = 4, angle: float = 0.0) -> np.ndarray:
    """A light, tinted card-sized photo with the QR code in its top right corner, turned
    by ``angle`` degrees on a grey background."""
    qr = segno.make(text, error="m")
    m = np.pad(np.array(list(qr.matrix), dtype=np.uint8), 2)
    code = cv2.resize(
        ((1 - m) * 255).astype(np.uint8),
        None,
        fx=module,
        fy=module,
        interpolation=cv2.INTER_NEAREST,
    )
    card = np.full((540, 856, 3), (200, 230, 215), np.uint8)  # pale green-blue guilloche tint
    y, x = 30, 856 - 30 - code.shape[1]
    card[y : y + code.shape[0], x : x + code.shape[1]] = code[:, :, None]
    page = np.full((1100, 1400, 3), 110, np.uint8)
    page[280:820, 272:1128] = card
    rot = cv2.getRotationMatrix2D((700, 550), angle, 1.0)
    return cv2.warpAffine(page, rot, (1400, 1100), borderValue=(110, 110, 110))


def test_decode_qr_on_a_card_turned_60_degrees_with_small_modules() -> None:
    assert decode_qr(_card_photo(PAYLOAD, module=2, angle=60)) == PAYLOAD


def _page(rows: list[tuple[float, float, str]], image: np.ndarray | None) -> PageInput:
    text = page_from_rows(rows, width=1400, page_height=1100)
    return PageInput(text, image, layout_lines(text))


def test_a_card_with_no_text_read_is_typed_by_its_qr_code() -> None:
    page = _page([(300, 900, "Độc lập")], _card_photo(PAYLOAD))
    assert qr_card_type(page) == "citizen_id_front"


def test_a_qr_code_that_is_no_card_types_nothing() -> None:
    page = _page([(300, 900, "Độc lập")], _card_photo("https://dichvucong.gov.vn/p/123"))
    assert qr_card_type(page) is None


def test_qr_typing_is_off_without_machine_readable_fusion() -> None:
    page = _page([(300, 900, "Độc lập")], _card_photo(PAYLOAD))
    page.machine_readable = False
    assert qr_card_type(page) is None


def test_the_side_follows_from_the_mrz_or_the_back_labels() -> None:
    mrz = [
        (10, 10, "IDVNM0890012342036089001234<<8"),
        (10, 60, "8902015M4902014VNM<<<<<<<<<<<6"),
        (10, 110, "TRAN<<VAN<DUC<<<<<<<<<<<<<<<<<"),
    ]
    assert card_side(layout_lines(page_from_rows(mrz))) == "citizen_id_back"
    back = [(10, 10, "Nơi đăng ký khai sinh / Place of birth: Thái Bình")]
    assert card_side(layout_lines(page_from_rows(back))) == "citizen_id_back"
    front = [(10, 10, "Họ và tên / Full name:")]
    assert card_side(layout_lines(page_from_rows(front))) == "citizen_id_front"
    # an MRZ whose first line OCR garbled still shows its fillers on two lines
    garbled = [
        (10, 10, "1DWN0890O12342"),
        (10, 60, "8902O15M49O2O14<<<<<<<<<<<<6"),
        (10, 110, "TRAN<<VAN"),
    ]
    assert card_side(layout_lines(page_from_rows(garbled))) == "citizen_id_back"


def test_understanding_takes_the_fields_from_the_qr_code() -> None:
    text = page_from_rows([(300, 900, "Độc lập")], width=1400, page_height=1100)
    docs = understand_pages("card.jpg", [text], [_card_photo(PAYLOAD)], register=None)
    assert [d.doc_type for d in docs] == ["citizen_id_front"]
    fields = docs[0].fields
    assert fields["id_number"] == "036089001234"
    assert fields["full_name"] == "Trần Văn Đức"
    assert fields["date_of_birth"] == "1989-02-01"
    assert docs[0].field_source["full_name"] == "qr"
    assert "old_id_number" not in fields  # the QR's 9-digit old number is no id_number


def test_a_number_partly_hidden_on_the_print_is_not_taken_from_the_qr() -> None:
    rows = [(300, 300, "CĂN CƯỚC CÔNG DÂN"), (300, 400, "Số / No.: 036089")]
    text = page_from_rows(rows, width=1400, page_height=1100)
    docs = understand_pages("card.jpg", [text], [_card_photo(PAYLOAD)], register=None)
    assert docs[0].doc_type == "citizen_id_front"
    assert "id_number" not in docs[0].fields
    assert docs[0].field_review["id_number"] == "partly hidden on the card"
    assert docs[0].fields["full_name"] == "Trần Văn Đức"


def test_a_disagreement_between_print_and_qr_is_reported() -> None:
    rows = [
        (300, 300, "CĂN CƯỚC CÔNG DÂN"),
        (300, 400, "Số / No.: 036089001234"),
        (300, 460, "Ngày sinh / Date of birth: 01/02/1988"),
    ]
    text = page_from_rows(rows, width=1400, page_height=1100)
    doc = understand_pages("card.jpg", [text], [_card_photo(PAYLOAD)], register=None)[0]
    assert doc.fields["date_of_birth"] == "1989-02-01"
    assert doc.field_readings["date_of_birth"] == {"ocr": "1988-02-01", "qr": "1989-02-01"}
    assert "date_of_birth" in doc.field_review
    assert doc.field_readings["id_number"] == {"ocr": "036089001234", "qr": "036089001234"}
    assert "id_number" not in doc.field_review


def test_the_printed_address_is_kept_with_the_qr_letters() -> None:
    rows = [
        (300, 300, "CĂN CƯỚC CÔNG DÂN"),
        (300, 700, "Nơi thường trú / Place of residence: Xom 3"),
        (300, 745, "Tam Quang, Vu Thư; Thái Bình"),
    ]
    text = page_from_rows(rows, width=1400, page_height=1100)
    doc = understand_pages("card.jpg", [text], [_card_photo(PAYLOAD)], register=None)[0]
    # the QR's tone marks, the print's separators (no comma where the print wraps a line)
    assert doc.fields["place_of_residence"] == "Xóm 3 Tam Quang, Vũ Thư, Thái Bình"
    assert doc.field_source["place_of_residence"] == "ocr+qr"


def test_an_abbreviating_qr_leaves_the_printed_address() -> None:
    payload = PAYLOAD.replace("Xóm 3, Tam Quang, Vũ Thư, Thái Bình", "P. 5, TP. Kon Tum, Kon Tum")
    rows = [
        (300, 300, "CĂN CƯỚC CÔNG DÂN"),
        (300, 700, "Nơi thường trú / Place of residence: Phường 5, Thành phố Kon Tum, Kon Tum"),
    ]
    text = page_from_rows(rows, width=1400, page_height=1100)
    doc = understand_pages("card.jpg", [text], [_card_photo(payload)], register=None)[0]
    assert doc.fields["place_of_residence"] == "Phường 5, Thành phố Kon Tum, Kon Tum"
    assert doc.field_review["place_of_residence"] == "ocr/qr disagree; the print kept"


def test_a_garbled_english_gloss_is_no_value() -> None:
    rows = [
        (300, 300, "CĂN CƯỚC CÔNG DÂN"),
        (300, 600, "Giới tính / Sex: Nam Quốc tịch/N@naý;"),
        (1200, 600, "Việt Nam"),
        (300, 650, "Quê quán / Place of ONgÌ: Tam Quang, Vũ Thư, Thái Bình"),
    ]
    text = page_from_rows(rows, char_w=14, width=1500, page_height=1100)
    doc = understand_pages("card.jpg", [text], register=None)[0]
    assert doc.fields["nationality"] == "Việt Nam"
    assert doc.fields["place_of_origin"] == "Tam Quang, Vũ Thư, Thái Bình"


def test_a_wrapped_address_whose_second_line_lost_its_place_is_joined_by_the_qr() -> None:
    # a tilted card: the wrapped line comes out of reading order, far from its label
    rows = [
        (300, 300, "CĂN CƯỚC CÔNG DÂN"),
        (300, 360, "Tam Quang, Vũ Thư, Thái Bình"),
        (300, 700, "Nơi thường trú / Place of residence: Xom 3"),
    ]
    text = page_from_rows(rows, width=1400, page_height=1100)
    doc = understand_pages("card.jpg", [text], [_card_photo(PAYLOAD)], register=None)[0]
    assert doc.fields["place_of_residence"] == "Xóm 3 Tam Quang, Vũ Thư, Thái Bình"


def test_a_hamlet_number_ocr_garbled_is_spelled_by_the_qr_and_the_origin_with_it() -> None:
    payload = PAYLOAD.replace("Xóm 3, Tam Quang", "Thôn Đông 1, Tam Quang")
    rows = [
        (300, 300, "CĂN CƯỚC CÔNG DÂN"),
        (300, 650, "Quê quán / Place of origin: Tam Quang, Vu Thư, Thái Bình"),
        (300, 700, "Nơi thường trú / Place of residence: Thôn Đông Ỷq"),
        (300, 745, "Tam Quang, Vũ Thư, Thái Bình"),
    ]
    text = page_from_rows(rows, width=1400, page_height=1100)
    doc = understand_pages("card.jpg", [text], [_card_photo(payload)], register=None)[0]
    assert doc.fields["place_of_residence"] == "Thôn Đông 1 Tam Quang, Vũ Thư, Thái Bình"
    # the origin names the same commune, district and province: the QR's tone marks
    assert doc.fields["place_of_origin"] == "Tam Quang, Vũ Thư, Thái Bình"


def test_two_garbled_words_or_another_place_leave_the_print() -> None:
    payload = PAYLOAD.replace("Xóm 3, Tam Quang", "Thôn Đông 1, Tam Quang")
    rows = [
        (300, 300, "CĂN CƯỚC CÔNG DÂN"),
        (300, 650, "Quê quán / Place of origin: Tam Hiep, Vu Thư, Thái Bình"),
        (300, 700, "Nơi thường trú / Place of residence: Thôn Đông Ỷq"),
        (300, 745, "Tam Quag, Vũ Thư, Thái Bình"),
    ]
    text = page_from_rows(rows, width=1400, page_height=1100)
    doc = understand_pages("card.jpg", [text], [_card_photo(payload)], register=None)[0]
    assert doc.fields["place_of_residence"] == "Thôn Đông Ỷq Tam Quag, Vũ Thư, Thái Bình"
    assert doc.field_review["place_of_residence"] == "ocr/qr disagree; the print kept"
    assert doc.fields["place_of_origin"] == "Tam Hiep, Vu Thư, Thái Bình"


def test_a_card_back_takes_no_id_number_from_an_mrz_whose_composite_check_fails() -> None:
    # made-up holder; "036..." read "006...": the document number (the id's last nine
    # digits) still checks, the composite does not; the dates keep their own checks
    l1, l2, l3 = _td1("036089001234", "890201", "M", "490201", "TRAN<<VAN<DUC")
    misread = l1[:16] + "0" + l1[17:]
    rows = [(10, 10, misread), (10, 60, l2), (10, 110, l3)]
    [doc] = understand_pages("back.jpg", [page_from_rows(rows)], [None], register=None)
    assert doc.doc_type == "citizen_id_back"
    assert "id_number" not in doc.fields
    assert doc.fields["date_of_birth"] == "1989-02-01"
    rows[0] = (10, 10, l1)
    [doc] = understand_pages("back.jpg", [page_from_rows(rows)], [None], register=None)
    assert doc.fields["id_number"] == "036089001234"
