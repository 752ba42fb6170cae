"""The day's dossier numbers: drawn concurrently by processes and threads, none twice, none missed."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from storage.db import session_scope
from storage.repository import init_db
from storage.sequences import next_daily_sequence
from tests.api.service_env import pg_url  # noqa: F401
from tests.storage.sequence_draws import AGENCY, DAY, draw, draw_in_threads


def _check_concurrent(url: str) -> None:
    init_db(url)
    processes, threads, count = 3, 3, 12
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=ctx) as pool:
        futures = [pool.submit(draw_in_threads, url, threads, count) for _ in range(processes)]
        drawn = draw_in_threads(url, threads, count)  # this process draws too
        for f in futures:
            drawn += f.result(timeout=300)
    total = (processes + 1) * threads * count
    assert len(drawn) == total
    assert sorted(drawn) == list(range(1, total + 1))  # no duplicates, no gaps


def test_sqlite_concurrent_draws_are_unique_and_gapless(tmp_path: Path) -> None:
    _check_concurrent(f"sqlite:///{tmp_path / 'seq.sqlite3'}")


@pytest.mark.services
def test_postgresql_concurrent_draws_are_unique_and_gapless(pg_url: str) -> None:  # noqa: F811
    _check_concurrent(pg_url)


def test_rolled_back_draw_gives_its_number_back_and_agencies_count_apart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'seq.sqlite3'}"
    init_db(url)
    assert draw(url, 2) == [1, 2]
    with pytest.raises(RuntimeError), session_scope(url) as s:
        assert next_daily_sequence(s, agency_code=AGENCY, day=DAY) == 3
        raise RuntimeError("the dossier could not be recorded")
    assert draw(url, 1) == [3]
    assert draw(url, 1, agency="000.00.00.H49") == [1]
    with session_scope(url) as s:
        assert next_daily_sequence(s, agency_code=AGENCY, day=date(2026, 11, 24)) == 1
