"""Reading and verifying the audit log. Writing to it happens inside every other use case."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.accounts.audit import AuditEntry, AuditRecord, verify_chain
from parley.domain.errors import IntegrityReport
from parley.domain.paging import Page, PageRequest, TableQuery
from parley.services.uow import UnitOfWork


def log(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    record_type: str = "",
    record_ids: Sequence[int] = (),
    **detail: Any,
) -> AuditEntry:
    """Append inside the caller's transaction: the entry lands exactly when the change does."""
    return uow.audit.append(
        AuditRecord(actor.label, action, record_type, tuple(str(i) for i in record_ids), detail)
    )


def verify(uow: UnitOfWork, actor: Actor) -> IntegrityReport:
    actor.require(Permission.AUDIT_READ)
    with uow:
        report = verify_chain(uow.audit.walk())
        log(uow, actor, "audit.verify", checked=report.checked, ok=report.ok)
        uow.commit()
        return report


AUDIT_SORTS = ("seq", "actor", "action")
AUDIT_FILTERS = ("actor", "action", "record_type")


def audit_table(uow: UnitOfWork, actor: Actor, table: TableQuery) -> Page[AuditEntry]:
    """The console's page of the log: filtered, sorted and cut by the database."""
    actor.require(Permission.AUDIT_READ)
    with uow:
        return uow.audit.table(table)


def recent_entries(uow: UnitOfWork, actor: Actor, page: PageRequest) -> Page[AuditEntry]:
    actor.require(Permission.AUDIT_READ)
    with uow:
        return uow.audit.recent(page)
