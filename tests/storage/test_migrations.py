"""Alembic migrations build the same schema as the models; the audit log only grows."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

import storage.models
import storage.population  # noqa: F401
from storage.db import Base, get_engine, session_scope
from storage.repository import append_audit, init_db
from tests.api.service_env import pg_url  # noqa: F401

_TABLES = {
    "citizens",
    "dossiers",
    "components",
    "registered_documents",
    "page_ocr",
    "reuse_events",
    "audit_log",
    "population_register",
}


def _check(url: str) -> None:
    init_db(url)
    init_db(url)  # idempotent at every start
    engine = get_engine(url)
    assert set(inspect(engine).get_table_names()) >= _TABLES
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    with session_scope(url) as s:
        append_audit(s, actor="a", role="admin", action="test")
    for statement in ("UPDATE audit_log SET actor = 'b'", "DELETE FROM audit_log"):
        with engine.connect() as conn, pytest.raises(Exception, match="append-only"):
            conn.execute(text(statement))
    with session_scope(url) as s:
        assert s.scalar(text("SELECT actor FROM audit_log")) == "a"
    assert hasattr(storage.models, "AuditEvent")


def test_sqlite_migrations(tmp_path: Path) -> None:
    _check(f"sqlite:///{tmp_path / 'db.sqlite3'}")


@pytest.mark.services
def test_postgresql_migrations(pg_url: str) -> None:  # noqa: F811
    _check(pg_url)
