"""Exchange stages as stored: reading one or all, and the helpers every stage use case shares.

A stage is stored once, as planned (append-only, like every decision); its two manifests become
lists of purpose `stage_manifest`. Planning is in `planning`, the day of the stage in `handover`,
the signed documents in `documents`, the comparison with the other side in `reconciliation`
and the all-for-all count in `progress`; see docs/stages.md.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Mapping

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import InvalidInput, StageNotFound
from parley.domain.exchange.handover import DocumentRole, Manifest
from parley.domain.exchange.stages import (
    Parity,
)
from parley.domain.lists import ListPurpose, shared_entry
from parley.domain.paging import Page, TableQuery
from parley.services import lists
from parley.services.accounts import log
from parley.services.cache import VersionedCache
from parley.services.exchange.rows import ClaimRow, OutcomeRow, StageDocumentRow, StageRow
from parley.services.exchange.views import (
    CategoryCount,
    ClaimLine,
    DocumentLine,
    ExclusionLine,
    ManifestLine,
    Overlap,
    StageDetail,
    StageSummary,
    Tally,
)
from parley.services.lists.rows import StoredEntry, StoredList
from parley.services.uow import UnitOfWork

Note = Callable[[str], None]


PLAN_FORMAT = 1
"""Version of the plan JSON kept in `stages.plan`; bump it if its shape changes."""


TOTAL = "total"
"""A claim about every category of the stage at once."""


_MANIFEST_ROLE = {
    Manifest.RELEASE: DocumentRole.RELEASE_MANIFEST,
    Manifest.EXPECT: DocumentRole.EXPECT_MANIFEST,
}


_REF_PREFIX = {Manifest.RELEASE: "R", Manifest.EXPECT: "E"}


_UNMATCHED = "not matched to any entry of a list from {side} or of a match run"


def _parity(value: Parity | str) -> Parity:
    try:
        return Parity(value)
    except ValueError as exc:
        choices = ", ".join(p.value for p in Parity)
        raise InvalidInput(f"parity '{value}' is not one of {choices}", "parity") from exc


_LINES_KEPT = 64
_lines: OrderedDict[int, tuple[object, list[tuple[Manifest, ManifestLine]]]]
_lines = OrderedDict()
_lines_lock = threading.Lock()


def _manifest_lines(stage: StageRow) -> list[tuple[Manifest, ManifestLine]]:
    """A stage's manifest lines, read once per stored plan: the store keeps a stage's decoded
    plan and hands out that very object (a stage never changes once stored), so its lines are
    kept by the plan's identity, the plan held beside them so that identity stays its own.
    All for all read the thousands of lines of every stage again after every write."""
    plan = stage.plan
    with _lines_lock:
        kept = _lines.get(id(plan))
        if kept is not None and kept[0] is plan:
            _lines.move_to_end(id(plan))
            return list(kept[1])
    lines = [
        (manifest, ManifestLine(**line))
        for manifest in Manifest
        for line in plan.get(manifest.value, [])
    ]
    with _lines_lock:
        _lines[id(plan)] = (plan, lines)
        while len(_lines) > _LINES_KEPT:
            _lines.popitem(last=False)
    return list(lines)


_MANIFEST_WORDS = {Manifest.RELEASE: "released by", Manifest.EXPECT: "expected back by"}


def _manifest_list(
    uow: UnitOfWork, actor: Actor, stage: StageRow, manifest: Manifest
) -> StoredList | None:
    """A manifest as a list for the other side: shareable fields only, no medical detail.

    The category evidence names the category, not the reasons: a commission's findings reach
    the other side through the commission (GC III Annex II), not through our lists.
    """
    lines = [line for m, line in _manifest_lines(stage) if m is manifest]
    if not lines:
        return None
    entries = [
        _entry(uow, position, line, f"category: {line.category}")
        for position, line in enumerate(lines, start=1)
    ]
    draft = lists.ListDraft(
        name=f"{stage.name}: {_MANIFEST_WORDS[manifest]} {stage.return_side}",
        purpose=ListPurpose.STAGE_MANIFEST,
        recipients=(stage.release_side,),
        category=", ".join(stage.categories),
        reference=f"stage {stage.id}, {stage.stage_on.isoformat()}",
    )
    query = {"stage": stage.id, "manifest": manifest.value}
    stored, _unchanged = lists.store_version(
        uow, actor, stage.return_side, draft, "built", query, entries
    )
    return stored


def _entry(uow: UnitOfWork, position: int, line: ManifestLine, evidence: str) -> StoredEntry:
    shared = shared_entry(line.ref, uow.persons.get(line.person_id), evidence)
    return StoredEntry(position, shared.ref, shared.key(), shared.to_payload(), line.person_id)


def _require_stage(uow: UnitOfWork, stage_id: int) -> StageRow:
    found = uow.exchange.stage(stage_id)
    if found is None:
        raise StageNotFound(f"stage {stage_id} does not exist")
    return found


def _latest_outcomes(rows: Iterable[OutcomeRow]) -> dict[int, OutcomeRow]:
    return {row.person_id: row for row in rows}


def _summary(stage: StageRow, recorded: int) -> StageSummary:
    plan_json = stage.plan
    return StageSummary(
        id=stage.id,
        name=stage.name,
        on=stage.stage_on,
        release_side=stage.release_side,
        return_side=stage.return_side,
        parity=stage.parity,
        capacity=stage.capacity,
        categories=list(plan_json.get("categories", stage.categories)),
        released=len(plan_json.get("release", [])),
        expected=len(plan_json.get("expect", [])),
        balanced=bool(plan_json.get("balanced", False)),
        excluded=len({e["key"] for e in plan_json.get("exclusions", [])}),
        recorded=recorded,
        previous_id=stage.previous_id,
        created_at=stage.created_at,
        created_by=stage.created_by,
    )


def _with_outcome(line: ManifestLine, outcomes: Mapping[int, OutcomeRow]) -> ManifestLine:
    found = outcomes.get(line.person_id)
    if found is None:
        return line
    return line.model_copy(update={"outcome": found.outcome, "outcome_note": found.note})


def _detail(uow: UnitOfWork, stage: StageRow) -> StageDetail:
    outcomes = _latest_outcomes(uow.exchange.outcomes(stage.id))
    plan_json = stage.plan
    exclusions = [ExclusionLine(**e) for e in plan_json.get("exclusions", [])]
    return StageDetail(
        summary=_summary(stage, len(outcomes)),
        priority=list(plan_json.get("priority", [])),
        category_rules=dict(stage.categories),
        counts=[CategoryCount(**c) for c in plan_json.get("counts", [])],
        release=[_with_outcome(ManifestLine(**x), outcomes) for x in plan_json.get("release", [])],
        expect=[_with_outcome(ManifestLine(**x), outcomes) for x in plan_json.get("expect", [])],
        exclusions=exclusions,
        exclusion_counts=dict(Counter(e.code for e in exclusions).most_common()),
        deficits=[Tally(**d) for d in plan_json.get("deficits", [])],
        carried=[Tally(**d) for d in plan_json.get("carried", [])],
        overlaps=[Overlap(**o) for o in plan_json.get("overlaps", [])],
        documents=[_document(d) for d in uow.exchange.stage_documents(stage.id)],
        claims=[_claim(c) for c in uow.exchange.claims(stage.id)],
    )


def _document(row: StageDocumentRow) -> DocumentLine:
    return DocumentLine(
        role=row.role, list_id=row.list_id, bundle_id=row.bundle_id, recorded_at=row.recorded_at
    )


def _claim(row: ClaimRow) -> ClaimLine:
    return ClaimLine(
        id=row.id,
        party=row.party,
        category=row.category,
        count=row.count,
        claimed_on=row.claimed_on,
        source=row.source,
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
    )


def show_stage(uow: UnitOfWork, actor: Actor, stage_id: int) -> StageDetail:
    """A stage as planned, with the outcomes, documents and claims recorded since."""
    actor.require(Permission.REGISTRY_READ)
    with uow:
        detail = _details.kept(uow, stage_id, lambda u: _detail(u, _require_stage(u, stage_id)))
        shown = [line.person_id for line in (*detail.release, *detail.expect)]
        log(uow, actor, "stage.read", "stage", [stage_id], persons=len(shown))
        uow.commit()
        return detail.model_copy()


_details: VersionedCache[StageDetail] = VersionedCache(8)
"""A stage decoded from its stored plan (thousands of lines on a full stage), kept until a
write changes the records; shared, so read only."""


def list_stages(uow: UnitOfWork, actor: Actor) -> list[StageSummary]:
    """Every stage, by date: counts only, no names."""
    actor.require(Permission.REGISTRY_READ)

    with uow:
        return [s.model_copy() for s in _summaries.kept(uow, "all", _all_summaries)]


def _all_summaries(uow: UnitOfWork) -> list[StageSummary]:
    """Inside the caller's transaction; reads only (a recipe the warmer runs again)."""
    recorded = {(o.stage_id, o.person_id) for o in uow.exchange.outcomes()}
    per_stage = Counter(stage_id for stage_id, _person in recorded)
    return [_summary(s, per_stage[s.id]) for s in uow.exchange.stages()]


STAGE_SORTS = ("id", "on", "name", "parity", "released", "expected", "recorded")
STAGE_FILTERS = ("q", "parity")


def stage_table(uow: UnitOfWork, actor: Actor, table: TableQuery) -> Page[StageSummary]:
    """The stages a page at a time: filtered, sorted and cut by the database, each row drawn
    from the summaries kept until a write (`list_stages`; decoding every plan again for each
    page would cost what the cache saves)."""
    actor.require(Permission.REGISTRY_READ)
    parity = table.filter("parity")
    if parity and parity not in {p.value for p in Parity}:
        raise InvalidInput(f"'{parity}' is not a parity", "parity")
    with uow:
        page = uow.exchange.stage_table(table)
    by_id = {s.id: s for s in list_stages(uow, actor)}
    return Page([by_id[i] for i in page.items], page.total, page.offset, page.limit)


_summaries: VersionedCache[list[StageSummary]] = VersionedCache(4)
"""Reading every stage decodes every plan (seconds on a full instance): the summaries are kept
until a write changes the records."""


_OUTCOME_WORDS = {Manifest.RELEASE: "released", Manifest.EXPECT: "received back"}
