"""The audit log as a hash chain.

Each entry's hash covers its own fields and the previous entry's hash, so changing, removing or
reordering any entry breaks every hash after it. Sequence numbers are assigned by Parley, not
by the database, so a rolled-back transaction never leaves a gap that looks like a deletion.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from parley.domain.errors import ChainBreak, IntegrityReport

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditRecord:
    """What happened, before it is placed in the chain."""

    actor: str
    action: str
    record_type: str = ""
    record_ids: tuple[str, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    record_type: str
    record_ids: tuple[str, ...]
    detail: dict[str, Any]
    prev_hash: str
    hash: str


def entry_hash(seq: int, at: datetime, record: AuditRecord, prev_hash: str) -> str:
    body = {
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor": record.actor,
        "action": record.action,
        "record_type": record.record_type,
        "record_ids": list(record.record_ids),
        "detail": record.detail,
        "prev": prev_hash,
    }
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def chain(seq: int, at: datetime, record: AuditRecord, prev_hash: str) -> AuditEntry:
    return AuditEntry(
        seq,
        at,
        record.actor,
        record.action,
        record.record_type,
        record.record_ids,
        record.detail,
        prev_hash,
        entry_hash(seq, at, record, prev_hash),
    )


def verify_chain(entries: Iterable[AuditEntry]) -> IntegrityReport:
    """Walk the chain in order and stop at the first entry that does not hold."""
    expected_seq, prev = 1, GENESIS
    checked = 0
    for entry in entries:
        checked += 1
        if entry.seq != expected_seq:
            missing = (
                f"{expected_seq}"
                if entry.seq == expected_seq + 1
                else (f"{expected_seq}–{entry.seq - 1}")
            )
            if entry.seq < expected_seq:
                reason = f"entry {entry.seq} is out of order or duplicated"
            else:
                reason = f"entry {missing} is missing before entry {entry.seq}"
            return IntegrityReport(checked, [ChainBreak(expected_seq, reason)])
        if entry.prev_hash != prev:
            return IntegrityReport(
                checked,
                [
                    ChainBreak(
                        entry.seq,
                        f"entry {entry.seq} does not point at entry {entry.seq - 1}'s hash",
                    )
                ],
            )
        record = AuditRecord(
            entry.actor, entry.action, entry.record_type, entry.record_ids, entry.detail
        )
        if entry_hash(entry.seq, entry.at, record, entry.prev_hash) != entry.hash:
            return IntegrityReport(
                checked,
                [
                    ChainBreak(
                        entry.seq,
                        f"entry {entry.seq} was altered: its content no longer matches its hash",
                    )
                ],
            )
        expected_seq, prev = entry.seq + 1, entry.hash
    return IntegrityReport(checked)


@dataclass(frozen=True)
class LogHead:
    """What a signed checkpoint vouches for: the log held `entries` entries, the last one
    hashing to `head`. `label` names the checkpoint in a report."""

    entries: int
    head: str
    label: str = "the checkpoint"


@dataclass(frozen=True)
class CheckpointReport:
    """The chain walked, then compared with each checkpoint: `mismatches` name those the log
    no longer extends (entries deleted, or rewritten with their later hashes recomputed)."""

    chain: IntegrityReport
    checkpoints: int
    mismatches: list[ChainBreak] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.mismatches


def verify_against(entries: Iterable[AuditEntry], heads: Iterable[LogHead]) -> CheckpointReport:
    """Recompute the head over each checkpoint's prefix, in one walk of the chain.

    Each entry's hash covers the one before, so entry N's hash commits to entries 1..N: a log
    that still extends a checkpoint has at least its N entries and the same hash at entry N.
    """
    wanted = sorted(heads, key=lambda h: h.entries)
    at = {h.entries for h in wanted}
    seen: dict[int, str] = {0: GENESIS}

    def remembered() -> Iterable[AuditEntry]:
        for entry in entries:
            if entry.seq in at:
                seen[entry.seq] = entry.hash
            yield entry

    chain_report = verify_chain(remembered())
    if not chain_report.ok:
        return CheckpointReport(chain_report, len(wanted))
    mismatches = []
    for head in wanted:
        if head.entries > chain_report.checked:
            gone = (
                f"entry {head.entries} was"
                if head.entries == chain_report.checked + 1
                else f"entries {chain_report.checked + 1}–{head.entries} were"
            )
            mismatches.append(
                ChainBreak(
                    chain_report.checked + 1,
                    f"the log holds {chain_report.checked} entries, but {head.label} vouches "
                    f"for {head.entries}: {gone} deleted",
                )
            )
        elif seen.get(head.entries) != head.head:
            mismatches.append(
                ChainBreak(
                    head.entries,
                    f"entry {head.entries} hashes to {str(seen.get(head.entries))[:12]}…, but "
                    f"{head.label} signed {head.head[:12]}…: the log was rewritten at or "
                    f"before entry {head.entries}",
                )
            )
    return CheckpointReport(chain_report, len(wanted), mismatches)
