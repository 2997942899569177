"""What the remains repository takes and gives: plain rows, no SQL types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TypedDict


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


class NewStep(TypedDict):
    body_id: int
    status: str
    missing_ref: str
    note: str
    recorded_by: str


@dataclass(frozen=True)
class StepRow:
    id: int
    body_id: int
    status: str
    missing_ref: str
    note: str
    recorded_at: datetime
    recorded_by: str


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
