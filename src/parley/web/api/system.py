"""/api/v1/health, /api/v1/me, /api/v1/dashboard, /api/v1/audit and the public figures."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from parley import __version__
from parley.domain.paging import MAX_LIMIT, PageRequest
from parley.services import dashboard
from parley.services.accounts import audit
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


@router.post("/audit/verify", response_model=AuditReport)
def verify_audit(actor: ActorDep, uow: UowDep) -> AuditReport:
    report = audit.verify(uow, actor)
    first = report.breaks[0] if report.breaks else None
    return AuditReport(
        ok=report.ok,
        checked=report.checked,
        first_break=first.entry_id if first else None,
        reason=first.reason if first else None,
    )
