"""document_subjects: a registered document sits in the store of every person it is about.

A marriage certificate names two citizens (husband_id_number, wife_id_number); the link table
puts the one document in both spouses' stores instead of copying it. Existing documents are
linked to their registered citizen and to every valid subject id number in their fields.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# as in ocr_service.registration at the time of writing (migrations do not import app code)
_SUBJECT_ID_FIELDS = ("id_number", "owner_id_number", "husband_id_number", "wife_id_number")


def _backfill() -> None:
    bind = op.get_bind()
    citizens = sa.table(
        "citizens",
        sa.column("id", sa.Integer),
        sa.column("id_number", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    documents = sa.table(
        "registered_documents",
        sa.column("id", sa.String),
        sa.column("citizen_id", sa.Integer),
        sa.column("fields", sa.JSON),
    )
    links = sa.table(
        "document_subjects",
        sa.column("document_id", sa.String),
        sa.column("citizen_id", sa.Integer),
        sa.column("role", sa.String),
    )
    known: dict[str, int] = {
        row.id_number: row.id
        for row in bind.execute(sa.select(citizens.c.id, citizens.c.id_number))
    }

    def citizen_id(id_number: str) -> int:
        if id_number not in known:
            bind.execute(
                citizens.insert().values(id_number=id_number, created_at=datetime.now(UTC))
            )
            new = bind.scalar(sa.select(citizens.c.id).where(citizens.c.id_number == id_number))
            assert new is not None
            known[id_number] = int(new)
        return known[id_number]

    rows: list[dict[str, Any]] = []
    for doc in bind.execute(sa.select(documents.c.id, documents.c.citizen_id, documents.c.fields)):
        fields = doc.fields or {}
        subjects: dict[int, str] = {}
        for name in _SUBJECT_ID_FIELDS:
            value = fields.get(name)
            if isinstance(value, str) and len(value) == 12 and value.isdigit():
                subjects.setdefault(citizen_id(value), name)
        subjects.setdefault(doc.citizen_id, "dossier")  # named no one: the dossier's citizen
        rows += [{"document_id": doc.id, "citizen_id": c, "role": r} for c, r in subjects.items()]
    if rows:
        bind.execute(links.insert(), rows)


def upgrade() -> None:
    op.create_table(
        "document_subjects",
        sa.Column("document_id", sa.String(length=32), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizens.id"]),
        sa.ForeignKeyConstraint(["document_id"], ["registered_documents.id"]),
        sa.PrimaryKeyConstraint("document_id", "citizen_id"),
    )
    with op.batch_alter_table("document_subjects", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_subjects_citizen_id"), ["citizen_id"], unique=False
        )
    _backfill()


def downgrade() -> None:
    with op.batch_alter_table("document_subjects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_subjects_citizen_id"))
    op.drop_table("document_subjects")
