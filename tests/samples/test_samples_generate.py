"""The generator's contract: determinism, coverage, ground truth, MRZ/QR, register consistency."""

from __future__ import annotations

import csv
import json
import unicodedata
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from samples.generate import GenerateOptions, generate
from samples.model import DOC_TYPES
from samples.people import strip_diacritics
from tests.samples._digest import digest

COLUMNS = [
    "id_number",
    "full_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "nationality",
    "place_of_origin",
    "place_of_residence",
]


def _expected(d: Path) -> dict[str, dict]:
    return {
        p.name[: -len(".expected.json")]: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(d.glob("*.expected.json"))
    }


def _page_sizes(path: Path) -> list[tuple[int, int]]:
    if path.suffix == ".pdf":
        pdf = pdfium.PdfDocument(str(path))
        sizes = []
        for i in range(len(pdf)):
            objs = list(pdf[i].get_objects())
            bm = objs[0].get_bitmap()  # the embedded scan image
            sizes.append((bm.width, bm.height))
        return sizes
    im = Image.open(path)
    sizes = []
    for i in range(getattr(im, "n_frames", 1)):
        im.seek(i)
        sizes.append(im.size)
    return sizes


def test_every_type_and_degradation_is_generated(small_set: Path) -> None:
    index = json.loads((small_set / "index.json").read_text(encoding="utf-8"))
    types = {t for s in index["samples"] for t in s["doc_types"]}
    assert types == set(DOC_TYPES)
    degs = {s["degradation"] for s in index["samples"]}
    assert {"photo", "rot90", "rot180", "rot270", "skew", "flatbed_150"} <= degs
    for s in index["samples"]:
        assert (small_set / s["file"]).exists()
        assert (small_set / f"{s['id']}.gt.json").exists()
        exp = json.loads((small_set / f"{s['id']}.expected.json").read_text(encoding="utf-8"))
        assert exp["format"] == Path(s["file"]).suffix[1:]
        assert exp["pages"] == list(range(1, s["pages"] + 1))
        pages = sorted(p for d in exp["documents"] for p in d["pages"])
        assert pages == exp["pages"]  # every page belongs to exactly one document
    assert any(s["file"].endswith(".pdf") and len(s["doc_types"]) >= 4 for s in index["samples"])


def test_gt_boxes_inside_final_images(small_set: Path) -> None:
    for exp_id, exp in _expected(small_set).items():
        gt = json.loads((small_set / f"{exp_id}.gt.json").read_text(encoding="utf-8"))
        sizes = _page_sizes(small_set / exp["file"])
        assert len(sizes) == len(gt["pages"]) == len(exp["pages"])
        for (w, h), page in zip(sizes, gt["pages"], strict=True):
            assert (page["width"], page["height"]) == (w, h), exp_id
            assert page["lines"], exp_id
            for ln in page["lines"]:
                assert ln["text"] == unicodedata.normalize("NFC", ln["text"]) and ln["text"].strip()
                for x, y in ln["box"]:
                    assert 0 <= x <= w and 0 <= y <= h, (exp_id, ln)
            assert page["text"] == "\n".join(ln["text"] for ln in page["lines"])
            _assert_no_overprint(exp_id, page["lines"])


def _assert_no_overprint(sample: str, lines: list[dict]) -> None:
    """Printed lines never overlap each other (boxes include ~1 pt padding, so allow a sliver)."""
    polys = [np.array(ln["box"], np.float32) for ln in lines]
    areas = [cv2.contourArea(p) for p in polys]
    for i in range(len(polys)):
        for j in range(i + 1, len(polys)):
            inter, _ = cv2.intersectConvexConvex(polys[i], polys[j])
            assert inter <= 0.12 * min(areas[i], areas[j]), (
                sample,
                lines[i]["text"],
                lines[j]["text"],
            )


def test_rotated_boxes_follow_the_text(small_set: Path) -> None:
    """On rot90 the text runs downwards: box width (first→second corner) is vertical."""
    for exp_id, exp in _expected(small_set).items():
        if exp["degradation"] not in ("rot90", "rot270"):
            continue
        gt = json.loads((small_set / f"{exp_id}.gt.json").read_text(encoding="utf-8"))
        longest = max(gt["pages"][0]["lines"], key=lambda ln: len(ln["text"]))
        (x0, y0), (x1, y1) = longest["box"][0], longest["box"][1]
        assert abs(y1 - y0) > 5 * abs(x1 - x0)
        assert (y1 > y0) == (exp["degradation"] == "rot90")


def _values(s: str) -> int:
    return (
        sum(
            (int(c) if c.isdigit() else 0 if c == "<" else ord(c) - 55) * (7, 3, 1)[i % 3]
            for i, c in enumerate(s)
        )
        % 10
    )


def test_mrz_check_digits_and_fields(small_set: Path) -> None:
    backs = [
        d
        for e in _expected(small_set).values()
        for d in e["documents"]
        if d["doc_type"] == "citizen_id_back"
    ]
    assert backs
    for d in backs:
        l1, l2, l3 = d["mrz"]
        assert len(l1) == len(l2) == len(l3) == 30
        assert l1.startswith("IDVNM") and l1[5:14] == d["fields"]["id_number"][-9:]
        assert l1[15:27] == d["fields"]["id_number"]
        assert int(l1[14]) == _values(l1[5:14])
        assert int(l2[6]) == _values(l2[0:6]) and int(l2[14]) == _values(l2[8:14])
        assert int(l2[29]) == _values(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29])
        dob = d["fields"]["date_of_birth"]
        assert l2[0:6] == dob[2:4] + dob[5:7] + dob[8:10]
        assert l2[7] == ("M" if d["fields"]["sex"] == "male" else "F")
        assert "<<" in l3 and l3.replace("<", "").isalpha()


def _decode_qr(img: np.ndarray) -> str:
    """cv2's QR decoder is scale-sensitive: try both detectors at a few scales."""
    for det in (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()):
        for s in (1.0, 0.75, 0.5, 1.5):
            im = (
                img if s == 1.0 else cv2.resize(img, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
            )
            text = det.detectAndDecode(im)[0]
            if text:
                return text
    return ""


def test_qr_decodes_to_payload_on_clean_cards() -> None:
    import random

    from samples.cards import make_card_data, render_card_back, render_card_front
    from samples.degrade import degrade

    for seed, version, fn in (
        (5, "2021", render_card_front),
        (6, "2024", render_card_back),
        (7, "2021", render_card_front),
        (8, "2024", render_card_back),
    ):
        rng = random.Random(seed)
        card = make_card_data(rng, version)
        doc = fn(rng, card)
        assert doc.qr_payload == card.qr
        parts = card.qr.split("|")
        assert len(parts) == 7 and parts[0] == card.person.id_number and parts[4] in ("Nam", "Nữ")
        img = np.asarray(doc.pages[0].img)[:, :, ::-1].copy()
        for deg in ("flatbed_300", "photo"):
            scan, _, _ = degrade(img, deg, 600, np.random.default_rng(0), is_card=True)
            assert _decode_qr(scan) == doc.qr_payload


def test_population_csv_and_verification_consistent(small_set: Path) -> None:
    with (small_set / "population.csv").open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS
        rows = {r["id_number"]: r for r in reader}
    assert len(rows) >= 200
    statuses = set()
    for exp in _expected(small_set).values():
        for d in exp["documents"]:
            v = d["verification"]
            statuses.add(v["status"])
            assert set(v["diacritics_only_fields"]) <= set(v["mismatched_fields"])
            ids = [d["fields"][k] for k in d["fields"] if k.endswith("id_number")]
            for i in ids:
                assert len(i) == 12 and i.isdigit() and i[3] in "0123"
            if v["status"] == "not_applicable":
                assert not ids or d["doc_type"] in ("diploma", "other")
            elif v["status"] == "not_found":
                assert any(i not in rows for i in ids)
            else:
                assert all(i in rows for i in ids)
            for f in v["mismatched_fields"]:
                assert f in d["fields"]
            for f in v["diacritics_only_fields"]:
                who = rows[
                    d["fields"][f.replace("name", "id_number") if f != "full_name" else "id_number"]
                ]
                assert who["full_name"] != d["fields"][f]
                assert strip_diacritics(who["full_name"]) == strip_diacritics(d["fields"][f])
            if v["status"] == "match":
                for k, col in (
                    ("full_name", "full_name"),
                    ("date_of_birth", "date_of_birth"),
                    ("sex", "sex"),
                ):
                    if k in d["fields"] and "id_number" in d["fields"]:
                        assert rows[d["fields"]["id_number"]][col] == d["fields"][k]
    assert {"match", "not_applicable"} <= statuses


def test_deterministic_by_seed(tmp_path: Path) -> None:
    opts = dict(
        per_type=1,
        seed=3,
        extra_people=20,
        base_dpi=150,
        dossiers=0,
        types=["citizen_id_back", "birth_certificate"],
        degradations=["photo", "noise"],
    )
    generate(GenerateOptions(out=tmp_path / "a", **opts))  # type: ignore[arg-type]
    generate(GenerateOptions(out=tmp_path / "b", **opts))  # type: ignore[arg-type]
    generate(GenerateOptions(out=tmp_path / "c", **{**opts, "seed": 4}))  # type: ignore[arg-type]
    a, b, c = digest(tmp_path / "a"), digest(tmp_path / "b"), digest(tmp_path / "c")
    assert a == b
    assert a["population.csv"] != c["population.csv"]


def test_cross_makes_every_degradation_per_type() -> None:
    from samples.generate import _tasks

    opts = GenerateOptions(
        out=Path("unused"),
        per_type=2,
        cross=True,
        dossiers=0,
        types=["citizen_id_front", "citizen_id_back"],
        degradations=["photo", "rot90", "blur"],
    )
    tasks = _tasks(opts)
    assert len(tasks) == 2 * 3 * 2
    assert {t.degradation for t in tasks if t.kind == "citizen_id_back"} == {
        "photo",
        "rot90",
        "blur",
    }
    fronts = {(t.degradation, t.index): t.card_seed for t in tasks if t.kind == "citizen_id_front"}
    backs = {(t.degradation, t.index): t.card_seed for t in tasks if t.kind == "citizen_id_back"}
    assert fronts == backs  # front and back of the same card
    assert len({t.sample_id for t in tasks}) == len(tasks)


def test_card_fields_per_version(small_set: Path) -> None:
    fronts = [
        d
        for e in _expected(small_set).values()
        for d in e["documents"]
        if d["doc_type"] == "citizen_id_front"
    ]
    for d in fronts:
        if d["card_version"] == "2024":
            assert "place_of_residence" not in d["fields"] and "qr_payload" not in d
        else:
            assert {"place_of_origin", "place_of_residence", "date_of_expiry"} <= set(d["fields"])
            assert d["qr_payload"].split("|")[0] == d["fields"]["id_number"]


@pytest.mark.parametrize("family", ["FreeSerif", "Noto Serif", "DejaVu Serif"])
def test_fonts_render_vietnamese(family: str) -> None:
    from fontTools.ttLib import TTFont

    from samples.render import FONT_FAMILIES, SANS_FAMILIES, font_path

    for rel in (*FONT_FAMILIES[family], *SANS_FAMILIES["FreeSans"]):
        cmap = TTFont(font_path(rel)).getBestCmap()
        assert all(ord(c) in cmap for c in "ễậởươĐđỹẵẳỵ")


def test_committed_set_is_consistent() -> None:
    data = Path(__file__).resolve().parents[2] / "samples" / "data"
    index = json.loads((data / "index.json").read_text(encoding="utf-8"))
    for s in index["samples"]:
        assert (data / s["file"]).exists()
        exp = json.loads((data / f"{s['id']}.expected.json").read_text(encoding="utf-8"))
        assert [d["doc_type"] for d in exp["documents"]] == s["doc_types"]
    total = sum(p.stat().st_size for p in data.iterdir())
    assert total < 7_000_000


@pytest.mark.slow
def test_committed_set_regenerates_byte_identical(tmp_path: Path) -> None:
    """samples/data is what the README's command produces (others record OCR caches by file hash)."""
    import re
    import shlex

    from click.testing import CliRunner

    from samples.__main__ import cli

    root = Path(__file__).resolve().parents[2]
    readme = (root / "samples" / "README.md").read_text(encoding="utf-8")
    cmd = re.search(r"python -m samples generate --out samples/data (.*?)\n```", readme, re.S)
    assert cmd
    args = shlex.split(cmd.group(1).replace("\\\n", " "))
    res = CliRunner().invoke(cli, ["generate", "--out", str(tmp_path), *args])
    assert res.exit_code == 0, res.output
    data = root / "samples" / "data"
    assert digest(tmp_path) == digest(data)
