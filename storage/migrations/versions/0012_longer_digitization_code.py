"""registered_documents.digitization_code: 40 → 100 characters.

A code built from SOHOA_DIGITIZATION_CODE_TEMPLATE (e.g. the ``one-stop-component`` preset:
identifier, procedure code, document type code, number) can be longer than sohoa's own
22-character ``SH-…`` code. Widening keeps every code already given as it is.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("registered_documents") as batch:
        batch.alter_column(
            "digitization_code",
            existing_type=sa.String(length=40),
            type_=sa.String(length=100),
            existing_nullable=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("registered_documents") as batch:
        batch.alter_column(
            "digitization_code",
            existing_type=sa.String(length=100),
            type_=sa.String(length=40),
            existing_nullable=False,
        )
