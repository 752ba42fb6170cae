"""Lines on a card's tinted background: contrast per line and coloured ink told from tint
(ocr_service.engine.crops.line_contrast, ocr_service.engine.colour.is_colour_line)."""

from __future__ import annotations

import cv2
import numpy as np

from ocr_service.engine.colour import is_colour_line, line_ink_share
from ocr_service.engine.crops import line_contrast

TINT = (215, 225, 150)  # BGR: the pale cyan-green guilloche of a chip card
RED = (40, 50, 200)
NAVY = (90, 40, 20)


def _line(ink: tuple[int, int, int], text: str = "Ho va ten / Full name") -> np.ndarray:
    crop = np.full((60, 640, 3), TINT, np.uint8)
    cv2.putText(crop, text, (10, 45), cv2.FONT_HERSHEY_SIMPLEX, 1.3, ink, 3)
    return crop


def test_a_tinted_line_is_stretched_to_white_paper_and_black_ink() -> None:
    gray = line_contrast(_line((20, 20, 20)))
    assert np.percentile(gray, 90) == 255  # the tint is paper
    assert gray.min() == 0
    blank = np.full((40, 200, 3), TINT, np.uint8)
    assert np.array_equal(line_contrast(blank), cv2.cvtColor(blank, cv2.COLOR_BGR2GRAY))


def test_the_tint_is_paper_not_coloured_ink() -> None:
    black = _line((20, 20, 20))
    assert line_ink_share(black) < 0.2
    assert not is_colour_line(black)


def test_print_in_colour_is_still_a_colour_line() -> None:
    assert is_colour_line(_line(RED, "CAN CUOC CONG DAN"))


def test_dark_navy_labels_beside_black_values_are_not_a_colour_line() -> None:
    crop = _line((20, 20, 20), "                     Nam")
    cv2.putText(crop, "Gioi tinh / Sex:", (10, 45), cv2.FONT_HERSHEY_SIMPLEX, 1.3, NAVY, 3)
    assert not is_colour_line(crop)
