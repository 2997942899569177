"""The remains track: batches, custody handoffs, bodies, their steps and DNA candidates.

Every table is insert-only (triggers refuse UPDATE and DELETE): a body's status is the last
step recorded, a correction is a new step.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "remains_batches",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("handed_over_on", sa.Date, nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("from_party", sa.String(3), nullable=False),
        sa.Column("to_party", sa.String(3), nullable=False),
        sa.Column("intermediary", sa.String(200), nullable=False),
        sa.Column("declared", sa.Integer, nullable=False),
        sa.Column("received", sa.Integer, nullable=False),
        sa.Column("declared_list_sha256", sa.String(64)),
        sa.Column("recorded_at", _TZ, nullable=False),
        sa.Column("recorded_by", sa.String(150), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_remains_batches"),
    )
    op.create_table(
        "remains_handoffs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("batch_id", sa.Integer, nullable=False),
        sa.Column("bag", sa.String(64), nullable=False),
        sa.Column("received_by", sa.String(200), nullable=False),
        sa.Column("handed_at", _TZ, nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("seal", sa.String(64), nullable=False),
        sa.Column("recorded_at", _TZ, nullable=False),
        sa.Column("recorded_by", sa.String(150), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_remains_handoffs"),
        _fk("remains_handoffs", "batch_id", "remains_batches"),
    )
    op.create_index("ix_remains_handoffs_batch_id", "remains_handoffs", ["batch_id"])
    op.create_table(
        "remains_bodies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("batch_id", sa.Integer, nullable=False),
        sa.Column("tag", sa.String(64), nullable=False),
        sa.Column("bag", sa.String(64), nullable=False),
        sa.Column("condition", sa.Text, nullable=False),
        sa.Column("effects", sa.Text, nullable=False),
        sa.Column("documents", sa.Text, nullable=False),
        sa.Column("disc_halves", sa.Integer, nullable=False),
        sa.Column("recorded_at", _TZ, nullable=False),
        sa.Column("recorded_by", sa.String(150), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_remains_bodies"),
        sa.UniqueConstraint("tag", name="uq_remains_bodies_tag"),
        _fk("remains_bodies", "batch_id", "remains_batches"),
    )
    op.create_index("ix_remains_bodies_batch_id", "remains_bodies", ["batch_id"])
    op.create_table(
        "remains_steps",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("body_id", sa.Integer, nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("missing_ref", sa.String(100), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("recorded_at", _TZ, nullable=False),
        sa.Column("recorded_by", sa.String(150), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_remains_steps"),
        _fk("remains_steps", "body_id", "remains_bodies"),
    )
    op.create_index("ix_remains_steps_body_id", "remains_steps", ["body_id"])
    op.create_table(
        "remains_candidates",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("body_id", sa.Integer, nullable=False),
        sa.Column("missing_ref", sa.String(100), nullable=False),
        sa.Column("lr", sa.Float, nullable=False),
        sa.Column("exclusions", sa.Integer, nullable=False),
        sa.Column("posterior", sa.Float, nullable=False),
        sa.Column("prior", sa.Float, nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("recorded_at", _TZ, nullable=False),
        sa.Column("recorded_by", sa.String(150), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_remains_candidates"),
        _fk("remains_candidates", "body_id", "remains_bodies"),
    )
    op.create_index("ix_remains_candidates_body_id", "remains_candidates", ["body_id"])
    for table in (
        "remains_batches",
        "remains_handoffs",
        "remains_bodies",
        "remains_steps",
        "remains_candidates",
    ):
        _forbid_changes(table)


def _forbid_changes(table: str) -> None:
    """Batches, handoffs, bodies and steps are records of what happened: insert only."""
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
        return
    op.execute(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION parley_append_only()"
    )


def downgrade() -> None:
    raise NotImplementedError("Parley never drops what was recorded; restore from a backup")
