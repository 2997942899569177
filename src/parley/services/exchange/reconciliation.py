"""Where plan, record, claims and the other side's lists differ, for one stage."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.exchange.handover import DocumentRole, Manifest, StageOutcome
from parley.services import matching
from parley.services.accounts import log
from parley.services.exchange.rows import ClaimRow, OutcomeRow, StageRow
from parley.services.exchange.stages import TOTAL, _latest_outcomes, _manifest_lines, _require_stage
from parley.services.exchange.views import (
    ClaimCheck,
    CounterpartFinding,
    CounterpartLine,
    ManifestLine,
    ManifestTally,
    Shortfall,
    StageReconciliation,
)
from parley.services.uow import UnitOfWork


def reconcile_stage(uow: UnitOfWork, actor: Actor, stage_id: int) -> StageReconciliation:
    """Where plan, record, claims and the other side's lists differ, for one stage."""
    actor.require(Permission.REGISTRY_READ)
    with uow:
        stage = _require_stage(uow, stage_id)
        outcomes = _latest_outcomes(uow.exchange.outcomes(stage_id))
        lines = _manifest_lines(stage)
        claims = uow.exchange.claims(stage_id)
        counterparts = sorted(
            {
                d.list_id
                for d in uow.exchange.stage_documents(stage_id)
                if d.role == DocumentRole.COUNTERPART.value and d.list_id is not None
            }
        )
        theirs, unreconciled = _counterpart_entries(uow, counterparts)
        log(uow, actor, "stage.reconciliation.read", "stage", [stage_id])
        uow.commit()
    return StageReconciliation(
        stage_id=stage.id,
        name=stage.name,
        tallies=_tallies(stage, lines, outcomes),
        shortfalls=[
            Shortfall(
                manifest=m.value,
                ref=line.ref,
                person_id=line.person_id,
                name=line.name,
                category=line.category,
                outcome=outcomes[line.person_id].outcome if line.person_id in outcomes else "",
                note=outcomes[line.person_id].note if line.person_id in outcomes else "",
            )
            for m, line in lines
            if line.person_id not in outcomes
            or outcomes[line.person_id].outcome != StageOutcome.TRANSFERRED.value
        ],
        claims=[_check_claim(stage, lines, outcomes, c) for c in claims],
        counterpart_lists=counterparts,
        unreconciled_lists=unreconciled,
        counterpart=_compare(lines, theirs),
    )


def _tallies(
    stage: StageRow,
    lines: Sequence[tuple[Manifest, ManifestLine]],
    outcomes: Mapping[int, OutcomeRow],
) -> list[ManifestTally]:
    found = []
    for manifest in Manifest:
        side = stage.release_side if manifest is Manifest.RELEASE else stage.return_side
        for category in stage.plan.get("categories", stage.categories):
            here = [line for m, line in lines if m is manifest and line.category == category]
            said = Counter(
                outcomes[line.person_id].outcome for line in here if line.person_id in outcomes
            )
            found.append(
                ManifestTally(
                    manifest=manifest.value,
                    side=side,
                    category=category,
                    planned=len(here),
                    transferred=said[StageOutcome.TRANSFERRED.value],
                    refused=said[StageOutcome.REFUSED.value],
                    absent=said[StageOutcome.ABSENT.value],
                    died=said[StageOutcome.DIED.value],
                    unrecorded=len(here) - sum(said.values()),
                )
            )
    return found


def _check_claim(
    stage: StageRow,
    lines: Sequence[tuple[Manifest, ManifestLine]],
    outcomes: Mapping[int, OutcomeRow],
    claim: ClaimRow,
) -> ClaimCheck:
    """A party's claim is about its own people coming home: our expect or release manifest."""
    manifest = {stage.return_side: Manifest.EXPECT, stage.release_side: Manifest.RELEASE}.get(
        claim.party
    )
    recorded: int | None = None
    if manifest is not None:
        recorded = sum(
            1
            for m, line in lines
            if m is manifest
            and claim.category in (TOTAL, line.category)
            and line.person_id in outcomes
            and outcomes[line.person_id].outcome == StageOutcome.TRANSFERRED.value
        )
    return ClaimCheck(
        claim_id=claim.id,
        party=claim.party,
        category=claim.category,
        claimed=claim.count,
        recorded=recorded,
        difference=None if recorded is None else claim.count - recorded,
        claimed_on=claim.claimed_on,
        source=claim.source,
    )


@dataclass(frozen=True)
class _Theirs:
    list_id: int
    ref: str
    name: str
    person_id: int | None


def _counterpart_entries(
    uow: UnitOfWork, list_ids: Sequence[int]
) -> tuple[list[_Theirs], list[int]]:
    """Entries of the other side's lists with the person each stands matched to now."""
    found: list[_Theirs] = []
    unreconciled: list[int] = []
    for list_id in list_ids:
        run_id = uow.lists.latest_reconciliation(list_id)
        if run_id is None:
            unreconciled.append(list_id)
            continue
        settled = {row.row: person for row, person in matching.settled_entries(uow, run_id)}
        for position, entry in enumerate(uow.lists.entries(list_id), start=1):
            payload = entry.entry
            name = " ".join(
                str(payload.get(p, "")) for p in ("surname", "given_name", "patronymic")
            ).strip()
            found.append(_Theirs(list_id, entry.ref, name, settled.get(position)))
    return found, unreconciled


def _compare(
    lines: Sequence[tuple[Manifest, ManifestLine]], theirs: Sequence[_Theirs]
) -> list[CounterpartLine]:
    """Each of their entries against our manifests; then ours they do not name.

    Only a manifest at least one of their entries falls on is checked for persons missing from
    theirs: a list of the people they release says nothing about the people they receive.
    """
    ours = {line.person_id: (m, line) for m, line in lines}
    compared: list[CounterpartLine] = []
    named: set[int] = set()
    covered: set[Manifest] = set()
    for item in theirs:
        if item.person_id is None:
            finding, manifest = CounterpartFinding.UNMATCHED, ""
        elif item.person_id in ours:
            m = ours[item.person_id][0]
            finding, manifest = CounterpartFinding.ON_OURS, m.value
            named.add(item.person_id)
            covered.add(m)
        else:
            finding, manifest = CounterpartFinding.NOT_ON_OURS, ""
        compared.append(
            CounterpartLine(
                list_id=item.list_id,
                ref=item.ref,
                name=item.name,
                person_id=item.person_id,
                manifest=manifest,
                finding=finding.value,
            )
        )
    compared += [
        CounterpartLine(
            list_id=None,
            ref=line.ref,
            name=line.name,
            person_id=line.person_id,
            manifest=m.value,
            finding=CounterpartFinding.MISSING_FROM_THEIRS.value,
        )
        for m, line in lines
        if m in covered and line.person_id not in named
    ]
    return compared
