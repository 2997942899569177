"""The children track: a deported child's case, kept as events, and a list's progress.

A case is the fold of its events, each with a date and a source, as in the registry: every
identity the child was known by (names and dates of birth change after deportation or
adoption), relatives with the proof of kinship, where and by whom the child was taken, the
custodian, the mediator, the lists the child was on and the other side's answers, and the
status, which moves reported → listed → answer received → located → return arranged →
returned → reunited, or is closed with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from parley.domain.errors import InvalidCaseStatus, InvalidInput


class ChildStatus(StrEnum):
    REPORTED = "reported"
    LISTED = "listed"
    ANSWER_RECEIVED = "answer_received"
    LOCATED = "located"
    RETURN_ARRANGED = "return_arranged"
    RETURNED = "returned"
    REUNITED = "reunited"
    CLOSED = "closed"


ORDER: list[ChildStatus] = [s for s in ChildStatus if s is not ChildStatus.CLOSED]
"""The way forward; a case may skip steps (a child may return without an answer) but never
go back, and may be closed from any open status."""


class AnswerKind(StrEnum):
    LOCATED = "located"
    NOT_FOUND = "not_found"
    REFUSED = "refused"
    NO_ANSWER = "no_answer"


class EventKind(StrEnum):
    OPENED = "opened"
    IDENTITY = "identity"
    RELATIVE = "relative"
    CUSTODIAN = "custodian"
    MEDIATOR = "mediator"
    CONSENT = "consent"
    LISTED = "listed"
    ANSWER = "answer"
    STATUS = "status"


def check_transition(current: ChildStatus, new: ChildStatus, reason: str = "") -> None:
    """Refuse a step back, a step out of a closed case, or a closing without a reason."""
    if current is ChildStatus.CLOSED:
        raise InvalidCaseStatus("the case is closed", "status")
    if new is ChildStatus.CLOSED:
        if not reason.strip():
            raise InvalidInput("closing a case needs a reason", "reason")
        return
    if ORDER.index(new) <= ORDER.index(current):
        raise InvalidCaseStatus(f"a case cannot go from '{current}' to '{new}'", "status")


@dataclass(frozen=True)
class Identity:
    """One version of who the child is: at deportation, or as later renamed or adopted."""

    given_name: str
    family_name: str
    patronymic: str = ""
    born: date | None = None
    place_of_birth: str = ""
    note: str = ""  # "at deportation", "after adoption", …


@dataclass(frozen=True)
class Relative:
    name: str
    relationship: str
    proof: str = ""  # "birth certificate", "DNA", …
    verified_by: str = ""


@dataclass(frozen=True)
class ChildEvent:
    case_id: int
    kind: EventKind
    on: date
    source: str
    data: dict[str, Any] = field(default_factory=dict)
    id: int | None = None
    recorded_by: str = ""

    def __post_init__(self) -> None:
        if not self.source.strip():
            raise InvalidInput("every change to a child's case needs a source", "source")


@dataclass
class ChildCase:
    """What the events of one case say, as of the last event folded in."""

    id: int
    reference: str
    status: ChildStatus = ChildStatus.REPORTED
    identities: list[Identity] = field(default_factory=list)
    relatives: list[Relative] = field(default_factory=list)
    taken: dict[str, Any] = field(default_factory=dict)
    custodian: dict[str, Any] = field(default_factory=dict)
    mediator: str = ""
    consent: str = ""
    lists: list[str] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)  # list → the latest answer kind
    closed_reason: str = ""
    events: list[ChildEvent] = field(default_factory=list)


def _identity(data: dict[str, Any]) -> Identity:
    born = data.get("born")
    return Identity(
        data.get("given_name", ""),
        data.get("family_name", ""),
        data.get("patronymic", ""),
        date.fromisoformat(born) if born else None,
        data.get("place_of_birth", ""),
        data.get("note", ""),
    )


def fold(
    case_id: int, reference: str, events: list[ChildEvent], as_of: date | None = None
) -> ChildCase:
    """The case as its events tell it, counting only those on or before `as_of`."""
    case = ChildCase(case_id, reference)
    for e in sorted(events, key=lambda e: (e.on, e.id or 0)):
        if as_of is not None and e.on > as_of:
            continue
        case.events.append(e)
        d = e.data
        if e.kind is EventKind.OPENED:
            case.taken = dict(d.get("taken", {}))
        elif e.kind is EventKind.IDENTITY:
            case.identities.append(_identity(d))
        elif e.kind is EventKind.RELATIVE:
            case.relatives.append(
                Relative(d["name"], d["relationship"], d.get("proof", ""), d.get("verified_by", ""))
            )
        elif e.kind is EventKind.CUSTODIAN:
            case.custodian = dict(d)
        elif e.kind is EventKind.MEDIATOR:
            case.mediator = d["mediator"]
        elif e.kind is EventKind.CONSENT:
            case.consent = d["consent"]
        elif e.kind is EventKind.LISTED:
            case.lists.append(d["list"])
            _advance(case, ChildStatus.LISTED)
        elif e.kind is EventKind.ANSWER:
            case.answers[d["list"]] = d["answer"]
            _advance(case, ChildStatus.ANSWER_RECEIVED)
            if d["answer"] == AnswerKind.LOCATED:
                _advance(case, ChildStatus.LOCATED)
        elif e.kind is EventKind.STATUS:
            case.status = ChildStatus(d["status"])
            case.closed_reason = d.get("reason", "")
    return case


def _advance(case: ChildCase, status: ChildStatus) -> None:
    if case.status is not ChildStatus.CLOSED and ORDER.index(status) > ORDER.index(case.status):
        case.status = status


@dataclass(frozen=True)
class Progress:
    """Where the children of one list stand, as of a date."""

    list_ref: str
    as_of: date
    listed: int
    answered: int
    located: int
    not_found: int
    refused: int
    returned: int
    reunited: int
    no_answer_after: int  # listed at least `overdue_days` ago with no answer yet
    overdue_days: int


def progress(
    list_ref: str,
    cases: list[ChildCase],
    listed_on: dict[int, date],
    as_of: date,
    overdue_days: int,
) -> Progress:
    """Count from cases already folded as of `as_of`; `listed_on` gives when each was listed."""
    on_list = [c for c in cases if list_ref in c.lists]
    answered = [c for c in on_list if c.answers.get(list_ref, AnswerKind.NO_ANSWER) != "no_answer"]
    kinds = [c.answers.get(list_ref, "") for c in on_list]
    reached = {c.id: ORDER.index(c.status) if c.status in ORDER else -1 for c in on_list}
    answered_ids = {c.id for c in answered}  # by id: comparing whole cases took most of a page
    overdue = [
        c
        for c in on_list
        if c.id not in answered_ids and (as_of - listed_on.get(c.id, as_of)).days >= overdue_days
    ]
    return Progress(
        list_ref,
        as_of,
        len(on_list),
        len(answered),
        sum(1 for c in on_list if reached[c.id] >= ORDER.index(ChildStatus.LOCATED)),
        kinds.count(AnswerKind.NOT_FOUND),
        kinds.count(AnswerKind.REFUSED),
        sum(1 for c in on_list if reached[c.id] >= ORDER.index(ChildStatus.RETURNED)),
        sum(1 for c in on_list if reached[c.id] >= ORDER.index(ChildStatus.REUNITED)),
        len(overdue),
        overdue_days,
    )


def waiting_for_answer(case: ChildCase, as_of: date, overdue_days: int) -> bool:
    """Listed to the other side at least `overdue_days` before `as_of` on a list that has not
    been answered for this child (the case as folded up to `as_of`)."""
    return any(
        event.kind is EventKind.LISTED
        and case.answers.get(event.data["list"], AnswerKind.NO_ANSWER) == AnswerKind.NO_ANSWER
        and (as_of - event.on).days >= overdue_days
        for event in case.events
    )
