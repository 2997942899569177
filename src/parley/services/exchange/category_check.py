"""Does each entry of a list fall in the categories the parties agreed, and why (not)?

After round 2 in Istanbul one side said the other's lists did not match the agreed
categories. Saying so is only worth something with the reasons, entry by entry: this module
answers, for every entry of a list (ours or received), which agreed category it satisfies,
which it does not, and which cannot be settled, each with a reason that says where the facts
came from — the list itself, or our registry when the entry is matched to one of our people.

An entry we could not match is never judged on facts only a registry holds (medical standing,
military or civilian): those answers are UNCERTAIN, not NO, so a dispute rests on what we know.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.dates import PartialDate
from parley.domain.errors import InvalidInput, ListNotFound, UnknownCategory
from parley.domain.exchange.categories import (
    STANDARD_CATEGORIES,
    AgeBand,
    AllOf,
    Answer,
    AnyOf,
    AttributeEquals,
    AttributeIn,
    CategoryRule,
    CivilianDetainee,
    HeldLongerThan,
    NamedCategory,
    Not,
    PersonFacts,
    RuleResult,
    SeriouslyWoundedOrSick,
)
from parley.domain.exchange.manifests import Exclusion, check_manifest_person
from parley.domain.lists import SharedEntry
from parley.domain.registry.persons import PersonCategory, Sex
from parley.interchange.table_export import export_table
from parley.services import matching
from parley.services.accounts import log
from parley.services.exchange.facts import registry_facts
from parley.services.lists.rows import StoredList
from parley.services.uow import UnitOfWork

"""Custom categories of an instance, as `[categories.NAME]` tables (see RULE_SPEC_HELP)."""

PER_LIST = "per the list"
PER_REGISTRY = "per our registry"
_UNMATCHED = "not on the list, and the entry is not matched to anyone in our registry"

BIRTH = "date of birth"
MEDICAL = "medical standing"
KIND = "military or civilian"
CAPTURE = "date of capture"


class Standing(StrEnum):
    """An entry against the agreed categories as a whole."""

    SATISFIES = "satisfies"
    """At least one agreed category is YES."""
    UNCERTAIN = "uncertain"
    """None is YES, at least one is UNCERTAIN: it may qualify once the missing fact is known."""
    FAILS = "fails"
    """Every agreed category is NO."""


@dataclass(frozen=True)
class AgreedCategory:
    name: str
    description: str
    custom: bool


@dataclass(frozen=True)
class CategoryAnswer:
    category: str
    answer: Answer
    reason: str
    """The rule's reason followed by where each fact it used came from."""


@dataclass(frozen=True)
class CheckedEntry:
    position: int
    ref: str
    entry: dict[str, Any]
    person_id: int | None
    """Our registry person the entry stands for, when known."""
    person_name: str
    matched_by: str
    """`built` (the entry was made from our registry), `reconciliation`, or empty."""
    answers: tuple[CategoryAnswer, ...]
    manifest: tuple[Exclusion, ...]
    """What keeps our person off a manifest; empty when we do not know the person."""
    notes: tuple[str, ...]

    @property
    def standing(self) -> Standing:
        found = {a.answer for a in self.answers}
        if Answer.YES in found:
            return Standing.SATISFIES
        return Standing.UNCERTAIN if Answer.UNCERTAIN in found else Standing.FAILS

    @property
    def fails(self) -> bool:
        """Fails the agreed categories: none of them is YES."""
        return self.standing is not Standing.SATISFIES

    def answer_for(self, category: str) -> CategoryAnswer:
        return next(a for a in self.answers if a.category == category)


@dataclass(frozen=True)
class CategoryCheck:
    stored: StoredList
    on: date
    categories: tuple[AgreedCategory, ...]
    entries: tuple[CheckedEntry, ...]
    reconciliation_run: int | None
    notes: tuple[str, ...]

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        """Per category, how many entries answer YES, NO and UNCERTAIN."""
        found = {c.name: {a.value: 0 for a in Answer} for c in self.categories}
        for entry in self.entries:
            for answer in entry.answers:
                found[answer.category][answer.answer.value] += 1
        return found

    @property
    def standings(self) -> dict[str, int]:
        found = {s.value: 0 for s in Standing}
        for entry in self.entries:
            found[entry.standing.value] += 1
        return found

    @property
    def satisfying(self) -> int:
        return self.standings[Standing.SATISFIES.value]

    @property
    def failing(self) -> int:
        """Entries none of whose categories is YES (the uncertain ones included)."""
        return len(self.entries) - self.satisfying

    @property
    def flagged(self) -> dict[str, int]:
        """Per manifest exclusion code, how many entries it concerns."""
        found: dict[str, int] = {}
        for entry in self.entries:
            for code in dict.fromkeys(x.code.value for x in entry.manifest):
                found[code] = found.get(code, 0) + 1
        return found

    def shown(self, only_failing: bool = False) -> list[CheckedEntry]:
        return [e for e in self.entries if e.fails or not only_failing]


# --- categories ---------------------------------------------------------------------------


def known_categories(
    custom: Mapping[str, CategoryRule] | None = None,
) -> dict[str, AgreedCategory]:
    """The standard categories, then the instance's own: what a user may choose from."""
    found = {
        name: AgreedCategory(name, rule.describe(), False)
        for name, rule in STANDARD_CATEGORIES.items()
    }
    for name, rule in (custom or {}).items():
        found[name] = AgreedCategory(name, rule.describe(), True)
    return found


def _agreed(
    names: Sequence[str], custom: Mapping[str, CategoryRule] | None
) -> dict[str, CategoryRule]:
    rules: dict[str, CategoryRule] = {**STANDARD_CATEGORIES, **(custom or {})}
    chosen = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    if not chosen:
        raise InvalidInput(
            f"name at least one agreed category; known: {', '.join(rules)}", "category"
        )
    unknown = [n for n in chosen if n not in rules]
    if unknown:
        raise UnknownCategory(
            f"no category named '{unknown[0]}'; known: {', '.join(rules)}", "category"
        )
    return {n: rules[n] for n in chosen}


# --- facts of one entry ---------------------------------------------------------------------


@dataclass(frozen=True)
class _KnownOnlyToARegistry:
    """A rule on a fact no list carries, asked of an entry we could not match: UNCERTAIN.

    Answering NO would turn our ignorance into the other side's fault.
    """

    rule: CategoryRule
    fact: str
    evidence: str

    @property
    def name(self) -> str:
        return self.rule.name

    def describe(self) -> str:
        return self.rule.describe()

    def evaluate(self, facts: PersonFacts, on: date) -> RuleResult:
        claim = f"; the list's evidence: '{self.evidence}'" if self.evidence else ""
        return RuleResult(
            Answer.UNCERTAIN,
            f"{self.fact} unknown: the entry is not matched to anyone in our registry{claim}",
            self.rule.name,
        )


def _for_unmatched(rule: CategoryRule, evidence: str) -> CategoryRule:
    """The same rule with every registry-only fact turned into an explicit unknown."""
    if isinstance(rule, SeriouslyWoundedOrSick):
        return _KnownOnlyToARegistry(rule, MEDICAL, evidence)
    if isinstance(rule, CivilianDetainee):
        return _KnownOnlyToARegistry(rule, KIND, evidence)
    if isinstance(rule, NamedCategory):
        return NamedCategory(rule.category, _for_unmatched(rule.rule, evidence), rule.description)
    if isinstance(rule, AllOf):
        return AllOf(tuple(_for_unmatched(r, evidence) for r in rule.rules))
    if isinstance(rule, AnyOf):
        return AnyOf(tuple(_for_unmatched(r, evidence) for r in rule.rules))
    if isinstance(rule, Not):
        return Not(_for_unmatched(rule.rule, evidence))
    return rule


def _facts_used(rule: CategoryRule) -> list[str]:
    """Which facts a rule reads, in order, so its reason can say where each came from."""
    if isinstance(rule, AgeBand):
        return [BIRTH]
    if isinstance(rule, SeriouslyWoundedOrSick):
        return [MEDICAL]
    if isinstance(rule, CivilianDetainee):
        return [KIND]
    if isinstance(rule, HeldLongerThan):
        return [CAPTURE]
    if isinstance(rule, AttributeEquals | AttributeIn):
        return [rule.attribute]
    if isinstance(rule, NamedCategory | Not):
        return _facts_used(rule.rule)
    if isinstance(rule, AllOf | AnyOf):
        return list(dict.fromkeys(f for r in rule.rules for f in _facts_used(r)))
    return []


@dataclass(frozen=True)
class _EntryFacts:
    facts: PersonFacts
    sources: dict[str, str]
    """Fact → where it came from, as a phrase for the reason."""
    notes: tuple[str, ...]
    matched: bool

    def source(self, fact: str) -> str:
        if fact in self.sources:
            return self.sources[fact]
        missing = _UNMATCHED if not self.matched else "neither on the list nor in our registry"
        return f"{fact}: {missing}"


def _birth(
    listed: PartialDate | None, ours: PartialDate | None, matched: bool
) -> tuple[PartialDate | None, str, str]:
    """The date to judge by, where it came from, and a note when the two sources disagree.

    The list's date is the claim being checked; ours replaces it only when it says the same
    thing more precisely (the list's year 1999, our 1999-06-10).
    """
    if listed is None and ours is None:
        missing = "neither on the list nor in our registry" if matched else _UNMATCHED
        return None, f"{BIRTH}: {missing}", ""
    if ours is None:
        return listed, f"{BIRTH} {PER_LIST}", ""
    if listed is None:
        return ours, f"{BIRTH} {PER_REGISTRY} (none on the list)", ""
    if ours == listed:
        return listed, f"{BIRTH} {PER_LIST} and {PER_REGISTRY}", ""
    if listed.earliest() <= ours.earliest() and ours.latest() <= listed.latest():
        return ours, f"{BIRTH} {PER_REGISTRY}, more precise than the list's {listed}", ""
    if ours.earliest() <= listed.latest() and listed.earliest() <= ours.latest():
        return listed, f"{BIRTH} {PER_LIST} (our registry: {ours})", ""
    return (
        listed,
        f"{BIRTH} {PER_LIST}; our registry says {ours}",
        f"date of birth differs: the list says {listed}, our registry {ours}",
    )


def _entry_facts(entry: SharedEntry, known: PersonFacts | None) -> _EntryFacts:
    """The list's own facts, with our registry's filling what a list cannot carry."""
    birth, birth_source, conflict = _birth(
        entry.birth_date, known.birth_date if known else None, known is not None
    )
    sources = {BIRTH: birth_source}
    attributes = dict(known.attributes) if known else {}
    sources.update({name: f"{name} {PER_REGISTRY}" for name in attributes})
    for name, value in (("unit", entry.unit), ("category_evidence", entry.category_evidence)):
        if value:
            attributes[name] = value
            sources[name] = f"{name} {PER_LIST}"
    if known is None:
        facts = PersonFacts(
            key=entry.ref,
            person_id=None,
            name=entry.full_name,
            side="",
            # Never read: rules on it are replaced by explicit unknowns (_for_unmatched).
            category=PersonCategory.MILITARY,
            sex=entry.sex,
            birth_date=birth,
            attributes=attributes,
        )
        return _EntryFacts(facts, sources, (), False)
    sources[KIND] = f"{KIND} {PER_REGISTRY}"
    sources[MEDICAL] = (
        f"{MEDICAL} {PER_REGISTRY}" if known.medical else f"{MEDICAL}: none in our registry"
    )
    sources[CAPTURE] = (
        f"{CAPTURE} {PER_REGISTRY}" if known.captured_on else f"{CAPTURE}: none in our registry"
    )
    facts = replace(
        known,
        key=entry.ref,
        name=entry.full_name,
        sex=entry.sex if entry.sex is not Sex.UNKNOWN else known.sex,
        birth_date=birth,
        attributes=attributes,
    )
    return _EntryFacts(facts, sources, (conflict,) if conflict else (), True)


def _answer(name: str, rule: CategoryRule, facts: _EntryFacts, on: date) -> CategoryAnswer:
    evidence = facts.facts.attributes.get("category_evidence", "")
    asked = rule if facts.matched else _for_unmatched(rule, evidence)
    result = asked.evaluate(facts.facts, on)
    where = [facts.source(f) for f in _facts_used(asked)]
    reason = f"{result.reason} [{'; '.join(where)}]" if where else result.reason
    return CategoryAnswer(name, result.answer, reason)


# --- the check ------------------------------------------------------------------------------


def check_list(
    uow: UnitOfWork,
    actor: Actor,
    list_id: int,
    categories: Sequence[str],
    on: date,
    custom: Mapping[str, CategoryRule] | None = None,
) -> CategoryCheck:
    """Every entry of a list against the agreed categories on a day, with the reasons."""
    actor.require(Permission.LISTS_READ)
    rules = _agreed(categories, custom)
    described = known_categories(custom)
    with uow:
        stored = uow.lists.get_list(list_id)
        if stored is None:
            raise ListNotFound(f"list {list_id} does not exist")
        listed = uow.lists.entries(list_id)
        run_id = uow.lists.latest_reconciliation(list_id)
        settled = (
            {row.row: person for row, person in matching.settled_entries(uow, run_id)}
            if run_id is not None
            else {}
        )
        ours: dict[int, tuple[int, str]] = {}
        for position, stored_entry in enumerate(listed, start=1):
            reconciled = settled.get(position)
            if stored_entry.person_id is not None:
                ours[position] = (stored_entry.person_id, "built")
            elif reconciled is not None:
                ours[position] = (reconciled, "reconciliation")
        person_ids = sorted({pid for pid, _how in ours.values()})
        known = registry_facts(uow, person_ids, on)
        checked: list[CheckedEntry] = []
        for position, stored_entry in enumerate(listed, start=1):
            entry = SharedEntry.from_payload(stored_entry.entry)
            person_id, how = ours.get(position, (None, ""))
            registry = known[person_id] if person_id is not None else None
            facts = _entry_facts(entry, registry)
            checked.append(
                CheckedEntry(
                    position=position,
                    ref=entry.ref,
                    entry=stored_entry.entry,
                    person_id=person_id,
                    person_name=registry.name if registry else "",
                    matched_by=how,
                    answers=tuple(_answer(n, r, facts, on) for n, r in rules.items()),
                    manifest=tuple(check_manifest_person(registry, on)) if registry else (),
                    notes=facts.notes,
                )
            )
        result = CategoryCheck(
            stored,
            on,
            tuple(described[n] for n in rules),
            tuple(checked),
            run_id,
            _notes(stored, run_id, ours, len(listed)),
        )
        log(
            uow,
            actor,
            "list.category_check",
            "list",
            [list_id],
            categories=list(rules),
            on=on.isoformat(),
            persons=len(person_ids),
            **result.standings,
        )
        uow.commit()
    return result


def _notes(
    stored: StoredList, run_id: int | None, ours: Mapping[int, object], entries: int
) -> tuple[str, ...]:
    if stored.origin == "built":
        return ()
    if run_id is None:
        return (
            f"list {stored.id} has not been reconciled: only the list's own facts were used; "
            f"reconcile it (`parley list reconcile {stored.id}`) so our registry's facts count",
        )
    unmatched = entries - len(ours)
    if unmatched:
        return (
            f"{unmatched} of {entries} entries are not matched to anyone in our registry "
            f"(reconciliation run {run_id}); facts only a registry holds are unknown for them",
        )
    return ()


# --- the report as a file -------------------------------------------------------------------

REPORT_FORMATS = ("csv", "xlsx", "json")
_MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
_ENTRY_COLUMNS = (
    "ref",
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "sex",
    "category_evidence",
)


def report_columns(check: CategoryCheck) -> list[str]:
    per_category = [c for a in check.categories for c in (a.name, f"{a.name}_reason")]
    return [
        *_ENTRY_COLUMNS,
        "our_person_id",
        "our_person",
        "standing",
        *per_category,
        "manifest_flags",
        "manifest_reasons",
        "notes",
    ]


def report_rows(check: CategoryCheck, only_failing: bool = False) -> list[dict[str, str]]:
    """One flat row per entry: what a spreadsheet handed across the table needs."""
    rows = []
    for entry in check.shown(only_failing):
        row = {c: str(entry.entry.get(c) or "") for c in _ENTRY_COLUMNS}
        row.update(
            our_person_id=str(entry.person_id or ""),
            our_person=entry.person_name,
            standing=entry.standing.value,
            manifest_flags="; ".join(x.code.value for x in entry.manifest),
            manifest_reasons="; ".join(x.reason for x in entry.manifest),
            notes="; ".join(entry.notes),
        )
        for answer in entry.answers:
            row[answer.category] = answer.answer.value
            row[f"{answer.category}_reason"] = answer.reason
        rows.append(row)
    return rows


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    media_type: str
    filename: str


def report_file(check: CategoryCheck, fmt: str, only_failing: bool = False) -> ReportFile:
    fmt = fmt.lower()
    if fmt not in REPORT_FORMATS:
        raise InvalidInput(
            f"a category check exports as {', '.join(REPORT_FORMATS)}, not '{fmt}'", "format"
        )
    content = export_table(report_rows(check, only_failing), report_columns(check), fmt)
    name = f"list-{check.stored.id}-category-check-{check.on.isoformat()}.{fmt}"
    return ReportFile(content, _MEDIA_TYPES[fmt], name)
