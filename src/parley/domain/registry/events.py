"""What happened to a person, as an append-only stream.

Status is never stored as the only truth: it is derived from the events, in order of the day
they took effect. A wrong event is not edited away; a retraction event names it, and the
derivation skips it, so the record shows both the mistake and its correction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from parley.domain.errors import EventNotFound, InvalidEvent


class EventType(StrEnum):
    REPORTED_MISSING = "reported_missing"
    CAPTURE_CONFIRMED = "capture_confirmed"
    SEEN_IN_DETENTION = "seen_in_detention"
    DETAINED = "detained"
    LISTED = "listed"
    EXAMINED = "examined"
    ELIGIBLE = "eligible"
    RELEASED = "released"
    REPATRIATED = "repatriated"
    DIED = "died"
    REMAINS_RECEIVED = "remains_received"
    IDENTIFIED = "identified"
    NOTE = "note"
    RETRACTION = "retraction"
    CONSENT_GIVEN = "consent_given"
    CONSENT_REFUSED = "consent_refused"
    LEGAL_HOLD = "legal_hold"
    HOLD_LIFTED = "hold_lifted"
    MANIFEST_CERTIFIED = "manifest_certified"
    """Art. 112: the detaining power's doctors certify a manifestly serious case."""
    HANDOVER_REFUSED = "handover_refused"
    """On a stage's manifest, refused at the handover: nobody goes against their will."""
    HANDOVER_ABSENT = "handover_absent"


class Source(StrEnum):
    OWN_INFORMATION = "own_information"
    OTHER_SIDE_LIST = "other_side_list"
    ICRC = "icrc"
    MEDIATOR = "mediator"
    FAMILY = "family"
    RETURNEE = "returnee"


class Status(StrEnum):
    REGISTERED = "registered"
    MISSING = "missing"
    IN_CAPTIVITY = "in_captivity"
    HELD = "held"
    RELEASED = "released"
    RETURNED = "returned"
    DEAD = "dead"
    REMAINS_RECEIVED = "remains_received"
    IDENTIFIED = "identified"


STATUS_OF: dict[EventType, Status] = {
    EventType.REPORTED_MISSING: Status.MISSING,
    EventType.CAPTURE_CONFIRMED: Status.IN_CAPTIVITY,
    EventType.SEEN_IN_DETENTION: Status.IN_CAPTIVITY,
    EventType.DETAINED: Status.HELD,
    EventType.RELEASED: Status.RELEASED,
    EventType.REPATRIATED: Status.RETURNED,
    EventType.DIED: Status.DEAD,
    EventType.REMAINS_RECEIVED: Status.REMAINS_RECEIVED,
    EventType.IDENTIFIED: Status.IDENTIFIED,
}
"""Event types that move a person's status; the others annotate the history."""

_AFTER_DEATH = {
    EventType.REMAINS_RECEIVED,
    EventType.IDENTIFIED,
    EventType.LISTED,
    EventType.NOTE,
    EventType.RETRACTION,
    EventType.DIED,
}


@dataclass(frozen=True)
class Event:
    person_id: int
    type: EventType
    effective_date: date
    source: Source
    recorded_by: str
    note: str = ""
    retracts: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    id: int | None = None
    recorded_at: datetime | None = None

    @property
    def moves_status(self) -> bool:
        return self.type in STATUS_OF


@dataclass(frozen=True)
class History:
    """A person's events in the order they took effect, with what is still in force."""

    events: tuple[Event, ...]

    @classmethod
    def of(cls, events: Iterable[Event]) -> History:
        return cls(tuple(sorted(events, key=_order)))

    @property
    def retracted_ids(self) -> frozenset[int]:
        return frozenset(e.retracts for e in self.events if e.retracts is not None)

    def in_force(self) -> list[Event]:
        gone = self.retracted_ids
        return [e for e in self.events if e.id not in gone and e.type is not EventType.RETRACTION]

    def status(self) -> Status:
        moving = [e for e in self.in_force() if e.moves_status]
        return STATUS_OF[moving[-1].type] if moving else Status.REGISTERED

    def status_since(self) -> date | None:
        moving = [e for e in self.in_force() if e.moves_status]
        return moving[-1].effective_date if moving else None

    def check_new(self, event: Event, today: date) -> None:
        """The rules an event must pass before it joins the stream."""
        if event.effective_date > today:
            raise InvalidEvent(
                f"effective date {event.effective_date} is in the future", "effective_date"
            )
        if event.type is EventType.RETRACTION:
            self._check_retraction(event)
            return
        if event.retracts is not None:
            raise InvalidEvent("only a retraction event may name an event it retracts", "retracts")
        death = next((e for e in self.in_force() if e.type is EventType.DIED), None)
        if (
            death is not None
            and event.type not in _AFTER_DEATH
            and event.effective_date >= death.effective_date
        ):
            event_ref = "" if death.id is None else f" (event {death.id})"  # not yet stored
            raise InvalidEvent(
                f"the person is recorded dead since {death.effective_date}{event_ref}; "
                f"retract that event before recording '{event.type}'",
                "type",
            )

    def _check_retraction(self, event: Event) -> None:
        if event.retracts is None:
            raise InvalidEvent("a retraction must name the event it retracts", "retracts")
        if not event.note.strip():
            raise InvalidEvent("a retraction must say why in its note", "note")
        target = next((e for e in self.events if e.id == event.retracts), None)
        if target is None:
            raise EventNotFound(f"event {event.retracts} is not in this person's history")
        if target.type is EventType.RETRACTION:
            raise InvalidEvent(
                "a retraction cannot itself be retracted; record the event anew", "retracts"
            )
        if target.id in self.retracted_ids:
            raise InvalidEvent(f"event {target.id} is already retracted", "retracts")


def _order(event: Event) -> tuple[date, int]:
    return event.effective_date, event.id if event.id is not None else 1 << 62


@dataclass(frozen=True)
class EventDraft:
    """An event not yet attached to a stored person: what importers and generators produce."""

    type: EventType
    effective_date: date
    source: Source
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def bind(self, person_id: int, recorded_by: str) -> Event:
        return Event(
            person_id,
            self.type,
            self.effective_date,
            self.source,
            recorded_by,
            self.note,
            None,
            dict(self.details),
        )
