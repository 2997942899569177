"""Lists of children to the other side, its answers matched to our cases, and each list's progress.

An answer names a child as the other side knows it now: often another name, sometimes another
date of birth. The matching engine compares it with every identity a case has kept, and also on
place of birth, institution and a relative's name (`ExtraField`s), so a renamed child is still
found through what did not change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.children import (
    AnswerKind,
    ChildCase,
    ChildEvent,
    EventKind,
    Progress,
    progress,
    waiting_for_answer,
)
from parley.domain.dates import PartialDate
from parley.domain.errors import (
    ExportNotApproved,
    ExportRequestNotFound,
    InvalidInput,
    PermissionDenied,
    WrongParty,
)
from parley.domain.matching import ListEntry
from parley.linkage import engine
from parley.linkage.model import ExtraField
from parley.linkage.records import LinkRecord
from parley.services.accounts import log
from parley.services.children.cases import all_cases, guard, read_cases
from parley.services.children.rows import ExportRow
from parley.services.matching import entry_record
from parley.services.uow import UnitOfWork

EXTRA = (
    ExtraField("place_of_birth", "code", block_with=()),
    ExtraField("institution", "code", block_with=()),
    ExtraField("relative", "code", block_with=()),
)
"""What survives a renaming: compared beside names and birth, each blocking on its own. Kept
as "code" (exact, or one character off, on folded words): no term frequencies, which a list of
a few hundred children cannot estimate."""
CHILD_LEVELS: dict[str, dict[str, tuple[float, float]]] = {
    "place_of_birth": {"same": (0.85, 0.02), "one character off": (0.05, 0.002)},
    "institution": {"same": (0.6, 0.02), "one character off": (0.05, 0.002)},
    "relative": {"same": (0.7, 0.0005), "one character off": (0.1, 0.0002)},
}
"""m and u of the extra fields, set rather than learned: a list of a few hundred children is too
small to learn them, and what they say is known (a relative's name rarely agrees by chance)."""
RENAMED = {"surname": 0.3, "given": 0.3, "patronymic": 0.2}
"""m of "different" names: deported children are often renamed, so a different name counts
against a match far less than it does for an adult."""
ACCEPT = 0.5
"""An answer goes to the case whose identities it most likely is, at this probability or more."""
OVERDUE_DAYS = 30
EXPORT_HOURS = 24


@dataclass(frozen=True)
class ChildAnswer:
    """The other side's answer about one child, as it wrote it."""

    answer: AnswerKind
    surname: str
    given: str
    patronymic: str = ""
    born: date | None = None
    place_of_birth: str = ""
    institution: str = ""
    relative: str = ""
    note: str = ""


@dataclass(frozen=True)
class MatchedAnswer:
    answer: ChildAnswer
    case_id: int | None
    probability: float | None


@dataclass(frozen=True)
class AnswersOutcome:
    list_ref: str
    matched: list[MatchedAnswer] = field(default_factory=list)

    @property
    def unmatched(self) -> int:
        return sum(1 for m in self.matched if m.case_id is None)


def check_recipients(case: ChildCase, list_ref: str, recipients: Sequence[str]) -> None:
    """A child's record travels only to the party the list is addressed to and the mediator."""
    listed = [
        e.data for e in case.events if e.kind is EventKind.LISTED and e.data["list"] == list_ref
    ]
    allowed = {p.upper() for d in listed for p in (d.get("addressee", ""), d.get("mediator", ""))}
    stray = sorted({r.upper() for r in recipients} - allowed)
    if not listed or stray:
        raise WrongParty(
            f"case {case.reference} may go only to {', '.join(sorted(allowed)) or 'nobody'} "
            f"on list {list_ref}, not to {', '.join(stray) or 'this list'}",
            "recipient",
        )


def send_list(
    uow: UnitOfWork,
    actor: Actor,
    list_ref: str,
    case_ids: Sequence[int],
    *,
    addressee: str,
    mediator: str,
    on: date,
    source: str,
) -> int:
    """Put children on a list to the other side's ombudsman, through a mediator."""
    guard(uow, actor, Permission.CHILDREN_RECORD, case_ids)
    data = {"list": list_ref, "addressee": addressee.upper(), "mediator": mediator.upper()}
    with uow:
        uow.children.add_events(
            [ChildEvent(i, EventKind.LISTED, on, source, data, None, actor.label) for i in case_ids]
        )
        log(uow, actor, "children.list.send", "child", case_ids, **data)
        uow.commit()
    return len(case_ids)


def _records(
    cases: Sequence[ChildCase],
) -> tuple[list[LinkRecord], dict[str, dict[str, str | None]]]:
    """One record per identity (and per relative) of each case: `c{case}.{i}.{j}`."""
    found: list[LinkRecord] = []
    values: dict[str, dict[str, str | None]] = {}
    for case in cases:
        institution = str(case.custodian.get("institution", "")) or None
        relatives: list[str | None] = [r.name for r in case.relatives] or [None]
        for i, identity in enumerate(case.identities):
            for j, relative in enumerate(relatives):
                entry = _entry(
                    0, identity.family_name, identity.given_name, identity.patronymic, identity.born
                )
                uid = f"c{case.id}.{i}.{j}"
                found.append(replace(entry_record(entry), unique_id=uid))
                values[uid] = {
                    "place_of_birth": _folded(identity.place_of_birth),
                    "institution": _folded(institution),
                    "relative": _folded(relative),
                }
    return found, values


def _folded(text: str | None) -> str | None:
    words = " ".join(sorted((text or "").casefold().replace(".", " ").split()))
    return words or None


def _entry(row: int, surname: str, given: str, patronymic: str, born: date | None) -> ListEntry:
    return ListEntry(row, surname, given, patronymic, PartialDate.of(born) if born else None)


def children_model(trained: dict[str, Any]) -> dict[str, Any]:
    """The engine's model with the children's levels (`CHILD_LEVELS`, `RENAMED`) set."""
    for comparison in trained["comparisons"]:
        name = comparison["output_column_name"]
        for level in comparison["comparison_levels"]:
            label = level.get("label_for_charts")
            if name in CHILD_LEVELS and label in CHILD_LEVELS[name]:
                level["m_probability"], level["u_probability"] = CHILD_LEVELS[name][label]
            elif name in CHILD_LEVELS and label == "different":
                same = sum(m for m, _ in CHILD_LEVELS[name].values())
                near = sum(u for _, u in CHILD_LEVELS[name].values())
                level["m_probability"], level["u_probability"] = 1 - same, 1 - near
            elif name in RENAMED and label == "different":
                level["m_probability"] = RENAMED[name]
    return trained


def match_answers(
    cases: Sequence[ChildCase], answers: Sequence[ChildAnswer]
) -> list[MatchedAnswer]:
    """Each answer to the case it most likely is, or to none."""
    registry, values = _records(cases)
    entries = []
    for row, a in enumerate(answers):
        uid = f"e{row}"
        record = entry_record(_entry(row, a.surname, a.given, a.patronymic, a.born))
        entries.append(replace(record, unique_id=uid))
        values[uid] = {
            "place_of_birth": _folded(a.place_of_birth),
            "institution": _folded(a.institution),
            "relative": _folded(a.relative),
        }
    if not registry or not entries:
        return [MatchedAnswer(a, None, None) for a in answers]
    trained = children_model(engine.train(registry, entries, extra=EXTRA, extra_values=values))
    best: dict[str, tuple[float, int]] = {}
    for pair in engine.predict(trained, entries, registry, extra_values=values):
        case_id = int(pair.person_id[1:].split(".")[0])
        score = pair.match_probability
        if score > best.get(pair.entry_id, (0.0, 0))[0]:
            best[pair.entry_id] = (score, case_id)
    matched = []
    for row, a in enumerate(answers):
        score, case_id = best.get(f"e{row}", (0.0, 0))
        ok = score >= ACCEPT
        matched.append(MatchedAnswer(a, case_id if ok else None, score if ok else None))
    return matched


def record_answers(
    uow: UnitOfWork,
    actor: Actor,
    list_ref: str,
    answers: Sequence[ChildAnswer],
    *,
    on: date,
    source: str,
) -> AnswersOutcome:
    """The other side's answers for a list: matched to the cases on it, one event each."""
    guard(uow, actor, Permission.CHILDREN_RECORD)
    with uow:
        on_list = [c for c in all_cases(uow) if list_ref in c.lists]
        matched = match_answers(on_list, answers)
        events = [
            ChildEvent(
                m.case_id,
                EventKind.ANSWER,
                on,
                source,
                {"list": list_ref, "answer": str(m.answer.answer), "note": m.answer.note},
                None,
                actor.label,
            )
            for m in matched
            if m.case_id is not None
        ]
        uow.children.add_events(events)
        outcome = AnswersOutcome(list_ref, matched)
        log(
            uow,
            actor,
            "children.answers",
            "child",
            [e.case_id for e in events],
            list=list_ref,
            answers=len(answers),
            unmatched=outcome.unmatched,
        )
        uow.commit()
    return outcome


def _progress(uow: UnitOfWork, list_ref: str, as_of: date, overdue_days: int) -> Progress:
    cases = read_cases(uow, as_of)
    listed_on = {
        c.id: min(
            e.on for e in c.events if e.kind is EventKind.LISTED and e.data["list"] == list_ref
        )
        for c in cases
        if list_ref in c.lists
    }
    return progress(list_ref, cases, listed_on, as_of, overdue_days)


def list_progress(
    uow: UnitOfWork,
    actor: Actor,
    list_ref: str,
    as_of: date | None = None,
    overdue_days: int = OVERDUE_DAYS,
) -> Progress:
    """Answered, located, returned, reunited and overdue on one list: counts, for every role
    that may see counts."""
    guard(uow, actor, Permission.CHILDREN_COUNTS)
    with uow:
        return _progress(uow, list_ref, as_of or datetime.now(UTC).date(), overdue_days)


def list_refs(uow: UnitOfWork, actor: Actor) -> list[str]:
    guard(uow, actor, Permission.CHILDREN_COUNTS)
    with uow:
        return sorted({ref for c in read_cases(uow) for ref in c.lists})


def answers_received(uow: UnitOfWork, *, list_ref: str, as_of: date) -> int:
    """How many children on a list the other side had answered for by a date (a count only:
    for the agreements track's commitments)."""
    with uow:
        return _progress(uow, list_ref, as_of, OVERDUE_DAYS).answered


def answers_since(uow: UnitOfWork, *, since: date | None, as_of: date) -> int:
    """Children answered for by a date, over every list sent on or after `since`: what a
    commitment on "the list of children" is measured by. Runs inside the caller's open
    unit of work (the agreements track computes all its figures in one transaction). The
    folded cases are the ones kept per data version: each commitment on children asked for
    every case again, a read of every event each (`read_cases`)."""
    cases = read_cases(uow, as_of)
    refs = {
        e.data["list"]
        for c in cases
        for e in c.events
        if e.kind is EventKind.LISTED and (since is None or e.on >= since)
    }
    return sum(_progress(uow, ref, as_of, OVERDUE_DAYS).answered for ref in sorted(refs))


def request_export(uow: UnitOfWork, actor: Actor, list_ref: str, reason: str) -> ExportRow:
    """Children's data leave only with a second ombudsman's approval: this asks for it."""
    guard(uow, actor, Permission.CHILDREN_EXPORT)
    if not reason.strip():
        raise InvalidInput("an export of children's data needs a reason", "reason")
    with uow:
        row = uow.children.add_export(list_ref, reason, actor.label)
        log(uow, actor, "children.export.request", "child_export", [row.id], list=list_ref)
        uow.commit()
    return row


def approve_export(
    uow: UnitOfWork, actor: Actor, export_id: int, hours: int = EXPORT_HOURS
) -> ExportRow:
    guard(uow, actor, Permission.CHILDREN_EXPORT)
    with uow:
        row = uow.children.export(export_id)
        if row is None:
            raise ExportRequestNotFound(f"no export request {export_id}")
        if row.requested_by.split(":")[-1] == actor.username:
            raise PermissionDenied("an export is approved by a second person, not its requester")
        expires = datetime.now(UTC) + timedelta(hours=hours)
        uow.children.approve_export(export_id, actor.label, expires)
        log(uow, actor, "children.export.approve", "child_export", [export_id], hours=hours)
        uow.commit()
        approved = uow.children.export(export_id)
    assert approved is not None
    return approved


def export_cases(
    uow: UnitOfWork, actor: Actor, export_id: int, now: datetime | None = None
) -> list[ChildCase]:
    """The cases on the export's list, if a second person approved it and it has not expired."""
    guard(uow, actor, Permission.CHILDREN_EXPORT)
    at = now or datetime.now(UTC)
    with uow:
        row = uow.children.export(export_id)
        if row is None or row.approved_by is None or row.expires_at is None:
            log(uow, actor, "children.export.refused", "child_export", [export_id])
            uow.commit()
            raise ExportNotApproved(f"export {export_id} was not approved by a second ombudsman")
        if row.expires_at <= at:
            log(uow, actor, "children.export.refused", "child_export", [export_id])
            uow.commit()
            raise ExportNotApproved(f"the approval of export {export_id} expired")
        cases = [c for c in all_cases(uow) if row.list_ref in c.lists]
        log(uow, actor, "children.export", "child_export", [export_id], cases=len(cases))
        uow.commit()
    return cases


def unanswered_cases(
    uow: UnitOfWork, actor: Actor, as_of: date | None = None, overdue_days: int = OVERDUE_DAYS
) -> int:
    """Children listed to the other side at least `overdue_days` ago on some list that has
    not been answered for them: each child counted once, however many lists name it."""
    guard(uow, actor, Permission.CHILDREN_COUNTS)
    on = as_of or datetime.now(UTC).date()
    with uow:
        cases = all_cases(uow, on)
    return sum(1 for case in cases if waiting_for_answer(case, on, overdue_days))
