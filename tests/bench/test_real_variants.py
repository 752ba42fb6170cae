"""The robustness benchmark's variants and table, on a made-up picture (real pages stay out)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bench.real_variants import CANVAS, SMALL_LONG_SIDE, VARIANTS, make_variant, table


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    pixels = np.full((500, 800, 3), 240, np.uint8)
    pixels[:100, :200] = (200, 30, 30)  # a red top-left corner, to follow the turns
    path = tmp_path / "card.jpg"
    Image.fromarray(pixels).save(path, quality=95)
    return path


def _open(path: Path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def test_the_original_is_the_file_itself(photo: Path, tmp_path: Path) -> None:
    assert make_variant(photo, "original", tmp_path / "none") == photo


@pytest.mark.parametrize(("variant", "corner"), [("rot90", (0, -1)), ("rot180", (-1, -1))])
def test_turns_are_clockwise(photo: Path, tmp_path: Path, variant: str, corner: tuple) -> None:
    out = _open(make_variant(photo, variant, tmp_path))
    assert out.shape[:2] == ((800, 500) if variant == "rot90" else (500, 800))
    y, x = corner
    assert out[y, x, 0] > 150 > out[y, x, 1]  # the red corner went where the turn takes it
    assert out[out.shape[0] // 2, out.shape[1] // 2, 1] > 200


def test_small_has_the_long_side_of_a_low_resolution_crop(photo: Path, tmp_path: Path) -> None:
    assert max(_open(make_variant(photo, "small", tmp_path)).shape[:2]) == SMALL_LONG_SIDE


def test_encodings_are_what_they_say(photo: Path, tmp_path: Path) -> None:
    webp = make_variant(photo, "webp", tmp_path).read_bytes()
    assert webp[:4] == b"RIFF" and webp[8:12] == b"WEBP"
    assert make_variant(photo, "jpeg60", tmp_path).read_bytes()[:2] == b"\xff\xd8"


@pytest.mark.parametrize("variant", ["pasted", "pasted_noise"])
def test_pasted_card_fills_a_fifth_of_a_phone_photo(
    photo: Path, tmp_path: Path, variant: str
) -> None:
    out = _open(make_variant(photo, variant, tmp_path))
    assert out.shape[1::-1] == CANVAS
    card = (out.min(axis=2) > 225).mean()  # the light card, not the grey-brown desk
    assert 0.15 < card < 0.22


def test_every_variant_has_a_maker() -> None:
    assert {"original", "rot90", "rot180", "rot270", "small", "webp", "pasted"} <= set(VARIANTS)


def test_table_counts_against_the_original() -> None:
    def report(right: int) -> dict[str, object]:
        fields = {"fields": 10, "right": right, "wrong": 1, "missing": 9 - right, "invented": 0}
        flagged = {"right": 1, "wrong": 1, "missing": 0}  # sent to review
        return {
            "doc_type": {"pages": 2, "right": 2},
            "fields": fields,
            "flagged": flagged,
            "cpu_s_per_page_median": 1,
        }

    text = table({"original": report(8), "rot90": report(5)})
    assert "| rot90 | 2/2 | 5/10 | 1 | 4 | 0 | -3 | 1 / 1 / 0 | 1.00 |" in text
    assert "| original | 2/2 | 8/10 | 1 | 1 | 0 | – | 1 / 1 / 0 | 1.00 |" in text


def test_transparency_is_shown_on_white_as_sohoa_reads_it(tmp_path: Path) -> None:
    pixels = np.zeros((300, 480, 4), np.uint8)  # transparent black...
    pixels[100:200, 100:380] = (20, 20, 20, 255)  # ...around an opaque dark bar
    path = tmp_path / "form.png"
    Image.fromarray(pixels, "RGBA").save(path)
    out = _open(make_variant(path, "webp", tmp_path))
    assert out[10, 10].min() > 240 and out[150, 240].max() < 60
