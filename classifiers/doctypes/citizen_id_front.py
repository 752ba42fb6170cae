"""Căn cước công dân / Căn cước, mặt trước: the front of the chip citizen card."""

from __future__ import annotations

from classifiers.card_fields import CardFrontExtractor
from classifiers.doctypes._common import DOB_LABELS, labelled, person
from classifiers.doctypes._record import Cues, DocType, TemplateVersion
from classifiers.fields import FieldSpec

__all__ = ["DOC_TYPE"]

NAME = "citizen_id_front"

# Version ids are the samples' ``card_version``.
CMND = TemplateVersion(
    "cmnd_9digit",
    "Giấy chứng minh nhân dân (9 số)",
    titles=("GIẤY CHỨNG MINH NHÂN DÂN",),
    source="Nghị định 05/1999/NĐ-CP",
    # its 9-digit number (printed in red) is old_id_number, never id_number
    printed_labels=("Họ tên", "Sinh ngày", "Nguyên quán", "Nơi ĐKHK thường trú"),
)
CCCD_2016 = TemplateVersion(
    "cccd_2016",
    "Căn cước công dân (2016, mã vạch, không chip)",
    titles=("CĂN CƯỚC CÔNG DÂN",),
    source="Thông tư 61/2015/TT-BCA",
    # no English, the 12-digit number in red, no QR code
    printed_labels=("Họ và tên", "Ngày, tháng, năm sinh", "Quê quán", "Nơi thường trú"),
)
CCCD_2021 = TemplateVersion(
    "2021",
    "Căn cước công dân gắn chip (2021)",
    titles=("CĂN CƯỚC CÔNG DÂN", "Citizen Identity Card"),
    source="Thông tư 06/2021/TT-BCA",
)
CAN_CUOC_2024 = TemplateVersion(
    "2024",
    "Căn cước (2024)",
    titles=("CĂN CƯỚC", "IDENTITY CARD"),
    source="Thông tư 16/2024/TT-BCA",
    # Bilingual labels as OCR read them on scanned cards (tests/classifiers/test_extraction.py).
    label_slips=(
        "Ho, chữ đêm và tên khai sinh/ Sumame. mlddle name and givên name",
        "Họ. chữ đệm và tên khai snh -. Sumame. midde name and ghen name",
        "Ngày, thắng, năm sinh/ Date of birth",
        "Giới tinh -_ Sex",
    ),
)

FIELDS = labelled(
    "id_number",
    "full_name",
    "date_of_birth",
    "sex",
    "nationality",
    "place_of_origin",
    "place_of_residence",
    "date_of_expiry",
)

DOC_TYPE = DocType(
    name=NAME,
    label="Căn cước công dân (mặt trước)",
    position=10,
    fields=FIELDS,
    versions=(CMND, CCCD_2016, CCCD_2021, CAN_CUOC_2024),
    cues=Cues(
        titles=(
            "CĂN CƯỚC CÔNG DÂN",
            "CITIZEN IDENTITY CARD",
            "CĂN CƯỚC",
            "IDENTITY CARD",
            "GIẤY CHỨNG MINH NHÂN DÂN",
            "CHỨNG MINH NHÂN DÂN",
        ),
        # The bilingual labels only cards print: a cropped card with no title still classifies.
        markers=(
            "Full name",
            "Date of birth",
            "Place of origin",
            "Place of residence",
            "Date of expiry",
            "Nationality",
            "Sex",
            "Personal identification number",
            "Surname, middle name and given name",
            "Có giá trị đến",
        ),
        excludes=("XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ",),
        marker_only_weight=2.0,
        # "Số" and the 9-digit CMND or 12-digit CCCD number, alone on their line (a cut-off
        # edge may leave 9 to 12 digits); forms print "Số định danh …:" or "Số: 12/UBND".
        number_line=r"so \d{9,12}",
    ),
    extractor=CardFrontExtractor(
        NAME,
        specs=(
            FieldSpec(
                "id_number", ("Số định danh cá nhân", "Personal identification number"), "id"
            ),
            FieldSpec("id_number", ("Số",), "id", at_start=True),
            FieldSpec("old_id_number", ("Số",), "old_id", at_start=True),
            FieldSpec(
                "full_name",
                (
                    "Họ và tên",
                    "Họ, chữ đệm và tên khai sinh",
                    "Họ, chữ đệm và tên",
                    "Surname, middle name and given name",
                    "Họ tên",  # the CMND's label
                ),
                "name",
                wrap=True,
            ),
            FieldSpec("date_of_birth", (*DOB_LABELS, "Sinh ngày"), "date"),
            FieldSpec("sex", ("Giới tính",), "sex"),
            # the English gloss anchors the value when OCR garbles the Vietnamese label
            FieldSpec("nationality", ("Quốc tịch", "Nationality"), "nationality"),
            FieldSpec("place_of_origin", ("Quê quán",), "address", wrap=True),
            # the CMND's label; read strictly, "NGUYỄN QUỐC" is a name, not it
            FieldSpec(
                "place_of_origin",
                ("Nguyên quán",),
                "address",
                wrap=True,
                at_start=True,
                min_score=95,
            ),
            FieldSpec(
                "place_of_residence",
                ("Nơi thường trú", "Nơi cư trú", "Nơi ĐKHK thường trú"),
                "address",
                wrap=True,
            ),
            FieldSpec("date_of_expiry", ("Có giá trị đến", "Ngày, tháng, năm hết hạn"), "date"),
            # the label's first words, which OCR keeps when it garbles the rest ("Có giá v4")
            FieldSpec("date_of_expiry", ("Có giá",), "date", at_start=True),
        ),
        other_labels=("Có giá trị đến", "Date of expiry", "Nơi đăng ký khai sinh"),
        cmnd_labels=CMND.printed_labels,
    ),
    subjects=(person(FIELDS),),
)
