"""Hostile inputs on the command line: exit 2 with a message per bad file, no traceback,
the good files still processed, nothing already imported lost."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.hostile.corpus import corpus, good_png, hostile_csvs
from tests.reliability.live import clean_env, sohoa_cmd

GOOD_CSV = (
    "id_number,full_name,date_of_birth,sex,ethnicity,nationality,place_of_origin,place_of_residence\n"
    "079301000111,Trần Thị Bình,1985-03-04,female,Kinh,Việt Nam,Hà Nội,Hà Nội\n"
)


def _run(args: list[str], data_dir: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        sohoa_cmd(*args),
        cwd=data_dir.parent,
        env=clean_env({"SOHOA_DATA_DIR": str(data_dir)}),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _register_rows(data_dir: Path) -> list[tuple[str, ...]]:
    with sqlite3.connect(data_dir / "sohoa.sqlite3") as db:
        return db.execute("SELECT * FROM population_register ORDER BY id_number").fetchall()


def test_population_import_refuses_hostile_csvs_and_keeps_the_register(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    good = tmp_path / "good.csv"
    good.write_text(GOOD_CSV, encoding="utf-8")
    r = _run(["population", "import", str(good)], data_dir)
    assert r.returncode == 0, r.stderr
    before = _register_rows(data_dir)
    assert len(before) == 1

    for name, data in hostile_csvs().items():
        path = tmp_path / name
        path.write_bytes(data)
        r = _run(["population", "import", str(path)], data_dir)
        assert r.returncode == 2, (name, r.returncode, r.stderr)
        assert r.stderr.strip() and "Traceback" not in r.stderr, (name, r.stderr)
        assert name in r.stderr or "error" in r.stderr.lower(), (name, r.stderr)
    missing = _run(["population", "import", str(tmp_path / "no-such.csv")], data_dir)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    # what was imported before is still there, unchanged
    assert _register_rows(data_dir) == before


def _write_corpus(folder: Path) -> tuple[list[Path], Path]:
    folder.mkdir()
    bad = []
    for case in corpus(many_pages=1000):
        path = folder / f"{case.key}{Path(case.name).suffix}"
        path.write_bytes(case.data)
        bad.append(path)
    good = folder / "good.png"
    good.write_bytes(good_png(seed=5))
    return bad, good


def _check_batch(command: str, tmp_path: Path) -> None:
    bad, good = _write_corpus(tmp_path / "in")
    files = [*bad[:8], good, *bad[8:]]  # the good file in the middle of the bad ones
    r = _run([command, "--json", *map(str, files)], tmp_path / "data", timeout=600)
    assert r.returncode == 2, (r.returncode, r.stderr[-3000:])
    assert "Traceback" not in r.stderr, r.stderr[-3000:]
    results = json.loads(r.stdout)
    sources = {Path(item["source"]).name for item in results}
    assert "good.png" in sources, sources  # the good file was still processed
    for path in bad:
        # every bad file is either named on stderr with its reason, or (repairable) processed
        assert path.name in r.stderr or path.name in sources, (path.name, r.stderr[-3000:])


@pytest.mark.slow
def test_sohoa_ocr_reports_each_hostile_file_and_processes_the_good_one(tmp_path: Path) -> None:
    _check_batch("ocr", tmp_path)


@pytest.mark.slow
def test_sohoa_extract_reports_each_hostile_file_and_processes_the_good_one(tmp_path: Path) -> None:
    _check_batch("extract", tmp_path)
