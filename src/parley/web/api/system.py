"""/api/v1/health, /api/v1/me, /api/v1/dashboard, /api/v1/audit (and its signed checkpoints), the
public figures."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from parley import __version__
from parley.domain.paging import MAX_LIMIT, PageRequest
from parley.services import accounts, dashboard
from parley.services.accounts import checkpoints
from parley.services.accounts.views import (
    AuditEntryView,
    AuditReport,
    CheckpointOut,
    CheckpointsOut,
    Health,
    Me,
    PageView,
    SignedCheckpointOut,
)
from parley.services.registry import statistics
from parley.services.registry.views import Figure
from parley.web.deps import ActorDep, InstanceDep, UowDep

router = APIRouter(tags=["system"])


@router.get("/health", response_model=Health)
def health(instance: InstanceDep) -> Health:
    return Health(ok=True, version=__version__, party=instance.config.party)


@router.get("/public/figures", response_model=list[Figure])
def public_figures(uow: UowDep) -> list[Figure]:
    """Aggregates only, no token needed; counts under 10 are suppressed."""
    return statistics.public_figure_views(uow)


@router.get("/me", response_model=Me)
def me(actor: ActorDep) -> Me:
    return accounts.me(actor)


@router.get("/dashboard", response_model=dashboard.DashboardView)
def attention(
    actor: ActorDep,
    uow: UowDep,
    as_of: date | None = None,
    no_answer_days: Annotated[int, Query(ge=1)] = dashboard.DEFAULT_NO_ANSWER_DAYS,
) -> dashboard.DashboardView:
    """What needs attention now: one count per kind of task this account can act on, with the
    console screen that resolves it (matches to review, overdue medical decisions, lists sent
    without a receipt, identifications awaiting a second person, children with no answer after
    `no_answer_days`, commitments at risk)."""
    return dashboard.attention(uow, actor, as_of, no_answer_days)


@router.get("/audit", response_model=PageView[AuditEntryView])
def audit_log(
    actor: ActorDep,
    uow: UowDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
) -> PageView[AuditEntryView]:
    return accounts.audit_view(uow, actor, PageRequest(offset, limit))


class VerifyIn(BaseModel):
    against: list[dict[str, Any]] = Field(
        default=[],
        max_length=100,
        description="Signed checkpoints of this instance's log (`parley.checkpoint/1` objects, "
        "as another party holds them) that the log must still extend.",
    )


@router.post("/audit/verify", response_model=AuditReport)
def verify_audit(
    actor: ActorDep, uow: UowDep, instance: InstanceDep, body: VerifyIn | None = None
) -> AuditReport:
    """Walk the chain, then prove the log extends every checkpoint given and every one kept:
    deleted newest entries, or a rewritten log with recomputed hashes, answer `ok: false`."""
    files = [(f"against[{i}]", c) for i, c in enumerate(body.against if body else [])]
    return accounts.verify_log_view(uow, actor, instance.config.party, instance.own_keys(), files)


@router.post("/audit/checkpoints", response_model=SignedCheckpointOut, status_code=201)
def write_checkpoint(actor: ActorDep, uow: UowDep, instance: InstanceDep) -> SignedCheckpointOut:
    """Sign the log's head now, for a third party to hold."""
    keyring = instance.keyring()
    return accounts.write_checkpoint_view(uow, actor, keyring.party, keyring.signing_key)


class KeepIn(BaseModel):
    checkpoint: dict[str, Any] = Field(
        description="Another party's signed checkpoint (`parley.checkpoint/1`), handed over "
        "on its own rather than in a bundle."
    )


@router.post("/audit/checkpoints/kept", response_model=CheckpointOut, status_code=201)
def keep_checkpoint(
    body: KeepIn, actor: ActorDep, uow: UowDep, instance: InstanceDep
) -> CheckpointOut:
    """Keep another party's checkpoint, its signature checked against the trust store."""
    return accounts.keep_file_view(
        uow, actor, instance.trust_store.trusted(), "checkpoint", body.checkpoint
    )


@router.get("/audit/checkpoints", response_model=CheckpointsOut)
def held_checkpoints(
    actor: ActorDep,
    uow: UowDep,
    party: str | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
) -> CheckpointsOut:
    """Ours and those other parties' bundles carried, newest first."""
    return accounts.checkpoints_view(uow, actor, party, offset, limit)


@router.get("/audit/checkpoints/{checkpoint_id}")
def checkpoint_bytes(checkpoint_id: int, actor: ActorDep, uow: UowDep) -> Response:
    """The held checkpoint's exact signed bytes, to verify the party that signed it against."""
    stored, raw = checkpoints.checkpoint_content(uow, actor, checkpoint_id)
    name = f"checkpoint-{stored.party}-{stored.entries}.json"
    return Response(
        raw,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
