"""Stage 2 on made-up pages: what a small noisy card crop keeps of its fine marks."""

from __future__ import annotations

import numpy as np

from core.records import PageImage
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
