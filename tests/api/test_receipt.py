"""The receipt (issue 16 item 6): Giấy tiếp nhận hồ sơ và hẹn trả kết quả as a PDF, its text
read back, its QR code decoded; audited as a read of the citizen's data."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import zxingcpp

from core.records import PersonRecord
from storage.population import open_register
from tests.api.service_env import CITIZEN, Harness, png_bytes

NAME = "Trần Thị Thử Nghiệm"
ADDRESS = "Số 1 phố Thử, phường Mẫu, Hà Nội"


def _pdf_text_and_qr(data: bytes) -> tuple[str, list[str]]:
    pdf = pdfium.PdfDocument(data)
    try:
        assert len(pdf) == 1
        page = pdf[0]
        text = page.get_textpage().get_text_range()
        image = np.asarray(page.render(scale=3).to_pil().convert("L"))
    finally:
        pdf.close()
    codes = [r.text for r in zxingcpp.read_barcodes(image)]
    return unicodedata.normalize("NFC", text), codes


def _open(h: Harness, procedure: str, **extra: str) -> dict[str, Any]:
    r = h.client.post(
        "/api/v1/dossiers",
        json={"procedure_code": procedure, "citizen_id_number": CITIZEN, **extra},
        headers=h.auth("clerk", "canbo.lan"),
    )
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def test_the_receipt_lists_what_was_received_and_reused(embedded: Harness) -> None:
    h = embedded
    h.settings.agency_name = "UBND phường Mẫu Thử"
    h.settings.receipt_place = "Hà Nội"
    open_register(h.settings).upsert(
        [PersonRecord(CITIZEN, NAME, "1992-03-04", "female", place_of_residence=ADDRESS)]
    )
    # an earlier dossier's approved birth certificate, in the citizen's store
    earlier = _open(h, "dang-ky-khai-sinh")["id"]
    comp = h.wait(h.upload(earlier, f"ks_{CITIZEN}.png", png_bytes(seed=41)).json()["id"])
    [birth] = comp["documents"]
    h.approve(birth["id"])
    # today's dossier: one scan received, the birth certificate reused
    dossier = _open(h, "dang-ky-thuong-tru", applicant_phone="0912345678")
    received = h.wait(h.upload(dossier["id"], "to-khai.png", png_bytes(seed=42)).json()["id"])
    [form] = received["documents"]
    r = h.client.post(
        f"/api/v1/dossiers/{dossier['id']}/reuses",
        json={"digitization_code": birth["digitization_code"]},
        headers=h.auth("clerk"),
    )
    assert r.status_code == 201, r.text

    r = h.client.get(f"/api/v1/dossiers/{dossier['id']}/receipt", headers=h.auth("officer", "minh"))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert dossier["code"] in r.headers["content-disposition"]
    text, qr = _pdf_text_and_qr(r.content)
    assert qr == [dossier["code"]]  # the dossier code only: nothing personal in the QR code
    flat = " ".join(text.split())
    for expected in (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "UBND PHƯỜNG MẪU THỬ",
        f"Mã hồ sơ: {dossier['code']}",
        NAME,
        CITIZEN,
        ADDRESS,
        "0912345678",
        "Đăng ký thường trú",
        form["digitization_code"],
        birth["digitization_code"],
        "Dùng lại từ kho dữ liệu, không nộp lại",
        "Giấy khai sinh",
        "07 ngày làm việc",
        "canbo.lan",
    ):
        assert expected in flat, (expected, flat)
    due = date.fromisoformat(dossier["due_on"])
    assert f"ngày {due.day:02d} tháng {due.month:02d} năm {due.year}" in flat
    assert flat.index(form["digitization_code"]) < flat.index(birth["digitization_code"])
    assert "Hà Nội, ngày" in flat

    audit = h.client.get(f"/api/v1/audit?citizen_id_number={CITIZEN}", headers=h.auth("admin"))
    rows = [e for e in audit.json()["events"] if e["action"] == "dossier.receipt"]
    assert rows and rows[0]["actor"] == "minh" and rows[0]["detail"]["dossier_id"] == dossier["id"]


def test_a_receipt_without_register_row_or_catalogue_procedure(embedded: Harness) -> None:
    h = embedded
    dossier = _open(h, "1.001612")
    r = h.client.get(f"/api/v1/dossiers/{dossier['id']}/receipt", headers=h.auth("clerk"))
    assert r.status_code == 200
    text, qr = _pdf_text_and_qr(r.content)
    flat = " ".join(text.split())
    assert qr == [dossier["code"]]
    assert "1.001612" in flat and "………" in flat  # the name and return date left to write in
    assert (
        h.client.get(
            f"/api/v1/dossiers/{dossier['id']}/receipt", headers=h.auth("citizen")
        ).status_code
        == 404
    )
    assert h.client.get("/api/v1/dossiers/nope/receipt", headers=h.auth("clerk")).status_code == 404
