"""/api/v1/remains: reference families, consent, in-instance screening, notification,
release and the death list."""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, Field

from parley.domain.errors import InvalidInput
from parley.domain.remains.references import Consent
from parley.services import remains
from parley.services.lists import ListOut
from parley.services.remains import (
    BatchView,
    BodyView,
    FamilyView,
    ReferenceImport,
    ScreenOutcome,
)
from parley.web.deps import ActorDep, InstanceDep, UowDep

router = APIRouter(prefix="/remains", tags=["remains"])
"""Served beside `remains.router` (not included in it: the upload guard reads flat routers)."""

CASE_FILES = ("pedigree.csv", "genotypes.csv", "freqs.csv", "mutation.csv", "missing.csv")
MAX_CASE_BYTES = 50_000_000


class ReferencesIn(BaseModel):
    files: dict[str, str] = Field(
        description="The case's CSV files by name: pedigree.csv, genotypes.csv, freqs.csv, "
        "missing.csv, and optionally mutation.csv (dvir's layout, docs/remains.md)."
    )
    received_on: date
    consent_by: str = Field("", description="Who attests that every typed relative consented.")
    batch_id: int | None = Field(None, description="Batch to register the case's bodies in.")


class ConsentIn(BaseModel):
    state: Consent
    given_by: str
    on: date


class NotificationIn(BaseModel):
    whom: str
    notified_by: str
    how: str
    at: datetime | None = None


class ReleaseIn(BaseModel):
    to: str


@router.post("/references", response_model=ReferenceImport, status_code=201)
def import_references(body: ReferencesIn, actor: ActorDep, uow: UowDep) -> ReferenceImport:
    """Store a case's families, relatives' profiles and bodies' profiles; all or nothing."""
    unknown = sorted(set(body.files) - set(CASE_FILES))
    if unknown:
        raise InvalidInput(f"unexpected file {unknown[0]}: a case has {', '.join(CASE_FILES)}")
    if sum(len(text) for text in body.files.values()) > MAX_CASE_BYTES:
        raise InvalidInput(f"a case is limited to {MAX_CASE_BYTES:,} bytes")
    with tempfile.TemporaryDirectory(prefix="parley-case-") as folder:
        case = Path(folder) / "upload"
        case.mkdir()
        for name, text in body.files.items():
            (case / name).write_text(text, encoding="utf-8")
        return remains.import_references(
            uow,
            actor,
            case,
            received_on=body.received_on,
            consent_by=body.consent_by,
            batch_id=body.batch_id,
        )


@router.get("/references", response_model=list[FamilyView])
def all_families(actor: ActorDep, uow: UowDep) -> list[FamilyView]:
    return remains.reference_families(uow, actor)


@router.get("/references/{family}", response_model=FamilyView)
def show_family(family: str, actor: ActorDep, uow: UowDep) -> FamilyView:
    return remains.reference_family(uow, actor, family)


@router.post("/references/{family}/{member}/consent", response_model=FamilyView, status_code=201)
def record_consent(
    family: str, member: str, body: ConsentIn, actor: ActorDep, uow: UowDep
) -> FamilyView:
    """A relative's consent given or withdrawn; withdrawn, the profile is not used."""
    return remains.record_consent(
        uow, actor, family, member, body.state, given_by=body.given_by, on=body.on
    )


@router.post("/screenings", response_model=ScreenOutcome, status_code=201)
def screen(actor: ActorDep, uow: UowDep) -> ScreenOutcome:
    """Screen every profiled body against every stored family; keep candidates for review."""
    return remains.screen_references(uow, actor)


@router.post("/bodies/{tag}/notification", response_model=BodyView, status_code=201)
def notify(tag: str, body: NotificationIn, actor: ActorDep, uow: UowDep) -> BodyView:
    """The family of a confirmed identification was told: whom, by whom, how, when."""
    return remains.notify_family(
        uow, actor, tag, whom=body.whom, notified_by=body.notified_by, how=body.how, at=body.at
    )


@router.post("/bodies/{tag}/release", response_model=BodyView, status_code=201)
def release(tag: str, body: ReleaseIn, actor: ActorDep, uow: UowDep) -> BodyView:
    """Released for burial, after the family was notified."""
    return remains.release_body(uow, actor, tag, to=body.to)


class DeathListIn(BaseModel):
    to: str = Field(description="The other party.")


@router.post("/death-list", response_model=ListOut, status_code=201)
def death_list(body: DeathListIn, actor: ActorDep, uow: UowDep, instance: InstanceDep) -> ListOut:
    """Our death list for the other side from confirmed identifications (a new version when
    it changed); sign and send it as any list (`POST /lists/{id}/bundle`)."""
    return remains.death_list_view(uow, actor, instance.config.party, body.to)


class HandedBatchIn(BaseModel):
    bundle_sha256: str = Field(description="The other side's handover bundle, received.")
    received: int = Field(ge=0, description="Our own count.")


@router.post("/batches/{batch_id}/handover", status_code=201)
def export_handover(batch_id: int, actor: ActorDep, uow: UowDep, instance: InstanceDep) -> Response:
    """One of our outgoing batches signed as a `remains_handover` bundle (the bytes)."""
    _, raw = remains.export_handover(uow, actor, instance.keyring(), batch_id)
    return Response(raw, 201, media_type="application/json")


@router.post("/batches/from-handover", response_model=BatchView, status_code=201)
def batch_from_handover(
    body: HandedBatchIn, actor: ActorDep, uow: UowDep, instance: InstanceDep
) -> BatchView:
    """Our batch from the other side's signed handover: its declared count, our received."""
    return remains.record_handed_batch(
        uow, actor, instance.config.party, body.bundle_sha256, body.received
    )
