"""What the agreements track shows: the CLI prints these with --json, the API returns them,
the console and the round report render them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel


class DelegationView(BaseModel):
    party: str
    head: str
    members: list[str] = []


class RoundView(BaseModel):
    number: int
    held_on: date
    place: str
    host: str
    delegations: list[DelegationView]
    outcome: str
    sources: list[str]


class PointView(BaseModel):
    id: int
    ref: str
    """`UA 2.3`: party, section, point."""
    party: str
    memorandum_id: int
    section: int
    section_title: str
    number: int
    text: str
    topics: list[str]
    stance: str
    position: str
    option: str


class SectionView(BaseModel):
    number: int
    title: str
    points: list[PointView]


class MemorandumView(BaseModel):
    id: int
    party: str
    round_number: int | None
    title: str
    presented_on: date
    sources: list[str]
    signed_by: str
    sections: list[SectionView]
    recorded_at: datetime | None
    recorded_by: str


class PositionView(BaseModel):
    """One position several parties speak to, and how their stances relate."""

    position: str
    overlap: str
    stances: dict[str, list[str]]


class TopicView(BaseModel):
    topic: str
    points: dict[str, list[PointView]]
    """Party → its points on this topic, in memorandum order."""
    positions: list[PositionView]


class SideBySide(BaseModel):
    parties: list[str]
    memoranda: list[int]
    topics: list[TopicView]


class ResponseView(BaseModel):
    id: int
    proposal_id: int
    party: str
    response: str
    responded_on: date
    source: str
    note: str
    counter_proposal_id: int | None
    signed_by: str


class ProposalView(BaseModel):
    id: int
    kind: str
    party: str
    round_number: int | None
    title: str
    option: str
    proposed_on: date
    terms: dict[str, Any]
    source: str
    memorandum_id: int | None
    signed_by: str
    responses: list[ResponseView]
    fate: str


class MetricView(BaseModel):
    kind: str
    since: date | None
    categories: list[str]
    side: str | None
    status: str | None
    description: str
    available: bool


class TargetView(BaseModel):
    kind: str
    low: int | None
    high: int | None
    description: str


class ClaimView(BaseModel):
    id: int | None
    """None for a figure added up from stage claims."""
    party: str
    value: int
    claimed_on: date
    source: str
    origin: str
    """`commitment` (a claim on this commitment) or `stage_claims` (the party's stage claims)."""
    recorded: int | None
    """What the records show for this party's side (or in total) on the same day."""
    gap: int | None
    """The claim minus the records."""
    signed_by: str = ""


class FigurePoint(BaseModel):
    on: date
    value: int
    by_side: dict[str, int]


class CommitmentView(BaseModel):
    id: int
    round_number: int | None
    label: str
    text: str
    parties: list[str]
    metric: MetricView
    target: TargetView
    deadline: date | None
    tolerance: int
    source: str
    as_of: date
    value: int | None
    """The computed figure the target is checked against; None while the metric's track is
    not built."""
    by_side: dict[str, int]
    status: str
    over_ceiling: bool
    claims: list[ClaimView]
    disputes: list[str]
    series: list[FigurePoint]


class RoundReport(BaseModel):
    """What the parties agreed on at a round, and what happened since, as of a day."""

    round: RoundView
    as_of: date
    memoranda: list[MemorandumView]
    common_ground: list[PositionView]
    exclusive: list[PositionView]
    proposals: list[ProposalView]
    commitments: list[CommitmentView]


class PublicCommitment(BaseModel):
    round_number: int | None
    label: str
    target: str
    deadline: date | None
    figure: str
    """The computed figure, `< 10` when small, `n/a` while the track is not built."""
    status: str
    claims: list[tuple[str, str, str, str]]
    """(party, claimed, gap, source), with small figures suppressed the same way."""


class PublicAgreements(BaseModel):
    as_of: date
    rounds: list[RoundView]
    agreed: list[str]
    commitments: list[PublicCommitment]
