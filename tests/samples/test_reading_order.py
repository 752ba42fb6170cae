"""Ground-truth lines come in the order a person reads the document, not the drawing order."""

from __future__ import annotations

import random

import pytest

from samples.cards import make_card_data, render_card_back, render_card_front
from samples.documents import marriage_certificate
from samples.people import make_person
from samples.render import GtLine

CAPTIONS = ["Ngón trỏ trái", "Left index finger", "Ngón trỏ phải", "Right index finger"]


def _x_span(ln: GtLine) -> tuple[float, float]:
    xs = [x for x, _ in ln.box]
    return min(xs), max(xs)


def _y_span(ln: GtLine) -> tuple[float, float]:
    ys = [y for _, y in ln.box]
    return min(ys), max(ys)


def _same_column(a: GtLine, b: GtLine) -> bool:
    """Each line's middle lies within the other's horizontal span."""
    (a0, a1), (b0, b1) = _x_span(a), _x_span(b)
    return a0 <= (b0 + b1) / 2 <= a1 and b0 <= (a0 + a1) / 2 <= b1


def _upward_steps(lines: list[GtLine]) -> list[tuple[str, str]]:
    """Pairs (earlier, later) of one column where the later line lies wholly above the earlier."""
    return [
        (a.text, b.text)
        for i, a in enumerate(lines)
        for b in lines[i + 1 :]
        if _same_column(a, b) and _y_span(b)[1] < _y_span(a)[0]
    ]


@pytest.mark.parametrize("version", ["2021", "2024"])
@pytest.mark.parametrize("render", [render_card_front, render_card_back])
@pytest.mark.parametrize("seed", range(3))
def test_card_lines_run_top_to_bottom_within_a_column(version: str, render, seed: int) -> None:
    rng = random.Random(seed)
    doc = render(rng, make_card_data(rng, version), dpi=300)
    assert _upward_steps(doc.pages[0].lines) == []


@pytest.mark.parametrize("seed", range(6))
def test_card_back_2021_left_column_then_captions_then_mrz(seed: int) -> None:
    rng = random.Random(seed)
    card = make_card_data(rng, "2021")
    lines = render_card_back(rng, card, dpi=300).pages[0].lines
    texts = [ln.text for ln in lines]
    assert texts[-3:] == card.mrz
    # the fingerprint captions, one finger at a time, after the whole left column
    assert texts[-7:-3] == CAPTIONS
    left = lines[:-7]
    assert left[0].text.startswith("Đặc điểm nhân dạng")
    assert any(t.startswith("CỤC TRƯỞNG") for t in texts[:-7])
    tops = [_y_span(ln)[0] for ln in left]
    assert tops == sorted(tops)
    # the captions' first line is lower on the card than the left column's first line
    assert _y_span(lines[-7])[0] > _y_span(left[0])[1]
    assert max(_x_span(ln)[0] for ln in left) < min(_x_span(ln)[0] for ln in lines[-7:-3])


@pytest.mark.parametrize("seed", range(3))
def test_marriage_certificate_signers_read_block_by_block(seed: int) -> None:
    doc = marriage_certificate(random.Random(seed), make_person)
    lines = doc.pages[0].lines
    texts = [ln.text for ln in lines]
    i = texts.index("Chồng")
    husband, wife = doc.fields["husband_name"], doc.fields["wife_name"]
    # husband's block (role, name), wife's block, then the official's block on the right
    assert texts[i : i + 4] == ["Chồng", husband, "Vợ", wife]
    assert texts[i + 4].startswith("TM. ")
    assert _upward_steps(lines) == []
