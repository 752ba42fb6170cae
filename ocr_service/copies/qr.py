"""The QR code of a digitized copy (mã QR), Circular 01/2023/TT-VPCP (docs/legal-codes.md).

The Circular has a QR code (TCVN 7322:2009 = ISO/IEC 18004:2006) printed in the **upper left
corner** of a document published from the administrative-procedure information system, giving
at least: the dossier code, the procedure code, the identifier of the person or organisation
doing the procedure, the document's name, the name of the information system that provides
the data and the time of publication; for a procedure's result also its validity period and
scope, if any. ``QrPayload`` holds exactly those and nothing else. How the data is written in
the symbol is not fixed by the text found, so sohoa writes compact UTF-8 JSON with the keys
below (a reader needs no schema to understand it).

The symbol is drawn as vector rectangles in the page's content (no image, no transparency,
so the copy stays PDF/A), on a white square that includes the 4-module quiet zone.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date, datetime

import pikepdf
import segno

__all__ = ["QrPayload", "add_qr_to_pdf", "qr_svg"]

_KEYS = {
    "dossier_code": "ma_ho_so",
    "procedure_code": "ma_tthc",
    "applicant_id": "ma_dinh_danh",
    "document_name": "ten_giay_to",
    "system_name": "he_thong",
    "published_at": "thoi_diem_xuat_ban",
    "valid_until": "thoi_han_hieu_luc",
    "validity_scope": "pham_vi_hieu_luc",
}
_QUIET_ZONE = 4  # modules (ISO/IEC 18004)
_MM = 72 / 25.4


@dataclass(frozen=True)
class QrPayload:
    """What the QR code carries: the Circular's minimum data, nothing more."""

    dossier_code: str
    procedure_code: str
    applicant_id: str  # the citizen's personal id number, or an organisation's code
    document_name: str
    system_name: str
    published_at: datetime
    valid_until: date | None = None  # results only, "nếu có"
    validity_scope: str | None = None

    def encode(self) -> str:
        data: dict[str, str] = {}
        for attr, key in _KEYS.items():
            value = getattr(self, attr)
            if value is None:
                continue
            data[key] = value.isoformat() if isinstance(value, date | datetime) else str(value)
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def decode(cls, text: str) -> QrPayload:
        data = json.loads(text)
        values: dict[str, object] = {attr: data.get(key) for attr, key in _KEYS.items()}
        values["published_at"] = datetime.fromisoformat(str(data[_KEYS["published_at"]]))
        if values["valid_until"] is not None:
            values["valid_until"] = date.fromisoformat(str(values["valid_until"]))
        return cls(**values)  # type: ignore[arg-type]


def _symbol(payload: QrPayload) -> segno.QRCode:
    # Level M (15% of the symbol may be damaged), byte mode in UTF-8 for the Vietnamese name.
    return segno.make(payload.encode(), error="m", encoding="utf-8", micro=False, boost_error=False)


def qr_svg(payload: QrPayload, *, scale: int = 4) -> str:
    """The same symbol as SVG, for the web page that shows the copy."""
    out = io.BytesIO()
    _symbol(payload).save(out, kind="svg", scale=scale, border=_QUIET_ZONE, xmldecl=False)
    return out.getvalue().decode()


def _qr_ops(payload: QrPayload, *, x: float, top: float, module: float) -> bytes:
    matrix = _symbol(payload).matrix
    n = len(matrix)
    side = (n + 2 * _QUIET_ZONE) * module
    ops = [b"q", b"1 g", f"{x:.3f} {top - side:.3f} {side:.3f} {side:.3f} re f".encode(), b"0 g"]
    origin_x, origin_y = x + _QUIET_ZONE * module, top - _QUIET_ZONE * module
    for row, bits in enumerate(matrix):
        y = origin_y - (row + 1) * module
        col = 0
        while col < n:  # one rectangle per run of dark modules
            if not bits[col]:
                col += 1
                continue
            start = col
            while col < n and bits[col]:
                col += 1
            ops.append(
                f"{origin_x + start * module:.3f} {y:.3f} "
                f"{(col - start) * module:.3f} {module:.3f} re".encode()
            )
    ops += [b"f", b"Q"]
    return b"\n".join(ops)


def add_qr_to_pdf(
    pdf_bytes: bytes, payload: QrPayload, *, module_mm: float = 0.5, margin_mm: float = 4.0
) -> bytes:
    """The PDF with the payload's QR code in the upper left corner of its first page.

    The code goes on a white band added above the scan, never over it: a scan's top left
    corner holds the issuing authority's name and the document's number, and a digitized
    copy must show all of the paper. The page grows by the band; the scan, its text layer and
    their coordinates stay as they were. ``module_mm`` is the side of one module (0.5 mm: a
    200-byte payload is about 3 cm wide and reads from a phone or a 150 dpi scan).
    """
    pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    page = pdf.pages[0]
    left, bottom, right, top = (float(v) for v in page.mediabox)
    module = module_mm * _MM
    side = (len(_symbol(payload).matrix) + 2 * _QUIET_ZONE) * module
    band = side + 2 * margin_mm * _MM
    page.mediabox = pikepdf.Array([left, bottom, right, top + band])
    if "/CropBox" in page.obj:
        del page.obj["/CropBox"]  # the media box is the page now, band included
    ops = _qr_ops(
        payload, x=left + margin_mm * _MM, top=top + band - margin_mm * _MM, module=module
    )
    # Wrap what is there in q/Q so that no state it leaves changes the symbol.
    page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    page.contents_add(pdf.make_stream(b"\nQ\n" + ops))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
