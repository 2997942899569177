"""The data version shared by every process on the database: one row every transaction that
writes records bumps as it commits (`store.database.share_versions`). Computed pages cached in
one server process are then recomputed after a write by another process (a second server
process, `parley jobs work`, a CLI command), not after a time-out.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "data_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("version", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(table, [{"id": 1, "version": 0}])


def downgrade() -> None:
    raise NotImplementedError("Parley never drops records; restore from a backup instead")
