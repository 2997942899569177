"""Signed audit checkpoints, ours and those other parties' bundles carried (issue 12, part 5).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("party", sa.String(3), nullable=False),
        sa.Column("entries", sa.BigInteger, nullable=False),
        sa.Column("head", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("signer_fingerprint", sa.String(40), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("bundle_sha256", sa.String(64)),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stored_by", sa.String(150), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_checkpoints"),
        sa.UniqueConstraint("sha256", name="uq_audit_checkpoints_sha256"),
    )
    op.create_index("ix_audit_checkpoints_party", "audit_checkpoints", ["party", "entries"])


def downgrade() -> None:
    raise NotImplementedError("Parley never drops records; restore from a backup instead")
