"""The agreements track: rounds, memoranda and their points, proposals and responses,
commitments and the parties' claims on them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}")


def _recorded() -> list[sa.Column[object]]:
    return [
        sa.Column("recorded_at", _TZ, nullable=False),
        sa.Column("recorded_by", sa.String(150), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "agreement_rounds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("host", sa.String(200), nullable=False),
        sa.Column("delegations", sa.JSON, nullable=False),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
        *_recorded(),
        sa.PrimaryKeyConstraint("id", name="pk_agreement_rounds"),
        sa.UniqueConstraint("number", name="uq_agreement_rounds_number"),
    )
    op.create_table(
        "memoranda",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("party", sa.String(3), nullable=False),
        sa.Column("round_number", sa.Integer),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("presented_on", sa.Date, nullable=False),
        sa.Column("sections", sa.JSON, nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("signed_by", sa.String(100), nullable=False),
        *_recorded(),
        sa.PrimaryKeyConstraint("id", name="pk_memoranda"),
    )
    op.create_table(
        "memorandum_points",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("memorandum_id", sa.Integer, nullable=False),
        sa.Column("section", sa.Integer, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("topics", sa.JSON, nullable=False),
        sa.Column("stance", sa.String(16), nullable=False),
        sa.Column("position", sa.String(100), nullable=False),
        sa.Column("option", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_memorandum_points"),
        _fk("memorandum_points", "memorandum_id", "memoranda"),
    )
    op.create_index("ix_memorandum_points_memorandum_id", "memorandum_points", ["memorandum_id"])
    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("party", sa.String(3), nullable=False),
        sa.Column("round_number", sa.Integer),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("option", sa.String(100), nullable=False),
        sa.Column("proposed_on", sa.Date, nullable=False),
        sa.Column("terms", sa.JSON, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("memorandum_id", sa.Integer),
        sa.Column("signed_by", sa.String(100), nullable=False),
        *_recorded(),
        sa.PrimaryKeyConstraint("id", name="pk_proposals"),
        _fk("proposals", "memorandum_id", "memoranda"),
    )
    op.create_table(
        "proposal_responses",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("proposal_id", sa.Integer, nullable=False),
        sa.Column("party", sa.String(3), nullable=False),
        sa.Column("response", sa.String(20), nullable=False),
        sa.Column("responded_on", sa.Date, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("counter_proposal_id", sa.Integer),
        sa.Column("signed_by", sa.String(100), nullable=False),
        *_recorded(),
        sa.PrimaryKeyConstraint("id", name="pk_proposal_responses"),
        _fk("proposal_responses", "proposal_id", "proposals"),
        _fk("proposal_responses", "counter_proposal_id", "proposals"),
    )
    op.create_index("ix_proposal_responses_proposal_id", "proposal_responses", ["proposal_id"])
    op.create_table(
        "commitments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("round_number", sa.Integer),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("parties", sa.JSON, nullable=False),
        sa.Column("metric", sa.JSON, nullable=False),
        sa.Column("target_kind", sa.String(12), nullable=False),
        sa.Column("target_low", sa.Integer),
        sa.Column("target_high", sa.Integer),
        sa.Column("deadline", sa.Date),
        sa.Column("tolerance", sa.Integer, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        *_recorded(),
        sa.PrimaryKeyConstraint("id", name="pk_commitments"),
    )
    op.create_table(
        "commitment_claims",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("commitment_id", sa.Integer, nullable=False),
        sa.Column("party", sa.String(3), nullable=False),
        sa.Column("value", sa.Integer, nullable=False),
        sa.Column("claimed_on", sa.Date, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("signed_by", sa.String(100), nullable=False),
        *_recorded(),
        sa.PrimaryKeyConstraint("id", name="pk_commitment_claims"),
        _fk("commitment_claims", "commitment_id", "commitments"),
    )
    op.create_index("ix_commitment_claims_commitment_id", "commitment_claims", ["commitment_id"])
    for table in (
        "agreement_rounds",
        "memoranda",
        "memorandum_points",
        "proposals",
        "proposal_responses",
        "commitments",
        "commitment_claims",
    ):
        _forbid_changes(table)


def _forbid_changes(table: str) -> None:
    """What was said and promised is a record: insert only, like decisions and claims."""
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
    raise NotImplementedError("Parley never drops what was said at the table; restore a backup")
