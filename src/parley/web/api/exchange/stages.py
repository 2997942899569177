"""/api/v1/stages and /api/v1/progress: plan stages, record the day, reconcile, count."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from parley.domain.accounts.accounts import Permission
from parley.domain.exchange.handover import StageOutcome
from parley.domain.exchange.stages import DEFAULT_PRIORITY, Parity, PriorityKey
from parley.services import exchange
from parley.services.exchange import progress_chart_svg
from parley.web.deps import ActorDep, InstanceDep, UowDep
from parley.web.files import read_upload
from parley.web.uploads import upload_needs

router = APIRouter(tags=["exchange stages"])


class PlanIn(BaseModel):
    name: str
    on: date
    categories: list[str] = Field(min_length=1, description="Agreed categories, in order.")
    capacity: int = Field(ge=0, description="Most persons per side.")
    parity: Parity = Parity.EQUAL_PER_CATEGORY
    priority: list[PriorityKey] = Field(default_factory=lambda: list(DEFAULT_PRIORITY))
    previous_stage_id: int | None = None
    release_side: str | None = None


@router.get("/stages", response_model=list[exchange.StageSummary])
def all_stages(actor: ActorDep, uow: UowDep) -> list[exchange.StageSummary]:
    return exchange.list_stages(uow, actor)


@router.post("/stages", response_model=exchange.StageDetail, status_code=201)
def plan(body: PlanIn, actor: ActorDep, uow: UowDep, instance: InstanceDep) -> exchange.StageDetail:
    """Plan a stage from the registry: two equal manifests, and a reason for everyone left out."""
    return exchange.plan(
        uow,
        actor,
        instance.config.party,
        body.name,
        body.on,
        body.categories,
        body.capacity,
        body.parity,
        body.priority,
        body.previous_stage_id,
        release_side=body.release_side,
        known=instance.categories(),
    )


@router.get("/stages/{stage_id}", response_model=exchange.StageDetail)
def show(stage_id: int, actor: ActorDep, uow: UowDep) -> exchange.StageDetail:
    return exchange.show_stage(uow, actor, stage_id)


class OutcomeIn(BaseModel):
    person_id: int
    outcome: StageOutcome
    note: str = ""


class OutcomesIn(BaseModel):
    outcomes: list[OutcomeIn] = []
    everyone_else: StageOutcome | None = Field(
        None, description="This outcome for every person on the manifests not named."
    )
    on: date | None = Field(None, description="Day of the handover; the stage date by default.")


@router.get("/stages/{stage_id}/outcomes", response_model=list[exchange.ManifestLine])
def outcomes(stage_id: int, actor: ActorDep, uow: UowDep) -> list[exchange.ManifestLine]:
    """Both manifests, each line with its recorded outcome (null while none is)."""
    detail = exchange.show_stage(uow, actor, stage_id)
    return [*detail.release, *detail.expect]


@router.post(
    "/stages/{stage_id}/outcomes", response_model=exchange.OutcomesRecorded, status_code=201
)
def record_outcomes(
    stage_id: int, body: OutcomesIn, actor: ActorDep, uow: UowDep
) -> exchange.OutcomesRecorded:
    return exchange.record_outcomes(
        uow,
        actor,
        stage_id,
        {o.person_id: (o.outcome, o.note) for o in body.outcomes},
        body.on,
        everyone_else=body.everyone_else,
    )


class ClaimIn(BaseModel):
    party: str
    count: int = Field(ge=0)
    source: str
    category: str = exchange.TOTAL
    claimed_on: date | None = None


@router.get("/stages/{stage_id}/claims", response_model=list[exchange.ClaimLine])
def claims(stage_id: int, actor: ActorDep, uow: UowDep) -> list[exchange.ClaimLine]:
    return exchange.show_stage(uow, actor, stage_id).claims


@router.post("/stages/{stage_id}/claims", response_model=exchange.ClaimLine, status_code=201)
def record_claim(stage_id: int, body: ClaimIn, actor: ActorDep, uow: UowDep) -> exchange.ClaimLine:
    """A party's public figure: how many of its own people it says came home."""
    return exchange.record_claim(
        uow, actor, stage_id, body.party, body.category, body.count, body.claimed_on, body.source
    )


@router.get("/stages/{stage_id}/reconciliation", response_model=exchange.StageReconciliation)
def reconciliation(stage_id: int, actor: ActorDep, uow: UowDep) -> exchange.StageReconciliation:
    return exchange.reconcile_stage(uow, actor, stage_id)


@router.post(
    "/stages/{stage_id}/manifests", response_model=list[exchange.SentBundle], status_code=201
)
def export_manifests(
    stage_id: int, actor: ActorDep, uow: UowDep, instance: InstanceDep
) -> list[exchange.SentBundle]:
    """Sign both manifests; fetch each bundle's bytes from /api/v1/bundles/{bundle_id}."""
    return exchange.export_manifests_view(uow, actor, instance.keyring(), stage_id)


@router.post("/stages/{stage_id}/record")
def export_record(stage_id: int, actor: ActorDep, uow: UowDep, instance: InstanceDep) -> Response:
    """Sign the executed stage; the body is the bundle, to send through the mediator."""
    bundle, raw = exchange.export_record(uow, actor, instance.keyring(), stage_id)
    return Response(
        raw,
        201,
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="stage-{stage_id}-record.json"',
            "X-Bundle-SHA256": bundle.sha256,
        },
    )


@router.post(
    "/stages/{stage_id}/countersignature",
    response_model=exchange.Countersignature,
    status_code=201,
)
@upload_needs(Permission.EXCHANGE_PLAN)
async def countersignature(
    stage_id: int, file: UploadFile, actor: ActorDep, uow: UowDep, instance: InstanceDep
) -> exchange.Countersignature:
    """The mediator's relay receipt of our stage record (a receipt bundle, as a file)."""
    name, content = await read_upload(file)
    return await run_in_threadpool(
        exchange.record_countersignature, uow, actor, instance.keyring(), stage_id, content, name
    )


class CounterpartIn(BaseModel):
    list_id: int


@router.post(
    "/stages/{stage_id}/counterparts", response_model=exchange.DocumentLine, status_code=201
)
def counterpart(
    stage_id: int, body: CounterpartIn, actor: ActorDep, uow: UowDep
) -> exchange.DocumentLine:
    """Attach the other side's manifest or record (a received list) to compare with ours."""
    return exchange.link_counterpart(uow, actor, stage_id, body.list_id)


@router.get("/progress", response_model=exchange.ProgressReport)
def progress(
    actor: ActorDep,
    uow: UowDep,
    instance: InstanceDep,
    on: date | None = None,
    category: Annotated[list[str] | None, Query()] = None,
    format: Annotated[str, Query(pattern="^(json|svg)$")] = "json",
) -> Response | exchange.ProgressReport:
    """All for all per category and side; `?format=svg` gives the chart instead."""
    report = exchange.progress(
        uow,
        actor,
        instance.config.party,
        on or datetime.now(UTC).date(),
        category or None,
        instance.categories(),
    )
    if format == "svg":
        return Response(progress_chart_svg(report.rows), media_type="image/svg+xml")
    return report
