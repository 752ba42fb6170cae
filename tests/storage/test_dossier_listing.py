"""Listing dossiers by status: filtered in SQL, so ``limit`` counts matches and pages are whole.

Run on SQLite and on a fresh schema of the real PostgreSQL; the SQL filter must agree with
``dossier_status`` (the Python rule the API shows) for every mix of component statuses.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.errors import InvalidInputError
from storage.db import session_scope
from storage.models import COMPONENT_STATUSES, Citizen, Component, Dossier
from storage.repository import DOSSIER_STATUSES, dossier_status, init_db, list_dossiers
from tests.api.service_env import fresh_pg_schema

_T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'db.sqlite3'}"


@pytest.fixture
def fresh_pg_url() -> Iterator[str]:
    """A schema of its own: other tests' dossiers in the shared test schema would be listed too."""
    with fresh_pg_schema("sohoa_list") as url:
        yield url


def _dossier(n: int, statuses: tuple[str, ...], citizen: Citizen) -> Dossier:
    dossier = Dossier(
        id=f"d{n:04d}",
        procedure_code="1.001612",
        citizen=citizen,
        created_by="clerk-1",
        created_at=_T0 + timedelta(minutes=n),
    )
    dossier.components = [
        Component(
            status=s,
            object_key=f"scans/{n}-{i}",
            sha256=f"{n:032d}{i:032d}",
            original_filename="scan.png",
            content_type="image/png",
            size_bytes=1,
            created_by="clerk-1",
        )
        for i, s in enumerate(statuses)
    ]
    return dossier


def _every_mix() -> list[tuple[str, ...]]:
    """No component, and every non-empty set of component statuses (with a repeat)."""
    mixes: list[tuple[str, ...]] = [()]
    for k in range(1, len(COMPONENT_STATUSES) + 1):
        mixes += list(itertools.combinations(COMPONENT_STATUSES, k))
    return mixes + [("done", "done"), ("failed", "failed", "done")]


def _check_filter_agrees_with_rule(url: str) -> None:
    init_db(url)
    mixes = _every_mix()
    with session_scope(url) as s:
        citizen = Citizen(id_number="001192012345")
        s.add_all(_dossier(n, mix, citizen) for n, mix in enumerate(mixes))
    with session_scope(url) as s:
        every = list_dossiers(s, limit=1000)
        assert [d.id for d in every] == [f"d{n:04d}" for n in reversed(range(len(mixes)))]
        expected = {d.id: dossier_status(d) for d in every}
        assert set(expected.values()) == set(DOSSIER_STATUSES)
        for status in DOSSIER_STATUSES:
            got = [d.id for d in list_dossiers(s, status=status, limit=1000)]
            want = [i for i in (d.id for d in every) if expected[i] == status]
            assert got == want, status


def _check_rare_status_pages(url: str) -> None:
    """Three failed dossiers, the oldest, behind 60 newer done ones: limit 2 still finds them."""
    init_db(url)
    with session_scope(url) as s:
        citizen = Citizen(id_number="079301000111")
        s.add_all(_dossier(n, ("failed", "done"), citizen) for n in range(3))
        s.add_all(_dossier(n, ("done",), citizen) for n in range(3, 63))
    with session_scope(url) as s:
        first = list_dossiers(s, status="failed", limit=2)
        second = list_dossiers(s, status="failed", limit=2, offset=2)
        third = list_dossiers(s, status="failed", limit=2, offset=4)
        assert [d.id for d in first] == ["d0002", "d0001"]
        assert [d.id for d in second] == ["d0000"]
        assert third == []
        done = [d.id for d in list_dossiers(s, status="done", limit=25, offset=50)]
        assert done == [f"d{n:04d}" for n in range(12, 2, -1)]
        with pytest.raises(InvalidInputError):
            list_dossiers(s, status="lost")


def test_status_filter_agrees_with_dossier_status_sqlite(sqlite_url: str) -> None:
    _check_filter_agrees_with_rule(sqlite_url)


def test_rare_status_is_found_and_paged_sqlite(sqlite_url: str) -> None:
    _check_rare_status_pages(sqlite_url)


@pytest.mark.services
def test_status_filter_agrees_with_dossier_status_postgresql(fresh_pg_url: str) -> None:
    _check_filter_agrees_with_rule(fresh_pg_url)


@pytest.mark.services
def test_rare_status_is_found_and_paged_postgresql(fresh_pg_url: str) -> None:
    _check_rare_status_pages(fresh_pg_url)
