"""Matching: name keys, linkage models, match runs, candidates and reviewers' decisions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "person_name_keys",
        sa.Column("person_id", sa.Integer, nullable=False),
        sa.Column("part", sa.String(12), nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        _fk("person_name_keys", "person_id", "persons"),
    )
    op.create_index("ix_person_name_keys_key", "person_name_keys", ["key", "part"])
    op.create_index("ix_person_name_keys_person_id", "person_name_keys", ["person_id"])
    op.create_table(
        "linkage_models",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("trained_at", _TZ, nullable=False),
        sa.Column("trained_by", sa.String(150), nullable=False),
        sa.Column("training_source", sa.String(500), nullable=False),
        sa.Column("registry_size", sa.Integer, nullable=False),
        sa.Column("model", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_linkage_models"),
    )
    op.create_table(
        "match_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source_name", sa.String(500), nullable=False),
        sa.Column("source_sha256", sa.String(64), nullable=False),
        sa.Column("model_id", sa.Integer, nullable=False),
        sa.Column("accept_threshold", sa.Float, nullable=False),
        sa.Column("review_threshold", sa.Float, nullable=False),
        sa.Column("entries", sa.Integer, nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_match_runs"),
        _fk("match_runs", "model_id", "linkage_models"),
    )
    op.create_table(
        "match_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.Column("row", sa.Integer, nullable=False),
        sa.Column("entry_key", sa.String(64), nullable=False),
        sa.Column("entry", sa.JSON, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("person_id", sa.Integer),
        sa.Column("probability", sa.Float),
        sa.PrimaryKeyConstraint("id", name="pk_match_entries"),
        _fk("match_entries", "run_id", "match_runs"),
        _fk("match_entries", "person_id", "persons"),
    )
    op.create_index("ix_match_entries_run_id", "match_entries", ["run_id", "outcome"])
    op.create_table(
        "match_candidates",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entry_id", sa.Integer, nullable=False),
        sa.Column("person_id", sa.Integer, nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("probability", sa.Float, nullable=False),
        sa.Column("weight", sa.Float, nullable=False),
        sa.Column("fields", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_match_candidates"),
        _fk("match_candidates", "entry_id", "match_entries"),
        _fk("match_candidates", "person_id", "persons"),
    )
    op.create_index("ix_match_candidates_entry_id", "match_candidates", ["entry_id"])
    op.create_table(
        "match_decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entry_key", sa.String(64), nullable=False),
        sa.Column("person_id", sa.Integer, nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("run_id", sa.Integer),
        sa.Column("decided_by", sa.String(150), nullable=False),
        sa.Column("decided_at", _TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_match_decisions"),
        _fk("match_decisions", "person_id", "persons"),
        _fk("match_decisions", "run_id", "match_runs"),
    )
    op.create_index("ix_match_decisions_pair", "match_decisions", ["entry_key", "person_id"])
    _forbid_changes("match_decisions")


def _forbid_changes(table: str) -> None:
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
    raise NotImplementedError("Parley never drops the registry; restore from a backup instead")
