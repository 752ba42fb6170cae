"""Giấy xác nhận tình trạng hôn nhân: the marital status certificate."""

from __future__ import annotations

from classifiers.doctypes._common import (
    CIVIL_STATUS_FORMS,
    DOB_LABELS,
    FORM_STOPS,
    ID_LABELS,
    NAME_LABELS,
    RESIDENCE_LABELS,
    SEX_LABELS,
    labelled,
    person,
)
from classifiers.doctypes._record import Cues, DocType, TemplateVersion
from classifiers.fields import FieldSpec, LabelExtractor

__all__ = ["DOC_TYPE"]

NAME = "marital_status_certificate"
TITLE = "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"

CERTIFICATE = TemplateVersion(
    "giay_xac_nhan",
    "Giấy xác nhận tình trạng hôn nhân",
    titles=(TITLE,),
    source=CIVIL_STATUS_FORMS,
    title_slips=("GIAY XAC NHAN TINH TRANG HON NHAN",),
)

FIELDS = labelled(
    "full_name", "date_of_birth", "sex", "id_number", "place_of_residence", "marital_status"
)

DOC_TYPE = DocType(
    name=NAME,
    label="Giấy xác nhận tình trạng hôn nhân",
    position=50,
    fields=FIELDS,
    versions=(CERTIFICATE,),
    cues=Cues(
        titles=(TITLE,),
        markers=("Tình trạng hôn nhân",),
        excludes=("TỜ KHAI CẤP GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",),
    ),
    extractor=LabelExtractor(
        NAME,
        (
            FieldSpec("full_name", NAME_LABELS, "name", wrap=True),
            FieldSpec("date_of_birth", DOB_LABELS, "date"),
            FieldSpec("sex", SEX_LABELS, "sex"),
            FieldSpec("id_number", ID_LABELS, "id"),
            FieldSpec("place_of_residence", RESIDENCE_LABELS, "address", wrap=True),
            FieldSpec("marital_status", ("Tình trạng hôn nhân",), "marital", wrap=True),
        ),
        other_labels=(
            *FORM_STOPS[1:],  # not "Nơi cư trú": here it labels the residence
            "Giấy này được cấp để",
            "Giấy này có giá trị",
            "Trong thời gian cư trú tại",
            "từ ngày",
            "Xét đề nghị của ông/bà",
        ),
    ),
    subjects=(person(FIELDS),),
)
