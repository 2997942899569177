"""What the exchange track shows: the shapes the CLI prints and the API returns."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from parley.domain.accounts.need_to_know import MEDICAL
from parley.domain.exchange.commissions import (
    Commission,
    Condition,
    Member,
)
from parley.domain.exchange.handover import DocumentRole
from parley.services.exchange import category_check
from parley.services.exchange.rows import CommissionRow
from parley.services.lists import ListOut
from parley.services.lists.rows import StoredBundle


class ManifestLine(BaseModel):
    """A person on a stage's manifest. Frozen: the lines of a stored plan are kept and shared
    between requests (`stages._manifest_lines`); an outcome makes a copy."""

    model_config = ConfigDict(frozen=True)

    ref: str
    person_id: int
    key: str
    name: str
    side: str
    person_category: str
    category: str
    reasons: list[str]
    outcome: str | None = None
    outcome_note: str = ""


class ExclusionLine(BaseModel):
    person_id: int | None
    key: str
    name: str
    side: str
    code: str
    reason: str


class Tally(BaseModel):
    category: str
    side: str
    count: int


class CategoryCount(BaseModel):
    category: str
    released: int
    expected: int


class Overlap(BaseModel):
    """Persons of this plan also on another stage's manifest with no outcome recorded there."""

    stage_id: int
    stage_name: str
    persons: int


class DocumentLine(BaseModel):
    role: str
    list_id: int | None
    bundle_id: int | None
    recorded_at: datetime


class ClaimLine(BaseModel):
    id: int
    party: str
    category: str
    count: int
    claimed_on: date
    source: str
    recorded_at: datetime
    recorded_by: str


class StageSummary(BaseModel):
    id: int
    name: str
    on: date
    release_side: str
    return_side: str
    parity: str
    capacity: int
    categories: list[str]
    released: int
    expected: int
    balanced: bool
    excluded: int
    recorded: int
    """Persons whose outcome is recorded."""
    previous_id: int | None
    created_at: datetime
    created_by: str

    @property
    def executed(self) -> bool:
        return self.recorded > 0


class StageDetail(BaseModel):
    summary: StageSummary
    priority: list[str]
    category_rules: dict[str, str]
    counts: list[CategoryCount]
    release: list[ManifestLine]
    expect: list[ManifestLine]
    exclusions: list[ExclusionLine]
    exclusion_counts: dict[str, int]
    deficits: list[Tally]
    carried: list[Tally]
    overlaps: list[Overlap]
    documents: list[DocumentLine]
    claims: list[ClaimLine]

    def document(self, role: DocumentRole) -> DocumentLine | None:
        """The latest document of a role: later rows (a signed bundle) complete earlier ones."""
        found = [d for d in self.documents if d.role == role.value]
        return found[-1] if found else None


class OutcomesRecorded(BaseModel):
    stage_id: int
    recorded: int
    counts: dict[str, int]


class Countersignature(BaseModel):
    stage_id: int
    bundle_id: int
    by: str
    received_at: str


class ManifestTally(BaseModel):
    manifest: str
    side: str
    category: str
    planned: int
    transferred: int
    refused: int
    absent: int
    died: int
    unrecorded: int


class Shortfall(BaseModel):
    """A person planned but not transferred (or not recorded yet), and why."""

    manifest: str
    ref: str
    person_id: int
    name: str
    category: str
    outcome: str
    note: str


class ClaimCheck(BaseModel):
    claim_id: int
    party: str
    category: str
    claimed: int
    recorded: int | None
    """Persons of the claiming party's side we recorded as transferred; None for a third party."""
    difference: int | None
    claimed_on: date
    source: str


class CounterpartFinding(StrEnum):
    ON_OURS = "on_ours"
    NOT_ON_OURS = "not_on_ours"
    UNMATCHED = "unmatched"
    MISSING_FROM_THEIRS = "missing_from_theirs"


class CounterpartLine(BaseModel):
    list_id: int | None
    ref: str
    name: str
    person_id: int | None
    manifest: str
    finding: str


class StageReconciliation(BaseModel):
    stage_id: int
    name: str
    tallies: list[ManifestTally]
    shortfalls: list[Shortfall]
    claims: list[ClaimCheck]
    counterpart_lists: list[int]
    unreconciled_lists: list[int]
    """Counterpart lists with no reconciliation yet: run `parley list reconcile` on them."""
    counterpart: list[CounterpartLine]

    @property
    def agrees(self) -> bool:
        return (
            not self.shortfalls
            and all(c.difference in (0, None) for c in self.claims)
            and all(c.finding == CounterpartFinding.ON_OURS for c in self.counterpart)
        )


class ProgressLine(BaseModel):
    category: str
    side: str
    eligible: int
    planned: int
    returned: int
    remaining: int


class ProgressReport(BaseModel):
    on: date
    categories: list[str]
    sides: list[str]
    stages: int
    rows: list[ProgressLine]


# Mixed Medical Commissions ----------------------------------------------------------------------


class MemberView(BaseModel):
    name: str
    party: str
    role: str
    chair: bool
    specialty: str
    description: str

    @classmethod
    def of(cls, member: Member) -> MemberView:
        return cls(
            name=member.name,
            party=member.party,
            role=member.role.value,
            chair=member.chair,
            specialty=member.specialty.value,
            description=member.describe(),
        )


class CommissionView(BaseModel):
    id: int
    name: str
    members: list[MemberView]
    deputies: list[MemberView]
    advisories: list[str]
    """What Annex II recommends and this commission lacks: shown, never refused."""
    created_at: datetime
    created_by: str

    @classmethod
    def of(cls, row: CommissionRow, commission: Commission) -> CommissionView:
        return cls(
            id=row.id,
            name=row.name,
            members=[MemberView.of(m) for m in commission.members],
            deputies=[MemberView.of(m) for m in commission.deputies],
            advisories=commission.advisories(),
            created_at=row.created_at,
            created_by=row.created_by,
        )


class ConditionView(BaseModel):
    """Medical as a whole: where it is restricted every part is, the flags shown as null."""

    category: str
    item: str
    unquestionable: bool | None
    predates_war_not_worsened: bool | None
    description: str
    """The Annex I family the category stands for, in words."""

    @classmethod
    def of(cls, condition: Condition) -> ConditionView:
        return cls(
            category=condition.category.value,
            item=condition.item,
            unquestionable=condition.unquestionable,
            predates_war_not_worsened=condition.predates_war_not_worsened,
            description=condition.category.description,
        )


class OverdueView(BaseModel):
    what: str
    """`notification` or `repatriation`."""
    due: date
    days_late: int


class ExaminationView(BaseModel):
    id: int
    person_id: int
    person_name: str
    person_status: str
    commission_id: int
    commission: str
    visited_on: date
    findings: Annotated[str, MEDICAL]
    condition: Annotated[ConditionView | None, MEDICAL]
    """The decision and the votes stay visible: planning an exchange depends on them."""
    votes: dict[str, str]
    decision: str
    decision_reason: str
    proposed_by: str
    entitled: bool
    """Proposed by someone art. 113 entitles to an examination."""
    notify_by: date
    notified_on: date | None
    carry_out_by: date | None
    carried_out_on: date | None
    next_step: str | None
    """The step still to record, if any: `notified`, then `carried_out` for repatriations."""
    overdue: list[OverdueView]
    certificate: bool
    """Only a decision to repatriate earns a certificate."""
    recorded_at: datetime
    recorded_by: str


class ExaminationList(BaseModel):
    as_of: date
    items: list[ExaminationView]
    overdue: int
    """How many of the listed examinations have a step past its deadline."""


class QueueEntryView(BaseModel):
    position: int
    person_id: int
    person_name: str
    status: str
    proposed_by: str
    entitled: bool
    condition: Annotated[ConditionView | None, MEDICAL]
    captured_on: date | None
    last_examination_id: int
    last_visited_on: date


# Category checks ------------------------------------------------------------------------------


class CategoryAnswerOut(BaseModel):
    category: str
    answer: str
    reason: str


class ManifestFlagOut(BaseModel):
    code: str
    reason: str


class CheckedEntryOut(BaseModel):
    ref: str
    entry: dict[str, Any]
    person_id: int | None
    person_name: str
    matched_by: str
    standing: str
    fails: bool = Field(description="No agreed category is YES.")
    answers: list[CategoryAnswerOut]
    manifest: list[ManifestFlagOut]
    notes: list[str]


class AgreedCategoryOut(BaseModel):
    name: str
    description: str
    custom: bool


class CategoryCheckOut(BaseModel):
    summary: ListOut
    on: date
    categories: list[AgreedCategoryOut]
    reconciliation_run: int | None
    counts: dict[str, dict[str, int]] = Field(description="Per category: yes, no, uncertain.")
    standings: dict[str, int] = Field(description="Entries that satisfy, are uncertain, fail.")
    satisfying: int
    failing: int = Field(description="Entries no agreed category fits (uncertain included).")
    flagged: dict[str, int] = Field(description="Entries per manifest exclusion code.")
    notes: list[str]
    entries: list[CheckedEntryOut]

    @classmethod
    def of(cls, check: category_check.CategoryCheck, only_failing: bool) -> CategoryCheckOut:
        return cls(
            summary=ListOut.of(check.stored),
            on=check.on,
            categories=[
                AgreedCategoryOut(name=c.name, description=c.description, custom=c.custom)
                for c in check.categories
            ],
            reconciliation_run=check.reconciliation_run,
            counts=check.counts,
            standings=check.standings,
            satisfying=check.satisfying,
            failing=check.failing,
            flagged=check.flagged,
            notes=list(check.notes),
            entries=[
                CheckedEntryOut(
                    ref=e.ref,
                    entry=e.entry,
                    person_id=e.person_id,
                    person_name=e.person_name,
                    matched_by=e.matched_by,
                    standing=e.standing.value,
                    fails=e.fails,
                    answers=[
                        CategoryAnswerOut(
                            category=a.category, answer=a.answer.value, reason=a.reason
                        )
                        for a in e.answers
                    ],
                    manifest=[
                        ManifestFlagOut(code=m.code.value, reason=m.reason) for m in e.manifest
                    ],
                    notes=list(e.notes),
                )
                for e in check.shown(only_failing)
            ],
        )


class SentBundle(BaseModel):
    role: str
    bundle_id: int
    sha256: str
    recipient: str
    href: str

    @classmethod
    def of(cls, role: DocumentRole, bundle: StoredBundle) -> SentBundle:
        """A manifest signed for the other side; its bytes are at `href`."""
        return cls(
            role=role.value,
            bundle_id=bundle.id,
            sha256=bundle.sha256,
            recipient=bundle.recipient,
            href=f"/api/v1/bundles/{bundle.id}",
        )
