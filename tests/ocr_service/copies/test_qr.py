"""The copy's QR code: the Circular's minimum data, in the upper left corner, readable back."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pikepdf

from ocr_service.copies.qr import QrPayload, add_qr_to_pdf, qr_svg
from tests.ocr_service.copies.copy_kit import decode_qr, rasterise, sample_searchable_pdf

PAYLOAD = QrPayload(
    dossier_code="000.00.00.H49-261123-0007",
    procedure_code="1.001193",
    applicant_id="001192012345",
    document_name="Giấy khai sinh",
    system_name="sohoa",
    published_at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
)


def test_the_payload_holds_the_minimum_data_and_nothing_else() -> None:
    text = PAYLOAD.encode()
    assert QrPayload.decode(text) == PAYLOAD
    assert set(__import__("json").loads(text)) == {
        "ma_ho_so", "ma_tthc", "ma_dinh_danh", "ten_giay_to", "he_thong", "thoi_diem_xuat_ban",
    }  # fmt: skip
    result = QrPayload(**{**PAYLOAD.__dict__, "valid_until": date(2031, 11, 23)})
    assert "thoi_han_hieu_luc" in result.encode() and QrPayload.decode(result.encode()) == result


def test_the_qr_code_on_the_copy_decodes_to_the_payload() -> None:
    pdf = sample_searchable_pdf(2)
    with_qr = add_qr_to_pdf(pdf, PAYLOAD)
    assert decode_qr(rasterise(pdf)) == []  # not there before
    image = rasterise(with_qr, dpi=150)
    found = decode_qr(image)
    assert [QrPayload.decode(t) for t in found] == [PAYLOAD]
    # in the upper left corner: the symbol's pixels are in the top-left quarter
    import zxingcpp

    (result,) = zxingcpp.read_barcodes(image)
    h, w = image.shape[:2]
    xs = [result.position.top_left.x, result.position.bottom_right.x]
    ys = [result.position.top_left.y, result.position.bottom_right.y]
    assert max(xs) < w / 4 and max(ys) < h / 4
    assert decode_qr(rasterise(with_qr, page=1)) == []  # first page only


def test_the_symbol_is_vector_and_leaves_the_scan_and_text_alone() -> None:
    pdf = sample_searchable_pdf(1)
    with_qr = add_qr_to_pdf(pdf, PAYLOAD)
    before, after = pikepdf.open(io.BytesIO(pdf)), pikepdf.open(io.BytesIO(with_qr))
    xobjects = after.pages[0].Resources.XObject
    assert list(xobjects.keys()) == list(before.pages[0].Resources.XObject.keys())  # no image
    old = before.pages[0].Resources.XObject.Im0.read_raw_bytes()
    assert xobjects.Im0.read_raw_bytes() == old  # the scan untouched
    import subprocess

    text = subprocess.run(
        ["pdftotext", "-", "-"], input=with_qr, capture_output=True, check=True
    ).stdout.decode()
    assert "Đặng Thị Hằng" in text  # the invisible text layer is still there


def test_the_screen_gets_the_same_symbol_as_svg() -> None:
    svg = qr_svg(PAYLOAD)
    assert svg.startswith("<svg") and "path" in svg


def test_the_code_covers_nothing_of_the_scan() -> None:
    """The symbol sits on a band added above the page: every pixel of the scan as rendered
    before is still there, below the band, and the band holds the code."""
    import numpy as np

    pdf = sample_searchable_pdf(1)
    before = rasterise(pdf, dpi=72)
    after = rasterise(add_qr_to_pdf(pdf, PAYLOAD), dpi=72)
    h, w = before.shape[:2]
    assert after.shape[1] == w and after.shape[0] > h  # only taller
    band = after.shape[0] - h
    diff = np.abs(after[band:].astype(int) - before.astype(int))
    # the scan below the band, unchanged: at most a sub-pixel shift of edges (the band is a
    # fraction of a pixel off the grid), nowhere a symbol; over the scan's own top left
    # corner, where the code used to be drawn, the same holds
    corner = diff[: h // 6, : w // 4]
    assert diff.mean() < 2 and corner.mean() < 4, (diff.mean(), corner.mean())
    assert decode_qr(after[:band]) and [QrPayload.decode(t) for t in decode_qr(after)] == [PAYLOAD]
