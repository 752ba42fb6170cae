"""A card back's MRZ read again from its own crop when the page's reading fails its check
digits (ocr_service.engine.mrz_text.reread_zone), on the committed generated card back."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import pytest

from core.mrz import td1_checks_passed
from core.records import OcrLine
from ocr_service.engine import _exec_tesseract as tess
from ocr_service.engine.mrz_text import reread_zone

DATA = Path(__file__).resolve().parents[3] / "samples" / "data"

pytestmark = pytest.mark.skipif(not tess.has_language("eng"), reason="tesseract eng missing")


def _card_back() -> tuple[object, list[tuple[str, tuple[tuple[float, float], ...]]]]:
    image = cv2.imread(str(DATA / "citizen_id_back_001.jpg"))
    gt = json.loads((DATA / "citizen_id_back_001.gt.json").read_text())
    rows = [
        (ln["text"], tuple((float(x), float(y)) for x, y in ln["box"]))
        for ln in gt["pages"][0]["lines"]
    ]
    return image, rows


def _misread(text: str) -> str:
    """How the page's Vietnamese recognizer reads a zone line: "K" for the filler, "NNM"
    for "VNM", the letter O for the digit 0."""
    return text.replace("<", "K").replace("VNM", "NNM").replace("0", "O")


def test_a_misread_zone_is_read_again_until_its_check_digits_pass() -> None:
    image, rows = _card_back()
    zone = rows[-3:]
    lines = [OcrLine(t, b, 0.9) for t, b in rows[:-3]]
    lines += [OcrLine(_misread(t), b, 0.6) for t, b in zone]
    assert td1_checks_passed(lines[-3].text, lines[-2].text) < 4
    out = reread_zone(image, lines)
    assert [ln.text for ln in out[:-3]] == [ln.text for ln in lines[:-3]]  # the rest untouched
    assert td1_checks_passed(out[-3].text, out[-2].text) == 4
    assert [ln.text for ln in out[-3:-1]] == [t for t, _ in zone[:2]]
    assert [ln.box for ln in out[-3:]] == [b for _, b in zone]


def test_a_zone_read_right_and_a_page_without_one_are_left_alone() -> None:
    image, rows = _card_back()
    lines = [OcrLine(t, b, 0.9) for t, b in rows]
    assert reread_zone(image, lines) == lines
    no_zone = [OcrLine(t, b, 0.9) for t, b in rows[:-3]]
    assert reread_zone(image, no_zone) == no_zone
