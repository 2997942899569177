"""The children track: deported children's cases, their events, and export approvals.

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "child_cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(64), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_child_cases"),
        sa.UniqueConstraint("reference", name="uq_child_cases_reference"),
    )
    op.create_table(
        "child_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("occurred_on", sa.Date, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("recorded_at", _TZ, nullable=False),
        sa.Column("recorded_by", sa.String(150), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_child_events"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["child_cases.id"], name="fk_child_events_case_id_child_cases"
        ),
    )
    op.create_index("ix_child_events_case_id", "child_events", ["case_id"])
    op.create_table(
        "child_exports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("list_ref", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("requested_by", sa.String(150), nullable=False),
        sa.Column("requested_at", _TZ, nullable=False),
        sa.Column("approved_by", sa.String(150)),
        sa.Column("approved_at", _TZ),
        sa.Column("expires_at", _TZ),
        sa.PrimaryKeyConstraint("id", name="pk_child_exports"),
    )


def downgrade() -> None:
    raise NotImplementedError("Parley never drops records; restore from a backup instead")
