"""Our own record id of a person, kept from the persons file it was imported from.

A nullable column with a unique index: persons registered by hand or received by PFIF have
none, and two persons never share one (it identifies our own record). Not read by matching,
so the link-record triggers of migration 0003 do not watch it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("persons", sa.Column("record_id", sa.String(100)))
    op.create_index("ix_persons_record_id", "persons", ["record_id"], unique=True)


def downgrade() -> None:
    raise NotImplementedError("Parley never drops the registry; restore from a backup instead")
