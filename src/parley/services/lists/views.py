"""What the lists track shows: lists, versions, reconciliations, bundles, receipts, trusted keys.

The API returns these and the CLI prints them with `--json`; `of` builds each from what the list
use cases give, called only in the track's services (`shown`), never in a door.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from parley.interchange.bundles import Verification
from parley.interchange.keys import TrustedKey
from parley.services.lists.reconciliation import Reconciliation
from parley.services.lists.rows import StoredBundle, StoredEntry, StoredList

if TYPE_CHECKING:
    from parley.services.lists.bundles import Acknowledgment, ImportOutcome
    from parley.services.lists.lists import BuildResult, ListDetail


class ListOut(BaseModel):
    id: int
    name: str
    version: int
    purpose: str
    category: str
    reference: str
    sender: str
    recipients: list[str]
    created_at: str
    origin: str
    list_sha256: str
    previous_id: int | None
    added: int
    removed: int
    entries: int

    @classmethod
    def of(cls, stored: StoredList) -> ListOut:
        return cls(
            id=stored.id,
            name=stored.name,
            version=stored.version,
            purpose=stored.purpose,
            category=stored.category,
            reference=stored.reference,
            sender=stored.sender,
            recipients=list(stored.recipients),
            created_at=stored.created_at,
            origin=stored.origin,
            list_sha256=stored.list_sha256,
            previous_id=stored.previous_id,
            added=len(stored.changes.get("added", [])),
            removed=len(stored.changes.get("removed", [])),
            entries=stored.entry_count,
        )


class ListsOut(BaseModel):
    items: list[ListOut]
    total: int

    @classmethod
    def of(cls, found: list[StoredList], total: int) -> ListsOut:
        return cls(items=[ListOut.of(s) for s in found], total=total)


class ListDetailOut(BaseModel):
    summary: ListOut
    entries: list[dict[str, Any]]
    added_refs: list[str]
    removed: list[dict[str, Any]]

    @classmethod
    def of(cls, detail: ListDetail) -> ListDetailOut:
        return cls(
            summary=ListOut.of(detail.stored),
            entries=[e.entry for e in detail.entries],
            added_refs=[e.ref for e in detail.added],
            removed=detail.removed,
        )


class ListEntriesOut(BaseModel):
    """A window of a list's entries, in list order; `total` is the list's entry count."""

    list_id: int
    items: list[dict[str, Any]]
    total: int
    offset: int
    limit: int

    @classmethod
    def of(
        cls, stored: StoredList, entries: list[StoredEntry], offset: int, limit: int
    ) -> ListEntriesOut:
        return cls(
            list_id=stored.id,
            items=[e.entry for e in entries],
            total=stored.entry_count,
            offset=offset,
            limit=limit,
        )


class BuildOut(BaseModel):
    summary: ListOut
    unchanged: bool
    uncertain: int

    @classmethod
    def of(cls, result: BuildResult) -> BuildOut:
        return cls(
            summary=ListOut.of(result.stored),
            unchanged=result.unchanged,
            uncertain=result.uncertain,
        )


class ReconciledOut(BaseModel):
    ref: str
    entry: dict[str, Any]
    finding: str
    person_id: int | None
    person_name: str
    status: str
    probability: float | None
    duplicate_of: str | None
    verdict: str
    reason: str


class ReconciliationOut(BaseModel):
    list_id: int
    run_id: int
    counts: dict[str, int]
    entries: list[ReconciledOut]

    @classmethod
    def of(cls, report: Reconciliation) -> ReconciliationOut:
        return cls(
            list_id=report.stored.id,
            run_id=report.run_id,
            counts=report.counts,
            entries=[
                ReconciledOut(
                    ref=e.ref,
                    entry=e.entry,
                    finding=e.finding.value,
                    person_id=e.person_id,
                    person_name=e.person_name,
                    status=e.status,
                    probability=e.probability,
                    duplicate_of=e.duplicate_of,
                    verdict=e.response.verdict.value,
                    reason=e.response.reason,
                )
                for e in report.entries
            ],
        )


class BundleOut(BaseModel):
    id: int
    sha256: str
    direction: str
    kind: str
    sender: str
    recipient: str
    created_at: str
    signer_fingerprint: str
    list_id: int | None
    size: int

    @classmethod
    def of(cls, b: StoredBundle) -> BundleOut:
        return cls(
            id=b.id,
            sha256=b.sha256,
            direction=b.direction,
            kind=b.kind,
            sender=b.sender,
            recipient=b.recipient,
            created_at=b.created_at,
            signer_fingerprint=b.signer_fingerprint,
            list_id=b.list_id,
            size=b.size,
        )


class CheckOut(BaseModel):
    check: str
    passed: bool
    detail: str


def checks_of(verification: Verification) -> list[CheckOut]:
    return [
        CheckOut(check=r.check.value, passed=r.passed, detail=r.detail)
        for r in verification.results
    ]


class BundlesOut(BaseModel):
    items: list[BundleOut]
    total: int

    @classmethod
    def of(cls, found: list[StoredBundle], total: int) -> BundlesOut:
        return cls(items=[BundleOut.of(b) for b in found], total=total)


class AckOut(BaseModel):
    bundle: BundleOut
    list_name: str
    acknowledged: bool
    receipts: list[dict[str, str]]

    @classmethod
    def of(cls, ack: Acknowledgment) -> AckOut:
        return cls(
            bundle=BundleOut.of(ack.bundle),
            list_name=str(ack.bundle.provenance.get("list", "")),
            acknowledged=ack.acknowledged,
            receipts=[
                {"by": r.acknowledged_by, "role": r.role, "received_at": r.received_at}
                for r in ack.receipts
            ],
        )


class BundleImportView(BaseModel):
    """A bundle handed to us, checked and kept (or refused): what `POST /bundles` returns."""

    accepted: bool
    already: bool
    checks: list[CheckOut]
    bundle: BundleOut | None
    received_list: ListOut | None
    receipt: str | None = Field(None, description="Our signed receipt (JSON text) to send back.")
    forward_to: str | None
    acknowledges: BundleOut | None

    @classmethod
    def of(cls, outcome: ImportOutcome) -> BundleImportView:
        return cls(
            accepted=not outcome.refused,
            already=outcome.already,
            checks=checks_of(outcome.verification),
            bundle=BundleOut.of(outcome.bundle) if outcome.bundle else None,
            received_list=ListOut.of(outcome.stored) if outcome.stored else None,
            receipt=outcome.receipt.decode() if outcome.receipt else None,
            forward_to=outcome.forward_to,
            acknowledges=BundleOut.of(outcome.acknowledged) if outcome.acknowledged else None,
        )


class TrustedKeyOut(BaseModel):
    party: str
    name: str
    fingerprint: str
    added_at: str
    mediator: bool
    retired_at: str = Field(description="When its successor was announced; empty if in use.")
    revoked_at: str = Field(description="When it was revoked as compromised; empty if not.")
    revoked_reason: str

    @classmethod
    def of(cls, key: TrustedKey) -> TrustedKeyOut:
        return cls.model_validate(key, from_attributes=True)
