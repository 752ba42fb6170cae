"""A born-digital PDF page read from its own text layer, and each rule that distrusts one.

The PDFs are drawn with fpdf2 in DejaVu Serif; every text is made up."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from fpdf import FPDF
from PIL import Image

from core.records import PageImage
from core.settings import Settings
from ocr_service.pages import RENDER_DPI, load_pages
from ocr_service.text_layer import _suspect_share

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
pytestmark = pytest.mark.skipif(not FONT.exists(), reason="fonts-dejavu-core not installed")

# Made-up lines of a letter: no real place, office or person.
LINES = [
    "ỦY BAN NHÂN DÂN XÃ HOA MAI",
    "Số: 17/TB-UBND ngày 05 tháng 3 năm 2026",
    "Thông báo về việc sửa đường liên thôn Bến Gỗ",
    "Kính gửi: các hộ gia đình thôn Bến Gỗ và thôn Đồng Sậy",
    "Ủy ban nhân dân xã đề nghị bà con dời vật liệu khỏi lề đường",
    "trước ngày khởi công; mọi thắc mắc xin liên hệ cán bộ địa chính.",
]
# The same kind of letter as a legacy TCVN3 (.VnTime) font's glyphs decode without a
# Unicode map: Latin-1 code points in place of the Vietnamese letters.
LEGACY = [
    "ñy ban nh©n d©n x· Hoa Mai",
    "Th«ng b¸o vÒ viÖc söa ®­êng liªn th«n BÕn Gç",
    "KÝnh göi: c¸c hé gia ®×nh th«n BÕn Gç vµ th«n §ång SËy",
    "ñy ban nh©n d©n x· ®Ò nghÞ bµ con dêi vËt liÖu khái lÒ ®­êng",
    "tr­íc ngµy khëi c«ng; mäi th¾c m¾c xin liªn hÖ c¸n bé ®Þa chÝnh.",
]
X_MM, Y0_MM, STEP_MM = 30.0, 120.0, 12.0  # the block round the page's centre


def _pdf(
    lines: list[str],
    *,
    draw: Callable[[FPDF], None] | None = None,
    invisible: bool = False,
    angle: float = 0.0,
) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    if draw is not None:
        draw(pdf)
    if invisible:
        pdf.text_mode = "INVISIBLE"
    with pdf.rotation(angle, x=105, y=148.5):  # about the page's centre
        for i, text in enumerate(lines):
            pdf.text(X_MM, Y0_MM + i * STEP_MM, text)
    return pdf


def _bytes(pdf: FPDF, **page_keys: object) -> bytes:
    data = bytes(pdf.output())
    if not page_keys:
        return data
    with pikepdf.open(io.BytesIO(data)) as doc:
        for key, value in page_keys.items():
            doc.pages[0].obj[pikepdf.Name("/" + key)] = value
        out = io.BytesIO()
        doc.save(out)
    return out.getvalue()


def _page(data: bytes, settings: Settings | None = None) -> PageImage:
    [page] = list(load_pages(data, "letter.pdf", settings or Settings()))
    return page


def _photo(w: int = 600, h: int = 800) -> Image.Image:
    rng = np.random.default_rng(7)
    return Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8))


def _ink_box(image: np.ndarray, y0: float, y1: float) -> tuple[int, int, int, int] | None:
    """The dark pixels' box within the rows ``y0``-``y1`` (a band round one line)."""
    top = max(int(y0), 0)
    band = image[top : int(y1), :, :].min(axis=2) < 128
    ys, xs = np.nonzero(band)
    if not len(xs):
        return None
    return int(xs.min()), top + int(ys.min()), int(xs.max()), top + int(ys.max())


@pytest.mark.parametrize(
    ("angle", "page_keys"),
    [
        (0, {}),
        # a landscape page: drawn turned on a portrait sheet that /Rotate turns back
        (90, {"Rotate": 90}),
        (270, {"Rotate": 270}),
        (180, {"Rotate": 180}),
        (0, {"CropBox": pikepdf.Array([40, 300, 560, 800])}),
    ],
    ids=["plain", "rotate-90", "rotate-270", "rotate-180", "crop-box"],
)
def test_a_trusted_layer_is_read_with_its_lines_where_the_rendering_shows_them(
    angle: float, page_keys: dict[str, object]
) -> None:
    page = _page(_bytes(_pdf(LINES, angle=angle), **page_keys))
    assert page.dpi == RENDER_DPI
    assert page.text_lines is not None
    assert [line.text for line in page.text_lines] == LINES
    assert all(line.confidence == 1.0 for line in page.text_lines)
    for line in page.text_lines:
        (x0, y0), _, (x1, y1), _ = line.box
        # the ink in a band round the box lies within it, and fills it along the line
        pad = 0.5 * (y1 - y0)
        ink = _ink_box(page.image, y0 - pad, y1 + pad)
        assert ink is not None
        assert x0 - 3 <= ink[0] <= x0 + 6 and x1 - 6 <= ink[2] <= x1 + 3
        assert y0 - 3 <= ink[1] and ink[3] <= y1 + 3


def test_a_hyphen_ending_a_line_is_a_hyphen() -> None:
    lines = ["Thực hiện Kế hoạch số 86/KH-", "UBND của Ủy ban nhân dân xã Hoa Mai về sửa đường"]
    page = _page(_bytes(_pdf(lines)))
    assert page.text_lines is not None
    assert [line.text for line in page.text_lines] == lines


def test_a_legacy_encoded_layer_is_not_trusted() -> None:
    assert _suspect_share(" ".join(LEGACY)) > 0.3
    assert _page(_bytes(_pdf(LEGACY))).text_lines is None


def test_abbreviations_and_plain_latin_words_are_not_mojibake() -> None:
    assert _suspect_share(" ".join(LINES)) == 0.0
    assert _suspect_share("Căn cứ Quyết định số 12/QĐ-UBND của HĐND; Ban Chỉ đạo (BCĐ)") == 0.0
    assert _suspect_share("Hà Nội, Report of the Working Group on Climate") == 0.0


def test_invisible_text_is_not_trusted() -> None:
    assert _page(_bytes(_pdf(LINES, invisible=True))).text_lines is None


def test_a_scanned_page_with_an_earlier_ocr_under_it_is_ocred() -> None:
    def scan(pdf: FPDF) -> None:
        pdf.image(_photo(), x=0, y=0, w=210, h=297)

    assert _page(_bytes(_pdf(LINES, draw=scan, invisible=True))).text_lines is None


def test_a_scanned_image_page_is_extracted_as_before() -> None:
    photo = _photo(827, 1169)
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.image(photo, x=0, y=0, w=210, h=297)
    page = _page(bytes(pdf.output()))
    assert page.text_lines is None
    # extracted losslessly, not rendered: the very pixels
    assert page.image.shape == (1169, 827, 3)
    assert np.array_equal(page.image[:, :, ::-1], np.asarray(photo))


def test_text_beside_a_large_image_is_ocred_and_beside_a_small_logo_read() -> None:
    def large(pdf: FPDF) -> None:
        pdf.image(_photo(), x=20, y=110, w=150, h=150)  # 36% of the page

    def logo(pdf: FPDF) -> None:
        pdf.image(_photo(200, 200), x=150, y=10, w=30, h=30)  # 1.5%

    assert _page(_bytes(_pdf(LINES, draw=large))).text_lines is None
    assert _page(_bytes(_pdf(LINES, draw=logo))).text_lines is not None


def test_a_handful_of_characters_is_not_enough() -> None:
    assert _page(_bytes(_pdf(["Trang 2", "Ký tên"]))).text_lines is None


def test_text_drawn_sideways_is_ocred() -> None:
    assert _page(_bytes(_pdf(LINES, angle=90))).text_lines is None
    assert _page(_bytes(_pdf(LINES, angle=180))).text_lines is None
    # upright on the sheet, but the sheet is shown turned
    assert _page(_bytes(_pdf(LINES), Rotate=90)).text_lines is None


def test_the_setting_turns_the_text_layer_off() -> None:
    data = _bytes(_pdf(LINES))
    assert _page(data, Settings(pdf_text_layer=False)).text_lines is None
    assert _page(data).text_lines is not None


# A made-up line of personal data a sender hid, drawn below the letter.
HIDDEN = "Họ và tên người báo tin: Lê Thị Giả Định, số điện thoại 0900 000 000"
HIDDEN_Y_MM = Y0_MM + len(LINES) * STEP_MM


def _white(pdf: FPDF) -> None:
    pdf.set_text_color(255, 255, 255)
    pdf.text(X_MM, HIDDEN_Y_MM, HIDDEN)


def _covered(pdf: FPDF) -> None:
    pdf.text(X_MM, HIDDEN_Y_MM, HIDDEN)
    pdf.set_fill_color(0, 0, 0)  # blacked out, as a sender hides personal data
    pdf.rect(X_MM - 2, HIDDEN_Y_MM - 6, pdf.get_string_width(HIDDEN) + 4, 9, style="F")


def _off_the_page(pdf: FPDF) -> None:
    pdf.text(X_MM, -40, HIDDEN)  # above the sheet: in the file, never shown


@pytest.mark.parametrize("hide", [_white, _covered, _off_the_page], ids=lambda f: f.__name__)
def test_text_the_rendering_does_not_show_is_not_read_from_the_layer(
    hide: Callable[[FPDF], None],
) -> None:
    pdf = _pdf(LINES)
    hide(pdf)
    page = _page(_bytes(pdf))
    # more than a few characters unseen: the page is OCRed from what it shows
    assert page.text_lines is None
    # without the hidden line the same page is trusted
    assert _page(_bytes(_pdf(LINES))).text_lines is not None


def test_a_few_characters_blacked_out_are_left_out_of_their_line() -> None:
    label, name = "Người nhận: ", "Lê Giả"  # 5 letters hidden: under 5% of the page's
    pdf = _pdf(LINES)
    pdf.text(X_MM, HIDDEN_Y_MM, label + name + " thôn Bến Gỗ")
    pdf.set_fill_color(0, 0, 0)
    x = X_MM + pdf.get_string_width(label)
    pdf.rect(x, HIDDEN_Y_MM - 6, pdf.get_string_width(name), 9, style="F")
    page = _page(_bytes(pdf))
    assert page.text_lines is not None
    texts = [line.text for line in page.text_lines]
    assert texts[: len(LINES)] == LINES
    assert not any("Giả" in text for text in texts)
    assert any(text.startswith("Người nhận") for text in texts)


def _annotated(subtype: str, **keys: object) -> bytes:
    """The letter with one annotation of ``subtype`` below it whose appearance draws a
    made-up name (as a PDF editor's typewriter fills a form in, or a signature shows)."""
    with pikepdf.open(io.BytesIO(_bytes(_pdf(LINES)))) as doc:
        font = pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
        look = pikepdf.Stream(doc, b"BT /Helv 12 Tf 2 6 Td (Tran Van Gia Dinh 0900000000) Tj ET")
        look.Type, look.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
        look.BBox = pikepdf.Array([0, 0, 300, 20])
        look.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(Helv=font))
        annot = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name("/" + subtype),
            Rect=pikepdf.Array([85, 200, 385, 220]),
            F=4,  # printed
            AP=pikepdf.Dictionary(N=look),
            **keys,
        )
        annot = doc.make_indirect(annot)
        doc.pages[0].obj.Annots = pikepdf.Array([annot])
        if subtype == "Widget":  # a form field: the document's form lists it
            doc.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([annot]), SigFlags=3)
        out = io.BytesIO()
        doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize("subtype", ["FreeText", "Stamp"])
def test_text_an_annotation_shows_is_ocred(subtype: str) -> None:
    page = _page(_annotated(subtype))
    gray = page.image.min(axis=2)
    assert (gray[page.image.shape[0] - 765 : page.image.shape[0] - 695] < 128).any()  # shown
    assert page.text_lines is None  # not in the layer: the page is OCRed


def test_a_signature_widget_is_neither_drawn_nor_read() -> None:
    page = _page(_annotated("Widget", FT=pikepdf.Name.Sig, T=pikepdf.String("chuky")))
    assert page.text_lines is not None
    assert [line.text for line in page.text_lines] == LINES


def _remapped(glyph_text: str, target: str) -> bytes:
    """The letter with its font's ToUnicode map damaged: the glyph of ``glyph_text`` mapped to
    the UTF-16 code units ``target`` (hex)."""
    with pikepdf.open(io.BytesIO(_bytes(_pdf(LINES)))) as doc:
        want = glyph_text.encode("utf-16-be").hex().upper()
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Stream) and b"beginbfchar" in obj.read_bytes():
                cmap = obj.read_bytes().decode("latin-1")
                obj.write(re.sub(rf"(<[0-9A-F]{{4}}> )<{want}>", rf"\1<{target}>", cmap).encode())
        out = io.BytesIO()
        doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize("target", ["D800", "DC00D800", "FFFE"])
def test_a_glyph_mapped_to_no_character_is_left_out_as_unmapped(target: str) -> None:
    # "Ủ" is drawn twice: a few characters, under the share that distrusts the page
    page = _page(_remapped("Ủ", target))
    assert page.text_lines is not None
    texts = [line.text for line in page.text_lines]
    for text in texts:
        text.encode("utf-8")  # a lone surrogate would fail here, and in the JSON and database
    assert texts[0] == "Y BAN NHÂN DÂN XÃ HOA MAI"
    assert texts[1:] == [LINES[1], LINES[2], LINES[3], LINES[4][1:], LINES[5]]


def test_invisible_text_at_the_limit_is_not_trusted_and_just_under_it_is() -> None:
    """ "Under 5% invisible": 4 invisible characters of 80 drawn (5%) send the page to OCR,
    4 of 84 (4.8%) do not."""
    words = ["plain", "words", "drawn", "on", "the", "page"]

    def layer(visible: int) -> bytes:
        def hidden(pdf: FPDF) -> None:
            # in its own graphics state: fpdf2 writes no "0 Tr" when the mode is set back
            with pdf.local_context(text_mode="INVISIBLE"):
                pdf.text(X_MM, Y0_MM - STEP_MM, "wxyz")

        text = " ".join(words[i % len(words)] for i in range(60))
        # the visible characters as lines of words, exactly ``visible`` of them drawn
        lines, line, n = [], [], 0
        for word in text.split():
            take = word[: visible - n]
            if not take:
                break
            line.append(take)
            n += len(take)
            if len(line) == 8:
                lines.append(" ".join(line))
                line = []
        lines.append(" ".join(line))
        assert n == visible
        return _bytes(_pdf([ln for ln in lines if ln], draw=hidden))

    assert _page(layer(76)).text_lines is None
    assert _page(layer(80)).text_lines is not None
