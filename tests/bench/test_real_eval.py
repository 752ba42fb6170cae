"""The real-page benchmark's scoring, on made-up pages (the real ones stay out of the tests)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bench import real_eval
from bench.real_eval import norm, score, table


def _items() -> list[dict[str, object]]:
    truth = {
        "doc_type": "citizen_id_front",
        "fields": {"full_name": "Lê Văn Tám", "sex": "male", "date_of_birth": "1990-01-02"},
        "printed": {"full_name": "LÊ VĂN TÁM", "date_of_birth": "02/01/1990"},
    }
    return [
        {"set": "photos", "id": "card.jpg", "file": "card.jpg", "truth": truth},
        {"set": "photos", "id": "form.jpg", "file": "form.jpg", "truth": {"doc_type": "other"}},
        {"set": "letters", "id": "letter.pdf", "file": "letter.pdf"},
    ]


def _raw() -> dict[str, object]:
    return {
        "peak_rss_mb": 1024.0,
        "items": [
            {
                "id": "card.jpg",
                "set": "photos",
                "cpu_seconds": 1.0,
                "pages": ["CĂN CƯỚC\nLÊ  VĂN TÁM\nsinh 02/01/199O"],
                "documents": [
                    {
                        "doc_type": "citizen_id_front",
                        "fields": {"full_name": "Lê Văn  Tám", "sex": "female", "id_number": "1"},
                    }
                ],
                "tesseract_text": "le van tam 02/01/1990",
                "tesseract_cpu_seconds": 2.0,
            },
            {
                "id": "form.jpg",
                "set": "photos",
                "cpu_seconds": 3.0,
                "pages": ["x", "y"],
                "documents": [{"doc_type": "application_form", "fields": {}}],
            },
            {
                "id": "letter.pdf",
                "set": "letters",
                "cpu_seconds": 4.0,
                "pages": ["a"],
                "documents": [
                    {"doc_type": "other", "fields": {}},
                    {"doc_type": "citizen_id_front", "fields": {}},
                ],
            },
        ],
    }


def test_fields_are_right_wrong_missing_or_invented() -> None:
    report = score(_items(), _raw())  # type: ignore[arg-type]
    assert report["doc_type"] == {"pages": 2, "right": 1}
    # name right (spaces normalised), sex wrong, birth date missing, id number invented
    assert report["fields"] == {"fields": 3, "right": 1, "wrong": 1, "missing": 1, "invented": 1}
    # "LÊ VĂN TÁM" is in sohoa's text (case and spacing aside), the misread date is not;
    # plain Tesseract lost the tone marks of the name but has the date
    assert report["printed_found"]["sohoa"] == 1
    assert report["printed_found"]["tesseract"] == 1
    assert report["letters"] == {"documents": 2, "other": 1, "files": 1}
    # per page: 1.0, 1.5 and 4.0 CPU-s; the median is the middle one
    assert report["cpu_s_per_page_median"] == 1.5
    # and per set: the photos' pages 1.0 and 1.5 (the upper middle of two), the letter's 4.0
    assert report["cpu_s_per_page_median_by_set"] == {"letters": 4.0, "photos": 1.5}


def test_table_names_every_version() -> None:
    report = score(_items(), _raw())  # type: ignore[arg-type]
    text = table({"working tree": report, "baseline HEAD~1": report})
    assert "| working tree | 1/2 | 1/3 |" in text
    assert "| baseline HEAD~1 |" in text
    assert "| 1.50 (letters 4.00, photos 1.50) |" in text
    assert "| citizen_id_front | 1 | 1 | 1/3 | 1 | 1 | 1 |" in text


def test_norm_is_nfc_and_single_spaces() -> None:
    assert norm(" Le\u0302  Va\u0306n ") == "Lê Văn"


def test_every_round_keeps_its_per_file_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paired per-file analysis needs each version's rows from every round, not the last one."""
    items = [dict(it) for it in _items()]
    raw_rows = {str(r["id"]): r for r in _raw()["items"]}  # type: ignore[index, attr-defined]
    monkeypatch.setattr(real_eval, "photo_items", lambda _folder: items[:2])
    monkeypatch.setattr(real_eval, "letter_items", lambda _folder: items[2:])
    monkeypatch.setattr(real_eval, "_baseline_tree", lambda _ref, _out: tmp_path / "base")

    def fake_child(cmd: list[str], **_kw: Any) -> subprocess.CompletedProcess[bytes]:
        # the child's part of the work: its rows for the items it was dealt
        given = json.loads(Path(cmd[cmd.index("--items") + 1]).read_text())
        rows = [raw_rows[it["id"]] for it in given]
        Path(cmd[cmd.index("--result") + 1]).write_text(
            json.dumps({"peak_rss_mb": 1.0, "items": rows})
        )
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(real_eval.subprocess, "run", fake_child)
    out = tmp_path / "out"
    argv = ["--baseline", "HEAD~1", "--rounds", "3", "--out", str(out)]
    assert real_eval.main(argv) == 0
    for version in (0, 1):
        kept = [json.loads((out / f"raw_{version}_r{r}.json").read_text()) for r in (1, 2, 3)]
        # round r was dealt items[r - 1::3]: one file each, all three survive
        assert [[row["id"] for row in k["items"]] for k in kept] == [
            ["card.jpg"],
            ["form.jpg"],
            ["letter.pdf"],
        ]
    # the summary is still over every file of every round
    summary = json.loads((out / "real_eval.json").read_text())
    assert summary["working tree"]["fields"] == score(items, _raw())["fields"]  # type: ignore[arg-type]
    assert summary["working tree"]["letters"]["files"] == 1
