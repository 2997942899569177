"""/api/v1/health, /api/v1/me, /api/v1/dashboard, /api/v1/audit (and its signed checkpoints), the
public figures."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from parley import __version__
from parley.domain.paging import MAX_LIMIT, PageRequest
from parley.services import dashboard
from parley.services.accounts import audit, checkpoints
from parley.services.registry import statistics
from parley.services.registry.views import PageView
from parley.web.deps import ActorDep, InstanceDep, UowDep

router = APIRouter(tags=["system"])


class Health(BaseModel):
    ok: bool
    version: str
    party: str


class Me(BaseModel):
    username: str
    roles: list[str]
    permissions: list[str]


class AuditEntryView(BaseModel):
    seq: int
    at: datetime
    actor: str
    action: str
    record_type: str
    record_ids: list[str]
    detail: dict[str, Any]
    hash: str


class AuditReport(BaseModel):
    ok: bool
    checked: int
    first_break: int | None
    reason: str | None
    checkpoints: int = 0
    """Signed checkpoints compared (those given and those this instance kept)."""
    rewritten: list[str] = []
    """Each checkpoint the log no longer extends, and why."""


class Figure(BaseModel):
    status: str
    count: int | None
    shown: str


@router.get("/health", response_model=Health)
def health(instance: InstanceDep) -> Health:
    return Health(ok=True, version=__version__, party=instance.config.party)


@router.get("/public/figures", response_model=list[Figure])
def public_figures(uow: UowDep) -> list[Figure]:
    """Aggregates only, no token needed; counts under 10 are suppressed."""
    return [
        Figure(status=f.status, count=f.count, shown=f.shown)
        for f in statistics.public_figures(uow)
    ]


@router.get("/me", response_model=Me)
def me(actor: ActorDep) -> Me:
    return Me(
        username=actor.username, roles=sorted(actor.roles), permissions=sorted(actor.permissions)
    )


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
    page = audit.recent_entries(uow, actor, PageRequest(offset, limit))
    return PageView.of(
        page,
        [
            AuditEntryView(
                seq=e.seq,
                at=e.at,
                actor=e.actor,
                action=e.action,
                record_type=e.record_type,
                record_ids=list(e.record_ids),
                detail=e.detail,
                hash=e.hash,
            )
            for e in page.items
        ],
    )


class VerifyIn(BaseModel):
    against: list[dict[str, Any]] = Field(
        default=[],
        max_length=100,
        description="Signed checkpoints of this instance's log (`parley.checkpoint/1` objects, "
        "as another party holds them) that the log must still extend.",
    )


class CheckpointOut(BaseModel):
    id: int
    party: str
    entries: int
    head: str
    created_at: str
    signer_fingerprint: str
    source: str
    bundle_sha256: str | None


class CheckpointsOut(BaseModel):
    items: list[CheckpointOut]
    total: int


class SignedCheckpointOut(BaseModel):
    id: int
    checkpoint: dict[str, Any]
    """The signed object, exactly as `parley audit checkpoint -o FILE` writes it."""


@router.post("/audit/verify", response_model=AuditReport)
def verify_audit(
    actor: ActorDep, uow: UowDep, instance: InstanceDep, body: VerifyIn | None = None
) -> AuditReport:
    """Walk the chain, then prove the log extends every checkpoint given and every one kept:
    deleted newest entries, or a rewritten log with recomputed hashes, answer `ok: false`."""
    files = [(f"against[{i}]", c) for i, c in enumerate(body.against if body else [])]
    report = checkpoints.verify_log(uow, actor, instance.config.party, instance.own_keys(), files)
    found = report.chain.breaks or report.mismatches
    first = found[0] if found else None
    return AuditReport(
        ok=report.ok,
        checked=report.chain.checked,
        first_break=first.entry_id if first else None,
        reason=first.reason if first else None,
        checkpoints=report.checkpoints,
        rewritten=[m.reason for m in report.mismatches],
    )


@router.post("/audit/checkpoints", response_model=SignedCheckpointOut, status_code=201)
def write_checkpoint(actor: ActorDep, uow: UowDep, instance: InstanceDep) -> SignedCheckpointOut:
    """Sign the log's head now, for a third party to hold."""
    keyring = instance.keyring()
    stored, signed = checkpoints.write_checkpoint(uow, actor, keyring.party, keyring.signing_key)
    return SignedCheckpointOut(id=stored.id, checkpoint=signed.document)


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
    stored = checkpoints.keep_file(
        uow, actor, instance.trust_store.trusted(), "checkpoint", body.checkpoint
    )
    return CheckpointOut.model_validate(stored, from_attributes=True)


@router.get("/audit/checkpoints", response_model=CheckpointsOut)
def held_checkpoints(
    actor: ActorDep,
    uow: UowDep,
    party: str | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
) -> CheckpointsOut:
    """Ours and those other parties' bundles carried, newest first."""
    rows, total = checkpoints.list_checkpoints(uow, actor, party, offset, limit)
    return CheckpointsOut(
        items=[CheckpointOut.model_validate(c, from_attributes=True) for c in rows],
        total=total,
    )


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
