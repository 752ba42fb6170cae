"""dossiers: the return date and the applicant's phone and email (issue 16, the receipt).

``due_on`` is the return date (ngày hẹn trả kết quả) computed at opening from the catalogue
procedure's processing time in working days; NULL for a procedure not in the catalogue and
for dossiers opened before. ``applicant_phone`` and ``applicant_email`` are what the receipt
prints under "Tiếp nhận hồ sơ của"; both optional.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (no batch copy of the table): SQLite and PostgreSQL both support it
    op.add_column("dossiers", sa.Column("due_on", sa.Date(), nullable=True))
    op.add_column("dossiers", sa.Column("applicant_phone", sa.String(length=20), nullable=True))
    op.add_column("dossiers", sa.Column("applicant_email", sa.String(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_column("applicant_email")
        batch.drop_column("applicant_phone")
        batch.drop_column("due_on")
