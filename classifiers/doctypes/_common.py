"""What several document types share: printed label variants, field labels, legal sources.

Label tuples list the wordings printed by older and newer editions of the forms; matching
is fuzzy and diacritics-insensitive (classifiers.text_lines), so OCR slips are tolerated.
An extractor's ``other_labels`` are labels a form prints that are not fields we return:
they end a value and, being longer, win over a shorter field label they contain ("Họ, chữ
đệm, tên người đi khai sinh" is not the child's "Họ, chữ đệm, tên").
"""

from __future__ import annotations

from classifiers.doctypes._record import Field, Subject
from classifiers.fields import FieldSpec

__all__ = [
    "CIVIL_STATUS_FORMS",
    "DOB_LABELS",
    "ETHNIC_LABELS",
    "FIELD_LABELS",
    "FORM_STOPS",
    "ID_LABELS",
    "NAME_LABELS",
    "NATIONALITY_LABELS",
    "ORIGIN_LABELS",
    "OWNER",
    "REGISTRATION_DATE",
    "REGISTRATION_NUMBER",
    "RESIDENCE_LABELS",
    "SEX_LABELS",
    "labelled",
    "person",
    "spouse",
]

# --- legal sources of templates ---------------------------------------------------------------

CIVIL_STATUS_FORMS = "Thông tư 04/2020/TT-BTP"  # the civil-status (hộ tịch) forms

# --- printed label variants -------------------------------------------------------------------

NAME_LABELS = ("Họ, chữ đệm, tên", "Họ, chữ đệm và tên", "Họ và tên", "Họ tên")
DOB_LABELS = ("Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "Ngày sinh", "Sinh ngày")
ID_LABELS = (
    "Số định danh cá nhân",
    "Số CCCD",
    "Số căn cước công dân",
    "Số căn cước",
    "Số CMND/CCCD",
    "Số giấy tờ tùy thân",
    "Giấy tờ tùy thân",
)
SEX_LABELS = ("Giới tính",)
RESIDENCE_LABELS = ("Nơi thường trú", "Nơi cư trú", "Địa chỉ thường trú", "Nơi ở hiện tại")
ETHNIC_LABELS = ("Dân tộc",)
NATIONALITY_LABELS = ("Quốc tịch",)
ORIGIN_LABELS = ("Quê quán",)

# The entry number and date of a civil-status register entry ("Số: 334/2020").
REGISTRATION_NUMBER = FieldSpec("registration_number", ("Số",), "regno", at_start=True)
REGISTRATION_DATE = FieldSpec(
    "registration_date", ("Ngày, tháng, năm đăng ký", "Ngày đăng ký"), "date"
)
# Labels the A4 forms print around their fields that end a value.
FORM_STOPS = ("Nơi cư trú", "Ghi chú", "Quyển số", "Năm sinh", "Dân tộc", "Quốc tịch")

# --- what the pages call each field (display order for fields a type does not list) ----------

FIELD_LABELS: dict[str, str] = {
    "full_name": "Họ, chữ đệm và tên",
    "id_number": "Số định danh cá nhân",
    "date_of_birth": "Ngày, tháng, năm sinh",
    "sex": "Giới tính",
    "ethnicity": "Dân tộc",
    "nationality": "Quốc tịch",
    "place_of_birth": "Nơi sinh",
    "place_of_origin": "Quê quán",
    "place_of_residence": "Nơi thường trú",
    "date_of_expiry": "Có giá trị đến",
    "date_of_issue": "Ngày cấp",
    "mother_name": "Họ, chữ đệm và tên người mẹ",
    "father_name": "Họ, chữ đệm và tên người cha",
    "registration_date": "Ngày đăng ký",
    "registration_number": "Số đăng ký",
    "husband_name": "Họ, chữ đệm và tên người chồng",
    "husband_date_of_birth": "Ngày sinh của người chồng",
    "husband_id_number": "Số định danh cá nhân của người chồng",
    "wife_name": "Họ, chữ đệm và tên người vợ",
    "wife_date_of_birth": "Ngày sinh của người vợ",
    "wife_id_number": "Số định danh cá nhân của người vợ",
    "marital_status": "Tình trạng hôn nhân",
    "business_name": "Tên hộ kinh doanh / doanh nghiệp",
    "business_code": "Mã số đăng ký",
    "owner_name": "Họ, chữ đệm và tên chủ sở hữu",
    "owner_id_number": "Số định danh cá nhân của chủ sở hữu",
    "address": "Địa chỉ",
    "parcel_number": "Thửa đất số",
    "map_sheet_number": "Tờ bản đồ số",
    "area_m2": "Diện tích (m²)",
    "degree": "Văn bằng",
    "issue_date": "Ngày cấp",
}


def labelled(*names: str) -> tuple[Field, ...]:
    """The fields ``names`` with their labels from ``FIELD_LABELS``, in this order."""
    return tuple(Field(name, FIELD_LABELS[name]) for name in names)


# --- subjects: which document fields the population register checks -------------------------

# Ethnicity and nationality are not compared: they do not tell people apart and forms print
# them in free wording ("Kinh", "dân tộc Kinh"); the samples' rule (samples/README.md) agrees.
_PERSON_COLUMNS = (
    "full_name",
    "date_of_birth",
    "sex",
    "place_of_origin",
    "place_of_residence",
)


def person(fields: tuple[Field, ...]) -> Subject:
    """The one person a document is about (``id_number``), compared on the person's columns
    the type carries (a birth certificate prints no residence)."""
    carried = {f.name for f in fields}
    return Subject("id_number", {c: c for c in _PERSON_COLUMNS if c in carried})


# Business and land certificates: the owner's name only (addresses are the business's/land's).
OWNER = Subject("owner_id_number", {"owner_name": "full_name"})


def spouse(prefix: str) -> Subject:
    return Subject(
        f"{prefix}_id_number",
        {f"{prefix}_name": "full_name", f"{prefix}_date_of_birth": "date_of_birth"},
    )
