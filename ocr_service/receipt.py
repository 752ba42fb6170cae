"""The receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) as a printable A4 PDF.

Circular 01/2018/TT-VPCP gives its form as Mẫu số 01; the layout here follows the form as
one-stop units commonly print it (docs/legal-codes.md §5 says what was and was not read): the
agency and the national motto, place and date, the dossier code and its QR code (the code
only, nothing personal), who submitted it, the procedure, the components received (each
document with its digitization code) and those reused from the citizen's store (not
submitted again), the number of sets, the processing time, the time received, the return
date, where the result is collected, and the two signatures.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from classifiers import doctypes
from core.records import PersonRecord
from core.settings import Settings
from ocr_service.copies.codes import VIETNAM_TZ
from ocr_service.procedures import Procedure
from storage.models import Dossier, RegisteredDocument

__all__ = ["RECEIPT_FONTS", "ReceiptLine", "receipt_lines", "render_receipt"]

# fonts-noto-core (Makefile's APT_PACKAGES), as the signed copy's stamp and signature block
_NOTO = Path("/usr/share/fonts/truetype/noto")
RECEIPT_FONTS = {"": _NOTO / "NotoSerif-Regular.ttf", "B": _NOTO / "NotoSerif-Bold.ttf"}
_FONT = "NotoSerif"
_DOTS = "………………………"


@dataclass(frozen=True)
class ReceiptLine:
    """One row of "1. Thành phần hồ sơ": what the paper is, its code, how it came."""

    label: str
    code: str | None
    how: str


def _label(doc_type: str) -> str:
    labels = {t.name: t.label for t in doctypes.all_types()}
    return labels.get(doc_type, doc_type)


def receipt_lines(dossier: Dossier, reused: Sequence[RegisteredDocument]) -> list[ReceiptLine]:
    """The components: each document found in a scan, a scan still being read, then each
    document reused from the citizen's store."""
    lines: list[ReceiptLine] = []
    for component in dossier.components:
        if component.documents:
            lines.extend(
                ReceiptLine(_label(d.doc_type), d.digitization_code, "Nộp, đã số hóa")
                for d in component.documents
            )
        elif component.status == "failed":
            lines.append(ReceiptLine("Thành phần hồ sơ (chưa đọc được, quét lại)", None, "Nộp"))
        else:
            lines.append(ReceiptLine("Thành phần hồ sơ (đang số hóa)", None, "Nộp"))
    lines.extend(
        ReceiptLine(
            _label(d.doc_type), d.digitization_code, "Dùng lại từ kho dữ liệu, không nộp lại"
        )
        for d in reused
    )
    return lines


def _vn_date(day: date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def _qr_png(text: str) -> io.BytesIO:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=4, border=2)
    out.seek(0)
    return out


class _Receipt(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        for style, path in RECEIPT_FONTS.items():
            self.add_font(_FONT, style, str(path))
        self.set_margins(20, 15, 15)
        self.set_auto_page_break(auto=True, margin=15)

    def centred(self, width: float, text: str, *, bold: bool = False, size: float = 11) -> None:
        """A centred line in a column of ``width`` from the current x; stays in the column."""
        self.set_font(_FONT, "B" if bold else "", size)
        self.multi_cell(width, 5.5, text, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)

    def para(self, text: str, *, bold: bool = False, size: float = 12, align: str = "L") -> None:
        self.set_font(_FONT, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def render_receipt(
    *,
    dossier: Dossier,
    reused: Sequence[RegisteredDocument],
    person: PersonRecord | None,
    procedure: Procedure | None,
    settings: Settings,
    received_by: str,
    printed_at: datetime,
) -> bytes:
    """The receipt of ``dossier`` as PDF bytes. ``person`` is the register's row of the
    dossier's citizen (None: not in the register, the name is left to be written in)."""
    code = dossier.code or dossier.id
    received = dossier.created_at.astimezone(VIETNAM_TZ)
    pdf = _Receipt()
    pdf.set_title(f"Giấy tiếp nhận hồ sơ và hẹn trả kết quả {code}")
    pdf.set_creator(settings.system_name)
    pdf.add_page()
    width = pdf.epw / 2

    # the heading: the agency on the left, the national motto on the right
    top = pdf.get_y()
    pdf.centred(width, settings.agency_name.upper(), bold=True)
    pdf.centred(width, f"Số: {code}")
    left_bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + width, top)
    pdf.centred(width, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    pdf.centred(width, "Độc lập - Tự do - Hạnh phúc", bold=True)
    place = settings.receipt_place or _DOTS
    pdf.centred(width, f"{place}, {_vn_date(received.date())}")
    pdf.set_y(max(left_bottom, pdf.get_y()) + 6)

    # the title, the code and its QR code (the dossier code only)
    pdf.para(
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        bold=True,
        size=14,
        align="C",
    )
    pdf.para(
        f"Mã hồ sơ: {code}",
        bold=True,
        align="C",
    )
    qr_top = pdf.get_y() + 1
    pdf.image(_qr_png(code), x=pdf.w / 2 - 14, y=qr_top, w=28, h=28)
    pdf.set_y(qr_top + 31)

    name = person.full_name if person else _DOTS
    address = (person.place_of_residence if person else None) or _DOTS
    pdf.para(f"{settings.agency_name} tiếp nhận hồ sơ của: {name}")
    pdf.para(f"Số định danh cá nhân: {dossier.citizen.id_number}")
    pdf.para(f"Địa chỉ: {address}")
    pdf.para(
        f"Số điện thoại: {dossier.applicant_phone or _DOTS}    "
        f"Email: {dossier.applicant_email or _DOTS}"
    )
    pdf.para(
        f"Nội dung yêu cầu giải quyết: {procedure.name if procedure else dossier.procedure_code}"
    )

    pdf.para("1. Thành phần hồ sơ nộp gồm:")
    rows = receipt_lines(dossier, reused)
    pdf.set_font(_FONT, "", 10)
    with pdf.table(
        col_widths=(10, 62, 52, 51),
        text_align=("CENTER", "LEFT", "LEFT", "LEFT"),
        line_height=5.5,
        first_row_as_headings=True,
        width=pdf.epw,
        align="LEFT",
    ) as table:
        table.row(("TT", "Tên giấy tờ", "Mã kết quả số hóa", "Hình thức"))
        for i, row in enumerate(rows, start=1):
            table.row((str(i), row.label, row.code or "", row.how))
    pdf.ln(2)
    pdf.para("2. Số lượng hồ sơ: 01 (bộ)")
    if procedure is not None:
        days = (
            "trong ngày"
            if procedure.processing_days == 0
            else f"{procedure.processing_days:02d} ngày làm việc"
        )
        pdf.para(
            f"3. Thời gian giải quyết hồ sơ theo quy định là: {days} "
            f"({procedure.processing_time}; {procedure.legal_source})"
        )
    else:
        pdf.para(f"3. Thời gian giải quyết hồ sơ theo quy định là: {_DOTS}")
    pdf.para(
        f"4. Thời gian nhận hồ sơ: {received:%H} giờ {received:%M} phút, {_vn_date(received.date())}"
    )
    due = _vn_date(dossier.due_on) if dossier.due_on else _DOTS
    pdf.para(f"5. Thời gian trả kết quả giải quyết hồ sơ: {due}")
    pdf.para(f"6. Đăng ký nhận kết quả tại: {settings.agency_name}")
    pdf.ln(6)

    # the two signatures
    top = pdf.get_y()
    pdf.centred(width, "NGƯỜI NỘP HỒ SƠ", bold=True)
    pdf.centred(width, "(Ký và ghi rõ họ tên)", size=10)
    pdf.set_xy(pdf.l_margin + width, top)
    pdf.centred(width, "NGƯỜI TIẾP NHẬN HỒ SƠ", bold=True)
    pdf.centred(width, "(Ký và ghi rõ họ tên)", size=10)
    pdf.set_y(pdf.get_y() + 18)
    pdf.set_x(pdf.l_margin + width)
    pdf.centred(width, received_by)
    pdf.set_y(pdf.get_y() + 6)
    printed = printed_at.astimezone(VIETNAM_TZ)
    pdf.set_font(_FONT, "", 8)
    pdf.multi_cell(0, 4, f"In lúc {printed:%H:%M %d/%m/%Y} từ {settings.system_name}.", align="R")
    return bytes(pdf.output())
