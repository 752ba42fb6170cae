"""document_subjects: a person the paper names is an owner only once confirmed.

``confirmed``, ``relation``, ``confirmed_by`` and ``confirmed_at`` on the link. Existing links
of a document to its dossier's citizen are confirmed by that dossier's intake (``self``, by
the clerk who opened the dossier, when they opened it); every other existing link, made from
what the OCR read, stays unconfirmed until a clerk confirms it.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (no batch copy of the table): SQLite and PostgreSQL both support it
    op.add_column(
        "document_subjects",
        sa.Column("confirmed", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column("document_subjects", sa.Column("relation", sa.String(length=20), nullable=True))
    op.add_column(
        "document_subjects", sa.Column("confirmed_by", sa.String(length=200), nullable=True)
    )
    op.add_column(
        "document_subjects",
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
    )
    links = sa.table(
        "document_subjects",
        sa.column("document_id", sa.String),
        sa.column("citizen_id", sa.Integer),
        sa.column("confirmed", sa.Boolean),
        sa.column("relation", sa.String),
        sa.column("confirmed_by", sa.String),
        sa.column("confirmed_at", sa.DateTime(timezone=True)),
    )
    documents = sa.table(
        "registered_documents", sa.column("id", sa.String), sa.column("dossier_id", sa.String)
    )
    dossiers = sa.table(
        "dossiers",
        sa.column("id", sa.String),
        sa.column("citizen_id", sa.Integer),
        sa.column("created_by", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )

    def of_the_dossier(column: sa.ColumnClause[object]) -> sa.ScalarSelect[object]:
        return (
            sa.select(column)
            .select_from(documents.join(dossiers, documents.c.dossier_id == dossiers.c.id))
            .where(documents.c.id == links.c.document_id)
            .scalar_subquery()
        )

    op.get_bind().execute(
        links.update()
        .where(links.c.citizen_id == of_the_dossier(dossiers.c.citizen_id))
        .values(
            confirmed=True,
            relation="self",
            confirmed_by=of_the_dossier(dossiers.c.created_by),
            confirmed_at=of_the_dossier(dossiers.c.created_at),
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("document_subjects", schema=None) as batch_op:
        batch_op.drop_column("confirmed_at")
        batch_op.drop_column("confirmed_by")
        batch_op.drop_column("relation")
        batch_op.drop_column("confirmed")
