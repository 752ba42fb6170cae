"""Label tables for the A4 civil-status and registration forms (one extractor per type).

Labels follow the official templates (Thông tư 04/2020/TT-BTP civil status forms, CT07
residence confirmation, business, land and diploma certificates); several variants per
field cover older and newer editions. Matching is fuzzy, so OCR slips are tolerated.
``other_labels`` are labels the form prints that we do not return: they end a value and,
being longer, win over a shorter field label they contain ("Họ, chữ đệm, tên người đi
khai sinh" is not the child's "Họ, chữ đệm, tên").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from classifiers.fields import (
    DOB_LABELS,
    ETHNIC_LABELS,
    ID_LABELS,
    NAME_LABELS,
    NATIONALITY_LABELS,
    ORIGIN_LABELS,
    RESIDENCE_LABELS,
    SEX_LABELS,
    ExtractedFields,
    FieldExtractor,
    FieldSpec,
    LabelExtractor,
    PageInput,
    Section,
    register_extractor,
)
from classifiers.text_lines import compact
from core.normalize import fold, normalize_date, normalize_text, strip_leader_junk

__all__ = ["FORM_EXTRACTORS", "DiplomaExtractor"]

_REGNO = FieldSpec("registration_number", ("Số",), "regno", at_start=True)
_REG_DATE = FieldSpec("registration_date", ("Ngày, tháng, năm đăng ký", "Ngày đăng ký"), "date")
_STOPS = ("Nơi cư trú", "Ghi chú", "Quyển số", "Năm sinh", "Dân tộc", "Quốc tịch")

FORM_EXTRACTORS: tuple[LabelExtractor, ...] = (
    LabelExtractor(
        "birth_certificate",
        (
            FieldSpec(
                "mother_name",
                ("Họ, chữ đệm, tên người mẹ", "Họ và tên mẹ", "Họ tên mẹ"),
                "name",
                wrap=True,
            ),
            FieldSpec(
                "father_name",
                ("Họ, chữ đệm, tên người cha", "Họ và tên cha", "Họ tên cha"),
                "name",
                wrap=True,
            ),
            FieldSpec("full_name", NAME_LABELS, "name", wrap=True),
            FieldSpec("date_of_birth", DOB_LABELS, "date"),
            FieldSpec("sex", SEX_LABELS, "sex"),
            FieldSpec("ethnicity", ETHNIC_LABELS, "ethnicity"),
            FieldSpec("nationality", NATIONALITY_LABELS, "text"),
            FieldSpec("place_of_birth", ("Nơi sinh",), "address", wrap=True),
            FieldSpec("place_of_origin", ORIGIN_LABELS, "address", wrap=True),
            FieldSpec("id_number", ID_LABELS, "id"),
            _REG_DATE,
            _REGNO,
        ),
        other_labels=(
            *_STOPS,
            "Họ, chữ đệm, tên người đi khai sinh",
            "Nơi đăng ký khai sinh",
            "ghi bằng chữ",
            "Người ký giấy khai sinh",
        ),
    ),
    LabelExtractor(
        "marriage_certificate",
        (
            FieldSpec(
                "husband_name",
                ("Họ, chữ đệm, tên chồng", "Họ và tên chồng", "Họ tên chồng"),
                "name",
                wrap=True,
            ),
            FieldSpec(
                "wife_name", ("Họ, chữ đệm, tên vợ", "Họ và tên vợ", "Họ tên vợ"), "name", wrap=True
            ),
            FieldSpec("husband_name", NAME_LABELS, "name", wrap=True, section="husband"),
            FieldSpec("husband_date_of_birth", DOB_LABELS, "date", section="husband"),
            FieldSpec("husband_id_number", ID_LABELS, "id", section="husband"),
            FieldSpec("wife_name", NAME_LABELS, "name", wrap=True, section="wife"),
            FieldSpec("wife_date_of_birth", DOB_LABELS, "date", section="wife"),
            FieldSpec("wife_id_number", ID_LABELS, "id", section="wife"),
            _REG_DATE,
            _REGNO,
        ),
        sections=(
            # Two columns under "Thông tin người chồng/vợ", or one column where each spouse's
            # block opens with "Họ, chữ đệm, tên chồng/vợ:".
            Section(
                "husband",
                (
                    "Thông tin người chồng",
                    "Thông tin chồng",
                    "Họ, chữ đệm, tên chồng",
                    "Họ và tên chồng",
                    "Người chồng",
                ),
            ),
            Section(
                "wife",
                (
                    "Thông tin người vợ",
                    "Thông tin vợ",
                    "Họ, chữ đệm, tên vợ",
                    "Họ và tên vợ",
                    "Người vợ",
                ),
            ),
        ),
        other_labels=(*_STOPS, "Nơi đăng ký kết hôn"),
    ),
    LabelExtractor(
        "marital_status_certificate",
        (
            FieldSpec("full_name", NAME_LABELS, "name", wrap=True),
            FieldSpec("date_of_birth", DOB_LABELS, "date"),
            FieldSpec("sex", SEX_LABELS, "sex"),
            FieldSpec("id_number", ID_LABELS, "id"),
            FieldSpec("place_of_residence", RESIDENCE_LABELS, "address", wrap=True),
            FieldSpec("marital_status", ("Tình trạng hôn nhân",), "marital", wrap=True),
        ),
        other_labels=(
            *_STOPS[1:],
            "Giấy này được cấp để",
            "Giấy này có giá trị",
            "Trong thời gian cư trú tại",
            "từ ngày",
            "Xét đề nghị của ông/bà",
        ),
    ),
    LabelExtractor(
        "residence_confirmation",
        (
            FieldSpec("full_name", NAME_LABELS, "name", wrap=True),
            FieldSpec("date_of_birth", DOB_LABELS, "date"),
            FieldSpec("sex", SEX_LABELS, "sex"),
            FieldSpec("id_number", ID_LABELS, "id"),
            FieldSpec("place_of_residence", ("Nơi thường trú", "Nơi cư trú"), "address", wrap=True),
        ),
        other_labels=(
            *_STOPS,
            "Nơi tạm trú",
            "Nơi ở hiện tại",
            "Quê quán",
            "Họ, chữ đệm và tên chủ hộ",
            "Quan hệ với chủ hộ",
            "Theo đề nghị của ông/bà",
        ),
    ),
    LabelExtractor(
        "household_business_registration",
        (
            FieldSpec("business_name", ("Tên hộ kinh doanh",), "text", wrap=True),
            FieldSpec(
                "business_code", ("Mã số hộ kinh doanh", "Mã số đăng ký hộ kinh doanh"), "code"
            ),
            FieldSpec("business_code", ("Số",), "code", at_start=True),
            FieldSpec(
                "owner_name",
                (
                    "Họ và tên đại diện hộ kinh doanh",
                    "Họ và tên chủ hộ",
                    "Họ tên chủ hộ",
                    "Họ và tên",
                ),
                "name",
                wrap=True,
            ),
            FieldSpec("owner_id_number", (*ID_LABELS, "Số giấy tờ pháp lý của cá nhân"), "id"),
            FieldSpec(
                "address",
                ("Địa điểm kinh doanh", "Địa chỉ kinh doanh", "Địa chỉ trụ sở"),
                "address",
                wrap=True,
            ),
        ),
        other_labels=(
            *_STOPS,
            "Ngành, nghề kinh doanh",
            "Vốn kinh doanh",
            "Điện thoại",
            "Email",
            "Sinh ngày",
            "Giới tính",
            "Nơi thường trú",
            "Chỗ ở hiện tại",
            "Đăng ký lần đầu",
        ),
    ),
    LabelExtractor(
        "enterprise_registration",
        (
            FieldSpec(
                "business_name",
                (
                    "Tên công ty viết bằng tiếng Việt",
                    "Tên doanh nghiệp viết bằng tiếng Việt",
                    "Tên doanh nghiệp",
                ),
                "text",
                wrap=True,
            ),
            FieldSpec("business_code", ("Mã số doanh nghiệp",), "code"),
            FieldSpec("owner_name", ("Họ và tên", "Họ, chữ đệm và tên"), "name", wrap=True),
            FieldSpec("owner_id_number", (*ID_LABELS, "Số giấy tờ pháp lý của cá nhân"), "id"),
            FieldSpec("address", ("Địa chỉ trụ sở chính", "Địa chỉ trụ sở"), "address", wrap=True),
        ),
        other_labels=(
            *_STOPS,
            "Tên công ty viết bằng tiếng nước ngoài",
            "Tên công ty viết tắt",
            "Vốn điều lệ",
            "Điện thoại",
            "Email",
            "Sinh ngày",
            "Giới tính",
            "Chức danh",
            "Địa chỉ thường trú",
            "Người đại diện theo pháp luật",
            "Đăng ký lần đầu",
        ),
    ),
    LabelExtractor(
        "land_use_certificate",
        (
            FieldSpec(
                "owner_name", ("Ông", "Bà", "Hộ ông", "Hộ bà"), "name", wrap=True, at_start=True
            ),
            FieldSpec("owner_name", ("Người sử dụng đất", "Họ và tên"), "name", wrap=True),
            FieldSpec("owner_id_number", (*ID_LABELS, "CCCD số", "Số CCCD"), "id"),
            FieldSpec("parcel_number", ("Thửa đất số",), "number"),
            FieldSpec("map_sheet_number", ("Tờ bản đồ số",), "number"),
            FieldSpec("area_m2", ("Diện tích",), "area"),
            FieldSpec("address", ("Địa chỉ thửa đất", "Địa chỉ"), "address", wrap=True),
        ),
        other_labels=(
            *_STOPS,
            "Hình thức sử dụng",
            "Mục đích sử dụng",
            "Thời hạn sử dụng",
            "Nguồn gốc sử dụng",
            "Địa chỉ thường trú",
            "Người sử dụng đất, chủ sở hữu",
        ),
    ),
    LabelExtractor(
        "application_form",
        (
            FieldSpec(
                "full_name",
                (
                    "Họ, chữ đệm, tên người yêu cầu",
                    "Họ và tên người yêu cầu",
                    "Họ, chữ đệm, tên người khai",
                    *NAME_LABELS,
                ),
                "name",
                wrap=True,
            ),
            FieldSpec("id_number", ID_LABELS, "id"),
        ),
        other_labels=(*_STOPS, "Quan hệ với người được cấp bản sao", "Kính gửi"),
    ),
)


# --- diploma: degree from the printed title, issue date from the place-and-date line ----------


# Words of degree names, to restore tone marks OCR loses in large capitals ("KỸ SỬ" → "KỸ SƯ").
# Phrases, not single words: "SỬ" is right in "LỊCH SỬ" and wrong in "KỸ SƯ".
_DEGREE_PHRASES = (
    "TRUNG HỌC PHỔ THÔNG",
    "TRUNG HỌC CƠ SỞ",
    "CAO ĐẲNG",
    "ĐẠI HỌC",
    "CỬ NHÂN",
    "KỸ SƯ",
    "KIẾN TRÚC SƯ",
    "BÁC SĨ",
    "DƯỢC SĨ",
    "THẠC SĨ",
    "TIẾN SĨ",
    "SƯ PHẠM",
    "TOÁN HỌC",
    "NGỮ VĂN",
    "VẬT LÝ",
    "HOÁ HỌC",
    "HÓA HỌC",
    "SINH HỌC",
    "LỊCH SỬ",
    "ĐỊA LÝ",
    "TIẾNG ANH",
    "TIN HỌC",
    "CÔNG NGHỆ THÔNG TIN",
    "CÔNG NGHỆ",
    "THÔNG TIN",
    "KỸ THUẬT ĐIỆN",
    "KỸ THUẬT",
    "ĐIỆN TỬ",
    "QUẢN TRỊ KINH DOANH",
    "QUẢN TRỊ",
    "KINH DOANH",
    "KINH TẾ",
    "KẾ TOÁN",
    "TÀI CHÍNH",
    "NGÂN HÀNG",
    "LUẬT KINH TẾ",
    "LUẬT",
    "XÂY DỰNG",
    "CƠ KHÍ",
    "NÔNG NGHIỆP",
    "MÔI TRƯỜNG",
    "Y KHOA",
    "DƯỢC HỌC",
    "NGÔN NGỮ ANH",
)


def _restore_degree_marks(value: str) -> str:
    words = value.split(" ")
    phrases = sorted(
        ((fold(p).split(" "), p.split(" ")) for p in _DEGREE_PHRASES), key=lambda fp: -len(fp[0])
    )
    out: list[str] = []
    i = 0
    while i < len(words):
        for folded, proper in phrases:
            n = len(folded)
            if [fold(w) for w in words[i : i + n]] == folded:
                out.extend(proper)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


def degree_from_titles(lines: Sequence[str]) -> str | None:
    """The degree as printed: the subtitle under "BẰNG TỐT NGHIỆP [ĐẠI HỌC]" ("CỬ NHÂN KẾ TOÁN",
    "TRUNG HỌC PHỔ THÔNG"), or what follows "BẰNG" on a one-line title ("BẰNG KỸ SƯ …")."""
    for i, text in enumerate(lines):
        c = compact(text)[0]
        if not c.startswith("bang "):
            continue
        if c.startswith("bang tot nghiep"):
            for nxt in lines[i + 1 : i + 3]:
                value = strip_leader_junk(normalize_text(nxt))
                letters = [ch for ch in value if ch.isalpha()]
                if letters and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters):
                    return _restore_degree_marks(value)
            return None
        head_rest = normalize_text(text).split(" ", 1)
        return head_rest[1] if len(head_rest) == 2 else None
    return None


_PLACE_DATE = re.compile(r",\s*ng\w{1,3}\s+\d{1,2}\s+th\w{2,4}\s+\d{1,2}\s+n\w{1,3}\s+\d{4}")


@dataclass
class DiplomaExtractor:
    doc_type: str = "diploma"

    def extract(self, pages: Sequence[PageInput]) -> ExtractedFields:
        out = LabelExtractor(
            self.doc_type,
            (
                FieldSpec(
                    "full_name", ("Cho", "Ông/Bà", "Họ và tên"), "name", wrap=True, at_start=True
                ),
                FieldSpec("date_of_birth", DOB_LABELS, "date"),
                FieldSpec("registration_number", ("Số vào sổ cấp bằng", "Số vào sổ"), "regno"),
            ),
            other_labels=(
                "Xếp loại tốt nghiệp",
                "Hình thức đào tạo",
                "Số hiệu",
                "Học sinh trường",
                "Khoá thi ngày",
            ),
        ).extract(pages)
        lines = [ln for p in pages for ln in p.lines]
        degree = degree_from_titles([ln.text for ln in lines])
        if degree:
            conf = min((ln.confidence for ln in lines if "BẰNG" in ln.text.upper()), default=0.5)
            out.set("degree", degree, conf * 0.95)
        for ln in lines:  # "Hà Nội, ngày 20 tháng 06 năm 2015" above the signature
            m = _PLACE_DATE.search(fold(ln.text))
            if m:
                value = normalize_date(ln.text[m.start() + 1 :])
                if value:
                    out.set("issue_date", value, ln.confidence)
        return out


_ALL: tuple[FieldExtractor, ...] = (*FORM_EXTRACTORS, DiplomaExtractor())
for _x in _ALL:
    register_extractor(_x)
