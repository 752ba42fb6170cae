"""A PDF form filled in a PDF reader: its fields drawn as they appear, their values read.

The forms are drawn with fpdf2 in DejaVu Serif, their fields added with pikepdf; every
value is made up."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pikepdf
import pytest
from fpdf import FPDF
from PIL import Image

from core.records import PageImage
from ocr_service.form_fields import TICKED, UNTICKED
from ocr_service.pages import RENDER_DPI
from ocr_service.pipeline.ocr import text_layer_page
from ocr_service.pipeline.understanding import understand
from tests.ocr_service.ocr_testkit import pdf_page, pdf_rect_pixels

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
pytestmark = pytest.mark.skipif(not FONT.exists(), reason="fonts-dejavu-core not installed")

PAGE_H = 841.89  # A4, points
TITLE = "TỜ KHAI ĐĂNG KÝ KHAI SINH"
LABELS = [  # (label, made-up value typed into the field beside it)
    ("Họ, chữ đệm, tên người yêu cầu:", "Nguyễn Thị Hồng Nhung"),
    ("Số định danh cá nhân:", "001190012345"),
    ("Nơi cư trú:", "Thôn Bến Gỗ, xã Hoa Mai"),
]
INTRO = [
    "Kính gửi: Ủy ban nhân dân xã Hoa Mai",
    "Người yêu cầu đề nghị cơ quan đăng ký khai sinh cho người dưới đây.",
]
LABEL_X_PT, FIELD_X_PT, FIELD_W_PT = 57.0, 265.0, 270.0
TOP_PT, STEP_PT = 220.0, 34.0  # the first label's baseline from the top, and the row step


def _row_baseline(i: int) -> float:
    return TOP_PT + i * STEP_PT  # from the page's top, in points


def _field_rect(i: int) -> list[float]:
    """The field beside label ``i``, in PDF space (bottom-up): 20 pt high round its baseline."""
    base = PAGE_H - _row_baseline(i)
    return [FIELD_X_PT, base - 6, FIELD_X_PT + FIELD_W_PT, base + 14]


def _page_pdf(*, background: bool = False) -> bytes:
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    if background:  # a scanned blank form: one image filling the page, no text drawn
        buf = io.BytesIO()
        Image.new("RGB", (620, 877), "white").save(buf, format="PNG")
        pdf.image(buf, x=0, y=0, w=pdf.w, h=pdf.h)
        return bytes(pdf.output())
    pdf.text(LABEL_X_PT, 100, TITLE)
    for i, text in enumerate(INTRO):
        pdf.text(LABEL_X_PT, 140 + i * 20, text)
    for i, (label, _) in enumerate(LABELS):
        pdf.text(LABEL_X_PT, _row_baseline(i), label)
    return bytes(pdf.output())


def _appearance(doc: pikepdf.Pdf, text: str, rect: list[float]) -> pikepdf.Object:
    """The look a PDF reader gives a filled field: the value in DejaVu, as a form XObject."""
    w, h = rect[2] - rect[0], rect[3] - rect[1]
    look = FPDF(unit="pt", format=(w, h))
    look.add_font("DejaVu", fname=str(FONT))
    look.set_font("DejaVu", size=11)
    look.set_auto_page_break(False)
    look.add_page()
    look.text(2, h - 6, text)
    with pikepdf.open(io.BytesIO(bytes(look.output()))) as src:
        return doc.copy_foreign(src.pages[0].as_form_xobject())


def _checkbox_look(doc: pikepdf.Pdf, ticked: bool) -> pikepdf.Object:
    ops = b"0 g 2 2 12 12 re f" if ticked else b""
    look = pikepdf.Stream(doc, ops)
    look.Type, look.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
    look.BBox = pikepdf.Array([0, 0, 16, 16])
    return look


def _form(
    values: list[str | None] | None = None,
    *,
    appearance: bool = True,
    need_appearances: bool = False,
    checkbox: bool | None = None,
    signature: bool = False,
    background: bool = False,
    field_keys: dict[str, Any] | None = None,
) -> bytes:
    """The form with its fields filled in with ``values`` (None: a field left empty)."""
    values = values if values is not None else [value for _, value in LABELS]
    with pikepdf.open(io.BytesIO(_page_pdf(background=background))) as doc:
        fields = []
        for i, value in enumerate(values):
            rect = _field_rect(i)
            widget = pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Widget,
                FT=pikepdf.Name.Tx,
                T=pikepdf.String(f"field{i}"),
                Rect=pikepdf.Array(rect),
                **{"F": 4, "DA": pikepdf.String("/Helv 11 Tf 0 g"), **(field_keys or {})},
            )
            if value is not None:
                widget.V = pikepdf.String(value)
                if appearance:
                    widget.AP = pikepdf.Dictionary(N=_appearance(doc, value, rect))
            fields.append(doc.make_indirect(widget))
        if checkbox is not None:
            state = pikepdf.Name.Yes if checkbox else pikepdf.Name.Off
            box = pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Widget,
                FT=pikepdf.Name.Btn,
                T=pikepdf.String("dongy"),
                Rect=pikepdf.Array([FIELD_X_PT, 300, FIELD_X_PT + 16, 316]),
                F=4,
                V=state,
                AS=state,
                AP=pikepdf.Dictionary(
                    N=pikepdf.Dictionary(
                        Yes=_checkbox_look(doc, True), Off=_checkbox_look(doc, False)
                    )
                ),
            )
            fields.append(doc.make_indirect(box))
        if signature:
            rect = [FIELD_X_PT, 150, FIELD_X_PT + 200, 190]
            sig = pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Widget,
                FT=pikepdf.Name.Sig,
                T=pikepdf.String("chuky"),
                Rect=pikepdf.Array(rect),
                F=132,  # printed, locked: as the real signed letters' widgets
                AP=pikepdf.Dictionary(N=_appearance(doc, "Ký bởi: Trần Văn Giả Định", rect)),
            )
            fields.append(doc.make_indirect(sig))
        doc.pages[0].obj.Annots = pikepdf.Array(fields)
        form = pikepdf.Dictionary(
            Fields=pikepdf.Array(fields),
            DA=pikepdf.String("/Helv 0 Tf 0 g"),
            DR=pikepdf.Dictionary(
                Font=pikepdf.Dictionary(
                    Helv=pikepdf.Dictionary(
                        Type=pikepdf.Name.Font,
                        Subtype=pikepdf.Name.Type1,
                        BaseFont=pikepdf.Name.Helvetica,
                    )
                )
            ),
        )
        if need_appearances:
            form.NeedAppearances = True
        if signature:
            form.SigFlags = 3
        doc.Root.AcroForm = form
        out = io.BytesIO()
        doc.save(out)
    return out.getvalue()


def _page(data: bytes) -> PageImage:
    return pdf_page(data)


def _pixels(rect: list[float]) -> tuple[int, int, int, int]:
    """A PDF-space rectangle in the 250 dpi rendering's pixels (x0, y0, x1, y1)."""
    return pdf_rect_pixels(rect, PAGE_H)


def _ink(page: PageImage, rect: list[float]) -> int:
    x0, y0, x1, y1 = _pixels(rect)
    return int((page.image[y0:y1, x0:x1].min(axis=2) < 128).sum())


def _texts(page: PageImage) -> list[str]:
    assert page.text_lines is not None
    return [line.text for line in page.text_lines]


@pytest.mark.parametrize(
    ("appearance", "need_appearances"),
    [(True, False), (False, True)],
    ids=["with-appearance", "need-appearances"],
)
def test_typed_values_are_drawn_and_read_at_their_fields(
    appearance: bool, need_appearances: bool
) -> None:
    page = _page(_form(appearance=appearance, need_appearances=need_appearances))
    texts = _texts(page)
    assert texts[: 3 + len(LABELS)] == [TITLE, *INTRO, *(label for label, _ in LABELS)]
    assert texts[3 + len(LABELS) :] == [value for _, value in LABELS]  # tone marks and all
    lines = page.text_lines or []
    labels, values = lines[3 : 3 + len(LABELS)], lines[3 + len(LABELS) :]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        assert value.confidence == 1.0
        assert _ink(page, _field_rect(i)) > 200  # drawn as a reader shows it
        # boxed round the value's ink within the field, as tall as the label's type
        x0, y0, x1, y1 = _pixels(_field_rect(i))
        (bx0, by0), _, (bx1, by1), _ = value.box
        assert x0 <= bx0 < x0 + 30 and bx0 < bx1 < x1
        assert y0 < by0 < by1 < y1
        label_height = label.box[2][1] - label.box[0][1]
        assert 0.5 * label_height < by1 - by0 < 1.1 * label_height
        assert label.box[0][1] <= (by0 + by1) / 2 <= label.box[2][1]  # on the label's row


def test_a_filled_form_is_read_as_its_document_type_with_its_fields() -> None:
    page = _page(_form())
    [document] = understand("to_khai.pdf", [text_layer_page(page, "to_khai.pdf")])
    assert document.doc_type == "application_form"
    assert document.fields["full_name"] == "Nguyễn Thị Hồng Nhung"
    assert document.fields["id_number"] == "001190012345"


def test_empty_fields_add_no_lines_and_a_multi_line_value_one_line_each() -> None:
    page = _page(_form([None, "", "Thôn Bến Gỗ\r\nxã Hoa Mai"], appearance=False))
    texts = _texts(page)
    assert texts[-2:] == ["Thôn Bến Gỗ", "xã Hoa Mai"]
    assert len(texts) == 3 + len(LABELS) + 2
    first, second = (page.text_lines or [])[-2:]
    assert first.box[2][1] <= second.box[0][1]  # stacked in the field, top to bottom


def test_a_hidden_field_and_a_password_are_not_read() -> None:
    hidden = _page(_form(field_keys={"F": 2}))  # /F Hidden
    assert _texts(hidden)[3 + len(LABELS) :] == []
    assert _ink(hidden, _field_rect(0)) == 0
    password = _page(_form(appearance=False, field_keys={"Ff": 1 << 13}))
    assert _texts(password)[3 + len(LABELS) :] == []


@pytest.mark.parametrize("ticked", [True, False])
def test_a_ticked_box_is_drawn_and_read_as_a_ballot_box(ticked: bool) -> None:
    page = _page(_form([], checkbox=ticked))
    mark = TICKED if ticked else UNTICKED
    assert _texts(page) == [TITLE, *INTRO, *(label for label, _ in LABELS), mark]
    rect = [FIELD_X_PT, 300, FIELD_X_PT + 16, 316]
    inked = _ink(page, rect)
    assert (inked > 500) == ticked
    (bx0, by0), _, (bx1, by1), _ = (page.text_lines or [])[-1].box
    assert (bx0, by0, bx1, by1) == _pixels(rect)  # at the box


def _choice_form(chosen: str | None, *, boxes_first: bool) -> bytes:
    """A residence confirmation whose "Giới tính:" row offers Nam and Nữ as check boxes
    (before or after their words, as forms print them), ``chosen`` ticked."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    pdf.text(150, 100, "XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ")
    pdf.text(LABEL_X_PT, 140, "Kính gửi: Công an xã Hoa Mai")
    pdf.text(LABEL_X_PT, 180, "Họ, chữ đệm và tên: Lê Thị Giả Định")
    pdf.text(LABEL_X_PT, 214, "Giới tính:")
    pdf.text(LABEL_X_PT, 248, "Nơi thường trú: Thôn Bến Gỗ, xã Hoa Mai")
    # (option, box x, word x) in points
    places = [("Nam", 150, 170), ("Nữ", 230, 250)] if boxes_first else [
        ("Nam", 176, 150), ("Nữ", 256, 230)
    ]  # fmt: skip
    for option, _, word_x in places:
        pdf.text(word_x, 214, option)
    with pikepdf.open(io.BytesIO(bytes(pdf.output()))) as doc:
        boxes = []
        base = PAGE_H - 214
        for i, (option, box_x, _) in enumerate(places):
            state = pikepdf.Name.Yes if option == chosen else pikepdf.Name.Off
            box = pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Widget,
                FT=pikepdf.Name.Btn,
                T=pikepdf.String(f"option{i}"),
                Rect=pikepdf.Array([box_x, base - 2, box_x + 11, base + 9]),
                F=4,
                V=state,
                AS=state,
                DA=pikepdf.String("/ZaDb 0 Tf 0 g"),
            )
            boxes.append(doc.make_indirect(box))
        doc.pages[0].obj.Annots = pikepdf.Array(boxes)
        doc.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(boxes), NeedAppearances=True)
        out = io.BytesIO()
        doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize("boxes_first", [True, False], ids=["box-word", "word-box"])
@pytest.mark.parametrize(("chosen", "sex"), [("Nam", "male"), ("Nữ", "female"), (None, None)])
def test_the_ticked_option_of_a_choice_is_the_fields_value(
    chosen: str | None, sex: str | None, boxes_first: bool
) -> None:
    """On main the boxes were no text: "Giới tính: Nam Nữ" read as male whatever was ticked."""
    page = _page(_choice_form(chosen, boxes_first=boxes_first))
    [document] = understand("ct07.pdf", [text_layer_page(page, "ct07.pdf")])
    assert document.doc_type == "residence_confirmation"
    assert document.fields.get("sex") == sex
    assert document.fields["full_name"] == "Lê Thị Giả Định"


def test_a_signature_widget_is_not_drawn_nor_read_beside_filled_fields() -> None:
    signed, unsigned = _page(_form(signature=True)), _page(_form())
    assert _texts(signed) == _texts(unsigned)
    assert np.array_equal(signed.image, unsigned.image)


def test_a_scanned_form_with_fields_filled_is_rendered_with_them() -> None:
    filled = _page(_form(background=True))
    assert filled.dpi == RENDER_DPI  # rendered, not the scan image extracted
    assert all(_ink(filled, _field_rect(i)) > 200 for i in range(len(LABELS)))
    assert filled.text_lines is None  # a scan under the fields: OCRed, as shown
    # the same scan with its fields empty is the scan image, extracted as before
    empty = _page(_form([None, None, None], background=True))
    assert empty.image.shape[:2] == (877, 620)
