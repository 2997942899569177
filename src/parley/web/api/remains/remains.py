"""/api/v1/remains: repatriation batches, custody, bodies and their identification steps."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from parley.domain.remains.batches import Batch, Handoff
from parley.domain.remains.bodies import BodyStatus
from parley.services import remains
from parley.services.remains import BatchView, BodyView, RatePoint
from parley.web.deps import ActorDep, InstanceDep, UowDep

router = APIRouter(prefix="/remains", tags=["remains"])


class BatchIn(BaseModel):
    handed_over_on: date
    place: str
    from_party: str = Field(pattern=r"^[A-Za-z]{2,3}$")
    to_party: str = Field(pattern=r"^[A-Za-z]{2,3}$")
    intermediary: str = ""
    declared: int = Field(ge=0, description="The other side's count (its signed death list).")
    received: int = Field(ge=0, description="Our own count.")
    declared_list_sha256: str | None = None


class HandoffIn(BaseModel):
    bag: str
    received_by: str
    handed_at: datetime
    place: str
    seal: str


class BodyIn(BaseModel):
    tag: str
    bag: str = ""
    condition: str = ""
    effects: str = ""
    documents: str = ""
    disc_halves: int = Field(0, ge=0, le=2, description="Identity-disc halves found (GC I 16).")


class StepIn(BaseModel):
    status: BodyStatus
    missing_ref: str = Field("", description="The missing person proposed or identified.")
    note: str = ""
    at: datetime | None = Field(None, description="When it happened, if before now.")


@router.get("/batches", response_model=list[BatchView])
def all_batches(actor: ActorDep, uow: UowDep) -> list[BatchView]:
    return remains.batches(uow, actor)


@router.post("/batches", response_model=BatchView, status_code=201)
def add_batch(body: BatchIn, actor: ActorDep, uow: UowDep) -> BatchView:
    """Record a batch as handed over; a difference between declared and received is flagged."""
    batch = Batch(
        body.handed_over_on,
        body.place,
        body.from_party,
        body.to_party,
        body.declared,
        body.received,
        body.intermediary,
    )
    return remains.record_batch(uow, actor, batch, body.declared_list_sha256)


@router.get("/batches/{batch_id}", response_model=BatchView)
def show_batch(batch_id: int, actor: ActorDep, uow: UowDep) -> BatchView:
    return remains.batch(uow, actor, batch_id)


@router.post("/batches/{batch_id}/custody", response_model=BatchView, status_code=201)
def add_handoff(batch_id: int, body: HandoffIn, actor: ActorDep, uow: UowDep) -> BatchView:
    """One link of a bag's chain of custody: who, when, where, under which seal."""
    handoff = Handoff(body.bag, body.received_by, body.handed_at, body.place, body.seal)
    return remains.record_handoff(uow, actor, batch_id, handoff)


@router.post("/batches/{batch_id}/bodies", response_model=BodyView, status_code=201)
def add_body(batch_id: int, body: BodyIn, actor: ActorDep, uow: UowDep) -> BodyView:
    return remains.receive_body(
        uow,
        actor,
        batch_id,
        body.tag,
        bag=body.bag,
        condition=body.condition,
        effects=body.effects,
        documents=body.documents,
        disc_halves=body.disc_halves,
    )


@router.get("/bodies", response_model=list[BodyView])
def all_bodies(actor: ActorDep, uow: UowDep, batch_id: int | None = None) -> list[BodyView]:
    return remains.bodies(uow, actor, batch_id)


@router.get("/bodies/{tag}", response_model=BodyView)
def show_body(tag: str, actor: ActorDep, uow: UowDep) -> BodyView:
    return remains.body(uow, actor, tag)


@router.post("/bodies/{tag}/steps", response_model=BodyView, status_code=201)
def add_step(tag: str, body: StepIn, actor: ActorDep, uow: UowDep) -> BodyView:
    """The body's next step; `confirmed` must come from another account than `preliminary`."""
    return remains.record_step(
        uow, actor, tag, body.status, missing_ref=body.missing_ref, note=body.note, at=body.at
    )


@router.get("/identification-rate", response_model=list[RatePoint])
def rate(actor: ActorDep, uow: UowDep) -> list[RatePoint]:
    """Bodies received and identified so far, per day something changed."""
    return remains.identification_rate(uow, actor)


class DeclaredBatchIn(BaseModel):
    handed_over_on: date
    place: str
    from_party: str = Field(pattern=r"^[A-Za-z]{2,3}$")
    to_party: str = Field(pattern=r"^[A-Za-z]{2,3}$")
    intermediary: str = ""
    declared_list_id: int = Field(description="The other side's death list, received signed.")
    received: int = Field(ge=0, description="Our own count.")


@router.post("/batches/declared", response_model=BatchView, status_code=201)
def add_declared_batch(
    body: DeclaredBatchIn, actor: ActorDep, uow: UowDep, instance: InstanceDep
) -> BatchView:
    """A batch whose declared count is the entry count of the other side's signed death list."""
    batch = Batch(
        body.handed_over_on,
        body.place,
        body.from_party,
        body.to_party,
        0,
        body.received,
        body.intermediary,
    )
    return remains.record_declared_batch(
        uow, actor, instance.config.party, batch, body.declared_list_id
    )
