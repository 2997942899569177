"""Background jobs: matching runs, imports and documents that outlive a page (docs/jobs.md).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("params", sa.JSON, nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("total", sa.Integer),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("result_ref", sa.String(100), nullable=False),
        sa.Column("result_name", sa.String(200), nullable=False),
        sa.Column("result_media", sa.String(100), nullable=False),
        sa.Column("result_file", sa.LargeBinary),
        sa.Column("input", sa.LargeBinary),
        sa.Column("started_by", sa.String(150), nullable=False),
        sa.Column("worker", sa.String(200), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("started_at", _TZ),
        sa.Column("finished_at", _TZ),
        sa.Column("heartbeat_at", _TZ),
        sa.PrimaryKeyConstraint("id", name="pk_jobs"),
    )
    op.create_index("ix_jobs_state", "jobs", ["state"])
    op.create_index("ix_jobs_started_by", "jobs", ["started_by"])


def downgrade() -> None:
    raise NotImplementedError("Parley never drops records; restore from a backup instead")
