"""dossiers.code and the signed copy of a registered document.

* ``dossiers.code``: the national dossier code (Circular 01/2018/TT-VPCP, Art. 19), unique;
  nothing is backfilled: dossiers opened before keep ``code = NULL`` and are found by their id.
* ``registered_documents.signed_pdf_key``, ``signed_at``, ``signed_by``, ``signature``: the
  copy signed at approval (QR code, PDF/A, PAdES) and what signing it said.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dossiers", sa.Column("code", sa.String(length=40), nullable=True))
    op.create_index("ix_dossiers_code", "dossiers", ["code"], unique=True)
    op.add_column(
        "registered_documents", sa.Column("signed_pdf_key", sa.String(length=200), nullable=True)
    )
    op.add_column(
        "registered_documents",
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.add_column(
        "registered_documents", sa.Column("signed_by", sa.String(length=200), nullable=True)
    )
    op.add_column("registered_documents", sa.Column("signature", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("registered_documents") as batch:
        for name in ("signature", "signed_by", "signed_at", "signed_pdf_key"):
            batch.drop_column(name)
    op.drop_index("ix_dossiers_code", table_name="dossiers")
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_column("code")
