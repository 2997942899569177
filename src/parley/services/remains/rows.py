"""What the remains repository takes and gives: plain rows, no SQL types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Required, TypedDict


class NewBatch(TypedDict):
    handed_over_on: date
    place: str
    from_party: str
    to_party: str
    intermediary: str
    declared: int
    received: int
    declared_list_sha256: str | None
    recorded_by: str


@dataclass(frozen=True)
class BatchRow:
    id: int
    handed_over_on: date
    place: str
    from_party: str
    to_party: str
    intermediary: str
    declared: int
    received: int
    declared_list_sha256: str | None
    recorded_at: datetime
    recorded_by: str


class NewHandoff(TypedDict):
    batch_id: int
    bag: str
    received_by: str
    handed_at: datetime
    place: str
    seal: str
    recorded_by: str


@dataclass(frozen=True)
class HandoffRow:
    id: int
    batch_id: int
    bag: str
    received_by: str
    handed_at: datetime
    place: str
    seal: str
    recorded_at: datetime
    recorded_by: str


class NewBody(TypedDict):
    batch_id: int
    tag: str
    bag: str
    condition: str
    effects: str
    documents: str
    disc_halves: int
    recorded_by: str


@dataclass(frozen=True)
class BodyRow:
    id: int
    batch_id: int
    tag: str
    bag: str
    condition: str
    effects: str
    documents: str
    disc_halves: int
    recorded_at: datetime
    recorded_by: str


class NewStep(TypedDict, total=False):
    body_id: Required[int]
    status: Required[str]
    missing_ref: Required[str]
    note: Required[str]
    recorded_by: Required[str]
    occurred_at: datetime | None
    """When it happened, if earlier than recorded (a laboratory's date, the demo's days)."""


@dataclass(frozen=True)
class StepRow:
    id: int
    body_id: int
    status: str
    missing_ref: str
    note: str
    recorded_at: datetime
    recorded_by: str
    occurred_at: datetime | None = None

    @property
    def at(self) -> datetime:
        """When the step happened: as stated, else when it was recorded."""
        return self.occurred_at or self.recorded_at


class NewDnaCandidate(TypedDict):
    body_id: int
    missing_ref: str
    lr: float
    exclusions: int
    posterior: float
    prior: float
    source: str
    recorded_by: str


@dataclass(frozen=True)
class DnaCandidateRow:
    id: int
    body_id: int
    missing_ref: str
    lr: float
    exclusions: int
    posterior: float
    prior: float
    source: str
    recorded_at: datetime
    recorded_by: str


class NewReference(TypedDict):
    """One member of a reference family: a relative (donor), or the missing person."""

    family: str
    member: str
    father: str
    mother: str
    sex: int
    missing: bool
    person_id: int | None
    received_on: date
    source: str
    recorded_by: str


@dataclass(frozen=True)
class ReferenceRow:
    id: int
    family: str
    member: str
    father: str
    mother: str
    sex: int
    missing: bool
    person_id: int | None
    received_on: date
    source: str
    recorded_at: datetime
    recorded_by: str


class NewGenotype(TypedDict):
    family: str
    member: str
    marker: str
    allele1: str
    allele2: str
    recorded_by: str


@dataclass(frozen=True)
class GenotypeRow:
    family: str
    member: str
    marker: str
    allele1: str
    allele2: str


class NewConsent(TypedDict):
    family: str
    member: str
    state: str
    given_by: str
    decided_on: date
    recorded_by: str


@dataclass(frozen=True)
class ConsentRow:
    id: int
    family: str
    member: str
    state: str
    given_by: str
    decided_on: date
    recorded_at: datetime
    recorded_by: str


class NewBodyGenotype(TypedDict):
    body_id: int
    sex: int
    marker: str
    allele1: str
    allele2: str
    source: str
    recorded_by: str


@dataclass(frozen=True)
class BodyGenotypeRow:
    body_id: int
    sex: int
    marker: str
    allele1: str
    allele2: str
    source: str


class NewNotification(TypedDict):
    body_id: int
    missing_ref: str
    whom: str
    notified_by: str
    how: str
    notified_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class NotificationRow:
    id: int
    body_id: int
    missing_ref: str
    whom: str
    notified_by: str
    how: str
    notified_at: datetime
    recorded_at: datetime
    recorded_by: str
