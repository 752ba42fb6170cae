"""daily_sequence: the day's running number of each agency, for national dossier codes.

Circular 01/2018/TT-VPCP, Art. 19: a dossier code ends in the number of the dossier among those
received that day (4 digits). One row per (agency, day) holds the last number drawn.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "daily_sequence",
        sa.Column("agency_code", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("agency_code", "day"),
    )


def downgrade() -> None:
    op.drop_table("daily_sequence")
