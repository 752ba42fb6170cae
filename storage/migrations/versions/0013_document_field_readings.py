"""registered_documents: every reading of a field by source, and why a field needs a look.

``field_readings`` is {field: {source: value}} for each field read by more than one source
(printed text ``ocr``, the card's ``qr`` code, its ``mrz``); ``field_review`` is {field: why a
person should look at it} (the sources disagree, only one source read it, it is partly hidden).
Both as the pipeline found them (``DocumentResult``), kept as evidence when a clerk corrects
the field. NULL for documents registered before: they show no readings and nothing to review.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (no batch copy of the table): SQLite and PostgreSQL both support it
    op.add_column("registered_documents", sa.Column("field_readings", sa.JSON(), nullable=True))
    op.add_column("registered_documents", sa.Column("field_review", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("registered_documents") as batch:
        batch.drop_column("field_review")
        batch.drop_column("field_readings")
