"""The remains track's DNA records: reference families (pedigrees of relatives of missing
persons), their STR profiles and consent, body profiles, family notifications; and the day a
step happened (`occurred_at`), which may precede the day it was recorded.

Every new table is insert-only: a withdrawn consent is a new row, never a deleted one.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)
_TABLES = (
    "remains_references",
    "remains_reference_genotypes",
    "remains_consents",
    "remains_body_profiles",
    "remains_notifications",
)


def _recorded() -> list[sa.Column[object]]:
    return [
        sa.Column("recorded_at", _TZ, nullable=False),
        sa.Column("recorded_by", sa.String(150), nullable=False),
    ]


def upgrade() -> None:
    op.add_column("remains_steps", sa.Column("occurred_at", _TZ, nullable=True))
    op.create_table(
        "remains_references",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("family", sa.String(100), nullable=False),
        sa.Column("member", sa.String(100), nullable=False),
        sa.Column("father", sa.String(100), nullable=False),
        sa.Column("mother", sa.String(100), nullable=False),
        sa.Column("sex", sa.Integer, nullable=False),
        sa.Column("missing", sa.Boolean, nullable=False),
        sa.Column("person_id", sa.Integer, nullable=True),
        sa.Column("received_on", sa.Date, nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        *_recorded(),
        sa.PrimaryKeyConstraint("id", name="pk_remains_references"),
        sa.UniqueConstraint("family", "member", name="uq_remains_references_family_member"),
    )
    op.create_table(
        "remains_reference_genotypes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("family", sa.String(100), nullable=False),
        sa.Column("member", sa.String(100), nullable=False),
        sa.Column("marker", sa.String(40), nullable=False),
        sa.Column("allele1", sa.String(20), nullable=False),
        sa.Column("allele2", sa.String(20), nullable=False),
        *_recorded(),
        sa.PrimaryKeyConstraint("id", name="pk_remains_reference_genotypes"),
    )
    op.create_index(
        "ix_remains_reference_genotypes_family", "remains_reference_genotypes", ["family"]
    )
    op.create_table(
        "remains_consents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("family", sa.String(100), nullable=False),
        sa.Column("member", sa.String(100), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("given_by", sa.String(200), nullable=False),
        sa.Column("decided_on", sa.Date, nullable=False),
        *_recorded(),
        sa.PrimaryKeyConstraint("id", name="pk_remains_consents"),
    )
    op.create_index("ix_remains_consents_family", "remains_consents", ["family"])
    op.create_table(
        "remains_body_profiles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("body_id", sa.Integer, nullable=False),
        sa.Column("sex", sa.Integer, nullable=False),
        sa.Column("marker", sa.String(40), nullable=False),
        sa.Column("allele1", sa.String(20), nullable=False),
        sa.Column("allele2", sa.String(20), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        *_recorded(),
        sa.PrimaryKeyConstraint("id", name="pk_remains_body_profiles"),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["remains_bodies.id"],
            name="fk_remains_body_profiles_body_id_remains_bodies",
        ),
    )
    op.create_index("ix_remains_body_profiles_body_id", "remains_body_profiles", ["body_id"])
    op.create_table(
        "remains_notifications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("body_id", sa.Integer, nullable=False),
        sa.Column("missing_ref", sa.String(100), nullable=False),
        sa.Column("whom", sa.String(200), nullable=False),
        sa.Column("notified_by", sa.String(200), nullable=False),
        sa.Column("how", sa.String(100), nullable=False),
        sa.Column("notified_at", _TZ, nullable=False),
        *_recorded(),
        sa.PrimaryKeyConstraint("id", name="pk_remains_notifications"),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["remains_bodies.id"],
            name="fk_remains_notifications_body_id_remains_bodies",
        ),
    )
    op.create_index("ix_remains_notifications_body_id", "remains_notifications", ["body_id"])
    for table in _TABLES:
        _forbid_changes(table)


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
    raise NotImplementedError("Parley never drops what was recorded; restore from a backup")
