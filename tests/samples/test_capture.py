"""Photos as they reach the counter: geometry that follows the card, sizes, determinism."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import cv2
import numpy as np
import pytest

from samples.capture import CARD_CAPTURES, _place, _projected, capture
from samples.card_versions import CARD_VERSIONS, VERSION_NAMES, render_front
from samples.cards import card_box, make_card_data
from samples.degrade import apply_h
from samples.generate import GenerateOptions, generate
from tests.samples._digest import digest


def _card(seed: int, version: str = "2021"):  # type: ignore[no-untyped-def]
    card = make_card_data(random.Random(seed), version, look="real")
    doc = render_front(random.Random(seed), card, dpi=300)
    page = doc.pages[0]
    return page, np.asarray(page.img)[:, :, ::-1].copy()


def _card_quad(page, hm: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    x0, y0, x1, y1 = card_box(page)
    return np.array(apply_h(hm, [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]), np.float32)


@pytest.mark.parametrize("name", CARD_CAPTURES)
@pytest.mark.parametrize("seed", range(3))
def test_card_captures_keep_the_truth_on_the_card(name: str, seed: int) -> None:
    page, bgr = _card(seed)
    shot = capture(bgr, name, np.random.default_rng(seed), card_box(page), page.dpi, is_card=True)
    h, w = shot.img.shape[:2]
    quad = _card_quad(page, shot.hm)
    card_area = abs(cv2.contourArea(quad))
    if name == "counter_crop":
        assert 360 <= max(w, h) <= 460 and 210 <= min(w, h) <= 310
        assert card_area > 0.75 * w * h  # a tight crop: the card fills it
        assert 80 <= shot.dpi <= 160
    else:
        # a card covering about a fifth of the photo, wholly inside it
        assert 0.08 <= card_area / (w * h) <= 0.32, card_area / (w * h)
        assert (quad >= -1).all() and (quad[:, 0] <= w + 1).all() and (quad[:, 1] <= h + 1).all()
        for ln in page.lines:
            for x, y in apply_h(shot.hm, ln.box):
                assert -1 <= x <= w + 1 and -1 <= y <= h + 1, ln.text
    # rotation_cw: the direction of the card's top edge, to a quarter turn
    (ax, ay), (bx, by) = quad[0], quad[1]
    ang = math.degrees(math.atan2(by - ay, bx - ax)) % 360
    diff = min(abs(ang - shot.rotation_cw), 360 - abs(ang - shot.rotation_cw))
    assert diff <= 45.5


def test_tilt_foreshortens_like_a_plane_seen_by_a_camera() -> None:
    rng = np.random.default_rng(0)
    flat = _projected(rng, 0.63, 0.0, 0.0, 3.0)
    # untilted and unturned: an upright rectangle of the card's proportions
    w, h = np.ptp(flat, 0)
    assert abs(h / w - 0.63) < 1e-3
    for tilt in (30.0, 60.0):
        q = _projected(np.random.default_rng(1), 0.63, tilt, 0.0, 3.0)
        ratio = abs(cv2.contourArea(q)) / abs(cv2.contourArea(flat))
        # about cos(tilt), give or take the perspective
        assert abs(ratio - math.cos(math.radians(tilt))) < 0.15
        sides = [np.linalg.norm(q[i] - q[(i + 1) % 4]) for i in range(4)]
        assert (
            max(sides[0] / sides[2], sides[2] / sides[0], sides[1] / sides[3], sides[3] / sides[1])
            > 1.02
        )


def test_a_quad_too_big_for_the_frame_is_shrunk_inside_it() -> None:
    quad = np.array([[0, 0], [3000, 200], [2900, 5000], [-100, 4800]], np.float32)
    for seed in range(20):
        placed = _place(np.random.default_rng(seed), quad, 1536, 2048, 0.9, margin=0.03)
        assert (placed[:, 0] >= 1536 * 0.03 - 1e-3).all() and (
            placed[:, 0] <= 1536 * 0.97 + 1e-3
        ).all()
        assert (placed[:, 1] >= 2048 * 0.03 - 1e-3).all() and (
            placed[:, 1] <= 2048 * 0.97 + 1e-3
        ).all()


def test_any_rotation_over_many_card_photos() -> None:
    page, bgr = _card(1, "2024")
    small = cv2.resize(bgr, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    x0, y0, x1, y1 = card_box(page)
    turns = set()
    for seed in range(24):
        shot = capture(
            small,
            "counter_table",
            np.random.default_rng(seed),
            (x0 / 2, y0 / 2, x1 / 2, y1 / 2),
            page.dpi // 2,
            is_card=True,
        )
        turns.add(shot.rotation_cw)
    assert turns == {0, 90, 180, 270}


@pytest.fixture(scope="module")
def counter_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("counter")
    generate(
        GenerateOptions(
            out=out,
            per_type=4,
            seed=2,
            extra_people=10,
            dossiers=0,
            types=["citizen_id_front", "citizen_id_back", "residence_confirmation"],
            realism="counter",
        )
    )
    return out


def test_counter_set_has_every_version_and_capture(counter_set: Path) -> None:
    versions, captures = set(), set()
    for p in counter_set.glob("*.expected.json"):
        exp = json.loads(p.read_text(encoding="utf-8"))
        assert exp["format"] == "jpg"
        gt = json.loads((counter_set / f"{p.name[: -len('.expected.json')]}.gt.json").read_text())
        assert gt["rotation_cw"] in (0, 90, 180, 270)
        page = gt["pages"][0]
        assert page["lines"]
        for ln in page["lines"]:
            for x, y in ln["box"]:
                assert 0 <= x <= page["width"] and 0 <= y <= page["height"]
        if exp["doc_type"].startswith("citizen_id"):
            versions.add(VERSION_NAMES[exp["card_version"]])
            captures.add(exp["degradation"])
        else:
            assert exp["degradation"] == "counter_page"
    assert versions == set(CARD_VERSIONS)
    assert captures == set(CARD_CAPTURES)


def test_every_card_version_meets_every_capture() -> None:
    from samples.generate import _tasks

    opts = GenerateOptions(out=Path(), per_type=16, types=["citizen_id_front"], realism="counter")
    pairs = {
        (t.card_versions[t.index % len(t.card_versions)], t.degradation)
        for t in _tasks(opts)
        if t.kind == "citizen_id_front"
    }
    assert pairs == {(v, c) for v in CARD_VERSIONS for c in CARD_CAPTURES}


def test_counter_set_is_deterministic_by_seed(counter_set: Path, tmp_path: Path) -> None:
    opts = dict(
        per_type=4, extra_people=10, dossiers=0, types=["citizen_id_front"], realism="counter"
    )
    generate(GenerateOptions(out=tmp_path / "a", seed=2, **opts))  # type: ignore[arg-type]
    generate(GenerateOptions(out=tmp_path / "b", seed=3, **opts))  # type: ignore[arg-type]
    a, b = digest(tmp_path / "a"), digest(tmp_path / "b")
    full = digest(counter_set)
    for name, h in a.items():
        if name.startswith("citizen_id_front") and not name.endswith(".expected.json"):
            # the same seed, the same photo and truth, whatever other types are made beside it
            # (expected.json's verification depends on the register of the whole set)
            assert full[name] == h
    assert a["citizen_id_front_001.jpg"] != b["citizen_id_front_001.jpg"]
