"""Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất."""

from __future__ import annotations

from classifiers.doctypes._common import FORM_STOPS, ID_LABELS, OWNER, labelled
from classifiers.doctypes._record import Cues, DocType, TemplateVersion
from classifiers.fields import FieldSpec, LabelExtractor

__all__ = ["DOC_TYPE"]

NAME = "land_use_certificate"

CERTIFICATE_2014 = TemplateVersion(
    "2014",
    "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất",
    titles=(
        "GIẤY CHỨNG NHẬN",
        "QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT",
    ),
    source="Thông tư 23/2014/TT-BTNMT",
)
# The other editions citizens bring (sources as known here, not checked against the
# official gazette in this repository): the 2009 edition has the 2014 title and sections.
CERTIFICATE_2009 = TemplateVersion(
    "2009",
    "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất"
    " (mẫu 2009)",
    titles=CERTIFICATE_2014.titles,
    source="Thông tư 17/2009/TT-BTNMT (Nghị định 88/2009/NĐ-CP)",
)
CERTIFICATE_2024 = TemplateVersion(
    "2024",
    "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
    titles=(
        "GIẤY CHỨNG NHẬN",
        "QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU TÀI SẢN GẮN LIỀN VỚI ĐẤT",
    ),
    source="Thông tư 10/2024/TT-BTNMT",
)
LAND_ONLY_2004 = TemplateVersion(
    "2004",
    "Giấy chứng nhận quyền sử dụng đất (sổ đỏ)",
    titles=("GIẤY CHỨNG NHẬN", "QUYỀN SỬ DỤNG ĐẤT"),
    source="Quyết định 24/2004/QĐ-BTNMT",
)

FIELDS = labelled(
    "owner_name", "owner_id_number", "parcel_number", "map_sheet_number", "area_m2", "address"
)

DOC_TYPE = DocType(
    name=NAME,
    label="Giấy chứng nhận quyền sử dụng đất",
    position=90,
    fields=FIELDS,
    versions=(CERTIFICATE_2014, CERTIFICATE_2009, CERTIFICATE_2024, LAND_ONLY_2004),
    cues=Cues(
        titles=(
            "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT",
            "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở",
        ),
        markers=("Thửa đất số", "Tờ bản đồ số", "Diện tích", "Mục đích sử dụng"),
        # The numbered sections of the certificate's pages (Thông tư 23/2014/TT-BTNMT,
        # Điều 3; the 2009 edition prints the same): the inner pages carry no title.
        headings=(
            "Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất",
            "Thửa đất, nhà ở và tài sản khác gắn liền với đất",
            "Sơ đồ thửa đất, nhà ở và tài sản khác gắn liền với đất",
            "Những thay đổi sau khi cấp Giấy chứng nhận",
        ),
    ),
    extractor=LabelExtractor(
        NAME,
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
            *FORM_STOPS,
            "Hình thức sử dụng",
            "Mục đích sử dụng",
            "Thời hạn sử dụng",
            "Nguồn gốc sử dụng",
            "Địa chỉ thường trú",
            "Địa chỉ đăng ký thường trú",
            "Người sử dụng đất, chủ sở hữu",
        ),
    ),
    subjects=(OWNER,),
)
