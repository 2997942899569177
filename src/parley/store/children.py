"""SQL for the children track. Cases and events are insert-only; an export is approved once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from parley.domain.children import ChildEvent, EventKind
from parley.domain.paging import Page, TableQuery
from parley.services.children.rows import CaseRow, ExportRow
from parley.store import tables as t
from parley.store._sql import check_window, count, order_by
from parley.store._time import as_utc, utc_now


class SqlChildRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_case(self, reference: str, created_by: str) -> CaseRow:
        values = {"reference": reference, "created_by": created_by, "created_at": utc_now()}
        new_id = self.session.execute(
            insert(t.child_cases).values(**values).returning(t.child_cases.c.id)
        ).scalar_one()
        return CaseRow(int(new_id), reference, created_by)

    def case(self, case_id: int) -> CaseRow | None:
        row = (
            self.session.execute(select(t.child_cases).where(t.child_cases.c.id == case_id))
            .mappings()
            .first()
        )
        return None if row is None else CaseRow(row["id"], row["reference"], row["created_by"])

    def cases(self) -> list[CaseRow]:
        rows = self.session.execute(select(t.child_cases).order_by(t.child_cases.c.id)).mappings()
        return [CaseRow(r["id"], r["reference"], r["created_by"]) for r in rows]

    def case_table(self, table: TableQuery) -> Page[int]:
        """A page of case ids by reference (the one stored column the cases table sorts by;
        status and answers are folded from the events), counted and cut by the database."""
        c = t.child_cases
        query = select(c.c.id)
        total = count(self.session, query)
        window = table.window
        check_window(total, window, table.page)
        ids = self.session.scalars(
            query.order_by(*order_by(table, {"reference": [c.c.reference]}, [c.c.id]))
            .offset(window.offset)
            .limit(window.limit)
        )
        return Page([int(i) for i in ids], total, window.offset, window.limit)

    def add_events(self, events: Sequence[ChildEvent]) -> None:
        if not events:
            return
        now = utc_now()
        self.session.execute(
            insert(t.child_events),
            [
                {
                    "case_id": e.case_id,
                    "kind": str(e.kind),
                    "occurred_on": e.on,
                    "source": e.source,
                    "data": e.data,
                    "recorded_at": now,
                    "recorded_by": e.recorded_by,
                }
                for e in events
            ],
        )

    def events(self, case_ids: Sequence[int] | None = None) -> dict[int, list[ChildEvent]]:
        query = select(t.child_events).order_by(t.child_events.c.id)
        if case_ids is not None:
            query = query.where(t.child_events.c.case_id.in_(list(case_ids)))
        found: dict[int, list[ChildEvent]] = {}
        for r in self.session.execute(query).mappings():
            found.setdefault(r["case_id"], []).append(_event(r))
        return found

    def add_export(self, list_ref: str, reason: str, requested_by: str) -> ExportRow:
        new_id = self.session.execute(
            insert(t.child_exports)
            .values(
                list_ref=list_ref,
                reason=reason,
                requested_by=requested_by,
                requested_at=utc_now(),
            )
            .returning(t.child_exports.c.id)
        ).scalar_one()
        found = self.export(int(new_id))
        assert found is not None
        return found

    def export(self, export_id: int) -> ExportRow | None:
        row = (
            self.session.execute(select(t.child_exports).where(t.child_exports.c.id == export_id))
            .mappings()
            .first()
        )
        return None if row is None else _export(row)

    def approve_export(self, export_id: int, approved_by: str, expires_at: datetime) -> None:
        self.session.execute(
            update(t.child_exports)
            .where(t.child_exports.c.id == export_id)
            .values(approved_by=approved_by, approved_at=utc_now(), expires_at=expires_at)
        )


def _event(r: RowMapping) -> ChildEvent:
    return ChildEvent(
        r["case_id"],
        EventKind(r["kind"]),
        r["occurred_on"],
        r["source"],
        dict(r["data"]),
        r["id"],
        r["recorded_by"],
    )


def _export(r: RowMapping) -> ExportRow:
    return ExportRow(
        r["id"],
        r["list_ref"],
        r["reason"],
        r["requested_by"],
        as_utc(r["requested_at"]),
        r["approved_by"],
        None if r["approved_at"] is None else as_utc(r["approved_at"]),
        None if r["expires_at"] is None else as_utc(r["expires_at"]),
    )
