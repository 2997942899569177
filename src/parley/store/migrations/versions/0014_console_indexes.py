"""Indexes for the console's long tables, paged, sorted and filtered in SQL (docs/console.md):
the registry by side and in name order, the audit log by who and by action. The name-order
index of 0013 gives way to one that leads with `is_primary`: the list now walks one primary
name per person.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_persons_side", "persons", ["side"])
    op.drop_index("ix_person_names_order", "person_names")
    op.create_index(
        "ix_person_names_sort", "person_names", ["is_primary", "surname", "given", "person_id"]
    )
    op.create_index("ix_audit_log_actor", "audit_log", ["actor", "seq"])
    op.create_index("ix_audit_log_action", "audit_log", ["action", "seq"])


def downgrade() -> None:
    raise NotImplementedError("Parley never drops records; restore from a backup instead")
