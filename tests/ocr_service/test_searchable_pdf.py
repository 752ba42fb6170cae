"""The searchable PDF's text layer gives back the Vietnamese text; the stamp is visible."""

from __future__ import annotations

import io
import shutil
import subprocess

import numpy as np
import pikepdf
import pytest

from core.records import OcrLine, PageText
from ocr_service.pipeline import ProcessedPage
from ocr_service.searchable_pdf import make_searchable_pdf
from tests.ocr_service.ocr_testkit import render_page

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")


def _page(n: int, lines: list[str]) -> ProcessedPage:
    image, _ = render_page()
    ocr_lines = []
    for i, t in enumerate(lines):
        x1 = 80.0 + 15 * len(t)  # a box the size the printed text would take
        y0, y1 = 100.0 + 60 * i, 130.0 + 60 * i
        ocr_lines.append(
            OcrLine(text=t, box=((80.0, y0), (x1, y0), (x1, y1), (80.0, y1)), confidence=0.9)
        )
    text = PageText(page=n, width=image.shape[1], height=image.shape[0], lines=ocr_lines)
    return ProcessedPage(source="x.png", page=n, image=image, text=text, dpi=150.0)


def _pdftotext(pdf: bytes, *args: str) -> str:
    out = subprocess.run(["pdftotext", *args, "-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def test_text_layer_is_extractable_vietnamese() -> None:
    lines = ["Họ và tên: Nguyễn Thị Minh Hằng", "Quê quán: Thừa Thiên Huế, đường Lê Lợi"]
    pdf = make_searchable_pdf([_page(1, lines), _page(2, ["Trang hai: Đắk Lắk"])])
    text = _pdftotext(pdf)
    for line in lines:
        assert line in text
    assert "Trang hai: Đắk Lắk" in text
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 2
        # 1240 px at 150 dpi → 595.2 pt wide
        assert float(doc.pages[0].mediabox[2]) == pytest.approx(1240 / 150 * 72, abs=0.5)


def test_words_sit_where_the_line_box_is() -> None:
    pdf = make_searchable_pdf([_page(1, ["Nguyễn Văn An"])])
    bbox = _pdftotext(pdf, "-bbox")
    first = bbox.split("<word ", 1)[1]
    x_min = float(first.split('xMin="')[1].split('"')[0])
    assert x_min == pytest.approx(80 / 150 * 72, abs=2)
    last = bbox.rsplit("<word ", 1)[1]
    x_max = float(last.split('xMax="')[1].split('"')[0])
    assert x_max == pytest.approx((80 + 15 * len("Nguyễn Văn An")) / 150 * 72, abs=3)


def test_stamp_is_visible_on_first_page_only() -> None:
    pdf = make_searchable_pdf(
        [_page(1, ["một"]), _page(2, ["hai"])], first_page_stamp="SH-2026-000042"
    )
    assert "SH-2026-000042" in _pdftotext(pdf, "-f", "1", "-l", "1")
    assert "SH-2026-000042" not in _pdftotext(pdf, "-f", "2", "-l", "2")
    # Visible means drawn with a normal render mode: rasterise the corner and find ink.
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        content = doc.pages[0].Contents.read_bytes()
    stamp_part = content.split(b"/FStamp")[0].rsplit(b"BT", 1)[1]
    assert b"0 Tr" in stamp_part
    if shutil.which("pdftoppm"):
        png = subprocess.run(
            [
                "pdftoppm",
                "-r",
                "100",
                "-gray",
                "-f",
                "1",
                "-l",
                "1",
                "-x",
                "600",
                "-y",
                "0",
                "-W",
                "227",
                "-H",
                "40",
                "-",
            ],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout
        # PGM/PPM output: the tail is the pixel data; some pixels must be dark.
        pixels = np.frombuffer(png[-227 * 40 :], dtype=np.uint8)
        assert pixels.min() < 100
