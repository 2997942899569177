"""Rows the matching repository hands back: plain values, shown by the CLI, API and console."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict

from parley.domain.dates import PartialDate
from parley.domain.matching import Decision, Outcome


class FieldScore(TypedDict):
    """One field's comparison as a candidate keeps it (from `linkage.explain.FieldComparison`)."""

    field: str
    level: str
    weight: float
    entry_value: str
    person_value: str


class NewCandidate(TypedDict):
    """A scored candidate of a run's entry, as the repository stores it."""

    person_id: int
    rank: int
    probability: float
    weight: float
    fields: list[FieldScore]


@dataclass(frozen=True)
class ModelRow:
    id: int
    trained_at: datetime
    trained_by: str
    training_source: str
    registry_size: int
    model: dict[str, Any]


@dataclass(frozen=True)
class RunRow:
    id: int
    kind: str
    source_name: str
    source_sha256: str
    model_id: int
    accept_threshold: float
    review_threshold: float
    entries: int
    created_at: datetime
    created_by: str
    counts: dict[str, int]


@dataclass(frozen=True)
class EntryRow:
    id: int
    run_id: int
    row: int
    entry_key: str
    entry: dict[str, Any]
    outcome: Outcome
    person_id: int | None
    probability: float | None


@dataclass(frozen=True)
class CandidateRow:
    person_id: int
    rank: int
    probability: float
    weight: float
    fields: list[FieldScore]


@dataclass(frozen=True)
class DecisionRow:
    entry_key: str
    person_id: int
    decision: Decision
    note: str
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True)
class PersonForLinkage:
    """What matching needs of a registry person: every name, birth, sex, identifiers."""

    id: int
    names: list[tuple[str, str, str, bool]]
    birth_date: PartialDate | None
    sex: str
    identifiers: dict[str, str]
