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
EXTRACT = TemplateVersion(
    "trich_luc",
    "Trích lục khai sinh (bản sao)",
    titles=("TRÍCH LỤC KHAI SINH",),
    source=CIVIL_STATUS_FORMS,
)
# Earlier official templates still in citizens' hands: each prints the same title, its
# labels worded as the _common tables list them ("Họ và tên", "Họ và tên cha"). The sources
# are the circulars and decisions that issued the civil-status forms of their time (names
# as known here, not checked against the official gazette in this repository).
FORM_2016 = TemplateVersion(
    "mau_2016", "Giấy khai sinh (mẫu 2016-2020)", ("GIẤY KHAI SINH",), "Thông tư 15/2015/TT-BTP"
)
FORM_2010 = TemplateVersion(
    "mau_2010", "Giấy khai sinh (mẫu 2010-2015)", ("GIẤY KHAI SINH",), "Thông tư 08.a/2010/TT-BTP"
)
FORM_2006 = TemplateVersion(
    "mau_2006",
    "Giấy khai sinh (mẫu 2006-2010)",
    ("GIẤY KHAI SINH",),
    "Quyết định 01/2006/QĐ-BTP (Nghị định 158/2005/NĐ-CP)",
)

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
    versions=(ORIGINAL, COPY, EXTRACT, FORM_2016, FORM_2010, FORM_2006),
    cues=Cues(
        titles=(
            "GIẤY KHAI SINH",
            "BẢN SAO GIẤY KHAI SINH",
            "TRÍCH LỤC KHAI SINH",
            "BẢN SAO TRÍCH LỤC KHAI SINH",
        ),
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
            FieldSpec("date_of_birth", DOB_LABELS, "date", words_labels=("ghi bằng chữ",)),
            FieldSpec("sex", SEX_LABELS, "sex"),
            FieldSpec("ethnicity", ETHNIC_LABELS, "ethnicity"),
            FieldSpec("nationality", NATIONALITY_LABELS, "nationality"),
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
        signature_date="registration_date",
    ),
    subjects=(person(FIELDS),),
)
