"""Finding a page in a phone photo: light desks, shadows, pages running out of the frame,
and the boxes and borders on scans that are not page edges."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ocr_service import preprocess as pp
from tests.ocr_service.ocr_testkit import render_page

_CORNERS = np.array([[330, 140], [1230, 190], [1290, 1480], [250, 1440]], np.float32)


def _photo(
    page: np.ndarray,
    corners: np.ndarray = _CORNERS,
    *,
    desk: tuple[int, int, int] = (40, 70, 110),
    size: tuple[int, int] = (1600, 1500),
    seed: int = 1,
) -> np.ndarray:
    """``page`` photographed onto ``corners`` of a textured desk of colour ``desk``, with
    the softness of a phone camera."""
    rng = np.random.default_rng(seed)
    h, w = size
    table = np.zeros((h, w, 3), np.uint8)
    table[:] = desk
    table = cv2.add(table, rng.integers(0, 30, (h, w, 3), dtype=np.uint8))
    ph, pw = page.shape[:2]
    src = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], np.float32)
    m = cv2.getPerspectiveTransform(src, corners)
    warped = cv2.warpPerspective(page, m, (w, h))
    mask = cv2.warpPerspective(np.full((ph, pw), 255, np.uint8), m, (w, h))
    photo = np.where(mask[:, :, None] > 0, warped, table)
    return cv2.GaussianBlur(photo, (0, 0), 1.0)


def _shadow(photo: np.ndarray, x: float, softness: float, depth: float) -> np.ndarray:
    """A hand's or phone's shadow over everything right of column ``x``."""
    w = photo.shape[1]
    ramp = 1 / (1 + np.exp(-(np.arange(w, dtype=np.float32) - x) / softness))
    light = 1 - depth * ramp
    return np.clip(photo * light[None, :, None], 0, 255).astype(np.uint8)


def test_page_corners_land_on_the_paper_edge() -> None:
    """The blob a mask finds swells where desk texture touches the page and is drawn on an
    800-px grid; the corners are put back on the edge itself."""
    page, _ = render_page(0.8)
    photo = _photo(page)
    # dark marks on the desk touching the page's left and bottom edges
    cv2.circle(photo, (265, 800), 30, (20, 30, 40), -1)
    cv2.circle(photo, (800, 1475), 30, (20, 30, 40), -1)
    quad = pp.find_document(photo)
    assert quad is not None
    assert np.abs(quad - _CORNERS).max() < 3


def test_page_running_out_of_the_frame_keeps_its_shape() -> None:
    """A corner just outside the photo: the sides are extended to meet there, so the page
    is not squeezed into the frame."""
    page, _ = render_page(0.8)
    corners = np.array([[-25, 140], [1100, 190], [1160, 1480], [30, 1440]], np.float32)
    photo = _photo(page, corners)
    quad = pp.find_document(photo)
    assert quad is not None
    assert np.abs(quad - corners).max() < 8
    assert quad[0, 0] < 0


@pytest.mark.parametrize(
    ("desk", "x", "softness", "depth"),
    [
        pytest.param(
            (150, 150, 150), 800, 25, 0.45, id="grey desk: the lit part ends at the shadow"
        ),
        pytest.param(
            (190, 195, 200), 700, 40, 0.6, id="light desk: little contrast, then a shadow"
        ),
    ],
)
def test_a_shadow_edge_across_the_page_is_not_taken_for_the_page_edge(
    desk: tuple[int, int, int], x: float, softness: float, depth: float
) -> None:
    page, _ = render_page(0.8)
    photo = _shadow(_photo(page, desk=desk), x=x, softness=softness, depth=depth)
    quad = pp.find_document(photo)
    assert quad is not None
    assert np.abs(quad - _CORNERS).max() < 5


def test_a_table_on_a_scan_is_not_a_page_edge() -> None:
    """A table on a flatbed scan has paper on both sides of its lines."""
    page, _ = render_page()
    w = page.shape[1]
    cv2.rectangle(page, (60, 700), (w - 60, 1300), (0, 0, 0), 3)
    cv2.line(page, (60, 1000), (w - 60, 1000), (0, 0, 0), 2)
    assert pp.find_document(page) is None


def test_sharpen_restores_stroke_contrast_and_warp_applies_it() -> None:
    page, _ = render_page(0.5)
    soft = cv2.GaussianBlur(page, (0, 0), 1.2)
    crisp = pp.sharpen(soft)

    def contrast(img: np.ndarray) -> float:
        return float(cv2.Laplacian(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), cv2.CV_64F).var())

    assert contrast(crisp) > 1.5 * contrast(soft)
    # white paper stays white: no halo lifts or darkens the background
    assert abs(float(np.median(crisp)) - float(np.median(soft))) < 2
    h, w = page.shape[:2]
    quad = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    plain = pp.warp_quad(soft, quad, sharpen_text=False)
    assert contrast(pp.warp_quad(soft, quad)) > 1.5 * contrast(plain)
