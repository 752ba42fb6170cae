"""The fast mode's second reading of the lines holding a field disputed only by diacritics."""

from __future__ import annotations

import numpy as np

from core.records import DocumentResult, OcrLine, PageText, ProcessedPage, Verification
from ocr_service.engine import OcrEngine, Recognition
from ocr_service.engine.reread import can_reread, reread_lines
from ocr_service.engine.tesseract_rec import TesseractRecognizer
from ocr_service.pipeline.disputed import read_disputed_lines


class _Fixed:
    """A recognizer that reads every crop as the same text."""

    name = "fixed"

    def __init__(self, text: str) -> None:
        self.text = text
        self.calls = 0

    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        self.calls += len(crops)
        return [Recognition(self.text, 0.9) for _ in crops]


class _Tesseract(TesseractRecognizer):
    def recognize(self, crops: list[np.ndarray]) -> list[Recognition]:
        return [Recognition("NGUYỄN PHƯƠNG THUÝ", 0.95) for _ in crops]


def _engine(second: _Fixed | None) -> OcrEngine:
    return OcrEngine(
        detector=None,  # type: ignore[arg-type]
        recognizer=_Tesseract(),
        orientation=None,  # type: ignore[arg-type]
        second_reader=second,
    )


def _line(text: str, y: float) -> OcrLine:
    return OcrLine(text, ((10.0, y), (400.0, y), (400.0, y + 30), (10.0, y + 30)), 0.95)


def _page() -> ProcessedPage:
    lines = [_line("Họ và tên / Full name:", 10), _line("NGUYỄN PHƯƠNG THUÝ", 60)]
    lines.append(_line("Quốc tịch / Nationality: Việt Nam", 110))
    image = np.full((200, 420, 3), 255, np.uint8)
    return ProcessedPage("card.jpg", 1, image, PageText(1, 420, 200, lines))


def _document(disputed: list[str]) -> DocumentResult:
    return DocumentResult(
        source="card.jpg",
        pages=[1],
        doc_type="citizen_id_front",
        fields={"full_name": "Nguyễn Phương Thuý"},
        verification=Verification("mismatch", ["full_name"], disputed),
    )


def test_the_lines_of_a_field_disputed_by_diacritics_are_read_again() -> None:
    second = _Fixed("NGUYỄN PHƯƠNG THUỶ")
    page = _page()
    assert read_disputed_lines([page], [_document(["full_name"])], _engine(second))
    texts = [ln.text for ln in page.text.lines]
    assert texts == ["Họ và tên / Full name:", "NGUYỄN PHƯƠNG THUỶ", texts[2]]
    assert texts[2] == "Quốc tịch / Nationality: Việt Nam"


def test_nothing_is_read_again_for_a_real_mismatch_or_without_the_second_reader() -> None:
    second = _Fixed("NGUYỄN PHƯƠNG THUỶ")
    page = _page()
    assert not read_disputed_lines([page], [_document([])], _engine(second))
    assert second.calls == 0
    assert not can_reread(_engine(None))
    assert can_reread(_engine(second))
    # a recognizer that does not read words has no doubtful words: nothing to re-read with
    lines_only = OcrEngine(
        detector=None,  # type: ignore[arg-type]
        recognizer=_Fixed("x"),
        orientation=None,  # type: ignore[arg-type]
        second_reader=second,
    )
    assert not can_reread(lines_only)
    assert not read_disputed_lines([page], [_document(["full_name"])], _engine(None))


def test_the_second_reading_keeps_what_both_asterocr_readings_agree_on() -> None:
    image = np.full((60, 420, 3), 255, np.uint8)
    box = np.array([[10, 10], [400, 10], [400, 40], [10, 40]], np.float32)
    assert reread_lines(_engine(_Fixed("Thủ Đức")), image, [box]) == ["Thủ Đức"]
    assert reread_lines(_engine(_Fixed("x")), image, []) == []


def test_a_line_holding_two_disputed_fields_is_read_again_once() -> None:
    second = _Fixed("NGUYỄN PHƯƠNG THUỶ")
    page = _page()
    doc = _document(["full_name", "wife_name"])
    doc.fields["wife_name"] = "Nguyễn Phương Thuý"
    assert read_disputed_lines([page], [doc], _engine(second))
    assert second.calls == 2  # the tight and the padded crop of that one line


def test_a_page_read_from_its_pdf_text_layer_is_not_read_again() -> None:
    second = _Fixed("NGUYỄN PHƯƠNG THUỶ")
    page = _page()
    page.from_text_layer = True
    assert not read_disputed_lines([page], [_document(["full_name"])], _engine(second))
    assert second.calls == 0
    assert page.text.lines[1].text == "NGUYỄN PHƯƠNG THUÝ"
