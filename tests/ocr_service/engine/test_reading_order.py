"""Reading order of detected line boxes."""

from __future__ import annotations

import numpy as np

from ocr_service.engine.reading_order import column_edges, reading_order


def _box(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)


def test_two_column_header_reads_left_block_then_right_block() -> None:
    boxes = [
        _box(600, 50, 1150, 80),  # CỘNG HÒA ...
        _box(80, 52, 400, 82),  # UBND TỈNH
        _box(650, 100, 1100, 130),  # Độc lập ...
        _box(100, 98, 380, 128),  # SỞ TƯ PHÁP
        _box(300, 200, 900, 240),  # title, centred
        _box(80, 300, 1150, 330),  # body
        _box(80, 350, 1100, 380),  # body
    ]
    order = reading_order(boxes, 1240)
    assert order == [1, 3, 0, 2, 4, 5, 6]


def test_single_column_reads_top_to_bottom_and_rows_left_to_right() -> None:
    boxes = [
        _box(80, 300, 1150, 330),
        _box(600, 100, 900, 130),
        _box(80, 100, 400, 130),
        _box(80, 200, 1100, 230),
    ]
    assert reading_order(boxes, 1240) == [2, 1, 3, 0]


def test_signature_block_at_the_bottom() -> None:
    boxes = [
        _box(80, 100, 1150, 130),  # body
        _box(80, 200, 300, 230),  # Nơi nhận:
        _box(700, 200, 1100, 230),  # TM. ỦY BAN NHÂN DÂN
        _box(80, 240, 300, 270),  # - Như trên;
        _box(750, 240, 1000, 270),  # CHỦ TỊCH
        _box(80, 280, 300, 310),  # - Lưu: VT.
    ]
    assert reading_order(boxes, 1240) == [0, 1, 3, 5, 2, 4]


def test_card_fields_beside_the_photo_come_before_the_caption_under_it() -> None:
    # 2021 CCCD front: header, fields to the right of the photo, expiry under the photo
    # level with the last (wrapped) field
    boxes = [
        _box(350, 80, 790, 110),  # CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
        _box(440, 250, 700, 280),  # Citizen Identity Card
        _box(320, 310, 640, 340),  # Số / No.: ...
        _box(320, 365, 530, 390),  # Họ và tên / Full name:
        _box(320, 400, 520, 428),  # VŨ THUỲ DUNG
        _box(320, 440, 700, 470),  # Ngày sinh / Date of birth: ...
        _box(320, 478, 510, 506),  # Giới tính / Sex: Nữ
        _box(580, 478, 920, 508),  # Quốc tịch / Nationality: Việt Nam
        _box(320, 516, 960, 546),  # Quê quán / Place of origin: ...
        _box(320, 550, 440, 580),  # (continued)
        _box(320, 586, 1000, 614),  # Nơi thường trú / Place of residence: ...
        _box(75, 592, 295, 612),  # Có giá trị đến: ...
        _box(320, 617, 850, 646),  # (continued)
        _box(75, 619, 190, 645),  # Date of expiry
    ]
    assert reading_order(boxes, 1100) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 11, 13]


def test_card_issuer_under_the_qr_code_does_not_split_the_fields() -> None:
    # 2024 card back: QR code top left with the issuer under it, fields on the right, MRZ
    boxes = [
        _box(350, 110, 640, 135),  # Nơi cư trú / Place of residence:
        _box(350, 142, 970, 172),  # address
        _box(350, 178, 460, 208),  # (continued)
        _box(350, 220, 700, 245),  # Nơi đăng ký khai sinh / Place of birth:
        _box(350, 250, 980, 282),  # place
        _box(350, 288, 400, 316),  # (continued)
        _box(350, 324, 860, 352),  # Ngày, tháng, năm cấp / Date of issue: ...
        _box(125, 340, 290, 366),  # BỘ CÔNG AN
        _box(350, 360, 900, 388),  # Ngày, tháng, năm hết hạn / Date of expiry: ...
        _box(85, 374, 330, 392),  # MINISTRY OF PUBLIC SECURITY
        _box(145, 520, 970, 560),  # MRZ 1
        _box(145, 566, 970, 604),  # MRZ 2
    ]
    assert reading_order(boxes, 1115) == [0, 1, 2, 3, 4, 5, 6, 8, 7, 9, 10, 11]


def test_captions_under_side_by_side_pictures_are_read_one_caption_at_a_time() -> None:
    # 2021 card back: text column on the left, two fingerprint boxes with bilingual captions
    boxes = [
        _box(95, 215, 475, 242),  # Đặc điểm nhân dạng / Personal identification:
        _box(95, 247, 470, 272),  # feature
        _box(95, 278, 535, 306),  # Ngày, tháng, năm / Date, month, year: ...
        _box(200, 312, 490, 340),  # CỤC TRƯỞNG CỤC CẢNH SÁT
        _box(690, 311, 782, 336),  # Ngón trỏ trái
        _box(895, 312, 993, 336),  # Ngón trỏ phải
        _box(680, 341, 795, 361),  # Left index finger
        _box(880, 340, 1005, 360),  # Right index finger
        _box(140, 347, 553, 371),  # QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI
        _box(130, 518, 990, 560),  # MRZ
    ]
    order = reading_order(boxes, 1116)
    assert order[:5] == [0, 1, 2, 3, 8]  # the left column whole
    assert order[5:9] == [4, 6, 5, 7]  # each caption in both languages, left one first
    assert order[9] == 9


def test_a_row_of_short_fields_is_read_across_not_as_a_column() -> None:
    # birth certificate: "Giới tính | Dân tộc | Quốc tịch" rows with full lines between them
    boxes = [
        _box(340, 1126, 700, 1178),  # Giới tính: Nam
        _box(970, 1126, 1310, 1188),  # Dân tộc: Kinh
        _box(1610, 1118, 2100, 1188),  # Quốc tịch: Việt Nam
        _box(340, 1217, 1185, 1289),  # Nơi sinh: ...
        _box(340, 1323, 1526, 1388),  # Quê quán: ...
        _box(340, 1433, 1488, 1510),  # Họ, chữ đệm, tên người mẹ: ...
        _box(340, 1544, 716, 1597),  # Năm sinh: 2001
        _box(970, 1544, 1310, 1606),  # Dân tộc: Kinh
        _box(1610, 1537, 2100, 1607),  # Quốc tịch: Việt Nam
    ]
    assert reading_order(boxes, 2480) == list(range(9))


def test_land_register_table_is_read_row_by_row() -> None:
    boxes = [
        _box(340, 1460, 1710, 1530),  # II. Thửa đất, nhà ở ... (heading above the table)
        _box(390, 1600, 680, 1650),  # Thửa đất số
        _box(760, 1600, 1070, 1650),  # Tờ bản đồ số
        _box(1150, 1600, 1480, 1660),  # Diện tích (m²)
        _box(1660, 1600, 2110, 1660),  # Hình thức sử dụng
        _box(480, 1720, 590, 1770),  # 307
        _box(880, 1720, 950, 1770),  # 34
        _box(1240, 1720, 1390, 1780),  # 285,0
        _box(1700, 1715, 2070, 1785),  # Sử dụng riêng
        _box(340, 1860, 1260, 1930),  # a) Thửa đất số: 307; tờ bản đồ số: 34
    ]
    assert reading_order(boxes, 2480) == list(range(10))


def test_a_line_the_detector_broke_in_two_still_reads_as_one_column_cell() -> None:
    boxes = [
        _box(80, 200, 300, 230),  # Nơi nhận:
        _box(700, 200, 1100, 230),  # TM. ỦY BAN NHÂN DÂN
        _box(80, 240, 300, 270),  # - Như trên;
        _box(720, 240, 800, 270),  # (Ký,
        _box(805, 240, 1080, 270),  # ghi rõ họ tên)
    ]
    assert reading_order(boxes, 1240) == [0, 2, 1, 3, 4]


def test_a_line_made_tall_by_a_signature_does_not_swallow_the_next_line() -> None:
    boxes = [
        _box(140, 366, 600, 396),  # QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI
        _box(160, 392, 770, 441),  # DIRECTOR GENERAL ... with the signature across it
        _box(148, 424, 606, 447),  # FOR ADMINISTRATIVE MANAGEMENT OF SOCIAL ORDER
    ]
    assert reading_order(boxes, 1220) == [0, 1, 2]


def _card_front_with_joined_expiry() -> list[np.ndarray]:
    # 2021 card front, bottom half: the expiry under the photo joined to the residence field
    return [
        _box(355, 440, 810, 470),  # Ngày sinh / Date of birth: ...
        _box(355, 485, 570, 515),  # Giới tính / Sex: Nữ
        _box(640, 485, 1040, 515),  # Quốc tịch / Nationality: Việt Nam
        _box(355, 530, 1110, 560),  # Quê quán / Place of origin: ...
        _box(355, 570, 440, 600),  # (continued)
        _box(85, 610, 1105, 640),  # Có giá trị đến: ... Nơi thường trú / Place of residence: ...
        _box(85, 648, 220, 675),  # Date of expiry
        _box(358, 650, 1020, 680),  # (continued)
    ]


def test_a_line_joined_across_a_column_edge_is_found_with_the_edge() -> None:
    edges = column_edges(_card_front_with_joined_expiry())
    assert list(edges) == [5]
    assert 350 <= edges[5] <= 360


def test_lines_that_belong_across_the_page_have_no_column_edge() -> None:
    # one line under two columns (marriage certificate): no column starts below it
    two_columns = [
        _box(415, 1700, 900, 1730),  # Số định danh cá nhân:
        _box(1416, 1700, 1900, 1730),  # Nơi cư trú: ...
        _box(415, 1735, 750, 1765),  # 001077505378
        _box(1416, 1735, 1900, 1765),  # Số định danh cá nhân:
        _box(1416, 1770, 1750, 1800),  # 049174051926
        _box(414, 1805, 2246, 1835),  # Nơi đăng ký kết hôn: ...
        _box(416, 1840, 1252, 1870),  # Ngày, tháng, năm đăng ký: ...
    ]
    assert column_edges(two_columns) == {}
    # a line between rows of field cells (birth certificate): the cells have cells beside them
    field_rows = [
        _box(194, 1074, 415, 1106),
        _box(633, 1074, 826, 1106),
        _box(1070, 1071, 1356, 1107),  # Quốc tịch: Việt Nam
        _box(194, 1129, 1332, 1166),  # Nơi cư trú: ...
        _box(192, 1184, 863, 1226),
        _box(194, 1250, 413, 1281),
        _box(631, 1248, 828, 1285),
        _box(1070, 1248, 1356, 1285),  # Quốc tịch: Việt Nam
        _box(194, 1012, 415, 1044),
        _box(1070, 1010, 1356, 1046),  # Quốc tịch: Việt Nam
    ]
    assert column_edges(field_rows) == {}
    assert column_edges([]) == {}


def _marriage_signatures() -> list[np.ndarray]:
    # marriage certificate: husband and wife on the left, the official's block on the right,
    # each a stack centred on its heading; the official's stack is not level with theirs
    return [
        _box(313, 2004, 1285, 2074),  # Ngày, tháng, năm đăng ký: ...
        _box(258, 2159, 450, 2246),  # Chồng
        _box(924, 2171, 1014, 2243),  # Vợ
        _box(1587, 2171, 2233, 2226),  # TM. ỦY BAN NHÂN DÂN
        _box(1594, 2271, 2222, 2326),  # (Ký, ghi rõ họ tên, đóng dấu)
        _box(156, 2509, 547, 2567),  # Hoàng Ngọc Phúc
        _box(783, 2503, 1147, 2568),  # Đỗ Bích Phượng
        _box(1676, 2681, 2144, 2745),  # Đặng Hữu Phước
    ]


def test_signers_blocks_are_read_one_stack_at_a_time() -> None:
    assert reading_order(_marriage_signatures(), 2480) == [0, 1, 5, 2, 6, 3, 4, 7]


def test_a_signature_read_as_a_line_stays_in_its_signers_stack() -> None:
    boxes = [
        *_marriage_signatures(),
        _box(199, 2334, 512, 2423),  # the husband's signature
        _box(1700, 2450, 2100, 2560),  # the official's
    ]
    assert reading_order(boxes, 2480) == [0, 1, 8, 5, 2, 6, 3, 4, 9, 7]


def test_stacks_are_not_read_across_a_line_off_their_centres() -> None:
    # a left-aligned line under the first heading ends the block: the rows stay rows
    boxes = [
        _box(258, 2159, 450, 2246),  # Chồng
        _box(924, 2171, 1014, 2243),  # Vợ
        _box(1587, 2171, 2233, 2226),  # TM. ỦY BAN NHÂN DÂN
        _box(258, 2271, 1400, 2326),  # a field line starting under "Chồng"
        _box(1676, 2681, 2144, 2745),  # Đặng Hữu Phước
    ]
    assert reading_order(boxes, 2480) == [0, 1, 2, 3, 4]
