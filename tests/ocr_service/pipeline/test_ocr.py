"""Stage 3 for a born-digital PDF page: its own text layer read in place of the OCR, when
trusted (ocr_service.text_layer), and the page OCRed as before when not."""

from __future__ import annotations

import io
from typing import cast

import pytest
import segno
from fpdf import FPDF
from PIL import Image

from classifiers.card_codes import decode_qr
from core.settings import Settings
from ocr_service.engine import OcrEngine
from ocr_service.pages import RENDER_DPI
from ocr_service.pipeline import ocr_file
from tests.ocr_service.ocr_testkit import FakeEngine
from tests.ocr_service.test_text_layer import FONT, LEGACY, LINES, _bytes, _pdf

pytestmark = pytest.mark.skipif(not FONT.exists(), reason="fonts-dejavu-core not installed")


def _engine(fail: bool) -> OcrEngine:
    return cast(OcrEngine, FakeEngine(fail=fail))


def test_a_trusted_page_is_read_from_its_text_layer_without_the_models() -> None:
    # the engine fails if asked anything: neither preprocessing nor OCR may run
    [page] = ocr_file(_bytes(_pdf(LINES)), "letter.pdf", engine=_engine(True), settings=Settings())
    assert page.from_text_layer and page.steps == ["text layer"]
    assert [line.text for line in page.text.lines] == LINES
    assert {line.confidence for line in page.text.lines} == {1.0}
    assert page.dpi == RENDER_DPI
    # the rendering as it came: the lines' boxes are in its pixels
    assert (page.text.width, page.text.height) == (page.width, page.height)
    assert page.text.rotation == 0


def test_the_lines_are_put_in_reading_order() -> None:
    # drawn bottom line first: the content order is not the reading order
    pdf = _pdf([])
    for i, text in reversed(list(enumerate(LINES))):
        pdf.text(30, 120 + 12 * i, text)
    [page] = ocr_file(_bytes(pdf), "letter.pdf", engine=_engine(True), settings=Settings())
    assert [line.text for line in page.text.lines] == LINES


def test_an_untrusted_layer_is_ocred() -> None:
    [page] = ocr_file(_bytes(_pdf(LEGACY)), "old.pdf", engine=_engine(False), settings=Settings())
    assert not page.from_text_layer and "text layer" not in page.steps
    assert [line.text for line in page.text.lines] == [
        f"Trang {page.width}x{page.height} tiếng Việt"
    ]


def test_a_qr_code_on_a_trusted_page_is_read_from_its_rendering() -> None:
    # a made-up code beside the letter, small enough (4% of the page) that the text is trusted
    code = "https://dichvucong.example.vn/tra-cuu?ma=HS-0000-0001"
    buf = io.BytesIO()
    segno.make(code, error="m").save(buf, kind="png", scale=8, border=4)

    def qr(pdf: FPDF) -> None:
        pdf.image(Image.open(buf), x=150, y=20, w=45, h=45)

    [page] = ocr_file(
        _bytes(_pdf(LINES, draw=qr)), "letter.pdf", engine=_engine(True), settings=Settings()
    )
    assert page.from_text_layer
    assert decode_qr(page.image) == code
