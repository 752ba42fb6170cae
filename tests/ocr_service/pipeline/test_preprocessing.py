"""Stage 2 on made-up pages: what a small noisy card crop keeps of its fine marks, and a page
turned any way read as upright."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from core.records import PageImage
from ocr_service import preprocess as pp
from ocr_service.pipeline.preprocessing import preprocess_page
from tests.ocr_service.ocr_testkit import FakeEngine


class _SmallPrintEngine(FakeEngine):
    """Lines 10 px high, as on a 600-px card: the page is enlarged for its print."""

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        h = 10.0 * image.shape[1] / 600
        return [
            np.array([[20, 50], [20 + 30 * h, 50], [20 + 30 * h, 50 + h], [20, 50 + h]], np.float32)
        ]


def _noisy_card(width: int) -> tuple[np.ndarray, tuple[int, int]]:
    rng = np.random.default_rng(4)
    h = round(width * 0.63)
    card = np.clip(rng.normal(200, 22, (h, width, 3)), 0, 255).astype(np.uint8)
    y, x = h // 2, width // 2
    card[y : y + 2, x : x + 2] = 0  # a tone mark's dot, two pixels wide
    return card, (y, x)


def test_a_small_noisy_crop_is_filtered_after_it_is_enlarged() -> None:
    card, (y, x) = _noisy_card(600)
    page = PageImage(page=1, image=card, dpi=None)
    prepared = preprocess_page(page, "card.jpg", engine=_SmallPrintEngine())
    assert any(s.startswith("rescaled") for s in prepared.steps)
    assert any(s.startswith("denoised") for s in prepared.steps)
    f = prepared.image.shape[1] / 600
    dot = prepared.image[
        round((y + 1) * f) - 1 : round((y + 1) * f) + 1,
        round((x + 1) * f) - 1 : round((x + 1) * f) + 1,
    ]
    assert dot.mean() < 100  # filtered before enlarging, the 3-px median erased the dot


class _InkEngine(FakeEngine):
    """Finds one line, the box of the page's ink, and calls a line upside down when its
    right half is darker than its left (the line below is dark, then grey, when upright).
    Remembers the images it detected on."""

    def __init__(self) -> None:
        super().__init__()
        self.detected_on: list[np.ndarray] = []

        class _Orientation:
            def upside_down_probability(self, crops: list[np.ndarray]) -> list[float]:
                out = []
                for c in crops:
                    half = c.shape[1] // 2
                    out.append(float(c[:, half:].mean() < c[:, :half].mean()))
                return out

        self.orientation = _Orientation()  # type: ignore[assignment]

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        self.detected_on.append(image.copy())
        ys, xs = np.nonzero(image.min(axis=2) < 200)
        x0, x1, y0, y1 = float(xs.min()), float(xs.max()), float(ys.min()), float(ys.max())
        return [np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)]


def _upright_line_page() -> np.ndarray:
    page = np.full((400, 640, 3), 255, np.uint8)
    page[100:130, 60:320] = 0  # the line's start, dark
    page[100:130, 320:580] = 120  # its end, grey
    return page


@pytest.mark.parametrize("turned", [90, 270])
def test_a_page_on_its_side_is_read_upright_and_its_lines_found_upright(turned: int) -> None:
    upright = _upright_line_page()
    engine = _InkEngine()
    page = PageImage(page=1, image=pp.rotate_quarter(upright, turned), dpi=None)
    prepared = preprocess_page(page, "page.png", engine=engine)
    assert np.array_equal(prepared.image, upright)
    assert prepared.rotation == (360 - turned) % 360
    # the boxes handed on were found on the upright page, not turned from upside-down print
    assert np.array_equal(engine.detected_on[-1], upright)


class _FewSureLinesEngine(_InkEngine):
    """Eight lines: the two longest the classifier reads surely (0.02 off), the six others
    it barely makes out, and wrongly (0.7 the wrong way)."""

    def __init__(self) -> None:
        super().__init__()
        ink = self.orientation

        class _Orientation:
            def upside_down_probability(self, crops: list[np.ndarray]) -> list[float]:
                truth = ink.upside_down_probability(crops)
                return [abs(t - (0.02 if i < 2 else 0.7)) for i, t in enumerate(truth)]

        self.orientation = _Orientation()  # type: ignore[assignment]

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        line = super().detect(image)[0]
        return [line.copy() for _ in range(8)]


@pytest.mark.parametrize("turned", [0, 180])
def test_two_surely_read_lines_outweigh_six_barely_read_ones(turned: int) -> None:
    """The mean probability of the eight lines (0.53 the wrong way) turns the page wrongly;
    their summed log-odds do not."""
    upright = _upright_line_page()
    page = PageImage(page=1, image=pp.rotate_quarter(upright, turned), dpi=None)
    prepared = preprocess_page(page, "card.png", engine=_FewSureLinesEngine())
    assert np.array_equal(prepared.image, upright)
    assert prepared.rotation == (360 - turned) % 360


class _LinesEngine(FakeEngine):
    """Finds each dark horizontal band of the page as a line; counts its detections."""

    def __init__(self) -> None:
        super().__init__()
        self.detections = 0
        self.shapes: list[tuple[int, ...]] = []

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        self.detections += 1
        self.shapes.append(image.shape)
        dark = image.min(axis=2) < 100
        rows = np.nonzero(dark.any(axis=1))[0]
        quads = []
        for band in np.split(rows, np.nonzero(np.diff(rows) > 1)[0] + 1):
            if band.size == 0:
                continue
            xs = np.nonzero(dark[band[0]])[0]
            x0, x1, y0, y1 = float(xs.min()), float(xs.max()), float(band[0]), float(band[-1])
            quads.append(np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32))
        return quads


def _photo_with_lines(width: int, height: int, box: tuple[int, int, int, int]) -> np.ndarray:
    """A grey photo with six text lines spread over ``box`` (x0, y0, x1, y1)."""
    photo = np.full((height, width, 3), 150, np.uint8)
    x0, y0, x1, y1 = box
    for k in range(6):
        y = y0 + k * (y1 - y0) // 6
        photo[y : y + 24, x0:x1] = 20
    return photo


def test_a_card_small_in_a_big_photo_is_cropped_to_its_lines_and_found_again() -> None:
    photo = _photo_with_lines(4032, 3024, (1300, 1700, 2400, 2400))
    engine = _LinesEngine()
    prepared = preprocess_page(PageImage(page=1, image=photo, dpi=None), "p.jpg", engine=engine)
    assert "text region cropped" in prepared.steps
    # the lines were found again on the crop, at a scale the detector reads well
    assert max(engine.shapes[-1][:2]) < 0.6 * 4032
    assert len(prepared.quads) == 6


def test_lines_spread_over_a_big_page_cost_no_second_detection() -> None:
    page = _photo_with_lines(2480, 3508, (200, 300, 2300, 3200))
    engine = _LinesEngine()
    prepared = preprocess_page(PageImage(page=1, image=page, dpi=None), "p.png", engine=engine)
    assert "text region cropped" not in prepared.steps
    assert engine.detections == 1


def test_an_orientation_voter_is_cropped_to_its_middle_six_line_heights() -> None:
    """The line classifier looks at the middle four heights of a long line: only the
    middle six are warped out of the page, centred on the line and along its slope."""
    from ocr_service.pipeline.preprocessing import _middle

    slope = np.array([1.0, 0.05], np.float32)
    top_left = np.array([100.0, 200.0], np.float32)
    down = np.array([-0.05, 1.0], np.float32) * 40
    quad = np.array(
        [top_left, top_left + 2000 * slope, top_left + 2000 * slope + down, top_left + down],
        np.float32,
    )
    mid = _middle(quad)
    height = float(np.linalg.norm(quad[3] - quad[0]))
    assert np.isclose(np.linalg.norm(mid[1] - mid[0]), 6 * height, rtol=1e-3)
    assert np.allclose(mid.mean(axis=0), quad.mean(axis=0), atol=1e-2)
    assert np.allclose(
        mid[1] - mid[0], (quad[1] - quad[0]) * 6 * height / 2000 / np.linalg.norm(slope), atol=1e-2
    )
    short = quad.copy()
    short[1:3, 0] = [300.0, 298.0]  # 200 px long: 5 heights, kept whole
    assert np.array_equal(_middle(short), short)


_TILT = 3.0  # degrees
_STROKE_ROWS = (100, 180, 260)


def _tilted_fine_print() -> tuple[np.ndarray, np.ndarray]:
    """A 600-px page of three lines of 1-px strokes 3 px apart, 10 px high (a small card's
    print), turned by ``_TILT``; and the turn."""
    page = np.full((378, 600, 3), 255, np.uint8)
    for y in _STROKE_ROWS:
        for x in range(100, 500, 3):
            page[y : y + 10, x : x + 1] = 0
    m = cv2.getRotationMatrix2D((300, 189), -_TILT, 1.0)
    tilted = cv2.warpAffine(
        page, m, (600, 378), flags=cv2.INTER_NEAREST, borderValue=(255, 255, 255)
    )
    return tilted, m


class _TiltedLinesEngine(FakeEngine):
    """Finds the three lines of ``_tilted_fine_print``: tilted on the page as made, level
    (and scaled) on the page preprocessing made of it."""

    def __init__(self, made: np.ndarray, turn: np.ndarray) -> None:
        super().__init__()
        self.made_shape = made.shape[:2]
        self.turn = turn

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        f = image.shape[1] / 600
        quads = []
        for y in _STROKE_ROWS:
            q = np.array([[96, y - 2], [504, y - 2], [504, y + 12], [96, y + 12]], np.float32)
            if image.shape[:2] == self.made_shape:
                q = (np.c_[q, np.ones(4)] @ self.turn.T).astype(np.float32)
            quads.append(q * f)
        return quads


def test_small_print_is_enlarged_before_it_is_levelled() -> None:
    # Levelled at its own size, a stroke one pixel wide is resampled into grey and its gaps
    # with it (most of the strokes' pixels mid-grey, 0.84); enlarged first, it keeps them.
    made, turn = _tilted_fine_print()
    page = PageImage(page=1, image=made, dpi=None)
    prepared = preprocess_page(page, "card.png", engine=_TiltedLinesEngine(made, turn))
    assert any(s.startswith("deskewed") for s in prepared.steps)
    assert any(s.startswith("rescaled") for s in prepared.steps)
    g = prepared.image.min(axis=2)
    mid_grey = ((g > 64) & (g < 192)).sum() / max(int((g < 192).sum()), 1)
    assert mid_grey < 0.7
