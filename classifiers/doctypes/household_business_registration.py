"""Giấy chứng nhận đăng ký hộ kinh doanh: the household business registration."""

from __future__ import annotations

from classifiers.doctypes._common import FORM_STOPS, ID_LABELS, OWNER, labelled
from classifiers.doctypes._record import Cues, DocType, TemplateVersion
from classifiers.fields import FieldSpec, LabelExtractor

__all__ = ["DOC_TYPE"]

NAME = "household_business_registration"
TITLE = "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH"

CERTIFICATE = TemplateVersion(
    "giay_chung_nhan",
    "Giấy chứng nhận đăng ký hộ kinh doanh",
    titles=(TITLE,),
    title_slips=("GIẤY CHỨNG NHẬN ĐĂNG KY HÔ KINH DOANH",),
)

FIELDS = labelled("business_name", "business_code", "owner_name", "owner_id_number", "address")

DOC_TYPE = DocType(
    name=NAME,
    label="Giấy chứng nhận đăng ký hộ kinh doanh",
    position=70,
    fields=FIELDS,
    versions=(CERTIFICATE,),
    cues=Cues(
        titles=(TITLE,),
        markers=("Tên hộ kinh doanh", "Mã số hộ kinh doanh", "Địa điểm kinh doanh"),
    ),
    extractor=LabelExtractor(
        NAME,
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
                    # the older certificates' numbered heading with the name after it
                    # ("5. Chủ hộ kinh doanh: …"); with nothing after it, "Họ và tên" below
                    "Chủ hộ kinh doanh",
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
            *FORM_STOPS,
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
    subjects=(OWNER,),
)
