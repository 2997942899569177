"""Signed checkpoints of the audit log: writing ours, keeping others', verifying against them.

Our checkpoints are written on demand (`parley audit checkpoint`, a timer may run it hourly)
and on every bundle export, which carries the latest; the receiving or relaying instance keeps
it. Whoever holds one of our checkpoints can later have us prove that our log still extends
it (`parley audit verify --against FILE`): the chain is recomputed up to its entry count and
must end in its hash, so deleted newest entries or a rewritten and re-hashed log are shown.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.accounts.audit import CheckpointReport, LogHead, verify_against
from parley.domain.errors import ChainBreak, CheckpointNotFound, CheckpointRefused
from parley.interchange.bundle_payloads import utc_timestamp
from parley.interchange.checkpoints import (
    Checkpoint,
    CheckpointFile,
    check_signer,
    read_checkpoint,
    seal_checkpoint,
)
from parley.interchange.keys import TrustedKey
from parley.services.accounts.audit import log
from parley.services.accounts.rows import NewCheckpoint, StoredCheckpoint
from parley.services.uow import UnitOfWork


def _row(checkpoint: Checkpoint, source: str, actor: Actor, bundle: str | None) -> NewCheckpoint:
    return NewCheckpoint(
        sha256=hashlib.sha256(checkpoint.raw).hexdigest(),
        party=checkpoint.party,
        entries=checkpoint.entries,
        head=checkpoint.head,
        created_at=utc_timestamp(checkpoint.created_at),
        signer_fingerprint=checkpoint.signer_fingerprint,
        content=checkpoint.raw,
        source=source,
        bundle_sha256=bundle,
        stored_by=actor.label,
    )


def sign_checkpoint(
    uow: UnitOfWork, actor: Actor, party: str, signing_key: Ed25519PrivateKey, why: str
) -> tuple[StoredCheckpoint, Checkpoint]:
    """Inside the caller's open (writing) transaction: log it, then sign the log's head.

    The `audit.checkpoint` entry comes first, so the checkpoint covers every entry up to and
    including its own: right after it, the newest entry is protected too. The caller's own
    entries before this call are covered as well (they commit together).
    """
    log(uow, actor, "audit.checkpoint", "checkpoint", why=why)
    entries, head = uow.audit.head()
    checkpoint = seal_checkpoint(
        party, entries, head, signing_key, datetime.now(UTC).replace(microsecond=0)
    )
    stored = uow.audit.add_checkpoint(_row(checkpoint, "own", actor, None))
    return stored, checkpoint


def write_checkpoint(
    uow: UnitOfWork, actor: Actor, party: str, signing_key: Ed25519PrivateKey
) -> tuple[StoredCheckpoint, Checkpoint]:
    """A checkpoint now, to hand to a third party (`parley audit checkpoint -o FILE`)."""
    actor.require(Permission.AUDIT_READ)
    with uow:
        result = sign_checkpoint(uow, actor, party, signing_key, "on demand")
        uow.commit()
        return result


def keep_received(
    uow: UnitOfWork, actor: Actor, checkpoint: Checkpoint, bundle_sha256: str | None
) -> StoredCheckpoint:
    """Inside the caller's transaction: keep another party's checkpoint (its bundle verified
    it). One that names the same entry count as a checkpoint held before with another hash
    is proof the party rewrote its log: kept all the same, and written to our audit log."""
    held = uow.audit.all_checkpoints(checkpoint.party)
    stored = uow.audit.add_checkpoint(_row(checkpoint, "received", actor, bundle_sha256))
    clashes = [
        c.id for c, _ in held if c.entries == checkpoint.entries and c.head != checkpoint.head
    ]
    log(
        uow,
        actor,
        "audit.checkpoint.conflict" if clashes else "audit.checkpoint.kept",
        "checkpoint",
        [stored.id, *clashes],
        party=checkpoint.party,
        entries=checkpoint.entries,
        bundle=bundle_sha256 or "",
    )
    return stored


def keep_file(
    uow: UnitOfWork,
    actor: Actor,
    trusted: Sequence[TrustedKey],
    name: str,
    raw: CheckpointFile,
) -> StoredCheckpoint:
    """Keep another party's checkpoint handed over on its own (a file from its hourly timer),
    as one a bundle carried: checked against the trust store like a bundle's signer."""
    actor.require(Permission.BUNDLES_RECEIVE)
    checkpoint = read_checkpoint(raw, name)
    check_signer(checkpoint, trusted, name)
    with uow:
        stored = keep_received(uow, actor, checkpoint, None)
        uow.commit()
        return stored


def list_checkpoints(
    uow: UnitOfWork, actor: Actor, party: str | None = None, offset: int = 0, limit: int = 50
) -> tuple[list[StoredCheckpoint], int]:
    actor.require(Permission.AUDIT_READ)
    with uow:
        return uow.audit.checkpoints(party.upper() if party else None, offset, limit)


def checkpoint_content(
    uow: UnitOfWork, actor: Actor, checkpoint_id: int
) -> tuple[StoredCheckpoint, bytes]:
    """The exact signed bytes of a held checkpoint, to hand to whoever checks the party."""
    actor.require(Permission.AUDIT_READ)
    with uow:
        found = uow.audit.checkpoint(checkpoint_id)
        if found is None:
            raise CheckpointNotFound(f"checkpoint {checkpoint_id} does not exist")
        log(uow, actor, "audit.checkpoint.download", "checkpoint", [checkpoint_id])
        uow.commit()
        return found


def read_against(
    files: Iterable[tuple[str, CheckpointFile]],
    party: str,
    own_keys: Sequence[TrustedKey],
) -> list[Checkpoint]:
    """Parse checkpoint files handed to us and check they are ours, signed by a key of ours
    valid at the time; CheckpointRefused names the file at fault."""
    checkpoints = []
    for name, raw in files:
        checkpoint = read_checkpoint(raw, name)
        if checkpoint.party != party:
            raise CheckpointRefused(
                f"{name}: a checkpoint of {checkpoint.party}'s log; this instance is {party}'s"
            )
        check_signer(checkpoint, own_keys, name)
        checkpoints.append(checkpoint)
    return checkpoints


def verify_log(
    uow: UnitOfWork,
    actor: Actor,
    party: str,
    own_keys: Sequence[TrustedKey],
    files: Sequence[tuple[str, CheckpointFile]] = (),
) -> CheckpointReport:
    """Walk the chain and prove it extends every checkpoint given (files), and every one of
    ours this instance kept: a kept one that no longer verifies is itself reported."""
    actor.require(Permission.AUDIT_READ)
    given = read_against(files, party, own_keys)
    heads = [
        LogHead(c.entries, c.head, f"{name} (signed {utc_timestamp(c.created_at)})")
        for (name, _), c in zip(files, given, strict=True)
    ]
    with uow:
        damaged = []
        for stored, raw in uow.audit.all_checkpoints(party):
            label = f"kept checkpoint {stored.id} (signed {stored.created_at})"
            try:
                checkpoint = read_checkpoint(raw, label)
                check_signer(checkpoint, own_keys, label)
            except CheckpointRefused as exc:
                damaged.append(ChainBreak(stored.entries, exc.message))
                continue
            heads.append(LogHead(checkpoint.entries, checkpoint.head, label))
        report = verify_against(uow.audit.walk(), heads)
        report.mismatches.extend(damaged)
        log(
            uow,
            actor,
            "audit.verify",
            checked=report.chain.checked,
            checkpoints=report.checkpoints,
            ok=report.ok,
            against=[name for name, _ in files],
        )
        uow.commit()
        return report
