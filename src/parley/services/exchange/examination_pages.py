"""Examinations a page at a time: filtered, sorted and paged on the server, and the overdue count
the dashboard shows.

A filter or sort on a stored column (the commission, the visit day, the number) is done by the
database (`EXAMINATION_SQL_SORTS`); one on the Annex II state (overdue, decision, notify by,
days late) runs over every examination's state, computed once per data version and day
(`_states`), which the page's overdue count needs anyway. The people are read (and the reading
logged) for the page shown only, never for the thousands of rows the page leaves out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from pydantic import BaseModel

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.exchange.commissions import Examination, overdue
from parley.domain.exchange.examinations import moot
from parley.domain.paging import Page, TableQuery, page_of
from parley.services.accounts import log
from parley.services.cache import VersionedCache
from parley.services.exchange.commissions import _as_of, _views
from parley.services.exchange.facts import commission_of, examination_of
from parley.services.exchange.rows import CommissionRow, ExaminationRow
from parley.services.exchange.views import ExaminationView
from parley.services.registry import today
from parley.services.uow import UnitOfWork

EXAMINATION_SORTS = ("id", "visited_on", "commission", "decision", "notify_by", "days_late")
EXAMINATION_FILTERS = ("overdue", "by_commission", "decision")
EXAMINATION_SQL_SORTS = ("id", "visited_on", "commission")
"""Sorts on stored columns, done by the database when no filter on the state is asked for."""


class ExaminationPage(BaseModel):
    as_of: date
    items: list[ExaminationView]
    total: int
    """Examinations that pass the filters, over every page."""
    offset: int
    limit: int
    overdue: int
    """Of those, how many have a step past its deadline."""


def _late_days(exam: Examination, status: str, on: date) -> int:
    return max((o.days_late for o in overdue([exam], on) if not moot(o.what, status)), default=0)


def examinations_page(
    uow: UnitOfWork, actor: Actor, table: TableQuery, as_of: date | None = None
) -> ExaminationPage:
    """One page of the examinations as they stood on `as_of` (default today)."""
    actor.require(Permission.REGISTRY_READ)
    on = as_of or today()
    with uow:
        rows, stored, exams, late = _states.kept(uow, on, lambda u: _state(u, on))
        wanted = _filtered(rows, table, stored, exams, late)
        page: Page[ExaminationRow]
        if _stored_only(table):
            commission = table.filter("by_commission")
            found = uow.exchange.examination_table(table, visited_to=on, commission=commission)
            by_id = {r.id: r for r in rows}
            if any(i not in by_id for i in found.items):  # written between the two reads
                by_id = {r.id: r for r in _state(uow, on)[0]}
            shown = [by_id[i] for i in found.items]
            page = Page(shown, found.total, found.offset, found.limit)
        else:
            keys: dict[str, Callable[[ExaminationRow], Any]] = {
                "id": lambda r: r.id,
                "visited_on": lambda r: (r.visited_on, r.id),
                "commission": lambda r: (stored[r.commission_id].name, r.id),
                "decision": lambda r: (exams[r.id].decision.value, r.id),
                "notify_by": lambda r: (exams[r.id].notify_by, r.id),
                "days_late": lambda r: (late[r.id], r.id),
            }
            page = page_of(wanted, table, keys)
        views = _views(uow, page.items, stored, on, actor)
        log(
            uow,
            actor,
            "examination.list",
            "person",
            sorted({v.person_id for v in views}),
            as_of=on.isoformat(),
            page=page.number,
            examinations=len(views),
        )
        uow.commit()
    return ExaminationPage(
        as_of=on,
        items=views,
        total=page.total,
        offset=page.offset,
        limit=page.limit,
        overdue=sum(1 for r in wanted if late[r.id]),
    )


_State = tuple[
    list[ExaminationRow], dict[int, CommissionRow], dict[int, Examination], dict[int, int]
]
_states: VersionedCache[_State] = VersionedCache(8)
"""Every examination's state on a day, until a write changes the records; shared between
requests, so read only. Each page then filters, sorts and reads the people of its rows."""


def _state(uow: UnitOfWork, on: date) -> _State:
    """Inside the caller's transaction: rows, commissions, Annex II states, days late."""
    rows = [_as_of(r, on) for r in uow.exchange.examinations() if r.visited_on <= on]
    stored = {c.id: c for c in uow.exchange.commissions()}
    built = {c: commission_of(row) for c, row in stored.items()}
    statuses = _statuses(uow, rows)
    exams = {r.id: examination_of(r, built[r.commission_id]) for r in rows}
    late = {r.id: _late_days(exams[r.id], statuses.get(r.person_id, ""), on) for r in rows}
    return rows, stored, exams, late


def _statuses(uow: UnitOfWork, rows: list[ExaminationRow]) -> dict[int, str]:
    return {s.id: s.status for s in uow.persons.summaries(sorted({r.person_id for r in rows}))}


def _stored_only(table: TableQuery) -> bool:
    """No filter or sort on the Annex II state: the database can page it alone."""
    derived = table.filter("overdue") or table.filter("decision")
    return not derived and table.sort in ("", *EXAMINATION_SQL_SORTS)


def _filtered(
    rows: list[ExaminationRow],
    table: TableQuery,
    stored: dict[int, CommissionRow],
    exams: dict[int, Examination],
    late: dict[int, int],
) -> list[ExaminationRow]:
    commission, decision = table.filter("by_commission"), table.filter("decision")
    return [
        r
        for r in rows
        if (not table.filter("overdue") or late[r.id])
        and (not commission or stored[r.commission_id].name == commission)
        and (not decision or exams[r.id].decision.value == decision)
    ]


def overdue_examinations(uow: UnitOfWork, actor: Actor, as_of: date | None = None) -> int:
    """How many examinations have a decision or repatriation past its Annex II deadline.

    The same rule as the medical page (a repatriation of someone no longer held is moot); a
    count names nobody, so nothing is logged.
    """
    actor.require(Permission.REGISTRY_READ)
    on = as_of or today()
    with uow:
        rows = [_as_of(r, on) for r in uow.exchange.examinations() if r.visited_on <= on]
        built = {c.id: commission_of(c) for c in uow.exchange.commissions()}
        statuses = _statuses(uow, rows)
    return sum(
        1
        for r in rows
        if _late_days(examination_of(r, built[r.commission_id]), statuses.get(r.person_id, ""), on)
    )
