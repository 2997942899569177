"""What the agreements repository takes and gives: typed rows, no SQL types, no loose mappings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class Delegation:
    party: str
    head: str
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoundRow:
    number: int
    held_on: date
    place: str
    host: str
    delegations: tuple[Delegation, ...]
    outcome: str
    sources: tuple[str, ...]
    id: int = 0
    recorded_at: datetime | None = None
    recorded_by: str = ""


@dataclass(frozen=True)
class SectionRow:
    number: int
    title: str


@dataclass(frozen=True)
class PointRow:
    section: int
    number: int
    text: str
    topics: tuple[str, ...]
    stance: str
    position: str = ""
    """A short key two parties' points can share ("neutrality", "full_ceasefire")."""
    option: str = ""
    """When a memorandum offers alternatives ("option 1")."""
    id: int = 0
    memorandum_id: int = 0


@dataclass(frozen=True)
class MemorandumRow:
    party: str
    round_number: int | None
    title: str
    presented_on: date
    sections: tuple[SectionRow, ...]
    sources: tuple[str, ...]
    signed_by: str = ""
    """The fingerprint of the key that signed it, when it came in a bundle."""
    id: int = 0
    recorded_at: datetime | None = None
    recorded_by: str = ""


@dataclass(frozen=True)
class ProposalRow:
    kind: str
    party: str
    round_number: int | None
    title: str
    proposed_on: date
    terms: dict[str, Any]
    """Ceasefire: domains, duration_days, extension, conditions, geography, purpose, monitoring.
    Meeting: window_from, window_to, format, participants. Sequence: steps."""
    source: str
    option: str = ""
    memorandum_id: int | None = None
    signed_by: str = ""
    id: int = 0
    recorded_at: datetime | None = None
    recorded_by: str = ""


@dataclass(frozen=True)
class ResponseRow:
    proposal_id: int
    party: str
    response: str
    responded_on: date
    source: str
    note: str = ""
    counter_proposal_id: int | None = None
    signed_by: str = ""
    id: int = 0
    recorded_at: datetime | None = None
    recorded_by: str = ""


@dataclass(frozen=True)
class MetricRow:
    kind: str
    since: date | None = None
    categories: tuple[str, ...] = ()
    side: str | None = None
    status: str | None = None
    until: date | None = None


@dataclass(frozen=True)
class CommitmentRow:
    round_number: int | None
    label: str
    text: str
    parties: tuple[str, ...]
    metric: MetricRow
    target_kind: str
    target_low: int | None
    target_high: int | None
    deadline: date | None
    tolerance: int
    source: str
    id: int = 0
    recorded_at: datetime | None = None
    recorded_by: str = ""


@dataclass(frozen=True)
class CommitmentClaimRow:
    commitment_id: int
    party: str
    value: int
    claimed_on: date
    source: str
    signed_by: str = ""
    id: int = 0
    recorded_at: datetime | None = None
    recorded_by: str = ""


@dataclass(frozen=True)
class Agreements:
    """Everything on record, read at once (the track is small: tens of rows, not thousands)."""

    rounds: list[RoundRow] = field(default_factory=list)
    memoranda: list[MemorandumRow] = field(default_factory=list)
    points: list[PointRow] = field(default_factory=list)
    proposals: list[ProposalRow] = field(default_factory=list)
    responses: list[ResponseRow] = field(default_factory=list)
    commitments: list[CommitmentRow] = field(default_factory=list)
    claims: list[CommitmentClaimRow] = field(default_factory=list)


class AgreementRepository(Protocol):
    """The store of the agreements track; every table is insert-only."""

    def add_round(self, row: RoundRow, recorded_by: str) -> RoundRow: ...
    def add_memorandum(
        self, row: MemorandumRow, points: Sequence[PointRow], recorded_by: str
    ) -> MemorandumRow: ...
    def add_proposal(self, row: ProposalRow, recorded_by: str) -> ProposalRow: ...
    def add_response(self, row: ResponseRow, recorded_by: str) -> ResponseRow: ...
    def add_commitment(self, row: CommitmentRow, recorded_by: str) -> CommitmentRow: ...
    def add_claim(self, row: CommitmentClaimRow, recorded_by: str) -> CommitmentClaimRow: ...
    def everything(self) -> Agreements: ...
