"""Planning a stage: the registry read into facts, drawn by `domain/exchange/`, stored once.

Who counts as confirmed (the domain never plans an unconfirmed person; see docs/stages.md):

- **our people held by the other side** (the return pool): the person stands matched, now, to an
  entry of a list that did not come from us: a received list's reconciliation or any match run
  of a file. Only the other side naming them shows that it holds them.
- **the persons we hold** (the release pool): our own registry is the confirmation (we hold
  them and recorded their detention), unless the other side disputed their entry in its
  response to one of our lists; a later response that confirms them lifts the dispute.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import InvalidInput, WrongParty
from parley.domain.exchange.categories import STANDARD_CATEGORIES, CategoryRule, PersonFacts
from parley.domain.exchange.handover import Manifest
from parley.domain.exchange.stages import (
    DEFAULT_PRIORITY,
    Candidate,
    Parity,
    PlannedPerson,
    PriorityKey,
    StagePlan,
    StageRequest,
    agreed_categories,
    plan_stage,
)
from parley.domain.lists import ListPurpose, check_party
from parley.domain.paging import PageRequest
from parley.domain.registry.events import Status
from parley.domain.registry.persons import PersonQuery, PersonSummary
from parley.services import matching
from parley.services.accounts import log
from parley.services.exchange.facts import registry_facts
from parley.services.exchange.rows import StageRow
from parley.services.exchange.stages import (
    _MANIFEST_ROLE,
    _REF_PREFIX,
    _UNMATCHED,
    PLAN_FORMAT,
    Note,
    _detail,
    _manifest_lines,
    _manifest_list,
    _parity,
    _require_stage,
)
from parley.services.exchange.views import ExclusionLine, ManifestLine, Overlap, StageDetail, Tally
from parley.services.lists.rows import StoredList
from parley.services.matching.rows import RunRow
from parley.services.uow import UnitOfWork


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
    instance's categories (`Instance.categories()`); the standard ones by default.
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
        raise WrongParty(f"the release side must be the other party, not {party}", "release_side")
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
