"""search_entries: the folded text of every dossier and document, indexed for search.

One row per dossier and per registered document (``kind``, ``ref_id``), its text and the same
text folded in Python (lower-case, no diacritics, đ→d: ``storage.search.fold_for_search``).
SQLite indexes the folded text with an FTS5 table kept in step by triggers; PostgreSQL with a
GIN index on ``to_tsvector('simple', folded)`` (no ``unaccent`` extension needed). Existing
dossiers and documents are indexed here (backfill).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE search_entries_fts USING fts5("
    "folded, content='search_entries', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN "
    "INSERT INTO search_entries_fts(rowid, folded) VALUES (new.id, new.folded); END",
    "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN "
    "INSERT INTO search_entries_fts(search_entries_fts, rowid, folded) "
    "VALUES ('delete', old.id, old.folded); END",
    "CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN "
    "INSERT INTO search_entries_fts(search_entries_fts, rowid, folded) "
    "VALUES ('delete', old.id, old.folded); "
    "INSERT INTO search_entries_fts(rowid, folded) VALUES (new.id, new.folded); END",
)


def upgrade() -> None:
    op.create_table(
        "search_entries",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("ref_id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("folded", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("kind", "ref_id", name="uq_search_entries_kind_ref_id"),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in _SQLITE_FTS:
            op.execute(statement)
    else:
        op.execute(
            "CREATE INDEX ix_search_entries_folded ON search_entries "
            "USING gin (to_tsvector('simple', folded))"
        )
    # the backfill: the same code that keeps the entries up to date afterwards
    from storage.search import rebuild

    rebuild(bind)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("search_entries_ai", "search_entries_ad", "search_entries_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS search_entries_fts")
    op.drop_table("search_entries")
