"""Initial schema: registry, events, accounts, sessions, imports, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("imported_at", _TZ, nullable=False),
        sa.Column("imported_by", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_imports"),
        sa.UniqueConstraint("sha256", name="uq_imports_sha256"),
    )
    op.create_table(
        "persons",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String(32), nullable=False),
        sa.Column("side", sa.String(3), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("sex", sa.String(8), nullable=False),
        sa.Column("birth_year", sa.Integer),
        sa.Column("birth_month", sa.Integer),
        sa.Column("birth_day", sa.Integer),
        sa.Column("birth_earliest", sa.Date),
        sa.Column("birth_latest", sa.Date),
        sa.Column("unit", sa.String(200), nullable=False),
        sa.Column("rank", sa.String(100), nullable=False),
        sa.Column("incident_place", sa.String(200), nullable=False),
        sa.Column("incident_date", sa.Date),
        sa.Column("health", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("import_id", sa.Integer),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_persons"),
        sa.UniqueConstraint("uid", name="uq_persons_uid"),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name="fk_persons_import_id_imports"),
    )
    op.create_index("ix_persons_category", "persons", ["category"])
    op.create_index("ix_persons_birth", "persons", ["birth_earliest", "birth_latest"])
    op.create_index("ix_persons_incident_date", "persons", ["incident_date"])

    op.create_table(
        "person_names",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("surname", sa.String(200), nullable=False),
        sa.Column("given", sa.String(200), nullable=False),
        sa.Column("patronymic", sa.String(200), nullable=False),
        sa.Column("script", sa.String(4), nullable=False),
        sa.Column("language", sa.String(3), nullable=False),
        sa.Column("scheme", sa.String(100)),
        sa.Column("is_primary", sa.Boolean, nullable=False),
        sa.Column("folded", sa.String(700), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_person_names"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name="fk_person_names_person_id_persons"
        ),
    )
    op.create_index("ix_person_names_person_id", "person_names", ["person_id"])
    op.create_index("ix_person_names_folded", "person_names", ["folded"])

    op.create_table(
        "person_identifiers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("value", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_person_identifiers"),
        sa.UniqueConstraint("kind", "value", name="uq_person_identifiers_kind_value"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name="fk_person_identifiers_person_id_persons"
        ),
    )
    op.create_index("ix_person_identifiers_person_id", "person_identifiers", ["person_id"])

    op.create_table(
        "person_relatives",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("relationship", sa.String(100), nullable=False),
        sa.Column("contact", sa.String(300), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_person_relatives"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name="fk_person_relatives_person_id_persons"
        ),
    )
    op.create_index("ix_person_relatives_person_id", "person_relatives", ["person_id"])

    op.create_table(
        "person_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("effective_date", sa.Date, nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("retracts", sa.Integer),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("recorded_at", _TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_person_events"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name="fk_person_events_person_id_persons"
        ),
        sa.ForeignKeyConstraint(
            ["retracts"], ["person_events.id"], name="fk_person_events_retracts_person_events"
        ),
    )
    op.create_index("ix_person_events_person_id", "person_events", ["person_id"])

    op.create_table(
        "person_status",
        sa.Column("person_id", sa.Integer, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("since", sa.Date),
        sa.PrimaryKeyConstraint("person_id", name="pk_person_status"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name="fk_person_status_person_id_persons"
        ),
    )
    op.create_index("ix_person_status_status", "person_status", ["status"])

    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(40), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("roles", sa.String(300), nullable=False),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_accounts"),
        sa.UniqueConstraint("username", name="uq_accounts_username"),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("revoked_at", _TZ),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name="fk_api_tokens_account_id_accounts"
        ),
    )
    op.create_table(
        "console_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.Integer, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("expires_at", _TZ, nullable=False),
        sa.Column("revoked_at", _TZ),
        sa.PrimaryKeyConstraint("id", name="pk_console_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_console_sessions_token_hash"),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name="fk_console_sessions_account_id_accounts"
        ),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(150), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("record_type", sa.String(50), nullable=False),
        sa.Column("record_ids", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_log"),
    )
    _forbid_changes("person_events")


def _forbid_changes(table: str) -> None:
    """The event stream is append-only in the database too, not only in the code."""
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION parley_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION parley_append_only()"
    )


def downgrade() -> None:
    raise NotImplementedError("Parley never drops the registry; restore from a backup instead")
