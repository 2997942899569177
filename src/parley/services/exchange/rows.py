"""What the exchange repository takes and gives: plain rows, no SQL types.

The `New*` dictionaries are what a use case hands the repository to store (typed, so a key
misspelt in a service fails the type check); the dataclasses are what it hands back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypedDict


class MemberData(TypedDict):
    """A commission member as stored: `domain.exchange.commissions.Member` in JSON."""

    name: str
    party: str
    role: str
    chair: bool
    specialty: str


class ConditionData(TypedDict):
    """An Annex I condition as stored: `domain.exchange.commissions.Condition` in JSON."""

    category: str
    item: str
    unquestionable: bool
    predates_war_not_worsened: bool


@dataclass(frozen=True)
class CommissionRow:
    id: int
    name: str
    members: list[MemberData]
    deputies: list[MemberData]
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class ExaminationRow:
    id: int
    person_id: int
    commission_id: int
    visited_on: date
    findings: str
    condition: ConditionData | None
    votes: dict[str, str]
    decision: str
    proposed_by: str
    recorded_at: datetime
    recorded_by: str
    notified_on: date | None
    carried_out_on: date | None


@dataclass(frozen=True)
class StageRow:
    id: int
    name: str
    stage_on: date
    release_side: str
    return_side: str
    parity: str
    capacity: int
    categories: dict[str, Any]
    plan: dict[str, Any]
    """Manifests, exclusions and deficits as planned (see `services.exchange.stages`)."""
    previous_id: int | None
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class OutcomeRow:
    id: int
    stage_id: int
    person_id: int
    manifest: str
    """`release` (people we hand over) or `expect` (our people we receive)."""
    outcome: str
    note: str
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class ClaimRow:
    id: int
    stage_id: int
    party: str
    category: str
    count: int
    claimed_on: date
    source: str
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class StageDocumentRow:
    id: int
    stage_id: int
    role: str
    list_id: int | None
    bundle_id: int | None
    recorded_at: datetime


class NewCommission(TypedDict):
    name: str
    members: list[MemberData]
    deputies: list[MemberData]
    created_by: str


class NewExamination(TypedDict):
    person_id: int
    commission_id: int
    visited_on: date
    findings: str
    condition: ConditionData | None
    votes: dict[str, str]
    decision: str
    proposed_by: str
    recorded_by: str


class NewStage(TypedDict):
    name: str
    stage_on: date
    release_side: str
    return_side: str
    parity: str
    capacity: int
    categories: dict[str, Any]
    plan: dict[str, Any]
    previous_id: int | None
    created_by: str


class NewOutcome(TypedDict):
    stage_id: int
    person_id: int
    manifest: str
    outcome: str
    note: str
    recorded_by: str


class NewClaim(TypedDict):
    stage_id: int
    party: str
    category: str
    count: int
    claimed_on: date
    source: str
    recorded_by: str
