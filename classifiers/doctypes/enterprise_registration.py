"""Giấy chứng nhận đăng ký doanh nghiệp: the enterprise registration certificate."""

from __future__ import annotations

from classifiers.doctypes._common import FORM_STOPS, ID_LABELS, OWNER, labelled
from classifiers.doctypes._record import Cues, DocType, TemplateVersion
from classifiers.fields import FieldSpec, LabelExtractor

__all__ = ["DOC_TYPE"]

NAME = "enterprise_registration"
TITLE = "GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP"

# One certificate per kind of company; the subtitle under the title names it.
TWO_MEMBER_LLC = TemplateVersion(
    "tnhh_hai_thanh_vien",
    "Công ty trách nhiệm hữu hạn hai thành viên trở lên",
    titles=(TITLE, "CÔNG TY TRÁCH NHIỆM HỮU HẠN HAI THÀNH VIÊN TRỞ LÊN"),
)
JOINT_STOCK = TemplateVersion("co_phan", "Công ty cổ phần", titles=(TITLE, "CÔNG TY CỔ PHẦN"))
ONE_MEMBER_LLC = TemplateVersion(
    "tnhh_mot_thanh_vien",
    "Công ty trách nhiệm hữu hạn một thành viên",
    titles=(TITLE, "CÔNG TY TRÁCH NHIỆM HỮU HẠN MỘT THÀNH VIÊN"),
)

FIELDS = labelled("business_name", "business_code", "owner_name", "owner_id_number", "address")

DOC_TYPE = DocType(
    name=NAME,
    label="Giấy chứng nhận đăng ký doanh nghiệp",
    position=80,
    fields=FIELDS,
    versions=(TWO_MEMBER_LLC, JOINT_STOCK, ONE_MEMBER_LLC),
    cues=Cues(
        titles=(TITLE,),
        markers=("Tên công ty", "Mã số doanh nghiệp", "Địa chỉ trụ sở chính"),
    ),
    extractor=LabelExtractor(
        NAME,
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
            *FORM_STOPS,
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
    subjects=(OWNER,),
)
