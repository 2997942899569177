"""The exchange track: medical commissions, examinations, stages, outcomes, claims.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "commissions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("members", sa.JSON, nullable=False),
        sa.Column("deputies", sa.JSON, nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_commissions"),
        sa.UniqueConstraint("name", name="uq_commissions_name"),
    )
    op.create_table(
        "examinations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, nullable=False),
        sa.Column("commission_id", sa.Integer, nullable=False),
        sa.Column("visited_on", sa.Date, nullable=False),
        sa.Column("findings", sa.Text, nullable=False),
        sa.Column("condition", sa.JSON),
        sa.Column("votes", sa.JSON, nullable=False),
        sa.Column("decision", sa.String(12), nullable=False),
        sa.Column("proposed_by", sa.String(40), nullable=False),
        sa.Column("recorded_at", _TZ, nullable=False),
        sa.Column("recorded_by", sa.String(150), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_examinations"),
        _fk("examinations", "person_id", "persons"),
        _fk("examinations", "commission_id", "commissions"),
    )
    op.create_index("ix_examinations_person_id", "examinations", ["person_id"])
    op.create_table(
        "examination_steps",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("examination_id", sa.Integer, nullable=False),
        sa.Column("step", sa.String(16), nullable=False),
        sa.Column("done_on", sa.Date, nullable=False),
        sa.Column("recorded_at", _TZ, nullable=False),
        sa.Column("recorded_by", sa.String(150), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_examination_steps"),
        _fk("examination_steps", "examination_id", "examinations"),
    )
    op.create_index("ix_examination_steps_examination_id", "examination_steps", ["examination_id"])
    op.create_table(
        "stages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("stage_on", sa.Date, nullable=False),
        sa.Column("release_side", sa.String(3), nullable=False),
        sa.Column("return_side", sa.String(3), nullable=False),
        sa.Column("parity", sa.String(24), nullable=False),
        sa.Column("capacity", sa.Integer, nullable=False),
        sa.Column("categories", sa.JSON, nullable=False),
        sa.Column("plan", sa.JSON, nullable=False),
        sa.Column("previous_id", sa.Integer),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stages"),
        _fk("stages", "previous_id", "stages"),
    )
    op.create_table(
        "stage_outcomes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("stage_id", sa.Integer, nullable=False),
        sa.Column("person_id", sa.Integer, nullable=False),
        sa.Column("manifest", sa.String(8), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("recorded_at", _TZ, nullable=False),
        sa.Column("recorded_by", sa.String(150), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stage_outcomes"),
        _fk("stage_outcomes", "stage_id", "stages"),
        _fk("stage_outcomes", "person_id", "persons"),
    )
    op.create_index("ix_stage_outcomes_stage_id", "stage_outcomes", ["stage_id"])
    op.create_table(
        "stage_claims",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("stage_id", sa.Integer, nullable=False),
        sa.Column("party", sa.String(3), nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("claimed_on", sa.Date, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("recorded_at", _TZ, nullable=False),
        sa.Column("recorded_by", sa.String(150), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stage_claims"),
        _fk("stage_claims", "stage_id", "stages"),
    )
    op.create_index("ix_stage_claims_stage_id", "stage_claims", ["stage_id"])
    op.create_table(
        "stage_documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("stage_id", sa.Integer, nullable=False),
        sa.Column("role", sa.String(24), nullable=False),
        sa.Column("list_id", sa.Integer),
        sa.Column("bundle_id", sa.Integer),
        sa.Column("recorded_at", _TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stage_documents"),
        _fk("stage_documents", "stage_id", "stages"),
        _fk("stage_documents", "list_id", "party_lists"),
        _fk("stage_documents", "bundle_id", "bundles"),
    )
    op.create_index("ix_stage_documents_stage_id", "stage_documents", ["stage_id"])
    for table in (
        "commissions",
        "examinations",
        "examination_steps",
        "stages",
        "stage_outcomes",
        "stage_claims",
        "stage_documents",
    ):
        _forbid_changes(table)


def _forbid_changes(table: str) -> None:
    """Decisions, plans, outcomes and claims are records of what happened: insert only."""
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
    raise NotImplementedError("Parley never drops what was decided; restore from a backup")
