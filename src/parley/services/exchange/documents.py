"""Documents that cross: signed manifests, the stage record, countersignature, counterparts.

The record of the executed stage, the mediator's countersignature and the other side's
counterpart documents are linked to the stage as they arrive.
"""

from __future__ import annotations

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import (
    ListNotFound,
    ReceiptRefused,
    StageNotReady,
    WrongParty,
)
from parley.domain.exchange.handover import DocumentRole
from parley.domain.lists import ListPurpose, shared_entry
from parley.interchange.bundles import require_accepted
from parley.services import lists
from parley.services.accounts import log
from parley.services.exchange.rows import StageRow
from parley.services.exchange.stages import (
    _OUTCOME_WORDS,
    _document,
    _entry,
    _latest_outcomes,
    _manifest_lines,
    _require_stage,
)
from parley.services.exchange.views import Countersignature, DocumentLine, ExclusionLine
from parley.services.lists import Keyring, export_bundle, import_bundle
from parley.services.lists.rows import StoredBundle, StoredEntry
from parley.services.uow import UnitOfWork


def export_manifests(
    uow: UnitOfWork, actor: Actor, keyring: Keyring, stage_id: int
) -> list[tuple[DocumentRole, StoredBundle, bytes]]:
    """Sign both manifests for the other side; the bundles are kept and linked to the stage."""
    actor.require(Permission.EXCHANGE_PLAN)
    with uow:
        stage = _require_stage(uow, stage_id)
        latest = {d.role: d for d in uow.exchange.stage_documents(stage_id)}
    wanted = [
        (role, latest[role.value].list_id)
        for role in (DocumentRole.RELEASE_MANIFEST, DocumentRole.EXPECT_MANIFEST)
        if role.value in latest and latest[role.value].list_id is not None
    ]
    held_back = _held_back_list(uow, actor, stage)
    if held_back is not None:
        wanted.append((DocumentRole.HELD_BACK, held_back))
    if not wanted:
        raise StageNotReady(f"stage {stage_id} has no manifest to send: both are empty")
    sent = []
    for role, list_id in wanted:
        assert list_id is not None
        bundle, raw = export_bundle(uow, actor, keyring, list_id, stage.release_side)
        sent.append((role, bundle, raw))
    with uow:
        for role, bundle, _raw in sent:
            uow.exchange.add_stage_document(stage_id, role.value, bundle.list_id, bundle.id)
        log(
            uow,
            actor,
            "stage.manifests.export",
            "stage",
            [stage_id],
            bundles=[b.sha256 for _r, b, _raw in sent],
        )
        uow.commit()
    return sent


def _held_back_list(uow: UnitOfWork, actor: Actor, stage: StageRow) -> int | None:
    """The people we hold whom a legal hold keeps off this stage, with the reason, as a list.

    GC III art. 115: a prisoner under prosecution or serving a sentence may be held back, and
    the other side must be told who. Only the hold's reason is shared, nothing else internal.
    """
    held = {
        line.person_id: line.reason
        for line in (ExclusionLine(**e) for e in stage.plan.get("exclusions", []))
        if line.code == "legal_hold"
        and line.person_id is not None
        and line.side != stage.return_side
    }
    if not held:
        return None
    with uow:
        persons = uow.persons.get_many(sorted(held))
        entries = []
        for position, person_id in enumerate(sorted(held), start=1):
            shared = shared_entry(f"H{position}", persons[person_id], held[person_id])
            entries.append(
                StoredEntry(position, shared.ref, shared.key(), shared.to_payload(), person_id)
            )
        draft = lists.ListDraft(
            name=f"{stage.name}: held back (GC III art. 115)",
            purpose=ListPurpose.STAGE_MANIFEST,
            recipients=(stage.release_side,),
            category="held back: under prosecution or serving a sentence",
            reference=f"stage {stage.id}, {stage.stage_on.isoformat()}",
        )
        stored, _unchanged = lists.store_version(
            uow, actor, stage.return_side, draft, "built", {"stage": stage.id}, entries
        )
        uow.exchange.add_stage_document(stage.id, DocumentRole.HELD_BACK.value, stored.id, None)
        log(uow, actor, "stage.held_back", "stage", [stage.id], list=stored.id, persons=len(held))
        uow.commit()
    return stored.id


def export_record(
    uow: UnitOfWork, actor: Actor, keyring: Keyring, stage_id: int
) -> tuple[StoredBundle, bytes]:
    """The executed stage as a signed list to the other side, to go through the mediator.

    Every person on either manifest, with the outcome recorded for them; the mediator's relay
    receipt of this bundle is the stage's countersignature (`record_countersignature`).
    """
    actor.require(Permission.EXCHANGE_PLAN)
    with uow:
        stage = _require_stage(uow, stage_id)
        outcomes = _latest_outcomes(uow.exchange.outcomes(stage_id))
        lines = _manifest_lines(stage)
        missing = [line.person_id for _m, line in lines if line.person_id not in outcomes]
        if not lines or missing:
            raise StageNotReady(
                f"stage {stage_id}: record every outcome before the record is signed "
                f"({len(missing)} of {len(lines)} without one)",
                "outcomes",
            )
        entries = [
            _entry(
                uow,
                position,
                line,
                f"{_OUTCOME_WORDS[m]}; {line.category}; {outcomes[line.person_id].outcome}",
            )
            for position, (m, line) in enumerate(lines, start=1)
        ]
        draft = lists.ListDraft(
            name=f"{stage.name}: executed",
            purpose=ListPurpose.STAGE_MANIFEST,
            recipients=(stage.release_side,),
            category=", ".join(stage.plan.get("categories", stage.categories)),
            reference=f"stage {stage.id}, {stage.stage_on.isoformat()}, executed",
        )
        stored, _unchanged = lists.store_version(
            uow, actor, stage.return_side, draft, "built", {"stage": stage.id}, entries
        )
        uow.exchange.add_stage_document(stage_id, DocumentRole.RECORD.value, stored.id, None)
        log(uow, actor, "stage.record", "stage", [stage_id], list=stored.id, persons=len(lines))
        uow.commit()
    bundle, raw = export_bundle(uow, actor, keyring, stored.id, stage.release_side)
    with uow:
        uow.exchange.add_stage_document(stage_id, DocumentRole.RECORD.value, stored.id, bundle.id)
        uow.commit()
    return bundle, raw


def record_countersignature(
    uow: UnitOfWork,
    actor: Actor,
    keyring: Keyring,
    stage_id: int,
    receipt: bytes,
    file_name: str = "countersignature.json",
) -> Countersignature:
    """Take in the mediator's relay receipt of our stage record and keep it as its countersignature.

    The receipt is verified and stored like any bundle (so importing it earlier through
    `parley bundle import` is fine); it must acknowledge this stage's record with role `relay`.
    """
    actor.require(Permission.EXCHANGE_PLAN)
    with uow:
        _require_stage(uow, stage_id)
        records = [
            d
            for d in uow.exchange.stage_documents(stage_id)
            if d.role == DocumentRole.RECORD.value and d.bundle_id is not None
        ]
        record = uow.lists.get_bundle(records[-1].bundle_id or 0) if records else None
    if record is None:
        raise StageNotReady(
            f"stage {stage_id}: sign and send the stage record first (`parley stage export "
            f"{stage_id} --record`)",
            "record",
        )
    outcome = import_bundle(uow, actor, keyring, file_name, receipt)
    if not outcome.already:
        require_accepted(outcome.verification)
    kept = outcome.bundle
    assert kept is not None
    with uow:
        mine = [
            r for r in uow.lists.receipts_for([record.sha256]) if r.receipt_bundle_id == kept.id
        ]
        if not mine:
            raise ReceiptRefused(
                f"this {kept.kind} does not acknowledge stage {stage_id}'s record "
                f"(bundle {record.id})",
                "receipt",
            )
        if mine[0].role != "relay":
            raise ReceiptRefused(
                f"this receipt is from the recipient {mine[0].acknowledged_by}; the "
                "countersignature is the mediator's relay receipt",
                "receipt",
            )
        uow.exchange.add_stage_document(
            stage_id, DocumentRole.COUNTERSIGNATURE.value, None, kept.id
        )
        log(
            uow,
            actor,
            "stage.countersignature",
            "stage",
            [stage_id],
            bundle=kept.sha256,
            by=mine[0].acknowledged_by,
        )
        uow.commit()
    return Countersignature(
        stage_id=stage_id,
        bundle_id=kept.id,
        by=mine[0].acknowledged_by,
        received_at=mine[0].received_at,
    )


def link_counterpart(uow: UnitOfWork, actor: Actor, stage_id: int, list_id: int) -> DocumentLine:
    """Attach a manifest or record the other side sent for this stage, to compare with ours."""
    actor.require(Permission.EXCHANGE_PLAN)
    with uow:
        stage = _require_stage(uow, stage_id)
        listed = uow.lists.get_list(list_id)
        if listed is None:
            raise ListNotFound(f"list {list_id} does not exist")
        if listed.sender != stage.release_side:
            raise WrongParty(
                f"list {list_id} was sent by {listed.sender}; the other side of stage "
                f"{stage_id} is {stage.release_side}",
                "list_id",
            )
        uow.exchange.add_stage_document(stage_id, DocumentRole.COUNTERPART.value, list_id, None)
        log(uow, actor, "stage.counterpart", "stage", [stage_id], list=list_id)
        line = _document(uow.exchange.stage_documents(stage_id)[-1])
        uow.commit()
        return line
