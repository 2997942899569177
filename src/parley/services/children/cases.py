"""Children's cases: open one, record what changes (every change an event with a source), read.

Only the ombudsman (and admins) read or write a child's record; a refusal is written to the
audit log before it is raised, so who tried to look at which child is on record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.children import (
    ChildCase,
    ChildEvent,
    ChildStatus,
    EventKind,
    Identity,
    Relative,
    check_transition,
    fold,
)
from parley.domain.errors import ChildCaseNotFound, PermissionDenied
from parley.domain.paging import Page, TableQuery
from parley.services.accounts import log
from parley.services.cache import VersionedCache
from parley.services.uow import UnitOfWork


def guard(
    uow: UnitOfWork, actor: Actor, permission: Permission, record_ids: Sequence[int] = ()
) -> None:
    """`actor.require`, with the refusal kept in the audit log (its own transaction)."""
    if actor.can(permission):
        return
    with uow:
        log(uow, actor, "children.denied", "child", record_ids, permission=str(permission))
        uow.commit()
    actor.require(permission)
    raise PermissionDenied(str(permission))  # pragma: no cover - require raised


def identity_data(identity: Identity) -> dict[str, Any]:
    data = asdict(identity)
    data["born"] = identity.born.isoformat() if identity.born else None
    return data


def open_case(
    uow: UnitOfWork,
    actor: Actor,
    reference: str,
    identity: Identity,
    *,
    on: date,
    source: str,
    taken: dict[str, Any] | None = None,
    relatives: Sequence[Relative] = (),
) -> ChildCase:
    """A child reported deported: the identity at the time, where, when and by whom taken."""
    guard(uow, actor, Permission.CHILDREN_RECORD)
    with uow:
        row = uow.children.add_case(reference, actor.label)
        events = [
            ChildEvent(row.id, EventKind.OPENED, on, source, {"taken": taken or {}}),
            ChildEvent(row.id, EventKind.IDENTITY, on, source, identity_data(identity)),
            *(ChildEvent(row.id, EventKind.RELATIVE, on, source, asdict(r)) for r in relatives),
        ]
        uow.children.add_events([_by(e, actor) for e in events])
        log(uow, actor, "children.open", "child", [row.id], reference=reference)
        uow.commit()
    return get_case(uow, actor, row.id)


@dataclass(frozen=True)
class CaseDraft:
    """A case to open in bulk (an existing list of children taken in at once)."""

    reference: str
    identity: Identity
    on: date
    source: str
    taken: dict[str, Any] = field(default_factory=dict)
    relatives: tuple[Relative, ...] = ()
    later: tuple[Identity, ...] = ()
    """Identities known since (renamed, adopted), recorded on the same day from the same source."""


def open_cases(uow: UnitOfWork, actor: Actor, drafts: Sequence[CaseDraft]) -> list[int]:
    """Open many cases in one transaction; gives their ids in order."""
    guard(uow, actor, Permission.CHILDREN_RECORD)
    ids: list[int] = []
    with uow:
        events: list[ChildEvent] = []
        for d in drafts:
            row = uow.children.add_case(d.reference, actor.label)
            ids.append(row.id)
            events += [
                ChildEvent(row.id, EventKind.OPENED, d.on, d.source, {"taken": d.taken}),
                *(
                    ChildEvent(row.id, EventKind.IDENTITY, d.on, d.source, identity_data(i))
                    for i in (d.identity, *d.later)
                ),
                *(
                    ChildEvent(row.id, EventKind.RELATIVE, d.on, d.source, asdict(r))
                    for r in d.relatives
                ),
            ]
        uow.children.add_events([_by(e, actor) for e in events])
        log(uow, actor, "children.open", "child", ids, count=len(ids))
        uow.commit()
    return ids


def _by(event: ChildEvent, actor: Actor) -> ChildEvent:
    return ChildEvent(
        event.case_id, event.kind, event.on, event.source, event.data, None, actor.label
    )


def record(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    kind: EventKind,
    data: dict[str, Any],
    *,
    on: date,
    source: str,
) -> ChildCase:
    """Any change to a case: a later identity, a relative and the proof, a custodian, …"""
    guard(uow, actor, Permission.CHILDREN_RECORD, [case_id])
    event = ChildEvent(case_id, kind, on, source, data, None, actor.label)
    with uow:
        case = _case(uow, case_id)
        if kind is EventKind.STATUS:
            check_transition(case.status, ChildStatus(data["status"]), data.get("reason", ""))
        uow.children.add_events([event])
        log(uow, actor, f"children.{kind}", "child", [case_id], source=source)
        uow.commit()
    return get_case(uow, actor, case_id)


def set_status(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    status: ChildStatus,
    *,
    on: date,
    source: str,
    reason: str = "",
) -> ChildCase:
    data = {"status": str(status), "reason": reason}
    return record(uow, actor, case_id, EventKind.STATUS, data, on=on, source=source)


def _case(uow: UnitOfWork, case_id: int, as_of: date | None = None) -> ChildCase:
    row = uow.children.case(case_id)
    if row is None:
        raise ChildCaseNotFound(f"no child's case {case_id}")
    return fold(row.id, row.reference, uow.children.events([case_id]).get(case_id, []), as_of)


def get_case(uow: UnitOfWork, actor: Actor, case_id: int) -> ChildCase:
    """A child's record: the ombudsman's (and admins') only; reading it is logged."""
    guard(uow, actor, Permission.CHILDREN_READ, [case_id])
    with uow:
        case = _case(uow, case_id)
        log(uow, actor, "children.read", "child", [case_id])
        uow.commit()
    return case


def all_cases(uow: UnitOfWork, as_of: date | None = None) -> list[ChildCase]:
    """Every case as of a date; for use cases that have checked the actor already."""
    events = uow.children.events()
    return [fold(r.id, r.reference, events.get(r.id, []), as_of) for r in uow.children.cases()]


_read: VersionedCache[list[ChildCase]] = VersionedCache(8)
"""Every case folded, per date, until a write changes the records: the children's page asked
for them four times (cases, counts, lists, progress per list), each a read of every event."""


def read_cases(uow: UnitOfWork, as_of: date | None = None) -> list[ChildCase]:
    """`all_cases` for use cases that only read (inside their `with uow`); the cases are
    shared between requests, so nobody may change them."""
    return list(_read.kept(uow, as_of, lambda u: all_cases(u, as_of)))


def list_cases(uow: UnitOfWork, actor: Actor) -> list[ChildCase]:
    guard(uow, actor, Permission.CHILDREN_READ)
    with uow:
        cases = read_cases(uow)
        log(uow, actor, "children.list", "child", count=len(cases))
        uow.commit()
    return cases


def case_table(uow: UnitOfWork, actor: Actor, table: TableQuery) -> Page[ChildCase]:
    """A page of the cases by reference, chosen and cut by the database; the cases themselves
    come folded from the events kept per data version (`read_cases`), as the page's filters
    on status and answers need them (the console's other path)."""
    guard(uow, actor, Permission.CHILDREN_READ)
    with uow:
        page = uow.children.case_table(table)
        folded = {c.id: c for c in read_cases(uow)}
        if any(i not in folded for i in page.items):  # written between the two reads
            folded = {c.id: c for c in all_cases(uow)}
        cases = [folded[i] for i in page.items]
        log(uow, actor, "children.list", "child", count=len(cases))
        uow.commit()
    return Page(cases, page.total, page.offset, page.limit)


def counts(uow: UnitOfWork, actor: Actor) -> dict[str, int]:
    """How many cases stand at each status: what other roles may see."""
    guard(uow, actor, Permission.CHILDREN_COUNTS)
    with uow:
        found = {str(s): 0 for s in ChildStatus}
        for case in read_cases(uow):
            found[str(case.status)] += 1
    return found
