"""Exchange stages: who goes home in this stage, in equal numbers, and why everyone else does not.

A stage is planned from two pools: the persons *we* hold (candidates to release) and *our*
people held by the other side (whom we expect back). Both manifests are drawn by the same
rules: eligible for one of the agreed categories (a definite yes: an uncertain answer is not
enough to put someone on a manifest that the other side will check), consenting, not on legal
hold, actually held, and confirmed by matching. Parity makes the two manifests equal — in total
or per category — and capacity caps each side. Every pool member who is not planned gets at
least one exclusion with a stable code and a human reason, because the other side and the
mediator will ask exactly "why not this one?".

Priority (who goes first when not everyone fits) is, by default:

1. medical severity (the severity rank of the Annex I condition a commission or the
   detaining power's doctors named, most severe first; persons with no named condition after
   all who have one) — GC III art. 109 makes the seriously wounded an obligation, not a
   bargain;
2. time in captivity, longest first (unknown capture date last);
3. age, **oldest first** (unknown birth date last; a partial date counts as its earliest
   possible day). Youth is what puts someone in the 18–25 category, but once in it everyone
   qualifies alike; what differs is the risk of ageing out: a 25-year-old left for the next
   stage may be 26 by then and lose the category, a 19-year-old will not;
4. the person's key, so that equal persons are always drawn in the same order.

Category assignment: each person belongs to the *first* agreed category (in the request's
order) whose rule answers yes on the stage date. The order is the negotiators' choice, so the
same person never counts twice and the per-category parity is unambiguous.

When not everyone fits, the draw follows the same priority across categories: under equal
totals each side takes its most urgent persons whatever their category; under equal per
category the k-th ready persons of both sides in a category form a pair, and pairs compete by
the more urgent of the two. `deficits` count, per category and side, the ready persons parity
or capacity left out — still owed under "all for all". Passed to the next request as
`carried_deficits`, they give those categories first claim on its capacity; they are a
snapshot, not a running sum, since the persons left out are simply in the next stage's pools.

This module is pure: it reads facts and returns plans; recording outcomes is elsewhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from parley.domain.errors import InvalidInput, UnknownCategory
from parley.domain.exchange.categories import Answer, CategoryRule, PersonFacts, RuleResult
from parley.domain.exchange.manifests import Exclusion, ExclusionCode, check_manifest_person


class Parity(StrEnum):
    """What "equal numbers" means for a stage."""

    EQUAL_TOTALS = "equal_totals"
    """The two manifests have the same length; their category mix may differ."""
    EQUAL_PER_CATEGORY = "equal_per_category"
    """The same number per category on both manifests (and so the same total)."""


class PriorityKey(StrEnum):
    """One criterion of the draw order; a request lists them most important first."""

    SEVERITY = "severity"
    """Severity rank of the named medical condition, most severe first; none named last."""
    LONGEST_CAPTIVITY = "longest_captivity"
    """Earliest capture date first; unknown last."""
    OLDEST_FIRST = "oldest_first"
    """Earliest possible birth date first; unknown last."""
    YOUNGEST_FIRST = "youngest_first"
    """Latest possible birth date first; unknown last."""


DEFAULT_PRIORITY: tuple[PriorityKey, ...] = (
    PriorityKey.SEVERITY,
    PriorityKey.LONGEST_CAPTIVITY,
    PriorityKey.OLDEST_FIRST,
)
"""Severity, then time in captivity, then age (oldest first: see the module docstring)."""

Deficits = Mapping[tuple[str, str], int]
"""(category, side) → persons ready in that category who were left out (owed)."""

_LAST = 10**9
"""Sorts after any real rank or day ordinal: unknowns go last."""


@dataclass(frozen=True)
class Candidate:
    """A pool member with what matching says about them.

    `confirmed_by_matching`: for the return pool, the other side's list entry was matched to
    this registry person and a person confirmed it; for the release pool, the person's identity
    on the agreed list is confirmed. An unconfirmed person is never planned: a manifest names
    people both sides have agreed are who they are.
    """

    facts: PersonFacts
    confirmed_by_matching: bool
    match_note: str = ""


@dataclass(frozen=True, kw_only=True)
class StageRequest:
    """What the parties agreed for one stage, and what earlier stages still owe."""

    on: date
    """The stage date: category rules (age, commission deadlines) are evaluated on it."""
    categories: Mapping[str, CategoryRule]
    """Agreed categories in their agreed order; a person goes to the first that says yes."""
    capacity: int
    """Most persons per side on this stage."""
    parity: Parity
    release_side: str
    """The party whose people we hold and release (the release manifest's people)."""
    return_side: str
    """Our own party: the people on the expect manifest."""
    priority: tuple[PriorityKey, ...] = DEFAULT_PRIORITY
    carried_deficits: Deficits = field(default_factory=dict)
    """An earlier plan's `deficits`: those categories get first claim on this stage's capacity."""

    def __post_init__(self) -> None:
        if self.capacity < 0:
            raise InvalidInput(f"capacity {self.capacity} is negative")
        if not self.categories:
            raise InvalidInput("a stage needs at least one agreed category")
        if self.release_side == self.return_side:
            raise InvalidInput(f"both manifests are for side {self.release_side}")
        if len(set(self.priority)) != len(self.priority):
            raise InvalidInput("a priority criterion is listed twice")
        for (category, side), owed in self.carried_deficits.items():
            if category not in self.categories:
                raise InvalidInput(f"carried deficit for '{category}', not agreed for this stage")
            if side not in (self.release_side, self.return_side):
                raise InvalidInput(f"carried deficit for side {side}, not a side of this stage")
            if owed < 0:
                raise InvalidInput(f"carried deficit for '{category}', {side} is negative")


@dataclass(frozen=True)
class PlannedPerson:
    """A manifest line: who, in which category, and why they qualify."""

    facts: PersonFacts
    category: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class StagePlan:
    """Two manifests of equal size under the request's parity, and every exclusion explained."""

    request: StageRequest
    release: list[PlannedPerson]
    """Persons we hand over, by category (agreed order) then priority."""
    expect: list[PlannedPerson]
    """Our people we expect back, in the same order."""
    exclusions: list[Exclusion]
    """Every pool member not planned, with at least one entry each."""
    deficits: dict[tuple[str, str], int]
    """(category, side) → ready persons left out by parity or capacity; carry it forward."""

    def counts(self) -> dict[str, tuple[int, int]]:
        """Category → (released, expected), for every agreed category."""
        released = _count_by_category(self.release)
        expected = _count_by_category(self.expect)
        return {c: (released[c], expected[c]) for c in self.request.categories}

    @property
    def balanced(self) -> bool:
        """Whether the manifests satisfy the parity rule (and the capacity)."""
        if len(self.release) != len(self.expect) or len(self.release) > self.request.capacity:
            return False
        if self.request.parity is Parity.EQUAL_PER_CATEGORY:
            return all(r == e for r, e in self.counts().values())
        return True


def _count_by_category(manifest: Iterable[PlannedPerson]) -> defaultdict[str, int]:
    counted: defaultdict[str, int] = defaultdict(int)
    for person in manifest:
        counted[person.category] += 1
    return counted


# ---------------------------------------------------------------- planning


@dataclass(frozen=True)
class _Ready:
    """A pool member who passed every check, with their category and draw order."""

    facts: PersonFacts
    category: str
    order: tuple[int | str, ...]
    reasons: tuple[str, ...]


def priority_key(facts: PersonFacts, priority: Sequence[PriorityKey]) -> tuple[int | str, ...]:
    """The sort key of one person under `priority`: smaller goes first; the key breaks ties."""
    parts: list[int | str] = []
    for criterion in priority:
        if criterion is PriorityKey.SEVERITY:
            medical = facts.medical
            named = medical is not None and medical.condition is not None
            parts.append(medical.severity if named and medical is not None else _LAST)
        elif criterion is PriorityKey.LONGEST_CAPTIVITY:
            captured = facts.captured_on
            parts.append(captured.toordinal() if captured is not None else _LAST)
        elif criterion is PriorityKey.OLDEST_FIRST:
            born = facts.birth_date
            parts.append(born.earliest().toordinal() if born is not None else _LAST)
        else:
            born = facts.birth_date
            parts.append(-born.latest().toordinal() if born is not None else _LAST)
    parts.append(facts.key)
    return tuple(parts)


def _screen(
    candidate: Candidate, request: StageRequest, exclusions: list[Exclusion]
) -> _Ready | None:
    """Evaluate every check and rule for one person, once; record why they cannot go."""
    facts = candidate.facts
    found = list(check_manifest_person(facts, request.on))
    if not candidate.confirmed_by_matching:
        note = f": {candidate.match_note}" if candidate.match_note else ""
        found.append(
            Exclusion(
                facts.key,
                ExclusionCode.NOT_CONFIRMED_BY_MATCHING,
                f"identity not confirmed by matching{note}",
            )
        )
    chosen: tuple[str, str] | None = None
    doubts: list[str] = []
    refusals: list[str] = []
    for name, rule in request.categories.items():
        result = rule.evaluate(facts, request.on)
        if result.answer is Answer.YES:
            chosen = (name, result.reason)
            break
        (doubts if result.answer is Answer.UNCERTAIN else refusals).append(
            f"'{name}': {result.reason}"
        )
    if chosen is None:
        if doubts:
            found.append(
                Exclusion(facts.key, ExclusionCode.UNCERTAIN, "uncertain: " + "; ".join(doubts))
            )
        else:
            found.append(
                Exclusion(facts.key, ExclusionCode.INELIGIBLE, "ineligible: " + "; ".join(refusals))
            )
    if found:
        exclusions.extend(found)
        return None
    assert chosen is not None
    name, reason = chosen
    reasons = [f"'{name}': {reason}"]
    if candidate.match_note:
        reasons.append(f"confirmed: {candidate.match_note}")
    return _Ready(facts, name, priority_key(facts, request.priority), tuple(reasons))


def _screen_pool(
    pool: Iterable[Candidate], request: StageRequest, exclusions: list[Exclusion]
) -> dict[str, list[_Ready]]:
    """Category → ready persons of one pool, in priority order."""
    ready: dict[str, list[_Ready]] = {name: [] for name in request.categories}
    for candidate in pool:
        if (person := _screen(candidate, request, exclusions)) is not None:
            ready[person.category].append(person)
    for persons in ready.values():
        persons.sort(key=lambda p: p.order)
    return ready


def _check_unique(pools: Iterable[Iterable[Candidate]]) -> None:
    seen: set[str] = set()
    for pool in pools:
        for candidate in pool:
            if candidate.facts.key in seen:
                raise InvalidInput(f"person {candidate.facts.key} is in the pools twice")
            seen.add(candidate.facts.key)


def plan_stage(
    request: StageRequest,
    release_pool: Iterable[Candidate],
    return_pool: Iterable[Candidate],
) -> StagePlan:
    """Plan one stage: equal manifests by priority, and a reason for everyone left out.

    Work is linear in the pools plus one sort per side and category: every person's checks and
    rules are evaluated exactly once.
    """
    releases, returns = list(release_pool), list(return_pool)
    _check_unique((releases, returns))
    exclusions: list[Exclusion] = []
    ready = {
        request.release_side: _screen_pool(releases, request, exclusions),
        request.return_side: _screen_pool(returns, request, exclusions),
    }
    if request.parity is Parity.EQUAL_PER_CATEGORY:
        taken = _draw_per_category(request, ready, exclusions)
    else:
        taken = _draw_totals(request, ready, exclusions)
    deficits = {
        (category, side): len(persons) - taken[side][category]
        for side, by_category in ready.items()
        for category, persons in by_category.items()
        if len(persons) > taken[side][category]
    }
    return StagePlan(
        request,
        _manifest(ready[request.release_side], taken[request.release_side]),
        _manifest(ready[request.return_side], taken[request.return_side]),
        exclusions,
        deficits,
    )


def _manifest(ready: Mapping[str, list[_Ready]], taken: Mapping[str, int]) -> list[PlannedPerson]:
    return [
        PlannedPerson(p.facts, p.category, p.reasons)
        for category, persons in ready.items()
        for p in persons[: taken[category]]
    ]


def _reserved(request: StageRequest, category: str) -> int:
    """Pairs in `category` that earlier stages left owed, on either side."""
    owed = request.carried_deficits
    return max(
        owed.get((category, request.release_side), 0), owed.get((category, request.return_side), 0)
    )


def _draw_per_category(
    request: StageRequest,
    ready: Mapping[str, Mapping[str, list[_Ready]]],
    exclusions: list[Exclusion],
) -> dict[str, dict[str, int]]:
    """Equal numbers per category: the k-th ready person of each side form the k-th pair.

    Pairs compete for capacity by the more urgent of their two persons, owed pairs first;
    since both lists are sorted, the pairs taken in each category are a prefix of it.
    """
    release, back = ready[request.release_side], ready[request.return_side]
    owed: list[tuple[tuple[int | str, ...], int, int, str]] = []
    rest: list[tuple[tuple[int | str, ...], int, int, str]] = []
    pairs: dict[str, int] = {}
    for index, category in enumerate(request.categories):
        pairs[category] = min(len(release[category]), len(back[category]))
        reserved = _reserved(request, category)
        for k in range(pairs[category]):
            urgent = min(release[category][k].order, back[category][k].order)
            (owed if k < reserved else rest).append((urgent, index, k, category))
    owed.sort()
    rest.sort()
    chosen: dict[str, int] = dict.fromkeys(request.categories, 0)
    for _, _, _, category in (owed + rest)[: request.capacity]:
        chosen[category] += 1
    for side, other in (
        (request.release_side, request.return_side),
        (request.return_side, request.release_side),
    ):
        for category, persons in ready[side].items():
            where = f"in '{category}'"
            exclusions += _over_capacity(request, persons, chosen[category], pairs[category], where)
            exclusions += _parity(
                persons,
                pairs[category],
                f"parity: {other} side has only {pairs[category]} eligible {where}",
            )
    return {side: dict(chosen) for side in ready}


def _draw_totals(
    request: StageRequest,
    ready: Mapping[str, Mapping[str, list[_Ready]]],
    exclusions: list[Exclusion],
) -> dict[str, dict[str, int]]:
    """Equal totals: each side takes its `n` most urgent, owed categories first."""
    totals = {
        side: sum(len(p) for p in by_category.values()) for side, by_category in ready.items()
    }
    n = min(request.capacity, *totals.values())
    taken: dict[str, dict[str, int]] = {}
    for side, by_category in ready.items():
        other = request.return_side if side == request.release_side else request.release_side
        owed: list[_Ready] = []
        rest: list[_Ready] = []
        for category, persons in by_category.items():
            reserved = request.carried_deficits.get((category, side), 0)
            owed.extend(persons[:reserved])
            rest.extend(persons[reserved:])
        owed.sort(key=lambda p: p.order)
        rest.sort(key=lambda p: p.order)
        drawn = owed + rest
        counted: dict[str, int] = dict.fromkeys(by_category, 0)
        for person in drawn[:n]:
            counted[person.category] += 1
        taken[side] = counted
        if n == request.capacity:
            exclusions += _over_capacity(request, drawn, n, len(drawn), "on this side")
        else:
            why = f"parity: {other} side has only {totals[other]} eligible in total"
            exclusions += _parity(drawn, n, why)
    return taken


def _over_capacity(
    request: StageRequest, persons: Sequence[_Ready], start: int, stop: int, where: str
) -> list[Exclusion]:
    """Persons `start` to `stop` of a priority list, left out because the stage is full."""
    head = f"over capacity: the stage takes {request.capacity:,} per side; priority "
    tail = f" of {len(persons):,} ready {where}"
    code = ExclusionCode.OVER_CAPACITY
    return [
        Exclusion(p.facts.key, code, f"{head}{rank:,}{tail}")
        for rank, p in enumerate(persons[start:stop], start=start + 1)
    ]


def _parity(persons: Sequence[_Ready], start: int, reason: str) -> list[Exclusion]:
    """Persons from `start` on, left out because the other side has nobody to match them."""
    return [Exclusion(p.facts.key, ExclusionCode.PARITY, reason) for p in persons[start:]]


# ---------------------------------------------------------------- all for all


@dataclass(frozen=True)
class StageRecord:
    """A stage as it stands: planned only, or executed with who was actually handed over."""

    plan: StagePlan
    handed_over: frozenset[str] | None = None
    """Keys of persons transferred; None while the stage is only planned."""

    @classmethod
    def executed(cls, plan: StagePlan, handed_over: Iterable[str] | None = None) -> StageRecord:
        """An executed stage; without `handed_over`, everyone on both manifests went."""
        if handed_over is None:
            handed_over = (p.facts.key for p in (*plan.release, *plan.expect))
        return cls(plan, frozenset(handed_over))

    @property
    def is_executed(self) -> bool:
        return self.handed_over is not None


@dataclass(frozen=True)
class ProgressRow:
    """All for all, for one category and side: who qualifies, who is planned, who is home."""

    category: str
    side: str
    eligible: int
    planned: int
    """On a planned manifest, not yet executed (and not returned by an earlier stage)."""
    returned: int
    remaining: int
    """eligible − returned (the planned are still remaining until their stage is executed)."""


def progress(
    pools_by_side: Mapping[str, Iterable[PersonFacts | Candidate]],
    stages_done: Iterable[StageRecord],
    categories: Mapping[str, CategoryRule],
    on: date,
) -> list[ProgressRow]:
    """Per category and side: eligible, planned, returned and remaining, on `on`.

    Each person counts once, in one category: the category a stage put them in if a stage
    names them (a returned 25-year-old stays counted as returned in 18–25 after turning 26),
    otherwise the first agreed category that says yes on `on`. So the rows add up: the
    eligible of all rows are exactly the persons assigned, and returned + remaining = eligible.
    Persons on manifests but absent from the pools are counted under their own side.
    """
    side_of: dict[str, str] = {}
    facts_of: dict[str, PersonFacts] = {}
    for side, pool in pools_by_side.items():
        for member in pool:
            facts = member.facts if isinstance(member, Candidate) else member
            side_of[facts.key] = side
            facts_of[facts.key] = facts
    staged: dict[str, str] = {}
    returned: set[str] = set()
    planned: set[str] = set()
    for record in stages_done:
        for person in (*record.plan.release, *record.plan.expect):
            key = person.facts.key
            side_of.setdefault(key, person.facts.side)
            facts_of.setdefault(key, person.facts)
            if key in returned:
                continue
            if record.handed_over is None:
                planned.add(key)
                staged.setdefault(key, person.category)
            elif key in record.handed_over:
                returned.add(key)
                planned.discard(key)
                staged[key] = person.category
    rows: dict[tuple[str, str], list[int]] = {}
    sides = list(dict.fromkeys([*pools_by_side, *side_of.values()]))
    for category in categories:
        for side in sides:
            rows[(category, side)] = [0, 0, 0]
    for key, side in side_of.items():
        counted_in = staged.get(key) or _first_yes(facts_of[key], categories, on)
        if counted_in is None:
            continue
        row = rows.setdefault((counted_in, side), [0, 0, 0])
        row[0] += 1
        row[1] += key in planned
        row[2] += key in returned
    return [
        ProgressRow(category, side, eligible, planned_, back, eligible - back)
        for (category, side), (eligible, planned_, back) in rows.items()
    ]


def _first_yes(facts: PersonFacts, categories: Mapping[str, CategoryRule], on: date) -> str | None:
    for name, rule in categories.items():
        if rule.evaluate(facts, on).answer is Answer.YES:
            return name
    return None


def agreed_categories(
    names: Iterable[str], known: Mapping[str, CategoryRule]
) -> dict[str, CategoryRule]:
    """The named categories in the order given: the order decides where a person is counted."""
    chosen: dict[str, CategoryRule] = {}
    for raw in names:
        name = raw.strip()
        if name not in known:
            raise UnknownCategory(
                f"no category named '{name}'; known: {', '.join(known)}", "categories"
            )
        if name in chosen:
            raise InvalidInput(f"category '{name}' is listed twice", "categories")
        chosen[name] = known[name]
    if not chosen:
        raise InvalidInput("a stage needs at least one agreed category", "categories")
    return chosen


@dataclass(frozen=True)
class AsRecorded:
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
