"""Giấy chứng nhận kết hôn: the marriage certificate; two subjects, husband and wife."""

from __future__ import annotations

from classifiers.doctypes._common import (
    CIVIL_STATUS_FORMS,
    DOB_LABELS,
    FORM_STOPS,
    ID_LABELS,
    NAME_LABELS,
    REGISTRATION_DATE,
    REGISTRATION_NUMBER,
    labelled,
    spouse,
)
from classifiers.doctypes._record import Cues, DocType, TemplateVersion
from classifiers.fields import FieldSpec, LabelExtractor, Section

__all__ = ["DOC_TYPE"]

NAME = "marriage_certificate"
TITLE = "GIẤY CHỨNG NHẬN KẾT HÔN"
_SLIPS = ("GIẤY CHỨNG NHÂN KẾT HỒN",)

TWO_COLUMNS = TemplateVersion(
    "hai_cot",
    "Giấy chứng nhận kết hôn (chồng và vợ hai cột)",
    titles=(TITLE,),
    source=CIVIL_STATUS_FORMS,
    printed_labels=("Thông tin người chồng", "Thông tin người vợ"),
    title_slips=_SLIPS,
)
ONE_COLUMN = TemplateVersion(
    "mot_cot",
    "Giấy chứng nhận kết hôn (mẫu cũ, một cột)",
    titles=(TITLE,),
    printed_labels=("Họ, chữ đệm, tên chồng", "Họ, chữ đệm, tên vợ"),
    title_slips=_SLIPS,
)
EXTRACT = TemplateVersion("trich_luc", "Trích lục kết hôn", titles=("TRÍCH LỤC KẾT HÔN",))

FIELDS = labelled(
    "husband_name",
    "husband_date_of_birth",
    "husband_id_number",
    "wife_name",
    "wife_date_of_birth",
    "wife_id_number",
    "registration_date",
    "registration_number",
)

DOC_TYPE = DocType(
    name=NAME,
    label="Giấy chứng nhận kết hôn",
    position=40,
    fields=FIELDS,
    versions=(TWO_COLUMNS, ONE_COLUMN, EXTRACT),
    cues=Cues(titles=(TITLE, "TRÍCH LỤC KẾT HÔN"), markers=("chồng", "vợ")),
    extractor=LabelExtractor(
        NAME,
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
            REGISTRATION_DATE,
            REGISTRATION_NUMBER,
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
        other_labels=(*FORM_STOPS, "Nơi đăng ký kết hôn"),
        signature_date="registration_date",
    ),
    subjects=(spouse("husband"), spouse("wife")),
)
