"""The search bench on a few generated dossiers (SQLite only): every kind of query finds the
record sought by its id number and code, and the report is written."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bench import search_bench


def test_the_bench_finds_what_it_looks_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    argv = ["search_bench", "--documents", "30", "--queries", "10", "--out", str(tmp_path)]
    argv += ["--postgres", "postgresql+psycopg://nobody@127.0.0.1:1/none"]  # SQLite only
    monkeypatch.setattr(sys, "argv", argv)
    search_bench.main()
    report = (tmp_path / "search_bench.md").read_text(encoding="utf-8")
    rows = [line.split("|")[1:-1] for line in report.splitlines() if line.startswith("| SQLite")]
    assert len(rows) == 4
    found = {kind.strip(): share.strip() for _, kind, _, _, share, _ in rows}
    assert found["id number (documents)"] == "100%"
    assert found["dossier code (dossiers)"] == "100%"
    assert "PostgreSQL" not in report
