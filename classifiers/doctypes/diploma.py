"""Bằng tốt nghiệp: diplomas (school leaving and university degrees)."""

from __future__ import annotations

from classifiers.diploma_fields import DiplomaExtractor
from classifiers.doctypes._common import DOB_LABELS, labelled
from classifiers.doctypes._record import Cues, DocType, TemplateVersion
from classifiers.fields import FieldSpec

__all__ = ["DOC_TYPE"]

NAME = "diploma"

# The title, then the degree as a subtitle ("CỬ NHÂN KẾ TOÁN" under a university's title).
HIGH_SCHOOL = TemplateVersion(
    "thpt",
    "Bằng tốt nghiệp trung học phổ thông",
    titles=("BẰNG TỐT NGHIỆP", "TRUNG HỌC PHỔ THÔNG"),
)
UNIVERSITY = TemplateVersion(
    "dai_hoc", "Bằng tốt nghiệp đại học", titles=("BẰNG TỐT NGHIỆP ĐẠI HỌC",)
)
# Older editions name the degree in a one-line title ("BẰNG KỸ SƯ ...").
BACHELOR = TemplateVersion("cu_nhan", "Bằng cử nhân", titles=("BẰNG CỬ NHÂN",))
ENGINEER = TemplateVersion("ky_su", "Bằng kỹ sư", titles=("BẰNG KỸ SƯ",))
MASTER = TemplateVersion("thac_si", "Bằng thạc sĩ", titles=("BẰNG THẠC SĨ",))
DOCTOR = TemplateVersion("tien_si", "Bằng tiến sĩ", titles=("BẰNG TIẾN SĨ",))

FIELDS = labelled("full_name", "date_of_birth", "degree", "issue_date", "registration_number")

DOC_TYPE = DocType(
    name=NAME,
    label="Bằng tốt nghiệp",
    position=100,
    fields=FIELDS,
    versions=(HIGH_SCHOOL, UNIVERSITY, BACHELOR, ENGINEER, MASTER, DOCTOR),
    cues=Cues(
        titles=("BẰNG TỐT NGHIỆP", "BẰNG CỬ NHÂN", "BẰNG KỸ SƯ", "BẰNG THẠC SĨ", "BẰNG TIẾN SĨ"),
        markers=("Số hiệu", "Số vào sổ", "Xếp loại", "tốt nghiệp"),
    ),
    extractor=DiplomaExtractor(
        NAME,
        specs=(
            FieldSpec(
                "full_name", ("Cho", "Ông/Bà", "Họ và tên"), "name", wrap=True, at_start=True
            ),
            FieldSpec("date_of_birth", DOB_LABELS, "date"),
            FieldSpec("registration_number", ("Số vào sổ cấp bằng", "Số vào sổ"), "regno"),
        ),
        other_labels=(
            "Xếp loại tốt nghiệp",
            "Hình thức đào tạo",
            "Số hiệu",
            "Học sinh trường",
            "Khoá thi ngày",
        ),
    ),
)
