"""Stage 3 for a born-digital PDF page: its own text layer read in place of the OCR, when
trusted (ocr_service.text_layer), and the page OCRed as before when not."""

from __future__ import annotations

import io
from typing import cast

import numpy as np
import pytest
import segno
from fpdf import FPDF
from PIL import Image

from classifiers.card_codes import check_digit, decode_qr
from core.records import OcrLine
from core.settings import Settings
from ocr_service.engine import OcrEngine
from ocr_service.pages import RENDER_DPI
from ocr_service.pipeline import ocr_file
from ocr_service.pipeline.ocr import ocr_page
from ocr_service.pipeline.preprocessing import PreparedPage
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


def _mrz(id_number: str, dob: str, expiry: str) -> list[str]:
    """A made-up holder's TD1 MRZ as the 2021 card prints it."""
    doc = id_number[-9:]
    l1 = f"IDVNM{doc}{check_digit(doc)}{id_number}".ljust(30, "<")
    head = f"{dob}{check_digit(dob)}M{expiry}{check_digit(expiry)}VNM"
    l2 = head + "<" * 11 + check_digit(l1[5:30] + head[0:7] + head[8:15] + "<" * 11)
    return [l1, l2, "TRAN<<VAN<AN".ljust(30, "<")]


class _CardBackEngine(FakeEngine):
    """Reads the card back's MRZ when the page's mark (a dark top-left corner) is where it
    was printed, and what an upside-down MRZ reads as (capitals, '>' for '<') when not."""

    def __init__(self, mrz: list[str]) -> None:
        super().__init__()
        self.mrz = mrz
        self.reads = 0

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        return [
            np.array(
                [[10, 10 + 40 * i], [300, 10 + 40 * i], [300, 40 + 40 * i], [10, 40 + 40 * i]],
                np.float32,
            )
            for i in range(3)
        ]

    def read(self, image: np.ndarray, quads: list[np.ndarray] | None = None) -> list[OcrLine]:
        self.reads += 1
        upright = image[:5, :5].mean() < 100
        texts = self.mrz if upright else [line[::-1].replace("<", ">") for line in self.mrz]
        return [
            OcrLine(text=t, box=tuple(map(tuple, q.tolist())), confidence=0.9)
            for t, q in zip(texts, self.detect(image), strict=True)
        ]


def _prepared(image: np.ndarray, engine: FakeEngine) -> PreparedPage:
    return PreparedPage(source="back.jpg", page=1, image=image, quads=engine.detect(image))


def test_a_card_back_whose_mrz_checks_only_turned_is_turned() -> None:
    page = np.full((250, 400, 3), 235, np.uint8)
    page[-20:, -20:] = 0  # the mark printed top left, the card held upside down
    engine = _CardBackEngine(_mrz("036089001234", "890201", "490201"))
    done = ocr_page(_prepared(page, engine), engine=cast(OcrEngine, engine))
    assert done.text.rotation == 180 and "turned 180° (its MRZ reads so)" in done.steps
    assert [line.text for line in done.text.lines] == engine.mrz
    assert done.image[:5, :5].mean() < 100  # the page kept turned


def test_an_upright_card_back_or_a_page_without_mrz_is_read_once() -> None:
    page = np.full((250, 400, 3), 235, np.uint8)
    page[:20, :20] = 0
    engine = _CardBackEngine(_mrz("036089001234", "890201", "490201"))
    done = ocr_page(_prepared(page, engine), engine=cast(OcrEngine, engine))
    assert done.text.rotation == 0 and engine.reads == 1
    # MRZ-shaped lines whose checks pass neither way (no mark either way): read turned
    # once, kept as they stand
    engine = _CardBackEngine(engine.mrz)
    page[:20, :20] = 235
    done = ocr_page(_prepared(page, engine), engine=cast(OcrEngine, engine))
    assert done.text.rotation == 0 and engine.reads == 2


# A made-up card front as OCR reads it the right way up, and the gibberish it reads upside down
_FRONT = ["CĂN CƯỚC CÔNG DÂN", "Số: 036089001234", "Họ và tên: TRẦN VĂN AN"]
_UPSIDE_DOWN = ["ụ:ọ 'ɐ ¿", "ᴉ . -- ~", "ɯ ọ ∀ :"]
# A made-up page of a card's proportions that is no card (a printed notice), read confidently
_NOTICE = ["Lịch tiếp công dân", "Thứ hai đến thứ sáu", "Sáng từ 7 giờ 30"]


class _CardFrontEngine(_CardBackEngine):
    """Reads ``upright`` (confidence 0.9) when the page's mark (a dark top-left corner) is
    where it was printed, ``upside_down`` (at ``doubt``) when not."""

    def __init__(
        self,
        upright: list[str] = _FRONT,
        upside_down: list[str] = _UPSIDE_DOWN,
        doubt: float = 0.4,
    ) -> None:
        super().__init__(upright)
        self.upright, self.upside_down, self.doubt = upright, upside_down, doubt

    def read(self, image: np.ndarray, quads: list[np.ndarray] | None = None) -> list[OcrLine]:
        self.reads += 1
        mark = image[:5, :5].mean() < 100
        texts, confidence = (self.upright, 0.9) if mark else (self.upside_down, self.doubt)
        return [
            OcrLine(text=t, box=tuple(map(tuple, q.tolist())), confidence=confidence)
            for t, q in zip(texts, self.detect(image), strict=True)
        ]


def _card(upside_down: bool, shape: tuple[int, int] = (250, 400)) -> np.ndarray:
    page = np.full((*shape, 3), 235, np.uint8)  # ID-1's shape by default
    if upside_down:
        page[-20:, -20:] = 0  # the mark printed top left, the card left upside down
    else:
        page[:20, :20] = 0
    return page


def test_a_doubtful_card_that_types_only_turned_is_turned() -> None:
    engine = _CardFrontEngine()
    done = ocr_page(_prepared(_card(upside_down=True), engine), engine=cast(OcrEngine, engine))
    assert done.text.rotation == 180 and "turned 180° (it reads as a document so)" in done.steps
    assert [line.text for line in done.text.lines] == _FRONT
    assert done.image[:5, :5].mean() < 100  # the page kept turned
    assert engine.reads == 2


def test_a_card_that_types_is_read_once() -> None:
    engine = _CardFrontEngine()
    done = ocr_page(_prepared(_card(upside_down=False), engine), engine=cast(OcrEngine, engine))
    assert done.text.rotation == 0 and engine.reads == 1


def test_a_confident_page_of_a_card_shape_that_types_as_no_document_is_read_once() -> None:
    # the notice reads confidently as it stands (0.9 > the gate): never read turned, even
    # though turned (by this engine's mark) it would read as a card
    engine = _CardFrontEngine(upright=_FRONT, upside_down=_NOTICE, doubt=0.9)
    done = ocr_page(_prepared(_card(upside_down=True), engine), engine=cast(OcrEngine, engine))
    assert done.text.rotation == 0 and engine.reads == 1
    assert [line.text for line in done.text.lines] == _NOTICE


def test_a_doubtful_card_that_types_neither_way_or_a_page_of_another_shape_stays() -> None:
    # gibberish both ways: read turned once, kept as it stands
    engine = _CardFrontEngine(upright=_UPSIDE_DOWN)
    done = ocr_page(_prepared(_card(upside_down=True), engine), engine=cast(OcrEngine, engine))
    assert done.text.rotation == 0 and engine.reads == 2
    assert [line.text for line in done.text.lines] == _UPSIDE_DOWN
    # not a card's shape (A4's): never read turned
    engine = _CardFrontEngine()
    a4 = _card(upside_down=True, shape=(566, 400))
    done = ocr_page(_prepared(a4, engine), engine=cast(OcrEngine, engine))
    assert done.text.rotation == 0 and engine.reads == 1
