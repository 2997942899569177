"""What the remains track shows: the shapes the CLI prints and the API returns."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from parley.services.remains.rows import BatchRow, BodyRow, DnaCandidateRow, HandoffRow, StepRow


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

    @classmethod
    def of(cls, row: StepRow) -> StepView:
        return cls(
            status=row.status,
            missing_ref=row.missing_ref,
            note=row.note,
            recorded_at=row.recorded_at,
            recorded_by=row.recorded_by,
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

    @classmethod
    def of(
        cls, row: BodyRow, steps: list[StepRow], candidates: list[DnaCandidateRow] | None = None
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
            candidates=[CandidateView.of(c) for c in candidates or []],
        )


class RatePoint(BaseModel):
    on: date
    received: int
    identified: int
    rate: float
