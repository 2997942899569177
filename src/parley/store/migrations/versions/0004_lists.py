"""Lists, signed bundles, receipts and reconciliations.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "party_lists",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("category", sa.String(200), nullable=False),
        sa.Column("reference", sa.String(200), nullable=False),
        sa.Column("sender", sa.String(3), nullable=False),
        sa.Column("recipients", sa.JSON, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("recorded_at", _TZ, nullable=False),
        sa.Column("recorded_by", sa.String(150), nullable=False),
        sa.Column("origin", sa.String(12), nullable=False),
        sa.Column("query", sa.JSON),
        sa.Column("list_sha256", sa.String(64), nullable=False),
        sa.Column("previous_id", sa.Integer),
        sa.Column("previous_sha256", sa.String(64)),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("entry_count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_party_lists"),
        sa.UniqueConstraint("sender", "name", "version", name="uq_party_lists_version"),
        _fk("party_lists", "previous_id", "party_lists"),
    )
    op.create_table(
        "party_list_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("list_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("ref", sa.String(40), nullable=False),
        sa.Column("entry_key", sa.String(64), nullable=False),
        sa.Column("entry", sa.JSON, nullable=False),
        sa.Column("person_id", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_party_list_entries"),
        _fk("party_list_entries", "list_id", "party_lists"),
        _fk("party_list_entries", "person_id", "persons"),
    )
    op.create_index("ix_party_list_entries_list_id", "party_list_entries", ["list_id", "position"])
    op.create_table(
        "bundles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("direction", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("sender", sa.String(3), nullable=False),
        sa.Column("recipient", sa.String(3), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("signer_fingerprint", sa.String(40), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("stored_at", _TZ, nullable=False),
        sa.Column("stored_by", sa.String(150), nullable=False),
        sa.Column("provenance", sa.JSON, nullable=False),
        sa.Column("list_id", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_bundles"),
        sa.UniqueConstraint("sha256", name="uq_bundles_sha256"),
        _fk("bundles", "list_id", "party_lists"),
    )
    op.create_table(
        "bundle_receipts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("bundle_sha256", sa.String(64), nullable=False),
        sa.Column("receipt_bundle_id", sa.Integer, nullable=False),
        sa.Column("acknowledged_by", sa.String(3), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("received_at", sa.String(32), nullable=False),
        sa.Column("recorded_at", _TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_bundle_receipts"),
        _fk("bundle_receipts", "receipt_bundle_id", "bundles"),
    )
    op.create_index("ix_bundle_receipts_bundle_sha256", "bundle_receipts", ["bundle_sha256"])
    op.create_table(
        "list_reconciliations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("list_id", sa.Integer, nullable=False),
        sa.Column("match_run_id", sa.Integer, nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_list_reconciliations"),
        _fk("list_reconciliations", "list_id", "party_lists"),
        _fk("list_reconciliations", "match_run_id", "match_runs"),
    )
    op.create_index("ix_list_reconciliations_list_id", "list_reconciliations", ["list_id"])
    for table in ("party_lists", "party_list_entries", "bundles", "bundle_receipts"):
        _forbid_changes(table)


def _forbid_changes(table: str) -> None:
    """What was sent and received is evidence: rows are inserted, never changed or deleted."""
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
    raise NotImplementedError("Parley never drops what was exchanged; restore from a backup")
