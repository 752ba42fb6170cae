"""A form that leaves its fields' look to the reader (/NeedAppearances): drawn with Vietnamese
letters in the page picture, laid out as the field says. Every value is made up."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pikepdf
import pytest

from core.records import PageImage
from ocr_service.engine import _exec_tesseract as tess
from ocr_service.form_appearance import FIELD_FONTS, with_field_appearances
from ocr_service.pages import RENDER_DPI
from tests.ocr_service.ocr_testkit import pdf_page, pdf_rect_pixels

pytestmark = pytest.mark.skipif(
    not all(path.exists() for path in FIELD_FONTS.values()), reason="fonts-noto-core missing"
)

PAGE_W, PAGE_H = 595.0, 842.0
# (made-up value, field rectangle in PDF space): ă â đ ê ô ơ ư and the five tones
VALUES = [
    ("Đặng Thị Ước Mơ", [60.0, 700.0, 400.0, 724.0]),
    ("Phường Hữu Nghị", [60.0, 640.0, 400.0, 664.0]),
    ("Xóm Đồng Ruộng", [60.0, 580.0, 400.0, 604.0]),
]


def _widget(value: str | None, rect: list[float], **keys: Any) -> pikepdf.Dictionary:
    widget = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Widget,
        FT=pikepdf.Name.Tx,
        T=pikepdf.String(f"f{int(rect[1])}"),
        Rect=pikepdf.Array(rect),
        F=4,
        DA=pikepdf.String("/Helv 12 Tf 0 g"),
    )
    if value is not None:
        widget.V = pikepdf.String(value)
    for key, item in keys.items():
        widget[f"/{key}"] = item
    return widget


def _pdf(widgets: list[pikepdf.Dictionary], *, need_appearances: bool = True) -> bytes:
    with pikepdf.new() as doc:
        doc.add_blank_page(page_size=(PAGE_W, PAGE_H))
        fields = [doc.make_indirect(w) for w in widgets]
        doc.pages[0].obj.Annots = pikepdf.Array(fields)
        helv = pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
        doc.Root.AcroForm = pikepdf.Dictionary(
            Fields=pikepdf.Array(fields),
            DA=pikepdf.String("/Helv 0 Tf 0 g"),
            DR=pikepdf.Dictionary(Font=pikepdf.Dictionary(Helv=helv)),
            NeedAppearances=need_appearances,
        )
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


_page = pdf_page


def _crop(page: PageImage, rect: list[float]) -> np.ndarray:
    """The field's pixels in the 250 dpi rendering, grey."""
    x0, y0, x1, y1 = pdf_rect_pixels(rect, PAGE_H)
    return np.ascontiguousarray(page.image[y0:y1, x0:x1].min(axis=2))


def _ink_columns(gray: np.ndarray) -> np.ndarray:
    return np.nonzero((gray < 128).any(axis=0))[0]


def _ink_rows(gray: np.ndarray) -> np.ndarray:
    return np.nonzero((gray < 128).any(axis=1))[0]


@pytest.mark.skipif(not tess.has_language("vie"), reason="tesseract vie missing")
def test_vietnamese_values_are_drawn_with_their_letters() -> None:
    """On main pdfium drew these in Helvetica: "Đặng Thị Ước Mơ" showed as "Đng Th c Mơ"."""
    page = _page(_pdf([_widget(value, rect) for value, rect in VALUES]))
    for value, rect in VALUES:
        words = tess.image_to_words(_crop(page, rect), lang="vie", psm=7, dpi=RENDER_DPI)
        assert " ".join(word.text for word in words) == value


def test_a_field_whose_look_stands_is_left_to_the_renderer() -> None:
    value, rect = VALUES[0]
    look = pikepdf.Dictionary(N=pikepdf.Dictionary())  # replaced below by a stream
    with pikepdf.open(io.BytesIO(_pdf([_widget(value, rect)], need_appearances=False))) as pdf:
        # no /NeedAppearances, the field without an appearance: drawn here
        assert with_field_appearances(pdf) is not None
    with pikepdf.open(io.BytesIO(_pdf([_widget(value, rect)], need_appearances=False))) as pdf:
        [annot] = pdf.pages[0].obj.Annots
        box = pikepdf.Array([0, 0, 5, 5])
        look.N = pikepdf.Stream(pdf, b"0 g 0 0 5 5 re f", Subtype=pikepdf.Name.Form, BBox=box)
        annot.AP = look
        assert with_field_appearances(pdf) is None  # it has one, and the form does not ask
        pdf.Root.AcroForm.NeedAppearances = True
        assert with_field_appearances(pdf) is not None  # the form says it may be stale
    sig = _widget(None, rect, FT=pikepdf.Name.Sig)
    push = _widget(None, rect, FT=pikepdf.Name.Btn, Ff=1 << 16)
    ticked = _widget(None, rect, FT=pikepdf.Name.Btn, V=pikepdf.Name.Yes, AS=pikepdf.Name.Yes)
    with pikepdf.open(io.BytesIO(_pdf([sig, push, ticked]))) as pdf:
        [*_, annot] = pdf.pages[0].obj.Annots
        box = pikepdf.Array([0, 0, 5, 5])
        yes = pikepdf.Stream(pdf, b"0 g 0 0 5 5 re f", Subtype=pikepdf.Name.Form, BBox=box)
        annot.AP = pikepdf.Dictionary(N=pikepdf.Dictionary(Yes=yes))
        # signatures, push buttons and a box with a look for its state: never
        assert with_field_appearances(pdf) is None


@pytest.mark.parametrize(("quad", "side"), [(0, "left"), (1, "centre"), (2, "right")])
def test_alignment_follows_q(quad: int, side: str) -> None:
    value, rect = VALUES[1]
    gray = _crop(_page(_pdf([_widget(value, rect, Q=quad)])), rect)
    cols = _ink_columns(gray)
    left, right = int(cols[0]), gray.shape[1] - 1 - int(cols[-1])
    assert {"left": left < 20 < right, "right": right < 20 < left}.get(side, abs(left - right) < 6)


def test_font_size_zero_fits_the_field() -> None:
    value, rect = VALUES[0]
    small = [60.0, 700.0, 160.0, 714.0]  # too narrow for the value at 12 pt
    tall = [60.0, 600.0, 500.0, 660.0]
    small_ink = _crop(
        _page(_pdf([_widget(value, small, DA=pikepdf.String("/Helv 0 Tf 0 g"))])), small
    )
    tall_ink = _crop(_page(_pdf([_widget(value, tall, DA=pikepdf.String("/Helv 0 Tf 0 g"))])), tall)
    cols, rows = _ink_columns(small_ink), _ink_rows(small_ink)
    assert len(cols) and cols[-1] < small_ink.shape[1] - 1  # shrunk to fit: not cut off
    assert rows[0] > 0 and rows[-1] < small_ink.shape[0] - 1
    # a tall field's value is set larger: its letters are taller than 12 pt's (~29 px cap+desc)
    assert _ink_rows(tall_ink)[-1] - _ink_rows(tall_ink)[0] > 2 * (rows[-1] - rows[0])


def test_a_multi_line_field_wraps_inside_it() -> None:
    rect = [60.0, 500.0, 220.0, 600.0]
    value = "Thôn Bến Gỗ, xã Hoa Mai, huyện Lạc Dương, tỉnh Lâm Đồng"
    gray = _crop(_page(_pdf([_widget(value, rect, Ff=1 << 12)])), rect)
    rows = np.asarray((gray < 128).any(axis=1))
    bands = int(np.count_nonzero(rows[1:] & ~rows[:-1]))
    assert bands >= 3  # wrapped into lines, top to bottom
    assert _ink_columns(gray)[-1] < gray.shape[1] - 1  # none runs past the field


def test_a_comb_field_puts_a_character_in_each_cell() -> None:
    rect = [60.0, 700.0, 300.0, 724.0]
    gray = _crop(_page(_pdf([_widget("001190", rect, Ff=1 << 24, MaxLen=12)])), rect)
    cell = gray.shape[1] / 12
    inked = [
        bool((gray[:, round(i * cell) : round((i + 1) * cell)] < 128).any()) for i in range(12)
    ]
    assert inked == [True] * 6 + [False] * 6


def test_a_combo_box_shows_its_option_and_a_list_box_its_choice() -> None:
    combo_rect, list_rect = [60.0, 700.0, 300.0, 724.0], [60.0, 550.0, 300.0, 650.0]
    options = pikepdf.Array([pikepdf.Array(["hn", "Hà Nội"]), pikepdf.Array(["dn", "Đà Nẵng"])])
    combo = _widget("dn", combo_rect, FT=pikepdf.Name.Ch, Ff=1 << 17, Opt=options)
    listbox = _widget("dn", list_rect, FT=pikepdf.Name.Ch, Opt=options)
    page = _page(_pdf([combo, listbox]))
    gray = _crop(page, list_rect)
    highlighted = ((gray > 150) & (gray < 230)).any(axis=1)  # the chosen option's band
    assert highlighted.any()
    if tess.has_language("vie"):
        words = tess.image_to_words(_crop(page, combo_rect), lang="vie", psm=7, dpi=RENDER_DPI)
        assert " ".join(word.text for word in words) == "Đà Nẵng"


def test_background_and_border_of_mk_are_drawn() -> None:
    rect = [60.0, 700.0, 300.0, 724.0]
    mk = pikepdf.Dictionary(BG=pikepdf.Array([0.8]), BC=pikepdf.Array([0, 0, 1]))
    page = _page(_pdf([_widget(None, rect, MK=mk, BS=pikepdf.Dictionary(W=2))]))
    s = RENDER_DPI / 72.0
    x0, y0 = round(rect[0] * s), round((PAGE_H - rect[3]) * s)
    inside = page.image[y0 + 20, x0 + 40]
    edge = page.image[y0 + 2, x0 + 40]
    assert abs(int(inside[0]) - 204) < 3 and inside[0] == inside[1] == inside[2]  # grey 0.8
    assert edge[0] > 200 and edge[2] < 60  # blue (BGR)


def test_damaged_fields_do_not_stop_the_page() -> None:
    rect = [60.0, 700.0, 300.0, 724.0]
    no_rect = _widget("Vũ", rect)
    del no_rect["/Rect"]
    damaged = [
        no_rect,
        _widget("Hà", rect, DA=pikepdf.String("garbage Tf rg")),
        _widget(None, rect, V=42, Opt=pikepdf.Array([7]), FT=pikepdf.Name.Ch),
        _widget("Lê", rect, MK=pikepdf.Dictionary(BG=pikepdf.Array(["x"]), R=45)),
        _widget("Ngô", [300.0, 724.0, 60.0, 700.0], Ff=1 << 24, MaxLen=-3),
    ]
    page = _page(_pdf(damaged))
    assert page.image.shape[:2] == (
        round(PAGE_H * RENDER_DPI / 72),
        round(PAGE_W * RENDER_DPI / 72),
    )


def test_without_the_font_the_renderer_still_draws_every_field(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A machine without fonts-noto-core: no field is drawn here, the form keeps
    /NeedAppearances and pdfium draws them (in its own font) rather than showing none."""
    value, rect = VALUES[1]
    data = _pdf([_widget(value, rect)])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        monkeypatch.setattr(
            "ocr_service.form_appearance.FIELD_FONTS",
            {style: Path("/nonexistent/font.ttf") for style in FIELD_FONTS},
        )
        assert with_field_appearances(pdf) is None
        assert bool(pdf.Root.AcroForm.NeedAppearances)
    assert (_crop(_page(data), rect) < 128).sum() > 200  # the value is on the page


def test_a_field_left_undrawn_keeps_need_appearances() -> None:
    """One field drawn here, one whose look could not be built: the form still asks the
    renderer to draw, so the undrawn one is not left blank."""
    (good, good_rect), (_, rect) = VALUES[0], VALUES[1]
    bad = _widget("Hà", rect)
    del bad["/Rect"]  # no rectangle: no look can be built for it here
    with pikepdf.open(io.BytesIO(_pdf([_widget(good, good_rect), bad]))) as pdf:
        out = with_field_appearances(pdf)
        assert out is not None
        with pikepdf.open(io.BytesIO(out)) as drawn:
            assert bool(drawn.Root.AcroForm.NeedAppearances)
    with pikepdf.open(io.BytesIO(_pdf([_widget(good, good_rect)]))) as pdf:
        out = with_field_appearances(pdf)
        assert out is not None
        with pikepdf.open(io.BytesIO(out)) as drawn:
            assert not bool(drawn.Root.AcroForm.NeedAppearances)


# --- check boxes and radio buttons -----------------------------------------------------------

BOX = [100.0, 700.0, 116.0, 716.0]


def _button(state: str, rect: list[float] = BOX, **keys: Any) -> pikepdf.Dictionary:
    """A check box in ``state`` (/AS and /V), with no appearance of its own."""
    name = pikepdf.Name(f"/{state}")
    widget = _widget(None, rect, FT=pikepdf.Name.Btn, V=name, AS=name)
    widget.DA = pikepdf.String("/ZaDb 0 Tf 0 g")
    widget.T = pikepdf.String(f"box{int(rect[0])}")
    for key, item in keys.items():
        widget[f"/{key}"] = item
    return widget


def _off_look_only(pdf: pikepdf.Pdf) -> None:
    """Give every button a look for /Off alone, as a form whose reader drew only the empty
    box: its ticked state has none."""
    for annot in pdf.pages[0].obj.Annots:
        if annot.get("/FT") == "/Btn":
            empty = pikepdf.Stream(
                pdf, b"", Subtype=pikepdf.Name.Form, BBox=pikepdf.Array([0, 0, 16, 16])
            )
            annot.AP = pikepdf.Dictionary(N=pikepdf.Dictionary(Off=empty))


def _with_off_looks(data: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _off_look_only(pdf)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def test_a_ticked_box_without_its_look_shows_ticked_beside_drawn_fields() -> None:
    """On main the text field's look was drawn here and /NeedAppearances cleared, so pdfium no
    longer built the missing ticked look: the box showed empty."""
    value, rect = VALUES[1]  # a text field below the boxes
    data = _with_off_looks(_pdf([_widget(value, rect), _button("Yes"), _button("Off", OFF_BOX)]))
    page = _page(data)
    assert (_crop(page, BOX) < 128).sum() > 60  # the check mark
    assert (_crop(page, OFF_BOX) < 128).sum() == 0  # the unticked one stays empty
    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = with_field_appearances(pdf)
    assert out is not None
    with pikepdf.open(io.BytesIO(out)) as drawn:
        ticked = drawn.pages[0].obj.Annots[1]
        assert set(ticked.AP.N.keys()) == {"/Yes", "/Off"} and ticked.AS == "/Yes"
        assert not bool(drawn.Root.AcroForm.NeedAppearances)


OFF_BOX = [140.0, 700.0, 156.0, 716.0]


@pytest.mark.parametrize(
    ("caption", "radio"), [("4", False), ("8", False), ("l", True), ("n", False), ("u", True)]
)
def test_a_buttons_mark_is_drawn_as_mk_ca_names_it(caption: str, radio: bool) -> None:
    """The ticked look: the /MK /CA mark (a check, a cross, a dot, a square, a diamond)
    centred in the box, dark where the mark's shape is and clear at the box's corners."""
    keys: dict[str, Any] = {"MK": pikepdf.Dictionary(CA=pikepdf.String(caption))}
    if radio:
        keys["Ff"] = 1 << 15
    data = _with_off_looks(_pdf([_widget("Hà", VALUES[1][1]), _button("Yes", **keys)]))
    gray = _crop(_page(data), BOX)
    ink = gray < 128
    assert ink.sum() > 60
    rows, cols = np.nonzero(ink)
    centre = (gray.shape[0] - 1) / 2
    assert abs(rows.mean() - centre) < 5 and abs(cols.mean() - centre) < 5
    corner = max(2, gray.shape[0] // 8)
    assert not ink[:corner, :corner].any() and not ink[-corner:, -corner:].any()
    if caption == "8":  # a cross: ink on both diagonals
        n = gray.shape[0]
        assert ink[n // 4, n // 4] or ink[n // 4 + 1, n // 4 + 1]
        assert ink[n // 4, n - 1 - n // 4] or ink[n // 4 + 1, n - 2 - n // 4]


def test_a_buttons_background_and_border_come_from_mk() -> None:
    mk = pikepdf.Dictionary(BG=pikepdf.Array([1, 1, 0.6]), BC=pikepdf.Array([0, 0, 1]))
    big = [100.0, 680.0, 140.0, 720.0]
    data = _with_off_looks(_pdf([_widget("Hà", VALUES[1][1]), _button("Yes", big, MK=mk)]))
    page = _page(data)
    x0, y0, x1, y1 = pdf_rect_pixels(big, PAGE_H)
    edge, inside = page.image[y0 + 2, (x0 + x1) // 2], page.image[y0 + 12, x0 + 12]
    assert edge[0] > 200 and edge[2] < 60  # blue border (BGR)
    assert inside[2] > 240 and inside[1] > 240 and 130 < inside[0] < 170  # pale yellow ground


def test_a_radio_groups_chosen_button_is_the_one_drawn_ticked() -> None:
    """A radio group ("Nam", "Nữ") whose kids have looks for /Off only and no /AS: the kid
    whose on state is the group's value shows the dot, the other none."""
    with pikepdf.new() as doc:
        doc.add_blank_page(page_size=(PAGE_W, PAGE_H))
        group = doc.make_indirect(
            pikepdf.Dictionary(
                FT=pikepdf.Name.Btn,
                T=pikepdf.String("gioitinh"),
                Ff=1 << 15,
                V=pikepdf.Name("/Nu"),
                DA=pikepdf.String("/ZaDb 0 Tf 0 g"),
            )
        )
        kids = []
        for state, rect in (("/Nam", BOX), ("/Nu", OFF_BOX)):
            empty = pikepdf.Stream(doc, b"", BBox=pikepdf.Array([0, 0, 16, 16]))
            empty.Subtype = pikepdf.Name.Form
            # the on state is named by a /D (pressed) look only: /N has /Off alone
            kid = pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Widget,
                Rect=pikepdf.Array(rect),
                F=4,
                Parent=group,
                AP=pikepdf.Dictionary(N=pikepdf.Dictionary(Off=empty)),
            )
            kid.AP.N[state] = pikepdf.Dictionary()  # damaged: not a stream
            kids.append(doc.make_indirect(kid))
        group.Kids = pikepdf.Array(kids)
        doc.pages[0].obj.Annots = pikepdf.Array(kids)
        doc.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([group]), NeedAppearances=True)
        out = io.BytesIO()
        doc.save(out)
    page = _page(out.getvalue())
    assert (_crop(page, BOX) < 128).sum() == 0
    assert (_crop(page, OFF_BOX) < 128).sum() > 40


# --- bold and italic fields --------------------------------------------------------------------


def _drawn_font(data: bytes) -> str:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = with_field_appearances(pdf)
    assert out is not None
    with pikepdf.open(io.BytesIO(out)) as drawn:
        return str(drawn.pages[0].obj.Annots[0].AP.N.Resources.Font.SohoaF.BaseFont)


def _styled(name: str, base: str) -> bytes:
    """A field set in the /DR font ``name`` (/BaseFont ``base``)."""
    value, rect = VALUES[0]
    data = _pdf([_widget(value, rect, DA=pikepdf.String(f"/{name} 12 Tf 0 g"))])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.Root.AcroForm.DR.Font[f"/{name}"] = pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name(f"/{base}")
        )
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


CUTS = [
    ("Helv", "Helvetica", "NotoSans-Regular"),
    ("HeBo", "Helvetica-Bold", "NotoSans-Bold"),
    ("Helv-Bold", "Helvetica-Bold", "NotoSans-Bold"),
    ("HeOb", "Helvetica-Oblique", "NotoSans-Italic"),
    ("TiBo", "Times-Bold", "NotoSerif-Bold"),
    ("TiIt", "Times-Italic", "NotoSerif-Italic"),
    ("F3", "Arial-BoldItalicMT", "NotoSans-BoldItalic"),
]


@pytest.mark.parametrize(("name", "base", "drawn"), CUTS)
def test_a_bold_or_italic_field_is_drawn_in_that_cut(name: str, base: str, drawn: str) -> None:
    font = Path(str(FIELD_FONTS["sans"]).replace("Sans-Regular", drawn.removeprefix("Noto")))
    if not font.exists():
        pytest.skip(f"{font.name} not installed")
    assert _drawn_font(_styled(name, base)).endswith(drawn)


def test_a_bold_field_shows_bolder_than_a_regular_one() -> None:
    bold = FIELD_FONTS["sans"].with_name("NotoSans-Bold.ttf")
    if not bold.exists():
        pytest.skip("NotoSans-Bold.ttf not installed")
    rect = VALUES[0][1]
    regular_ink = (_crop(_page(_styled("Helv", "Helvetica")), rect) < 128).sum()
    bold_ink = (_crop(_page(_styled("HeBo", "Helvetica-Bold")), rect) < 128).sum()
    assert bold_ink > 1.3 * regular_ink


def test_without_a_bold_cut_the_regular_one_draws_the_field(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A machine with Noto Sans Regular but not its bold: the field is drawn, in regular."""
    (tmp_path / "NotoSans-Regular.ttf").symlink_to(FIELD_FONTS["sans"])
    monkeypatch.setitem(FIELD_FONTS, "sans", tmp_path / "NotoSans-Regular.ttf")
    assert _drawn_font(_styled("HeBo", "Helvetica-Bold")).endswith("NotoSans-Regular")


def test_a_damaged_button_does_not_stop_the_text_fields_being_drawn() -> None:
    value, rect = VALUES[1]
    damaged = _button("Yes", Parent=pikepdf.Array([1]), Ff=pikepdf.String("x"))
    with pikepdf.open(io.BytesIO(_pdf([_widget(value, rect), damaged]))) as pdf:
        out = with_field_appearances(pdf)
    assert out is not None
    with pikepdf.open(io.BytesIO(out)) as drawn:
        assert isinstance(drawn.pages[0].obj.Annots[0].AP.N, pikepdf.Stream)
