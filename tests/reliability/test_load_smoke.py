"""bench/load_test.py end to end, small: a real `sohoa serve`, bounded load, nothing lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.load_test import main

pytestmark = pytest.mark.slow


def test_bounded_load_serves_everything_and_loses_nothing(tmp_path: Path) -> None:
    result = main(
        ["--rate", "8", "--duration", "8", "--requests", "40", "--pin", "", "--out", str(tmp_path)]
    )
    assert result["summary"]["by_kind"]["all"]["requests"] == 40
    assert result["errors"] == 0 and result["requests_served"] == 40
    assert result["uploads_accepted"] >= 1 and result["documents_lost"] == 0
    assert result["server_alive_after"]
    assert (tmp_path / "load_test.png").stat().st_size > 1000
    assert "| all | 40 | 40 | 0 |" in (tmp_path / "load_test.md").read_text()
