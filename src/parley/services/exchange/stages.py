"""Exchange stages: planned from the registry, signed, recorded on the day, counted all for all.

The rules live in `domain/stages.py` (who goes, in equal numbers, and why not everyone else);
this module feeds them the registry and keeps what they decide. A stage is stored once, as
planned (append-only, like every decision); its two manifests become lists of purpose
`stage_manifest`, signed as bundles for the other party; what happened at the handover is
recorded per person as an outcome *and* as an event in the person's history; each party's
public figures are kept as claims beside our records and never merged into them.

Who counts as confirmed (the domain never plans an unconfirmed person; see docs/stages.md):

- **our people held by the other side** (the return pool): the person stands matched, now, to an
  entry of a list that did not come from us: a received list's reconciliation or any match run
  of a file. Only the other side naming them shows that it holds them.
- **the persons we hold** (the release pool): our own registry is the confirmation (we hold
  them and recorded their detention), unless the other side disputed their entry in its
  response to one of our lists; a later response that confirms them lifts the dispute.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from parley.domain.accounts import Actor, Permission
from parley.domain.categories import (
    STANDARD_CATEGORIES,
    Answer,
    CategoryRule,
    PersonFacts,
    RuleResult,
)
from parley.domain.errors import Conflict, InvalidInput, NotFound
from parley.domain.events import EventDraft, EventType, Source, Status
from parley.domain.lists import ListPurpose, check_party, shared_entry
from parley.domain.paging import PageRequest
from parley.domain.persons import PersonCategory, PersonQuery, PersonSummary
from parley.domain.stages import (
    DEFAULT_PRIORITY,
    Candidate,
    Parity,
    PlannedPerson,
    PriorityKey,
    StagePlan,
    StageRecord,
    StageRequest,
    plan_stage,
)
from parley.domain.stages import progress as all_for_all
from parley.interchange.bundles import require_accepted
from parley.services import lists, matching
from parley.services.accounts import log
from parley.services.exchange import category_check
from parley.services.exchange.facts import registry_facts
from parley.services.exchange.rows import ClaimRow, OutcomeRow, StageDocumentRow, StageRow
from parley.services.lists import Keyring, bundles
from parley.services.lists.rows import StoredBundle, StoredEntry, StoredList
from parley.services.matching.rows import RunRow
from parley.services.registry import AUDIT_CHUNK, append_events
from parley.services.uow import UnitOfWork

Note = Callable[[str], None]

PLAN_FORMAT = 1
"""Version of the plan JSON kept in `stages.plan`; bump it if its shape changes."""
TOTAL = "total"
"""A claim about every category of the stage at once."""


class Manifest(StrEnum):
    RELEASE = "release"
    """Persons we hold and hand over."""
    EXPECT = "expect"
    """Our people the other side holds, whom we expect back."""


class StageOutcome(StrEnum):
    """What happened to one person on a manifest at the handover."""

    TRANSFERRED = "transferred"
    REFUSED = "refused"
    """Refused at the handover: nobody is repatriated against their will (GC III art. 109)."""
    ABSENT = "absent"
    """Not brought to the handover."""
    DIED = "died"


class DocumentRole(StrEnum):
    RELEASE_MANIFEST = "release_manifest"
    EXPECT_MANIFEST = "expect_manifest"
    RECORD = "record"
    """The executed stage: everyone on the manifests with their outcome, as a signed list."""
    COUNTERSIGNATURE = "countersignature"
    """The mediator's relay receipt of our record."""
    COUNTERPART = "counterpart"
    """A manifest or record the other side sent for the same stage."""
    HELD_BACK = "held_back"
    """Persons we hold who are kept back under legal hold: art. 115 says the other side is told."""


_MANIFEST_ROLE = {
    Manifest.RELEASE: DocumentRole.RELEASE_MANIFEST,
    Manifest.EXPECT: DocumentRole.EXPECT_MANIFEST,
}
_REF_PREFIX = {Manifest.RELEASE: "R", Manifest.EXPECT: "E"}
_NOT_TRANSFERRED = {
    StageOutcome.REFUSED: EventType.HANDOVER_REFUSED,
    StageOutcome.ABSENT: EventType.HANDOVER_ABSENT,
    StageOutcome.DIED: EventType.DIED,
}


def event_type(manifest: Manifest, outcome: StageOutcome) -> EventType:
    """The event an outcome appends: a transfer releases a prisoner or brings one of ours home."""
    if outcome is StageOutcome.TRANSFERRED:
        return EventType.RELEASED if manifest is Manifest.RELEASE else EventType.REPATRIATED
    return _NOT_TRANSFERRED[outcome]


# ---------------------------------------------------------------- categories


def instance_categories(directory: Path) -> dict[str, CategoryRule]:
    """The standard categories, then the instance's own from `DIR/categories.toml`.

    The file is read by `category_check.load_categories`, so a list check and a stage plan can
    never disagree about what a category means.
    """
    return {**STANDARD_CATEGORIES, **category_check.load_categories(directory)}


def agreed_categories(
    names: Iterable[str], known: Mapping[str, CategoryRule]
) -> dict[str, CategoryRule]:
    """The named categories in the order given: the order decides where a person is counted."""
    chosen: dict[str, CategoryRule] = {}
    for raw in names:
        name = raw.strip()
        if name not in known:
            raise InvalidInput(
                f"no category named '{name}'; known: {', '.join(known)}", "categories"
            )
        if name in chosen:
            raise InvalidInput(f"category '{name}' is listed twice", "categories")
        chosen[name] = known[name]
    if not chosen:
        raise InvalidInput("a stage needs at least one agreed category", "categories")
    return chosen


@dataclass(frozen=True)
class _AsRecorded:
    """A category a stored stage names but this instance no longer defines.

    It never makes anyone eligible on its own; persons count in it only through the stages
    that put them there.
    """

    category: str

    @property
    def name(self) -> str:
        return self.category

    def describe(self) -> str:
        return f"'{self.category}', as recorded on earlier stages"

    def evaluate(self, facts: PersonFacts, on: date) -> RuleResult:
        return RuleResult(Answer.UNCERTAIN, "category no longer defined here", self.category)


# ---------------------------------------------------------------- shapes shown by every door


class ManifestLine(BaseModel):
    ref: str
    person_id: int
    key: str
    name: str
    side: str
    person_category: str
    category: str
    reasons: list[str]
    outcome: str | None = None
    outcome_note: str = ""


class ExclusionLine(BaseModel):
    person_id: int | None
    key: str
    name: str
    side: str
    code: str
    reason: str


class Tally(BaseModel):
    category: str
    side: str
    count: int


class CategoryCount(BaseModel):
    category: str
    released: int
    expected: int


class Overlap(BaseModel):
    """Persons of this plan also on another stage's manifest with no outcome recorded there."""

    stage_id: int
    stage_name: str
    persons: int


class DocumentLine(BaseModel):
    role: str
    list_id: int | None
    bundle_id: int | None
    recorded_at: datetime


class ClaimLine(BaseModel):
    id: int
    party: str
    category: str
    count: int
    claimed_on: date
    source: str
    recorded_at: datetime
    recorded_by: str


class StageSummary(BaseModel):
    id: int
    name: str
    on: date
    release_side: str
    return_side: str
    parity: str
    capacity: int
    categories: list[str]
    released: int
    expected: int
    balanced: bool
    excluded: int
    recorded: int
    """Persons whose outcome is recorded."""
    previous_id: int | None
    created_at: datetime
    created_by: str

    @property
    def executed(self) -> bool:
        return self.recorded > 0


class StageDetail(BaseModel):
    summary: StageSummary
    priority: list[str]
    category_rules: dict[str, str]
    counts: list[CategoryCount]
    release: list[ManifestLine]
    expect: list[ManifestLine]
    exclusions: list[ExclusionLine]
    exclusion_counts: dict[str, int]
    deficits: list[Tally]
    carried: list[Tally]
    overlaps: list[Overlap]
    documents: list[DocumentLine]
    claims: list[ClaimLine]

    def document(self, role: DocumentRole) -> DocumentLine | None:
        """The latest document of a role: later rows (a signed bundle) complete earlier ones."""
        found = [d for d in self.documents if d.role == role.value]
        return found[-1] if found else None


class OutcomesRecorded(BaseModel):
    stage_id: int
    recorded: int
    counts: dict[str, int]


class Countersignature(BaseModel):
    stage_id: int
    bundle_id: int
    by: str
    received_at: str


class ManifestTally(BaseModel):
    manifest: str
    side: str
    category: str
    planned: int
    transferred: int
    refused: int
    absent: int
    died: int
    unrecorded: int


class Shortfall(BaseModel):
    """A person planned but not transferred (or not recorded yet), and why."""

    manifest: str
    ref: str
    person_id: int
    name: str
    category: str
    outcome: str
    note: str


class ClaimCheck(BaseModel):
    claim_id: int
    party: str
    category: str
    claimed: int
    recorded: int | None
    """Persons of the claiming party's side we recorded as transferred; None for a third party."""
    difference: int | None
    claimed_on: date
    source: str


class CounterpartFinding(StrEnum):
    ON_OURS = "on_ours"
    NOT_ON_OURS = "not_on_ours"
    UNMATCHED = "unmatched"
    MISSING_FROM_THEIRS = "missing_from_theirs"


class CounterpartLine(BaseModel):
    list_id: int | None
    ref: str
    name: str
    person_id: int | None
    manifest: str
    finding: str


class StageReconciliation(BaseModel):
    stage_id: int
    name: str
    tallies: list[ManifestTally]
    shortfalls: list[Shortfall]
    claims: list[ClaimCheck]
    counterpart_lists: list[int]
    unreconciled_lists: list[int]
    """Counterpart lists with no reconciliation yet: run `parley list reconcile` on them."""
    counterpart: list[CounterpartLine]

    @property
    def agrees(self) -> bool:
        return (
            not self.shortfalls
            and all(c.difference in (0, None) for c in self.claims)
            and all(c.finding == CounterpartFinding.ON_OURS for c in self.counterpart)
        )


class ProgressLine(BaseModel):
    category: str
    side: str
    eligible: int
    planned: int
    returned: int
    remaining: int


class ProgressReport(BaseModel):
    on: date
    categories: list[str]
    sides: list[str]
    stages: int
    rows: list[ProgressLine]


# ---------------------------------------------------------------- planning


def plan(
    uow: UnitOfWork,
    actor: Actor,
    party: str,
    name: str,
    on: date,
    categories: Sequence[str],
    capacity: int,
    parity: Parity | str,
    priority: Sequence[PriorityKey | str] = DEFAULT_PRIORITY,
    previous_stage_id: int | None = None,
    *,
    release_side: str | None = None,
    known: Mapping[str, CategoryRule] | None = None,
    note: Note = lambda _s: None,
) -> StageDetail:
    """Plan a stage from the registry on day `on`, store it, and make its two manifest lists.

    `party` is this instance's party (whose people come home); the other side is the one whose
    people we hold (`release_side` names it when we hold people of several). `known` are the
    instance's categories (`instance_categories`); the standard ones by default.
    """
    actor.require(Permission.EXCHANGE_PLAN)
    party = check_party(party)
    if not name.strip():
        raise InvalidInput("a stage needs a name", "name")
    rules = agreed_categories(categories, known if known is not None else STANDARD_CATEGORIES)
    request_parity = _parity(parity)
    order = tuple(_priority(p) for p in priority)
    with uow:
        previous = _require_stage(uow, previous_stage_id) if previous_stage_id else None
        note("selecting the pools")
        held = _summaries(uow, PersonQuery(status=Status.HELD))
        other = _other_side(party, release_side, held, previous)
        matched = _matched_persons(uow, party)
        return_ids = [
            s.id for s in _summaries(uow, PersonQuery(status=Status.IN_CAPTIVITY, side=party))
        ]
        return_ids += [
            s.id
            for s in _summaries(uow, PersonQuery(status=Status.MISSING, side=party))
            if s.id in matched
        ]
        release_ids = [s.id for s in held if s.side == other]
        verdicts = _release_verdicts(uow, party, other)
        note(f"reading {len(release_ids) + len(return_ids):,} persons' records")
        facts = registry_facts(uow, release_ids + return_ids, on)
        request = StageRequest(
            on=on,
            categories=rules,
            capacity=capacity,
            parity=request_parity,
            release_side=other,
            return_side=party,
            priority=order,
            carried_deficits=_carried(previous, rules, (other, party)),
        )
        note("drawing the manifests")
        result = plan_stage(
            request,
            [Candidate(facts[i], *verdicts.get(i, (True, ""))) for i in release_ids],
            [
                Candidate(facts[i], i in matched, matched.get(i, _UNMATCHED.format(side=other)))
                for i in return_ids
            ],
        )
        stored = _store_plan(uow, actor, name.strip(), result, facts, previous)
        note("storing the manifests as lists")
        for manifest in Manifest:
            made = _manifest_list(uow, actor, stored, manifest)
            if made is not None:
                uow.exchange.add_stage_document(
                    stored.id, _MANIFEST_ROLE[manifest].value, made.id, None
                )
        detail = _detail(uow, stored)
        summary = detail.summary
        log(
            uow,
            actor,
            "stage.plan",
            "stage",
            [stored.id],
            name=stored.name,
            on=on.isoformat(),
            categories=list(rules),
            capacity=capacity,
            parity=request_parity.value,
            released=summary.released,
            expected=summary.expected,
            balanced=summary.balanced,
            excluded=summary.excluded,
        )
        uow.commit()
        return detail


_UNMATCHED = "not matched to any entry of a list from {side} or of a match run"


def _parity(value: Parity | str) -> Parity:
    try:
        return Parity(value)
    except ValueError as exc:
        choices = ", ".join(p.value for p in Parity)
        raise InvalidInput(f"parity '{value}' is not one of {choices}", "parity") from exc


def _priority(value: PriorityKey | str) -> PriorityKey:
    try:
        return PriorityKey(value)
    except ValueError as exc:
        choices = ", ".join(p.value for p in PriorityKey)
        raise InvalidInput(f"priority '{value}' is not one of {choices}", "priority") from exc


def _summaries(uow: UnitOfWork, query: PersonQuery) -> list[PersonSummary]:
    """Every registry line a query finds, page by page (inside the caller's transaction)."""
    found: list[PersonSummary] = []
    while True:
        page = uow.persons.query(query, PageRequest(len(found), 500))
        found += page.items
        if not page.has_next or not page.items:
            return found


def _other_side(
    party: str, wanted: str | None, held: Sequence[PersonSummary], previous: StageRow | None
) -> str:
    if wanted:
        side = check_party(wanted, "release_side")
    elif previous is not None:
        side = previous.release_side
    else:
        sides = sorted({s.side for s in held} - {party})
        if len(sides) != 1:
            found = ", ".join(sides) or "nobody"
            raise InvalidInput(
                f"we hold people of {found}: say whose are released (release side)",
                "release_side",
            )
        side = sides[0]
    if side == party:
        raise InvalidInput(f"the release side must be the other party, not {party}", "release_side")
    return side


def _matched_persons(uow: UnitOfWork, party: str) -> dict[int, str]:
    """Person id → where a list from outside names them: what confirms one of ours is held.

    A run that matched one of our own lists proves nothing about the other side and is skipped.
    """
    confirmed: dict[int, str] = {}
    runs: list[RunRow] = []
    while True:
        page, total = uow.matches.runs(len(runs), 200)
        runs += page
        if not page or len(runs) >= total:
            break
    for run in sorted(runs, key=lambda r: r.id):
        if run.kind != "list":  # a duplicates run pairs our own records with each other
            continue
        listed = uow.lists.by_sha256(run.source_sha256)
        if listed is not None and listed.sender == party:
            continue
        for row, person_id in matching.settled_entries(uow, run.id):
            if person_id is None or person_id in confirmed:
                continue
            extra = row.entry.get("extra", {})  # runs before 0006 kept the list's id as "ref"
            ref = str(extra.get("record_id") or extra.get("ref") or f"row {row.row}")
            if listed is not None:
                where = f"{listed.sender}'s list '{listed.name}' v{listed.version}"
            else:
                where = f"'{run.source_name}' (match run {run.id})"
            confirmed[person_id] = f"matched to {ref} of {where}"
    return confirmed


def _release_verdicts(uow: UnitOfWork, party: str, other: str) -> dict[int, tuple[bool, str]]:
    """Person id → (confirmed, note) from the other side's responses to our lists; latest wins."""
    received = [
        item
        for item in _all_lists(uow)
        if item.sender == other and item.purpose == ListPurpose.RESPONSE.value
    ]
    verdicts: dict[int, tuple[bool, str]] = {}
    for response in sorted(received, key=lambda item: item.id):
        ours = uow.lists.by_sha256(response.reference)
        if ours is None or ours.sender != party:
            continue
        person_of = {e.ref: e.person_id for e in uow.lists.entries(ours.id)}
        for entry in uow.lists.entries(response.id):
            answer = entry.entry.get("response") or {}
            person_id = person_of.get(str(answer.get("in_reply_to", "")))
            if person_id is None:
                continue
            where = f"{answer.get('in_reply_to')} of '{ours.name}' v{ours.version}"
            if answer.get("verdict") == "dispute":
                verdicts[person_id] = (False, f"{other} disputed {where}: {answer.get('reason')}")
            elif answer.get("verdict") == "confirm":
                verdicts[person_id] = (True, f"{other} confirmed {where}")
    return verdicts


def _all_lists(uow: UnitOfWork) -> list[StoredList]:
    found: list[StoredList] = []
    while True:
        page, total = uow.lists.lists(len(found), 200)
        found += page
        if not page or len(found) >= total:
            return found


def _carried(
    previous: StageRow | None, rules: Mapping[str, CategoryRule], sides: tuple[str, str]
) -> dict[tuple[str, str], int]:
    """The previous plan's deficits that this stage can settle (its categories, its sides)."""
    if previous is None:
        return {}
    return {
        (t.category, t.side): t.count
        for t in (Tally(**d) for d in previous.plan.get("deficits", []))
        if t.category in rules and t.side in sides and t.count > 0
    }


def _lines(manifest: Manifest, planned: Sequence[PlannedPerson]) -> list[ManifestLine]:
    return [
        ManifestLine(
            ref=f"{_REF_PREFIX[manifest]}{position}",
            person_id=_id(p.facts),
            key=p.facts.key,
            name=p.facts.name,
            side=p.facts.side,
            person_category=p.facts.category.value,
            category=p.category,
            reasons=list(p.reasons),
        )
        for position, p in enumerate(planned, start=1)
    ]


def _id(facts: PersonFacts) -> int:
    assert facts.person_id is not None, "registry facts always carry the person's id"
    return facts.person_id


def _store_plan(
    uow: UnitOfWork,
    actor: Actor,
    name: str,
    result: StagePlan,
    facts: Mapping[int, PersonFacts],
    previous: StageRow | None,
) -> StageRow:
    request = result.request
    by_key = {f.key: f for f in facts.values()}
    release = _lines(Manifest.RELEASE, result.release)
    expect = _lines(Manifest.EXPECT, result.expect)
    exclusions = [
        ExclusionLine(
            person_id=by_key[e.key].person_id if e.key in by_key else None,
            key=e.key,
            name=by_key[e.key].name if e.key in by_key else "",
            side=by_key[e.key].side if e.key in by_key else "",
            code=e.code.value,
            reason=e.reason,
        )
        for e in result.exclusions
    ]
    planned_ids = {line.person_id for line in (*release, *expect)}
    document = {
        "format": PLAN_FORMAT,
        "priority": [p.value for p in request.priority],
        "categories": list(request.categories),
        "release": [line.model_dump(mode="json") for line in release],
        "expect": [line.model_dump(mode="json") for line in expect],
        "exclusions": [e.model_dump(mode="json") for e in exclusions],
        "deficits": [
            {"category": c, "side": s, "count": n} for (c, s), n in sorted(result.deficits.items())
        ],
        "carried": [
            {"category": c, "side": s, "count": n}
            for (c, s), n in sorted(request.carried_deficits.items())
        ],
        "counts": [
            {"category": c, "released": r, "expected": e} for c, (r, e) in result.counts().items()
        ],
        "balanced": result.balanced,
        "overlaps": [o.model_dump(mode="json") for o in _overlaps(uow, planned_ids)],
    }
    return uow.exchange.add_stage(
        {
            "name": name,
            "stage_on": request.on,
            "release_side": request.release_side,
            "return_side": request.return_side,
            "parity": request.parity.value,
            "capacity": request.capacity,
            "categories": {c: rule.describe() for c, rule in request.categories.items()},
            "plan": document,
            "previous_id": previous.id if previous else None,
            "created_by": actor.label,
        }
    )


def _overlaps(uow: UnitOfWork, planned: set[int]) -> list[Overlap]:
    """Stages whose manifests still name some of `planned` with no outcome recorded."""
    recorded: dict[int, set[int]] = {}
    for outcome in uow.exchange.outcomes():
        recorded.setdefault(outcome.stage_id, set()).add(outcome.person_id)
    found = []
    for stage in uow.exchange.stages():
        named = {line.person_id for _m, line in _manifest_lines(stage)}
        pending = (named & planned) - recorded.get(stage.id, set())
        if pending:
            found.append(Overlap(stage_id=stage.id, stage_name=stage.name, persons=len(pending)))
    return found


def _manifest_lines(stage: StageRow) -> list[tuple[Manifest, ManifestLine]]:
    return [
        (manifest, ManifestLine(**line))
        for manifest in Manifest
        for line in stage.plan.get(manifest.value, [])
    ]


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


# ---------------------------------------------------------------- reading


def _require_stage(uow: UnitOfWork, stage_id: int) -> StageRow:
    found = uow.exchange.stage(stage_id)
    if found is None:
        raise NotFound(f"stage {stage_id} does not exist")
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
        detail = _detail(uow, _require_stage(uow, stage_id))
        shown = [line.person_id for line in (*detail.release, *detail.expect)]
        log(uow, actor, "stage.read", "stage", [stage_id], persons=len(shown))
        uow.commit()
        return detail


def list_stages(uow: UnitOfWork, actor: Actor) -> list[StageSummary]:
    """Every stage, by date: counts only, no names."""
    actor.require(Permission.REGISTRY_READ)
    with uow:
        recorded = {(o.stage_id, o.person_id) for o in uow.exchange.outcomes()}
        per_stage = Counter(stage_id for stage_id, _person in recorded)
        return [_summary(s, per_stage[s.id]) for s in uow.exchange.stages()]


# ---------------------------------------------------------------- the day of the stage


def record_outcomes(
    uow: UnitOfWork,
    actor: Actor,
    stage_id: int,
    outcomes: Mapping[int, tuple[StageOutcome | str, str]],
    on: date | None = None,
    *,
    everyone_else: StageOutcome | str | None = None,
) -> OutcomesRecorded:
    """Record what happened to each person at the handover, and append it to their history.

    `outcomes` maps a person id to (outcome, note); `everyone_else` gives one outcome to every
    person on the manifests not named there and not recorded before (the usual "all went,
    except…"). Each outcome is recorded once: the events it appends pass the same history rules
    as any other event (no date in the future, nothing after a recorded death), and one refusal
    rolls the whole call back: outcomes and events are written in one transaction.
    """
    actor.require(Permission.EXCHANGE_PLAN)
    with uow:
        stage = _require_stage(uow, stage_id)
        day = on or stage.stage_on
        lines = {line.person_id: (m, line) for m, line in _manifest_lines(stage)}
        done = set(_latest_outcomes(uow.exchange.outcomes(stage_id)))
        wanted: dict[int, tuple[StageOutcome, str]] = {}
        for person_id, (outcome, text) in outcomes.items():
            if person_id not in lines:
                raise InvalidInput(
                    f"person {person_id} is on neither manifest of stage {stage_id}", "person_id"
                )
            wanted[person_id] = (_outcome(outcome), text.strip())
        if everyone_else is not None:
            rest = _outcome(everyone_else)
            for person_id in lines:
                if person_id not in wanted and person_id not in done:
                    wanted[person_id] = (rest, "")
        again = sorted(set(wanted) & done)
        if again:
            raise Conflict(
                f"stage {stage_id} already has an outcome for person "
                f"{', '.join(map(str, again[:10]))}{'…' if len(again) > 10 else ''}: an outcome "
                "is recorded once (retract the event it appended to correct the history)"
            )
        if not wanted:
            raise InvalidInput(f"no outcome to record for stage {stage_id}", "outcomes")
        rows: list[dict[str, Any]] = []
        drafts: list[tuple[int, EventDraft]] = []
        for person_id in sorted(wanted):
            outcome, text = wanted[person_id]
            manifest, _line = lines[person_id]
            drafts.append(
                (
                    person_id,
                    EventDraft(
                        event_type(manifest, outcome),
                        day,
                        Source.OWN_INFORMATION,
                        text or f"stage {stage_id} '{stage.name}': {outcome.value}",
                        {
                            "stage_id": stage_id,
                            "manifest": manifest.value,
                            "outcome": outcome.value,
                        },
                    ),
                )
            )
            rows.append(
                {
                    "stage_id": stage_id,
                    "person_id": person_id,
                    "manifest": manifest.value,
                    "outcome": outcome.value,
                    "note": text,
                    "recorded_by": actor.label,
                }
            )
        append_events(uow, actor, drafts)
        uow.exchange.add_outcomes(rows)
        carried = _carry_out_decisions(
            uow,
            actor,
            [
                p
                for p in wanted
                if lines[p][0] is Manifest.RELEASE and wanted[p][0] is StageOutcome.TRANSFERRED
            ],
            day,
        )
        counts = dict(Counter(str(r["outcome"]) for r in rows))
        kinds = sorted({event_type(lines[p][0], wanted[p][0]).value for p in wanted})
        ids = sorted(wanted)
        for start in range(0, len(ids), AUDIT_CHUNK):  # as the registry logs its events
            log(
                uow,
                actor,
                "event.create",
                "person",
                ids[start : start + AUDIT_CHUNK],
                types=kinds,
                stage=stage_id,
            )
        log(
            uow,
            actor,
            "stage.outcomes",
            "stage",
            [stage_id],
            on=day.isoformat(),
            persons=len(wanted),
            commission_decisions_carried_out=carried,
            **counts,
        )
        uow.commit()
        return OutcomesRecorded(stage_id=stage_id, recorded=len(rows), counts=counts)


def _carry_out_decisions(
    uow: UnitOfWork, actor: Actor, person_ids: Sequence[int], day: date
) -> int:
    """A person we hand over carries out the commission's decision to repatriate them: record
    it (and, if it was never notified, that the handover notified it), or the commission's page
    would show overdue a repatriation that has happened."""
    carried = 0
    for exam in uow.exchange.examinations_of(person_ids):
        if exam.decision != "repatriate" or exam.carried_out_on is not None:
            continue
        if exam.visited_on > day:
            continue
        if exam.notified_on is None or exam.notified_on > day:
            if exam.notified_on is None:
                uow.exchange.add_examination_step(exam.id, "notified", day, actor.label)
            else:
                continue  # notified after the handover: the record says so, leave it
        uow.exchange.add_examination_step(exam.id, "carried_out", day, actor.label)
        carried += 1
    return carried


def _outcome(value: StageOutcome | str) -> StageOutcome:
    try:
        return StageOutcome(value)
    except ValueError as exc:
        choices = ", ".join(o.value for o in StageOutcome)
        raise InvalidInput(f"outcome '{value}' is not one of {choices}", "outcome") from exc


def record_claim(
    uow: UnitOfWork,
    actor: Actor,
    stage_id: int,
    party: str,
    category: str,
    count: int,
    claimed_on: date | None,
    source: str,
) -> ClaimLine:
    """What a party said publicly about a stage: how many of *its own* people came home.

    Kept beside our records and never merged with them; `reconcile_stage` shows the difference.
    `category` is one of the stage's categories or `total`; `claimed_on` defaults to the stage
    date.
    """
    actor.require(Permission.EXCHANGE_PLAN)
    who = check_party(party)
    if count < 0:
        raise InvalidInput(f"a claimed count cannot be negative ({count})", "count")
    if not source.strip():
        raise InvalidInput("a claim says where it was made (source)", "source")
    with uow:
        stage = _require_stage(uow, stage_id)
        allowed = [TOTAL, *stage.plan.get("categories", stage.categories)]
        if category not in allowed:
            raise InvalidInput(
                f"stage {stage_id} has no category '{category}'; use one of {', '.join(allowed)}",
                "category",
            )
        uow.exchange.add_claim(
            {
                "stage_id": stage_id,
                "party": who,
                "category": category,
                "count": count,
                "claimed_on": claimed_on or stage.stage_on,
                "source": source.strip(),
                "recorded_by": actor.label,
            }
        )
        claim = uow.exchange.claims(stage_id)[-1]
        log(
            uow,
            actor,
            "stage.claim",
            "stage",
            [stage_id],
            party=who,
            category=category,
            count=count,
            claimed_on=(claimed_on or stage.stage_on).isoformat(),
        )
        uow.commit()
        return _claim(claim)


# ---------------------------------------------------------------- documents that cross


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
        raise InvalidInput(f"stage {stage_id} has no manifest to send: both are empty")
    sent = []
    for role, list_id in wanted:
        assert list_id is not None
        bundle, raw = bundles.export_bundle(uow, actor, keyring, list_id, stage.release_side)
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


_OUTCOME_WORDS = {Manifest.RELEASE: "released", Manifest.EXPECT: "received back"}


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
            raise InvalidInput(
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
    bundle, raw = bundles.export_bundle(uow, actor, keyring, stored.id, stage.release_side)
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
        raise InvalidInput(
            f"stage {stage_id}: sign and send the stage record first (`parley stage export "
            f"{stage_id} --record`)",
            "record",
        )
    outcome = bundles.import_bundle(uow, actor, keyring, file_name, receipt)
    if not outcome.already:
        require_accepted(outcome.verification)
    kept = outcome.bundle
    assert kept is not None
    with uow:
        mine = [
            r for r in uow.lists.receipts_for([record.sha256]) if r.receipt_bundle_id == kept.id
        ]
        if not mine:
            raise InvalidInput(
                f"this {kept.kind} does not acknowledge stage {stage_id}'s record "
                f"(bundle {record.id})",
                "receipt",
            )
        if mine[0].role != "relay":
            raise InvalidInput(
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
            raise NotFound(f"list {list_id} does not exist")
        if listed.sender != stage.release_side:
            raise InvalidInput(
                f"list {list_id} was sent by {listed.sender}; the other side of stage "
                f"{stage_id} is {stage.release_side}",
                "list_id",
            )
        uow.exchange.add_stage_document(stage_id, DocumentRole.COUNTERPART.value, list_id, None)
        log(uow, actor, "stage.counterpart", "stage", [stage_id], list=list_id)
        line = _document(uow.exchange.stage_documents(stage_id)[-1])
        uow.commit()
        return line


# ---------------------------------------------------------------- reconciliation


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


# ---------------------------------------------------------------- all for all


def progress(
    uow: UnitOfWork,
    actor: Actor,
    party: str,
    on: date,
    categories: Sequence[str] | None = None,
    known: Mapping[str, CategoryRule] | None = None,
) -> ProgressReport:
    """ "All for all" on day `on`, per category and side: eligible, planned, returned, remaining.

    The pools are everyone in custody now (persons we hold, our people held by the other side);
    persons already exchanged are counted through the stages that moved them. Categories are
    those given, else those the stages used (in order of first use), else all known ones.
    """
    actor.require(Permission.STATISTICS_READ)
    party = check_party(party)
    table = dict(known if known is not None else STANDARD_CATEGORIES)
    with uow:
        stored = [s for s in uow.exchange.stages() if s.stage_on <= on]
        used = list(
            dict.fromkeys(c for s in stored for c in s.plan.get("categories", s.categories))
        )
        for name in used:
            table.setdefault(name, _AsRecorded(name))
        rules = agreed_categories(categories or used or list(table), table)
        held = _summaries(uow, PersonQuery(status=Status.HELD))
        ours = _summaries(uow, PersonQuery(status=Status.IN_CAPTIVITY, side=party))
        pools: dict[str, list[int]] = {party: [s.id for s in ours]}
        for summary in held:
            if summary.side != party:
                pools.setdefault(summary.side, []).append(summary.id)
        facts = registry_facts(uow, [i for ids in pools.values() for i in ids], on)
        outcomes: dict[int, list[OutcomeRow]] = {}
        for row in uow.exchange.outcomes():
            outcomes.setdefault(row.stage_id, []).append(row)
        records = [_record(s, rules, outcomes.get(s.id, [])) for s in stored]
        rows = all_for_all(
            {side: [facts[i] for i in ids] for side, ids in pools.items()}, records, rules, on
        )
        log(
            uow,
            actor,
            "stage.progress",
            on=on.isoformat(),
            categories=list(rules),
            stages=len(stored),
        )
        uow.commit()
    return ProgressReport(
        on=on,
        categories=list(rules),
        sides=list(dict.fromkeys(r.side for r in rows)),
        stages=len(stored),
        rows=[
            ProgressLine(
                category=r.category,
                side=r.side,
                eligible=r.eligible,
                planned=r.planned,
                returned=r.returned,
                remaining=r.remaining,
            )
            for r in rows
        ],
    )


def _record(
    stage: StageRow, rules: Mapping[str, CategoryRule], outcomes: Sequence[OutcomeRow]
) -> StageRecord:
    """A stored stage as the domain's record: planned only, or executed with who went."""
    lines = _manifest_lines(stage)
    named = list(dict.fromkeys(line.category for _m, line in lines)) or list(rules)
    request = StageRequest(
        on=stage.stage_on,
        categories={c: rules.get(c) or _AsRecorded(c) for c in named},
        capacity=max(stage.capacity, len(lines)),
        parity=_parity(stage.parity),
        release_side=stage.release_side,
        return_side=stage.return_side,
    )

    def planned(manifest: Manifest) -> list[PlannedPerson]:
        return [
            PlannedPerson(
                PersonFacts(
                    key=line.key,
                    person_id=line.person_id,
                    name=line.name,
                    side=line.side,
                    category=PersonCategory(line.person_category),
                ),
                line.category,
                tuple(line.reasons),
            )
            for m, line in lines
            if m is manifest
        ]

    plan_ = StagePlan(request, planned(Manifest.RELEASE), planned(Manifest.EXPECT), [], {})
    if not outcomes:
        return StageRecord(plan_)
    keys = {line.person_id: line.key for _m, line in lines}
    latest = _latest_outcomes(outcomes)
    return StageRecord.executed(
        plan_,
        (
            keys[pid]
            for pid, row in latest.items()
            if row.outcome == StageOutcome.TRANSFERRED.value and pid in keys
        ),
    )
