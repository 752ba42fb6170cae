"""Every identity-card version in circulation, front and back, selectable by name."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from samples.card_versions import CARD_VERSIONS, VERSION_NAMES, render_back, render_front
from samples.cards import card_box, make_card_data
from samples.generate import GenerateOptions, generate
from tests.samples._digest import digest


def _inside(box: list[list[float]], edges: tuple[float, float, float, float]) -> bool:
    x0, y0, x1, y1 = edges
    return all(x0 <= x <= x1 and y0 <= y <= y1 for x, y in box)


@pytest.mark.parametrize("name", list(CARD_VERSIONS))
@pytest.mark.parametrize("seed", range(4))
def test_every_version_prints_its_lines_on_the_card(name: str, seed: int) -> None:
    card = make_card_data(random.Random(seed), CARD_VERSIONS[name], look="real")
    for render in (render_front, render_back):
        doc = render(random.Random(seed + 100), card, dpi=300)
        page = doc.pages[0]
        assert doc.card_version == CARD_VERSIONS[name]
        assert page.lines, (name, render.__name__)
        for ln in page.lines:
            assert _inside(ln.box, card_box(page)), (name, render.__name__, ln.text)
        text = " ".join(ln.text for ln in page.lines)  # wrapped values join with a space
        for key, value in doc.fields.items():
            if doc.mrz and key in ("id_number", "date_of_birth", "sex", "date_of_expiry"):
                continue  # chip backs hold these in the MRZ only (checked elsewhere)
            if value[:4].isdigit() and "-" in value:  # ISO dates print as dd/mm/yyyy etc.
                y, m, d = value.split("-")
                assert y in text and (
                    f"{d}/{m}/{y}" in text
                    or f"{d}-{m}-{y}" in text
                    or f"Ngày {d} tháng {m} năm {y}" in text
                ), (name, value)
            elif value not in ("male", "female"):
                assert value.upper() in text.upper(), (name, value)


def test_the_9digit_cmnd_number_is_old_id_never_id_number() -> None:
    for seed in range(5):
        card = make_card_data(random.Random(seed), "cmnd_9digit")
        front = render_front(random.Random(seed), card)
        assert "id_number" not in front.fields
        old = front.fields["old_id_number"]
        assert len(old) == 9 and old.isdigit() and old == card.person.old_id
        assert "sex" not in front.fields  # the CMND does not print it
        back = render_back(random.Random(seed), card)
        assert back.mrz is None and back.qr_payload is None
        assert set(back.fields) == {"date_of_issue"}


def _mean_rgb_under(doc, text: str) -> np.ndarray:  # type: ignore[no-untyped-def]
    page = doc.pages[0]
    ln = next(ln for ln in page.lines if text in ln.text)
    xs = [x for x, _ in ln.box]
    ys = [y for _, y in ln.box]
    crop = np.asarray(page.img)[int(min(ys)) : int(max(ys)), int(min(xs)) : int(max(xs))]
    dark = crop[crop.min(axis=2) < 150]  # ink pixels only
    return dark.mean(axis=0)


@pytest.mark.parametrize("version", ["cccd_2016", "cmnd_9digit"])
def test_number_printed_in_red(version: str) -> None:
    card = make_card_data(random.Random(3), version, look="real")
    doc = render_front(random.Random(3), card)
    number = doc.fields.get("id_number") or doc.fields["old_id_number"]
    r, g, b = _mean_rgb_under(doc, number)
    assert r > 140 and g < 110 and b < 110


def test_machine_readable_parts_per_version() -> None:
    """QR on the 2021 front and the 2024 back; MRZ on both chip backs; none on older cards."""
    where = {}
    for name, version in CARD_VERSIONS.items():
        card = make_card_data(random.Random(1), version)
        f, b = render_front(random.Random(1), card), render_back(random.Random(1), card)
        where[name] = (f.qr_payload is not None, b.qr_payload is not None, b.mrz is not None)
    assert where == {
        "cmnd_9digit": (False, False, False),
        "cccd_2016": (False, False, False),
        "cccd_2021_chip": (True, False, True),
        "can_cuoc_2024": (False, True, True),
    }


def test_card_versions_option_cycles_versions_deterministically(tmp_path: Path) -> None:
    opts = dict(
        per_type=4,
        seed=5,
        extra_people=10,
        base_dpi=150,
        dossiers=0,
        types=["citizen_id_front", "citizen_id_back"],
        degradations=["flatbed_150"],
        card_versions=list(CARD_VERSIONS),
    )
    generate(GenerateOptions(out=tmp_path / "a", **opts))  # type: ignore[arg-type]
    generate(GenerateOptions(out=tmp_path / "b", **opts))  # type: ignore[arg-type]
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    seen: dict[str, set[str]] = {}
    for p in (tmp_path / "a").glob("citizen_id_*.expected.json"):
        exp = json.loads(p.read_text(encoding="utf-8"))
        seen.setdefault(exp["doc_type"], set()).add(VERSION_NAMES[exp["card_version"]])
    assert seen == {"citizen_id_front": set(CARD_VERSIONS), "citizen_id_back": set(CARD_VERSIONS)}
    # front and back of sample i are one card
    for i in range(1, 5):
        f = json.loads((tmp_path / "a" / f"citizen_id_front_{i:03d}.expected.json").read_text())
        b = json.loads((tmp_path / "a" / f"citizen_id_back_{i:03d}.expected.json").read_text())
        assert f["card_version"] == b["card_version"]
        assert f["fields"].get("date_of_birth", b["fields"].get("date_of_birth")) == b[
            "fields"
        ].get("date_of_birth", f["fields"].get("date_of_birth"))
