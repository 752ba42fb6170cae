"""Population register table (CSDLQG về dân cư, local copy loaded from CSV).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if sa.inspect(bind).has_table("population_register"):
        return  # created earlier by the register adapter itself (storage.population)
    op.create_table(
        "population_register",
        sa.Column("id_number", sa.String(length=12), primary_key=True),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("date_of_birth", sa.String(length=10), nullable=False),
        sa.Column("sex", sa.String(length=6), nullable=False),
        sa.Column("ethnicity", sa.String(length=60), nullable=True),
        sa.Column("nationality", sa.String(length=60), nullable=True),
        sa.Column("place_of_origin", sa.String(length=300), nullable=True),
        sa.Column("place_of_residence", sa.String(length=500), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("population_register")
