"""The engine's record of every person, kept beside the person; built now for those already held.

Triggers forget a person's record when what it is built from (names, identifiers, sex, birth
date) changes, whatever code changes it: the registry writes persons once, but a record must
never outlive the data it was built from. The next match run rebuilds what is missing.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

LOCK = 7310002
"""`store._link_records.LOCK`: the triggers take it shared, a refresh exclusively."""
WATCHED = {  # table: (its person id column, events that change a record's input)
    "persons": ("id", "UPDATE OF sex, birth_year, birth_month, birth_day"),
    "person_names": ("person_id", "INSERT OR UPDATE OR DELETE"),
    "person_identifiers": ("person_id", "INSERT OR UPDATE OR DELETE"),
}


def upgrade() -> None:
    op.create_table(
        "link_records",
        sa.Column("person_id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("recipe", sa.String(16), nullable=False),
        sa.Column("record", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("person_id", name="pk_link_records"),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name="fk_link_records_person_id_persons",
            ondelete="CASCADE",
        ),
    )
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_triggers()
    else:
        _postgresql_triggers()
    _backfill()


def _sqlite_triggers() -> None:
    # SQLite serialises writers (BEGIN IMMEDIATE), so no lock is needed; one trigger per event.
    for table, (column, events) in WATCHED.items():
        for event in events.split(" OR "):
            rows = {"INSERT": ("NEW",), "DELETE": ("OLD",)}.get(event, ("OLD", "NEW"))
            body = " ".join(
                f"DELETE FROM link_records WHERE person_id = {row}.{column};" for row in rows
            )
            name = f"{table}_forget_link_record_{event.split()[0].lower()}"
            op.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {body} END")


def _postgresql_triggers() -> None:
    op.execute(
        "CREATE FUNCTION parley_forget_link_record() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        f"PERFORM pg_advisory_xact_lock_shared({LOCK}); "
        "IF TG_OP <> 'INSERT' THEN DELETE FROM link_records "
        "WHERE person_id = (to_jsonb(OLD) ->> TG_ARGV[0])::integer; END IF; "
        "IF TG_OP <> 'DELETE' THEN DELETE FROM link_records "
        "WHERE person_id = (to_jsonb(NEW) ->> TG_ARGV[0])::integer; END IF; "
        "RETURN NULL; END $$"
    )
    for table, (column, events) in WATCHED.items():
        op.execute(
            f"CREATE TRIGGER {table}_forget_link_record AFTER {events} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION parley_forget_link_record('{column}')"
        )


def _backfill() -> None:
    """Every person already held, in batches; a minute or so per million persons."""
    from parley.services.matching import backfill
    from parley.store.matching import SqlMatchRepository

    logger = logging.getLogger("alembic.runtime.migration")
    session = Session(bind=op.get_bind())
    try:
        backfill(SqlMatchRepository(session), logger.info)
    finally:
        session.close()


def downgrade() -> None:
    raise NotImplementedError("Parley never drops the registry; restore from a backup instead")
