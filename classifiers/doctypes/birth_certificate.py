"""Giấy khai sinh: the birth certificate, its copies and extracts."""

from __future__ import annotations

from classifiers.doctypes._common import (
    CIVIL_STATUS_FORMS,
    DOB_LABELS,
    ETHNIC_LABELS,
    FORM_STOPS,
    ID_LABELS,
    NAME_LABELS,
    NATIONALITY_LABELS,
    ORIGIN_LABELS,
    REGISTRATION_DATE,
    REGISTRATION_NUMBER,
    SEX_LABELS,
    labelled,
    person,
)
from classifiers.doctypes._record import Cues, DocType, TemplateVersion
from classifiers.fields import FieldSpec, LabelExtractor

__all__ = ["DOC_TYPE"]

NAME = "birth_certificate"

ORIGINAL = TemplateVersion(
    "ban_chinh",
    "Giấy khai sinh (bản chính)",
    titles=("GIẤY KHAI SINH",),
    source=CIVIL_STATUS_FORMS,
    title_slips=("GIAY KHAl SINH",),
    label_slips=("Ho, chu dem, tèn", "Ngay, thang, nărn sinh", "Gioi tinh", "Quê quản"),
)
COPY = TemplateVersion("ban_sao", "Bản sao giấy khai sinh", titles=("BẢN SAO GIẤY KHAI SINH",))
EXTRACT = TemplateVersion("trich_luc", "Trích lục khai sinh", titles=("TRÍCH LỤC KHAI SINH",))

FIELDS = labelled(
    "full_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "nationality",
    "place_of_birth",
    "place_of_origin",
    "id_number",
    "mother_name",
    "father_name",
    "registration_date",
    "registration_number",
)

DOC_TYPE = DocType(
    name=NAME,
    label="Giấy khai sinh",
    position=30,
    fields=FIELDS,
    versions=(ORIGINAL, COPY, EXTRACT),
    cues=Cues(
        titles=("GIẤY KHAI SINH", "BẢN SAO GIẤY KHAI SINH", "TRÍCH LỤC KHAI SINH"),
        markers=(
            "Họ, chữ đệm, tên người mẹ",
            "Họ, chữ đệm, tên người cha",
            "Nơi sinh",
            "Dân tộc",
            "Nơi đăng ký khai sinh",
        ),
        excludes=("TỜ KHAI ĐĂNG KÝ KHAI SINH",),
    ),
    extractor=LabelExtractor(
        NAME,
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
            REGISTRATION_DATE,
            REGISTRATION_NUMBER,
        ),
        other_labels=(
            *FORM_STOPS,
            "Họ, chữ đệm, tên người đi khai sinh",
            "Nơi đăng ký khai sinh",
            "ghi bằng chữ",
            "Người ký giấy khai sinh",
        ),
    ),
    subjects=(person(FIELDS),),
)
