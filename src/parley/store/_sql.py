"""Small helpers every SQL repository shares."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Insert, Table
from sqlalchemy.orm import Session

from parley.store._time import as_utc


def _insert(session: Session, table: Table, statement: Insert) -> int:
    return int(session.execute(statement.returning(table.c.id)).scalar_one())


def _aware(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)


def _must(value: datetime | None) -> datetime:
    result = _aware(value)
    assert result is not None
    return result
