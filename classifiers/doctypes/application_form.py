"""Tờ khai / Đơn: application forms; the subject is whoever files the form."""

from __future__ import annotations

from classifiers.doctypes._common import (
    CIVIL_STATUS_FORMS,
    FORM_STOPS,
    ID_LABELS,
    NAME_LABELS,
    labelled,
    person,
)
from classifiers.doctypes._record import Cues, DocType, TemplateVersion
from classifiers.fields import FieldSpec, LabelExtractor

__all__ = ["DOC_TYPE"]

NAME = "application_form"

# The samples generator prints one of these at random, in this order.
VERSIONS = (
    TemplateVersion(
        "to_khai_dang_ky_khai_sinh",
        "Tờ khai đăng ký khai sinh",
        titles=("TỜ KHAI ĐĂNG KÝ KHAI SINH",),
        source=CIVIL_STATUS_FORMS,
    ),
    TemplateVersion(
        "to_khai_cap_ban_sao_trich_luc",
        "Tờ khai cấp bản sao trích lục hộ tịch",
        titles=("TỜ KHAI CẤP BẢN SAO TRÍCH LỤC HỘ TỊCH",),
        source=CIVIL_STATUS_FORMS,
    ),
    TemplateVersion(
        "ct01",
        "Tờ khai thay đổi thông tin cư trú (CT01)",
        titles=("TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ",),
    ),
    TemplateVersion(
        "don_xac_nhan_tinh_trang_hon_nhan",
        "Đơn đề nghị cấp giấy xác nhận tình trạng hôn nhân",
        titles=("ĐƠN ĐỀ NGHỊ CẤP GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",),
    ),
    TemplateVersion(
        "to_khai_dang_ky_ket_hon",
        "Tờ khai đăng ký kết hôn",
        titles=("TỜ KHAI ĐĂNG KÝ KẾT HÔN",),
        source=CIVIL_STATUS_FORMS,
    ),
)

FIELDS = labelled("full_name", "id_number")

DOC_TYPE = DocType(
    name=NAME,
    label="Tờ khai / Đơn",
    position=110,
    fields=FIELDS,
    versions=VERSIONS,
    cues=Cues(
        # The openings of every form's title: forms are many, their first words few.
        titles=(
            "TỜ KHAI",
            "TỜ KHAI ĐĂNG KÝ",
            "TỜ KHAI CẤP",
            "TỜ KHAI THAY ĐỔI",
            "ĐƠN ĐỀ NGHỊ",
            "ĐƠN XIN",
            "ĐƠN YÊU CẦU",
        ),
        # "ĐƠN XIN ĐĂNG KÝ TẠM TRÚ", "TỜ KHAI …": a short opening may begin a long title.
        openings=("TỜ KHAI", "ĐƠN XIN"),
        markers=("Kính gửi", "Người yêu cầu", "Người khai", "đề nghị"),
    ),
    extractor=LabelExtractor(
        NAME,
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
        other_labels=(*FORM_STOPS, "Quan hệ với người được cấp bản sao", "Kính gửi"),
    ),
    subjects=(person(FIELDS),),
)
