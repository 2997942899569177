"""The accounts track's use cases as the views every door shows.

Each function runs a use case and gives back what the API returns, so no door converts an
audit entry or a checkpoint itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from parley.domain.accounts.accounts import Actor
from parley.domain.paging import PageRequest
from parley.interchange.checkpoints import CheckpointFile
from parley.interchange.keys import TrustedKey
from parley.services.accounts.audit import recent_entries
from parley.services.accounts.checkpoints import (
    keep_file,
    list_checkpoints,
    verify_log,
    write_checkpoint,
)
from parley.services.accounts.views import (
    AuditEntryView,
    AuditReport,
    CheckpointOut,
    CheckpointsOut,
    Me,
    PageView,
    SignedCheckpointOut,
)
from parley.services.uow import UnitOfWork


def me(actor: Actor) -> Me:
    """The account asking, its roles and what they permit."""
    return Me.of(actor)


def audit_view(uow: UnitOfWork, actor: Actor, page: PageRequest) -> PageView[AuditEntryView]:
    """The most recent audit entries, newest first: `GET /audit`."""
    found = recent_entries(uow, actor, page)
    return PageView.of(found, [AuditEntryView.of(e) for e in found.items])


def verify_log_view(
    uow: UnitOfWork,
    actor: Actor,
    party: str,
    own_keys: Sequence[TrustedKey],
    files: Sequence[tuple[str, CheckpointFile]] = (),
) -> AuditReport:
    return AuditReport.of(verify_log(uow, actor, party, own_keys, files))


def write_checkpoint_view(
    uow: UnitOfWork, actor: Actor, party: str, signing_key: Ed25519PrivateKey
) -> SignedCheckpointOut:
    stored, signed = write_checkpoint(uow, actor, party, signing_key)
    return SignedCheckpointOut(id=stored.id, checkpoint=signed.document)


def keep_file_view(
    uow: UnitOfWork, actor: Actor, trusted: Sequence[TrustedKey], name: str, raw: CheckpointFile
) -> CheckpointOut:
    return CheckpointOut.of(keep_file(uow, actor, trusted, name, raw))


def checkpoints_view(
    uow: UnitOfWork, actor: Actor, party: str | None = None, offset: int = 0, limit: int = 50
) -> CheckpointsOut:
    found, total = list_checkpoints(uow, actor, party, offset, limit)
    return CheckpointsOut(items=[CheckpointOut.of(c) for c in found], total=total)
