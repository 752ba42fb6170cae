"""Xác nhận thông tin về cư trú (mẫu CT07): the residence confirmation."""

from __future__ import annotations

from classifiers.doctypes._common import (
    DOB_LABELS,
    FORM_STOPS,
    ID_LABELS,
    NAME_LABELS,
    SEX_LABELS,
    labelled,
    person,
)
from classifiers.doctypes._record import Cues, DocType, TemplateVersion
from classifiers.fields import FieldSpec, LabelExtractor

__all__ = ["DOC_TYPE"]

NAME = "residence_confirmation"
TITLE = "XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ"

CT07 = TemplateVersion(
    "ct07",
    "Mẫu CT07",
    titles=(TITLE,),
    source="Thông tư 66/2023/TT-BCA",
    printed_labels=("Mẫu CT07 ban hành kèm theo Thông tư số 66/2023/TT-BCA",),
)
# The first edition of the form, still in dossiers (source as known here, not checked
# against the official gazette in this repository).
CT07_2021 = TemplateVersion(
    "ct07_2021",
    "Mẫu CT07 (2021-2023)",
    titles=(TITLE,),
    source="Thông tư 56/2021/TT-BCA",
    printed_labels=("Mẫu CT07 ban hành kèm theo Thông tư số 56/2021/TT-BCA",),
)

FIELDS = labelled("full_name", "date_of_birth", "sex", "id_number", "place_of_residence")

DOC_TYPE = DocType(
    name=NAME,
    label="Xác nhận thông tin về cư trú (CT07)",
    position=60,
    fields=FIELDS,
    versions=(CT07, CT07_2021),
    cues=Cues(
        # The title also read with "GIẤY" before it (no template version of its own here).
        titles=(TITLE, "GIẤY XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ"),
        markers=("CT07", "Nơi thường trú", "Nơi tạm trú"),
    ),
    extractor=LabelExtractor(
        NAME,
        (
            FieldSpec("full_name", NAME_LABELS, "name", wrap=True),
            FieldSpec("date_of_birth", DOB_LABELS, "date"),
            FieldSpec("sex", SEX_LABELS, "sex"),
            FieldSpec("id_number", ID_LABELS, "id"),
            FieldSpec("place_of_residence", ("Nơi thường trú", "Nơi cư trú"), "address", wrap=True),
        ),
        other_labels=(
            *FORM_STOPS,
            "Nơi tạm trú",
            "Nơi ở hiện tại",
            "Quê quán",
            "Họ, chữ đệm và tên chủ hộ",
            "Quan hệ với chủ hộ",
            "Theo đề nghị của ông/bà",
        ),
    ),
    subjects=(person(FIELDS),),
)
