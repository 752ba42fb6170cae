"""Alembic environment: the URL comes from the caller, the metadata from storage.models."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

import storage.models  # noqa: F401  (registers the tables on Base.metadata)
import storage.population  # noqa: F401  (the population_register table)
import storage.search  # noqa: F401  (the search_entries table)
import storage.sequences  # noqa: F401  (the daily_sequence table)
from storage.db import Base, get_engine

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL given to the migrations")
    return str(url)


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = get_engine(_url())
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite changes a column by copying its table and dropping the old one, which its
            # foreign keys forbid while other tables point at it: SQLite's own procedure turns
            # them off for the change (outside a transaction, where the pragma takes effect)
            # and checks every reference before committing.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            context.configure(
                connection=connection, target_metadata=target_metadata, render_as_batch=sqlite
            )
            with context.begin_transaction():
                if connection.dialect.name == "postgresql":
                    # API processes and workers may start together: one migrates, the others wait
                    connection.execute(text("SELECT pg_advisory_xact_lock(7405212026)"))
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left {len(broken)} broken references")
            connection.commit()
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
