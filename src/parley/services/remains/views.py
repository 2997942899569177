"""What the remains track shows: the shapes the CLI prints and the API returns."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from parley.services.remains.rows import (
    BatchRow,
    BodyGenotypeRow,
    BodyRow,
    DnaCandidateRow,
    HandoffRow,
    NotificationRow,
    StepRow,
)


class HandoffView(BaseModel):
    bag: str
    received_by: str
    handed_at: datetime
    place: str
    seal: str
    recorded_by: str

    @classmethod
    def of(cls, row: HandoffRow) -> HandoffView:
        return cls(
            bag=row.bag,
            received_by=row.received_by,
            handed_at=row.handed_at,
            place=row.place,
            seal=row.seal,
            recorded_by=row.recorded_by,
        )


class BatchView(BaseModel):
    id: int
    handed_over_on: date
    place: str
    from_party: str
    to_party: str
    intermediary: str
    declared: int
    """The other side's count (its signed death list)."""
    received: int
    """Our own count."""
    difference: int
    flagged: bool
    declared_list_sha256: str | None
    bodies_registered: int = 0
    custody: list[HandoffView] = []

    @classmethod
    def of(
        cls, row: BatchRow, registered: int = 0, custody: list[HandoffRow] | None = None
    ) -> BatchView:
        return cls(
            id=row.id,
            handed_over_on=row.handed_over_on,
            place=row.place,
            from_party=row.from_party,
            to_party=row.to_party,
            intermediary=row.intermediary,
            declared=row.declared,
            received=row.received,
            difference=row.received - row.declared,
            flagged=row.received != row.declared,
            declared_list_sha256=row.declared_list_sha256,
            bodies_registered=registered,
            custody=[HandoffView.of(h) for h in custody or []],
        )


class StepView(BaseModel):
    status: str
    missing_ref: str
    note: str
    recorded_at: datetime
    recorded_by: str
    occurred_at: datetime
    """When it happened (as stated, else when recorded)."""

    @classmethod
    def of(cls, row: StepRow) -> StepView:
        return cls(
            status=row.status,
            missing_ref=row.missing_ref,
            note=row.note,
            recorded_at=row.recorded_at,
            recorded_by=row.recorded_by,
            occurred_at=row.at,
        )


class CandidateView(BaseModel):
    """A missing person a screening found this body may be; excluded pairings never are."""

    missing_ref: str
    lr: float | None
    """None where the LR is infinite (JSON has no infinity)."""
    exclusions: int
    posterior: float
    prior: float
    source: str

    @classmethod
    def of(cls, row: DnaCandidateRow) -> CandidateView:
        finite = row.lr if row.lr != float("inf") else None
        return cls(
            missing_ref=row.missing_ref,
            lr=finite,
            exclusions=row.exclusions,
            posterior=row.posterior,
            prior=row.prior,
            source=row.source,
        )


class NotificationView(BaseModel):
    missing_ref: str
    whom: str
    notified_by: str
    how: str
    notified_at: datetime
    recorded_by: str

    @classmethod
    def of(cls, row: NotificationRow) -> NotificationView:
        return cls(
            missing_ref=row.missing_ref,
            whom=row.whom,
            notified_by=row.notified_by,
            how=row.how,
            notified_at=row.notified_at,
            recorded_by=row.recorded_by,
        )


class ProfileMarker(BaseModel):
    marker: str
    alleles: str


class BodyView(BaseModel):
    tag: str
    batch_id: int
    bag: str
    condition: str
    effects: str
    documents: str
    disc_halves: int
    status: str
    missing_ref: str
    """The missing person of the latest step that names one (candidate onwards)."""
    steps: list[StepView]
    candidates: list[CandidateView] = []
    """The latest screening's candidates, best LR first."""
    sex: int | None = None
    """From the DNA profile (1 male, 2 female), if typed."""
    profile: list[ProfileMarker] = []
    notifications: list[NotificationView] = []

    @classmethod
    def of(
        cls,
        row: BodyRow,
        steps: list[StepRow],
        candidates: list[DnaCandidateRow] | None = None,
        profile: list[BodyGenotypeRow] | None = None,
        notifications: list[NotificationRow] | None = None,
    ) -> BodyView:
        named = [s.missing_ref for s in steps if s.missing_ref]
        return cls(
            tag=row.tag,
            batch_id=row.batch_id,
            bag=row.bag,
            condition=row.condition,
            effects=row.effects,
            documents=row.documents,
            disc_halves=row.disc_halves,
            status=steps[-1].status if steps else "",
            missing_ref=named[-1] if named else "",
            steps=[StepView.of(s) for s in steps],
            candidates=[CandidateView.of(c) for c in latest_candidates(candidates or [])],
            sex=profile[0].sex if profile else None,
            profile=[
                ProfileMarker(marker=g.marker, alleles=f"{g.allele1}/{g.allele2}")
                for g in profile or []
            ],
            notifications=[NotificationView.of(n) for n in notifications or []],
        )


def latest_candidates(rows: list[DnaCandidateRow]) -> list[DnaCandidateRow]:
    """Only the last screening's candidates (each screening stores a new set), best first."""
    if not rows:
        return []
    last = rows[-1].source
    chosen = []
    for row in reversed(rows):
        if row.source != last:
            break
        chosen.append(row)
    return sorted(chosen, key=lambda r: (-r.lr, r.missing_ref))


class RatePoint(BaseModel):
    on: date
    received: int
    """Bodies registered by that day."""
    identified: int
    """Bodies confirmed by that day."""
    rate: float
    families: int = 0
    """Reference families received by that day (the rate follows them)."""


class DonorView(BaseModel):
    """A relative in a reference family; `used` only with a profile and consent in force."""

    member: str
    sex: int
    relationship: str
    """What the donor is to the (first) missing person of the family, in words."""
    markers: int
    consent: str
    """given, withdrawn, or empty (none recorded)."""
    used: bool


class FamilyView(BaseModel):
    family: str
    missing: list[str]
    person_ids: list[int | None]
    """The registry person each missing person is, where known."""
    received_on: date
    source: str
    donors: list[DonorView]


class ReferenceImport(BaseModel):
    source: str
    families: int
    missing: int
    donors: int
    donors_without_consent: int
    bodies_profiled: list[str]
    frequency_table: str


class ScreenOutcome(BaseModel):
    """One screening of the instance's body profiles against its reference families."""

    source: str
    bodies: int
    missing_persons: int
    families_skipped: int
    """Families with no typed relative whose consent is in force (nothing to compare with)."""
    candidates: int
    new_candidates: list[str]
    """Bodies that reached `candidate` in this screening."""
    prior: float
