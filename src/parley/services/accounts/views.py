"""What the accounts track shows: the instance and the account asking, the audit log, its
signed checkpoints; and the page every track's lists come in.

The API returns these and the CLI prints them; `of` builds each from what the accounts use
cases give, called in the track's services (`shown`), never in a door.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from parley.domain.accounts.accounts import Actor
from parley.domain.accounts.audit import AuditEntry, CheckpointReport
from parley.domain.paging import Page
from parley.services.accounts.rows import StoredCheckpoint

T = TypeVar("T")


class PageView(BaseModel, Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int

    @classmethod
    def of(cls, page: Page[Any], items: list[T]) -> PageView[T]:
        return cls(items=items, total=page.total, offset=page.offset, limit=page.limit)


class Health(BaseModel):
    ok: bool
    version: str
    party: str


class Me(BaseModel):
    username: str
    roles: list[str]
    permissions: list[str]

    @classmethod
    def of(cls, actor: Actor) -> Me:
        return cls(
            username=actor.username,
            roles=sorted(actor.roles),
            permissions=sorted(actor.permissions),
        )


class AuditEntryView(BaseModel):
    seq: int
    at: datetime
    actor: str
    action: str
    record_type: str
    record_ids: list[str]
    detail: dict[str, Any]
    hash: str

    @classmethod
    def of(cls, e: AuditEntry) -> AuditEntryView:
        return cls(
            seq=e.seq,
            at=e.at,
            actor=e.actor,
            action=e.action,
            record_type=e.record_type,
            record_ids=list(e.record_ids),
            detail=e.detail,
            hash=e.hash,
        )


class AuditReport(BaseModel):
    ok: bool
    checked: int
    first_break: int | None
    reason: str | None
    checkpoints: int = 0
    """Signed checkpoints compared (those given and those this instance kept)."""
    rewritten: list[str] = []
    """Each checkpoint the log no longer extends, and why."""

    @classmethod
    def of(cls, report: CheckpointReport) -> AuditReport:
        found = report.chain.breaks or report.mismatches
        first = found[0] if found else None
        return cls(
            ok=report.ok,
            checked=report.chain.checked,
            first_break=first.entry_id if first else None,
            reason=first.reason if first else None,
            checkpoints=report.checkpoints,
            rewritten=[m.reason for m in report.mismatches],
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

    @classmethod
    def of(cls, stored: StoredCheckpoint) -> CheckpointOut:
        return cls.model_validate(stored, from_attributes=True)


class CheckpointsOut(BaseModel):
    items: list[CheckpointOut]
    total: int


class SignedCheckpointOut(BaseModel):
    id: int
    checkpoint: dict[str, Any]
    """The signed object, exactly as `parley audit checkpoint -o FILE` writes it."""
