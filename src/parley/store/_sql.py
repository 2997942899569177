"""Small helpers every SQL repository shares, and one page of a long table in SQL: the
database counts, sorts and cuts, so a page of 50 costs the same whatever the table holds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Insert, Select, Table, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from parley.domain.errors import InvalidInput
from parley.domain.paging import PageRequest, TableQuery
from parley.store._time import as_utc


def _insert(session: Session, table: Table, statement: Insert) -> int:
    return int(session.execute(statement.returning(table.c.id)).scalar_one())


def _aware(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)


def _must(value: datetime | None) -> datetime:
    result = _aware(value)
    assert result is not None
    return result


# What a table can sort by: a column name offered to the screen -> the SQL expressions.
SortColumns = Mapping[str, Sequence[ColumnElement[Any]]]


def order_by(
    table: TableQuery, columns: SortColumns, tiebreak: Sequence[ColumnElement[Any]]
) -> list[Any]:
    """The ORDER BY of a table query: missing values last whatever the order, then the
    tiebreak (a unique key) so pages never overlap or skip a row.

    A sort name the table does not offer is refused, never ignored (the console checks
    it first; this stops a caller that did not)."""
    if table.sort and table.sort not in columns:
        raise InvalidInput(f"cannot sort by '{table.sort}': choose {', '.join(columns)}", "sort")
    terms: list[Any] = []
    for column in columns.get(table.sort, ()):
        # "IS NULL" sorts false before true on any SQLite and PostgreSQL; a column that
        # cannot be null goes without it, so the database can walk an index, not sort.
        if not (isinstance(column, Column) and not column.nullable):
            terms.append(column.is_(None))
        terms.append(column.desc() if table.descending else column.asc())
    return terms + list(tiebreak)


def count(session: Session, statement: Select[Any]) -> int:
    """How many rows a statement would give, counted by the database."""
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    return int(session.scalar(counted) or 0)


def check_window(
    total: int, window: PageRequest, page: int | None = None, field: str = "page"
) -> None:
    """A page past the last one is a clear refusal, not an empty table; `field` names the
    query value at fault (`removed_page` for a page's second table)."""
    if total and window.offset >= total:
        named = page if page is not None else window.offset // window.limit + 1
        raise InvalidInput(f"page {named} is past the last page", field)
