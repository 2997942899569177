"""What a caller hands in to record agreements: one shape for the API body, the CLI's JSON
files and the bundles that carry them between instances. Each turns into the repository's rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from parley.services.agreements.rows import (
    CommitmentClaimRow,
    CommitmentRow,
    Delegation,
    MemorandumRow,
    MetricRow,
    PointRow,
    ProposalRow,
    ResponseRow,
    RoundRow,
    SectionRow,
)


class DelegationIn(BaseModel):
    party: str
    head: str
    members: list[str] = []


class RoundIn(BaseModel):
    number: int = Field(ge=1)
    held_on: date
    place: str
    host: str
    delegations: list[DelegationIn] = []
    outcome: str = ""
    sources: list[str] = []

    def row(self) -> RoundRow:
        return RoundRow(
            self.number,
            self.held_on,
            self.place,
            self.host,
            tuple(Delegation(d.party, d.head, tuple(d.members)) for d in self.delegations),
            self.outcome,
            tuple(self.sources),
        )


class SectionIn(BaseModel):
    number: int
    title: str


class PointIn(BaseModel):
    section: int
    number: int
    text: str
    topics: list[str] = Field(min_length=1)
    stance: str = "supports"
    position: str = ""
    option: str = ""

    def row(self) -> PointRow:
        return PointRow(
            self.section,
            self.number,
            self.text,
            tuple(self.topics),
            self.stance,
            self.position,
            self.option,
        )


class MemorandumIn(BaseModel):
    party: str
    round_number: int | None = None
    title: str
    presented_on: date
    sections: list[SectionIn] = Field(min_length=1)
    points: list[PointIn] = []
    sources: list[str] = []

    def row(self) -> MemorandumRow:
        return MemorandumRow(
            self.party,
            self.round_number,
            self.title,
            self.presented_on,
            tuple(SectionRow(s.number, s.title) for s in self.sections),
            tuple(self.sources),
        )

    def point_rows(self) -> list[PointRow]:
        return [p.row() for p in self.points]


class ProposalIn(BaseModel):
    kind: str = Field(description="ceasefire, meeting, sequence or other")
    party: str
    round_number: int | None = None
    title: str
    proposed_on: date
    terms: dict[str, Any] = {}
    source: str
    option: str = ""
    memorandum_id: int | None = None

    def row(self) -> ProposalRow:
        return ProposalRow(
            self.kind,
            self.party,
            self.round_number,
            self.title,
            self.proposed_on,
            self.terms,
            self.source,
            self.option,
            self.memorandum_id,
        )


class ResponseIn(BaseModel):
    party: str
    response: str = Field(description="accepted, rejected, counter_proposal or pending")
    responded_on: date
    source: str
    note: str = ""
    counter_proposal_id: int | None = None

    def row(self, proposal_id: int) -> ResponseRow:
        return ResponseRow(
            proposal_id,
            self.party,
            self.response,
            self.responded_on,
            self.source,
            self.note,
            self.counter_proposal_id,
        )


class MetricIn(BaseModel):
    kind: str = Field(
        description="persons_returned, stages_held, registry_count, bodies_received, "
        "children_answers"
    )
    since: date | None = None
    categories: list[str] = []
    side: str | None = Field(None, description="a party, `each`, or none for the total")
    status: str | None = None
    until: date | None = Field(None, description="count nothing after this day")


class CommitmentIn(BaseModel):
    round_number: int | None = None
    label: str
    text: str
    parties: list[str] = []
    metric: MetricIn
    target: str = Field(description="at_least, at_most, exactly or between")
    low: int | None = None
    high: int | None = None
    deadline: date | None = None
    tolerance: int = Field(0, ge=0)
    source: str = ""

    def row(self) -> CommitmentRow:
        m = self.metric
        return CommitmentRow(
            self.round_number,
            self.label,
            self.text,
            tuple(self.parties),
            MetricRow(m.kind, m.since, tuple(m.categories), m.side, m.status, m.until),
            self.target,
            self.low,
            self.high,
            self.deadline,
            self.tolerance,
            self.source,
        )


class ClaimIn(BaseModel):
    party: str
    value: int = Field(ge=0)
    claimed_on: date
    source: str

    def row(self, commitment_id: int) -> CommitmentClaimRow:
        return CommitmentClaimRow(
            commitment_id, self.party, self.value, self.claimed_on, self.source
        )
