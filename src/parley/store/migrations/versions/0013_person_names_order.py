"""The registry list's order as an index: surname, given name, person.

The list (API, console, CLI) shows persons by primary surname and given name; without an index
the database joins and sorts the whole registry for every page (about 50-90 ms for 8,000
persons on PostgreSQL, the largest part of a list request under load: issue 12, load_pg). With
it, a page reads its 50 names in order (under 1 ms).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_person_names_order", "person_names", ["surname", "given", "person_id"])


def downgrade() -> None:
    op.drop_index("ix_person_names_order", "person_names")
