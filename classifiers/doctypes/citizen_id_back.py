"""Căn cước công dân / Căn cước, mặt sau: the back of the chip card (MRZ, issue date)."""

from __future__ import annotations

from classifiers.card_fields import CardBackExtractor
from classifiers.doctypes._common import labelled
from classifiers.doctypes._record import Cues, DocType, Subject, TemplateVersion
from classifiers.fields import FieldSpec

__all__ = ["DOC_TYPE"]

NAME = "citizen_id_back"

# A card back has no title: each version names the labels only it prints. Version ids are
# the samples' ``card_version``.
CMND = TemplateVersion(
    "cmnd_9digit",
    "Giấy chứng minh nhân dân (9 số), mặt sau",
    source="Nghị định 05/1999/NĐ-CP",
    printed_labels=("Dân tộc", "Tôn giáo", "Dấu vết riêng và dị hình", "Giám đốc CA"),
)
CCCD_2016 = TemplateVersion(
    "cccd_2016",
    "Căn cước công dân (2016), mặt sau",
    source="Thông tư 61/2015/TT-BCA",
    printed_labels=(
        "Đặc điểm nhân dạng",
        "Ngón trỏ trái",
        "Ngón trỏ phải",
        "Cục trưởng cục cảnh sát",
    ),
)
CCCD_2021 = TemplateVersion(
    "2021",
    "Căn cước công dân gắn chip (2021), mặt sau",
    source="Thông tư 06/2021/TT-BCA",
    printed_labels=(
        "Đặc điểm nhân dạng / Personal identification",
        "Ngày, tháng, năm / Date, month, year",
        "Ngón trỏ trái",
        "Left index finger",
        "Ngón trỏ phải",
        "Right index finger",
    ),
)
CAN_CUOC_2024 = TemplateVersion(
    "2024",
    "Căn cước (2024), mặt sau",
    source="Thông tư 16/2024/TT-BCA",
    printed_labels=(
        "Nơi cư trú / Place of residence",
        "Nơi đăng ký khai sinh / Place of birth",
        "Ngày, tháng, năm cấp / Date of issue",
        "Ngày, tháng, năm hết hạn / Date of expiry",
    ),
)

FIELDS = labelled("id_number", "date_of_birth", "sex", "date_of_expiry", "date_of_issue")

DOC_TYPE = DocType(
    name=NAME,
    label="Căn cước công dân (mặt sau)",
    position=20,
    fields=FIELDS,
    versions=(CMND, CCCD_2016, CCCD_2021, CAN_CUOC_2024),
    # Its ICAO MRZ ("IDVNM…") or the back's fixed labels.
    cues=Cues(
        by="mrz",
        markers=(
            "Đặc điểm nhân dạng",
            "Personal identification",
            "Ngón trỏ trái",
            "Ngón trỏ phải",
            "Left index finger",
            "Right index finger",
            "Cục trưởng cục cảnh sát",
            "Date of issue",
            "Nơi đăng ký khai sinh",
        ),
    ),
    extractor=CardBackExtractor(
        NAME,
        specs=(
            FieldSpec(
                "date_of_issue",
                ("Ngày, tháng, năm cấp", "Ngày, tháng, năm", "Date of issue"),
                "date",
            ),
            FieldSpec("date_of_expiry", ("Ngày, tháng, năm hết hạn", "Có giá trị đến"), "date"),
            # the 2016 card and the CMND date their issue in the signature block
            FieldSpec("date_of_issue", ("Ngày",), "date", at_start=True),
            # Read only so that its value ends the others; the back's residence is not returned.
            FieldSpec("place_of_residence", ("Nơi cư trú",), "address", wrap=True),
        ),
        other_labels=(
            "Nơi đăng ký khai sinh",
            "Đặc điểm nhân dạng",
            "Personal identification",
            "Ngày, tháng, năm sinh",
        ),
    ),
    subjects=(Subject("id_number", {"date_of_birth": "date_of_birth", "sex": "sex"}),),
)
