"""Preprocessing functions: page finding, orientation, skew, scale, noise."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ocr_service import preprocess as pp
from tests.ocr_service.ocr_testkit import render_page


def _desk_photo(page: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The page photographed at an angle on a dark wooden desk; returns (photo, corners)."""
    rng = np.random.default_rng(1)
    h, w = 1600, 1500
    desk = np.zeros((h, w, 3), np.uint8)
    desk[:] = (40, 70, 110)
    desk = cv2.add(desk, rng.integers(0, 30, (h, w, 3), dtype=np.uint8))
    ph, pw = page.shape[:2]
    src = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], np.float32)
    dst = np.array([[330, 140], [1230, 190], [1290, 1480], [250, 1440]], np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(page, m, (w, h))
    mask = cv2.warpPerspective(np.full((ph, pw), 255, np.uint8), m, (w, h))
    photo = np.where(mask[:, :, None] > 0, warped, desk)
    return photo, dst


def test_page_on_a_desk_is_found_and_flattened() -> None:
    page, _ = render_page(0.8)
    photo, corners = _desk_photo(page)
    quad = pp.find_document(photo)
    assert quad is not None
    assert np.abs(quad - corners).max() < 15
    flat = pp.warp_quad(photo, quad)
    ratio = flat.shape[0] / flat.shape[1]
    assert ratio == pytest.approx(page.shape[0] / page.shape[1], rel=0.12)


def test_flatbed_scan_is_left_alone() -> None:
    page, _ = render_page()
    assert pp.find_document(page) is None
    assert pp.denoise(page) is page
    assert pp.limit_size(page)[1] == 1.0


def _quads(angle_deg: float, n: int = 8) -> list[np.ndarray]:
    t = np.radians(angle_deg)
    d = np.array([np.cos(t), np.sin(t)])
    nrm = np.array([-np.sin(t), np.cos(t)])
    out = []
    for i in range(n):
        p0 = np.array([100.0, 100.0 + 60 * i])
        out.append(np.array([p0, p0 + 800 * d, p0 + 800 * d + 30 * nrm, p0 + 30 * nrm], np.float32))
    return out


def test_skew_angle_measured_and_undone() -> None:
    assert pp.skew_angle(_quads(2.0)) == pytest.approx(2.0, abs=0.05)
    assert pp.skew_angle(_quads(-3.5)) == pytest.approx(-3.5, abs=0.05)
    assert pp.skew_angle([]) == 0.0


def test_quarter_turn_detected_from_box_shapes() -> None:
    assert not pp.is_rotated_quarter(_quads(0))
    tall = [q[:, ::-1].copy() for q in _quads(0)]  # swap x/y: boxes become tall
    tall = [np.array([q[0], q[3], q[2], q[1]]) for q in tall]
    assert pp.is_rotated_quarter(tall)


def test_rotate_quarter_round_trip() -> None:
    page, _ = render_page(0.3)
    for deg in (90, 180, 270):
        back = pp.rotate_quarter(pp.rotate_quarter(page, deg), 360 - deg)
        assert np.array_equal(back, page)


def test_scale_for_text_brings_small_print_up_and_huge_print_down() -> None:
    assert pp.scale_for_text(10.0) > 2.0
    assert pp.scale_for_text(40.0) == 1.0
    assert pp.scale_for_text(300.0) < 0.5


def test_noise_estimate_and_denoise() -> None:
    page, _ = render_page(0.5)
    rng = np.random.default_rng(0)
    noisy = np.clip(page.astype(np.int16) + rng.normal(0, 40, page.shape), 0, 255).astype(np.uint8)
    assert pp.estimate_noise(page) < 3
    assert pp.estimate_noise(noisy) > pp.NOISE_SIGMA  # enough to trigger denoising
    cleaned = pp.denoise(noisy)
    assert pp.estimate_noise(cleaned) < pp.estimate_noise(noisy) / 2


def test_limit_size_downscales_huge_photos() -> None:
    big = np.zeros((6000, 8000, 3), np.uint8)
    small, s = pp.limit_size(big)
    assert max(small.shape[:2]) == pp.MAX_LONG_SIDE and s == pytest.approx(pp.MAX_LONG_SIDE / 8000)


def test_a_card_photographed_turned_30_degrees_is_levelled_a_stamp_is_not() -> None:
    # most of the text runs at 30°: the card lies turned, and is turned back
    assert pp.skew_angle(_quads(30.0)) == pytest.approx(30.0, abs=0.05)
    assert pp.skew_angle(_quads(-35.0)) == pytest.approx(-35.0, abs=0.05)
    # a few lines at 30° (a stamp, a watermark) on a level page are the page's own print
    mixed = _quads(1.0, n=8) + _quads(30.0, n=3)
    assert pp.skew_angle(mixed) == pytest.approx(1.0, abs=0.05)
