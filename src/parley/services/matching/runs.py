"""Matching lists against the registry: train, run, review, decide, search.

The engine scores; people decide. Every run stores each entry with its candidates and the
field-by-field comparison, so a reviewer sees why; every decision is appended, never edited.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from parley import names
from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.dates import PartialDate
from parley.domain.errors import MatchRunNotFound, NoLinkageModel, NothingToMatch
from parley.domain.matching import (
    Candidate,
    Decision,
    ListEntry,
    Outcome,
    Thresholds,
    classify,
)
from parley.domain.registry.persons import (
    Identifier,
    IdentifierKind,
    PersonSummary,
    Sex,
)
from parley.interchange.list_rows import read_list
from parley.linkage import engine
from parley.services.accounts import log
from parley.services.matching.link_records import entry_record as entry_record
from parley.services.matching.link_records import person_record as person_record
from parley.services.matching.link_records import registry_table
from parley.services.matching.rows import (
    CandidateRow,
    EntryRow,
    FieldScore,
    ModelRow,
    NewCandidate,
    RunRow,
)
from parley.services.matching.views import ModelOut, RunOut
from parley.services.uow import UnitOfWork

Note = Callable[[str], None]
MAX_CANDIDATES = 5


def split_full_name(text: str) -> tuple[str, str, str]:
    parsed = names.parse_name(text)
    given = parsed.given or parsed.given_initial
    patronymic = parsed.patronymic or parsed.patronymic_initial
    return parsed.surname, given, patronymic


def read_entries(file: str, content: bytes, keep: Collection[str] = ()) -> list[ListEntry]:
    """A list file's entries, or ImportRejected naming every bad row, field and unknown column
    (`keep`: columns Parley does not read, kept with each entry instead of refused)."""
    return read_list(file, content, split_full_name, keep)


def entry_json(entry: ListEntry) -> dict[str, Any]:
    return {
        "surname": entry.surname,
        "given": entry.given,
        "patronymic": entry.patronymic,
        "full_name": entry.full_name,
        "written": entry.written or entry.full_name,
        "birth_date": str(entry.birth_date) if entry.birth_date else None,
        "sex": entry.sex.value,
        "identifiers": {i.kind.value: i.value for i in entry.identifiers},
        "extra": entry.extra,
    }


def train_model(
    uow: UnitOfWork,
    actor: Actor,
    entries: Sequence[ListEntry],
    source: str,
    note: Note = lambda _s: None,
    registry: pa.Table | None = None,
) -> ModelRow:
    """EM on the pairs between a list and the registry; the model is kept with the instance.

    `registry`: the registry's records when the caller has them already (a first run does).
    """
    actor.require(Permission.MATCH_RUN)
    if not entries:
        raise NothingToMatch("training needs a list with entries")
    if registry is None:
        note("preparing the registry")
        registry = registry_table(uow, note)
    if registry.num_rows == 0:
        raise NothingToMatch("the registry is empty: there is no one to match against")
    trained = engine.train(registry, [entry_record(e) for e in entries], note=note)
    with uow:
        stored = uow.matches.add_model(actor.label, source, registry.num_rows, trained)
        log(
            uow,
            actor,
            "match.train",
            "linkage_model",
            [stored.id],
            source=source,
            registry=registry.num_rows,
            entries=len(entries),
        )
        uow.commit()
        return stored


def train_view(
    uow: UnitOfWork, actor: Actor, entries: Sequence[ListEntry], source: str
) -> ModelOut:
    """`train_model` as `POST /match/train` returns it."""
    return ModelOut.of(train_model(uow, actor, entries, source))


def training_entries_from_runs(uow: UnitOfWork, limit: int = 5) -> list[ListEntry]:
    """Retraining without a new list uses the entries of the most recent runs."""
    found: list[ListEntry] = []
    with uow:
        runs, _ = uow.matches.runs(0, limit)
        for run in runs:
            if run.kind != "list":
                continue
            rows, _ = uow.matches.entries(run.id, None, 0, 100_000)
            for row in rows:
                e = row.entry
                found.append(
                    ListEntry(
                        len(found) + 2,
                        e["surname"],
                        e["given"],
                        e["patronymic"],
                        PartialDate.parse(e["birth_date"]) if e["birth_date"] else None,
                        Sex(e["sex"]),
                        tuple(
                            Identifier(IdentifierKind(k), v) for k, v in e["identifiers"].items()
                        ),
                    )
                )
    return found


@dataclass(frozen=True)
class RunOutcome:
    run: RunRow
    trained: bool

    @property
    def view(self) -> RunOut:
        """The run as every door shows it."""
        return RunOut.of(self.run)


def run_match(
    uow: UnitOfWork,
    actor: Actor,
    file: str,
    content: bytes,
    thresholds: Thresholds | None = None,
    note: Note = lambda _s: None,
    on_progress: Callable[[int], None] = lambda _n: None,
    keep: Collection[str] = (),
) -> RunOutcome:
    actor.require(Permission.MATCH_RUN)
    entries = read_entries(file, content, keep)
    return match_entries(
        uow,
        actor,
        file,
        hashlib.sha256(content).hexdigest(),
        entries,
        thresholds,
        note,
        on_progress,
    )


def match_entries(
    uow: UnitOfWork,
    actor: Actor,
    source_name: str,
    source_sha256: str,
    entries: list[ListEntry],
    thresholds: Thresholds | None = None,
    note: Note = lambda _s: None,
    on_progress: Callable[[int], None] = lambda _n: None,
) -> RunOutcome:
    """Match entries that are already read (a file, or a list held by the instance)."""
    actor.require(Permission.MATCH_RUN)
    limits = thresholds or Thresholds()
    file = source_name
    with uow:
        model = uow.matches.latest_model()
    trained = model is None
    note("preparing the registry")
    registry = engine.prepared(registry_table(uow, note))
    if model is None:
        note("no model yet: training on this list")
        model = train_model(uow, actor, entries, f"first run: {file}", note, registry)
    note("scoring candidate pairs")
    records = [entry_record(e) for e in entries]
    try:
        pairs = engine.predict(model.model, records, registry)
    except engine.ModelMismatch:
        note("the stored model predates this engine's comparisons: retraining on this list")
        model = train_model(
            uow, actor, entries, f"retrained, engine changed: {file}", note, registry
        )
        trained = True
        pairs = engine.predict(model.model, records, registry)
    by_entry: dict[str, list[engine.ScoredPair]] = {}
    for pair in pairs:
        by_entry.setdefault(pair.entry_id, []).append(pair)
    with uow:
        run_id = uow.matches.add_run(
            "list",
            file,
            source_sha256,
            model.id,
            limits.accept,
            limits.review,
            len(entries),
            actor.label,
        )
        keys = [e.key() for e in entries]
        decided = _latest_decisions(uow, keys)
        for entry, key in zip(entries, keys, strict=True):
            scored = {int(p.person_id): p for p in by_entry.get(f"e{entry.row}", [])}
            confirmed, rejected = decided.get(key, (set(), set()))
            outcome, person, alive = classify(
                [candidate_of(p) for p in scored.values()],
                limits,
                confirmed,
                rejected,
                entry.birth_date,
            )
            best = alive[0].probability if alive else None
            entry_id = uow.matches.add_entry(
                run_id, entry.row, key, entry_json(entry), outcome, person, best
            )
            uow.matches.add_candidates(
                entry_id,
                [
                    _candidate_row(rank, scored[c.person_id])
                    for rank, c in enumerate(alive[:MAX_CANDIDATES], start=1)
                ],
            )
            on_progress(1)
        run = uow.matches.get_run(run_id)
        assert run is not None
        log(
            uow,
            actor,
            "match.run",
            "match_run",
            [run_id],
            file=file,
            entries=len(entries),
            **dict(run.counts),
        )
        uow.commit()
        return RunOutcome(run, trained)


def candidate_of(pair: engine.ScoredPair, exclusive: bool = True) -> Candidate:
    """What `classify` weighs of a scored pair: its probabilities, the person's birth date and
    whether a document agrees. `exclusive=False` leaves the exclusive probability out."""
    return Candidate(
        int(pair.person_id),
        pair.match_probability,
        pair.exclusive_probability if exclusive else None,
        pair.person_born,
        pair.documents_agree,
    )


def _candidate_row(rank: int, pair: engine.ScoredPair) -> NewCandidate:
    return {
        "person_id": int(pair.person_id),
        "rank": rank,
        "probability": pair.match_probability,
        "weight": pair.match_weight,
        "fields": [
            FieldScore(
                field=f.field,
                level=f.level,
                weight=f.weight,
                entry_value=f.entry_value,
                person_value=f.person_value,
            )
            for f in pair.fields
        ],
    }


def _latest_decisions(uow: UnitOfWork, keys: list[str]) -> dict[str, tuple[set[int], set[int]]]:
    latest: dict[tuple[str, int], Decision] = {}
    for row in uow.matches.decisions(keys):
        latest[(row.entry_key, row.person_id)] = row.decision
    result: dict[str, tuple[set[int], set[int]]] = {}
    for (key, person_id), decision in latest.items():
        confirmed, rejected = result.setdefault(key, (set(), set()))
        (confirmed if decision is Decision.CONFIRMED else rejected).add(person_id)
    return result


def decide(
    uow: UnitOfWork,
    actor: Actor,
    entry_id: int,
    person_id: int,
    decision: Decision,
    note: str = "",
) -> EntryRow:
    actor.require(Permission.MATCH_DECIDE)
    with uow:
        entry = uow.matches.entry(entry_id)
        if entry is None:
            raise MatchRunNotFound(f"no match entry {entry_id}")
        if person_id not in {c.person_id for c in uow.matches.candidates(entry_id)}:
            uow.persons.get(person_id)  # a reviewer may name someone the engine missed
        uow.matches.add_decision(
            entry.entry_key, person_id, decision, note.strip(), entry.run_id, actor.label
        )
        log(
            uow,
            actor,
            f"match.{decision.value}",
            "person",
            [person_id],
            entry_id=entry_id,
            run_id=entry.run_id,
        )
        uow.commit()
        return entry


@dataclass(frozen=True)
class ReviewItem:
    entry: EntryRow
    candidates: list[tuple[CandidateRow, PersonSummary]]
    pending: int


def next_review(
    uow: UnitOfWork, actor: Actor, run_id: int | None = None, after_entry: int = 0
) -> ReviewItem | None:
    actor.require(Permission.MATCH_DECIDE)
    with uow:
        entry = uow.matches.next_for_review(run_id, after_entry)
        if entry is None:
            return None
        candidates = uow.matches.candidates(entry.id)
        people = {p.id: p for p in uow.persons.summaries([c.person_id for c in candidates])}
        log(
            uow,
            actor,
            "match.review",
            "person",
            [c.person_id for c in candidates],
            entry_id=entry.id,
        )
        pending = uow.matches.pending_reviews(run_id)
        uow.commit()
        return ReviewItem(
            entry, [(c, people[c.person_id]) for c in candidates if c.person_id in people], pending
        )


def find_duplicates(
    uow: UnitOfWork,
    actor: Actor,
    thresholds: Thresholds | None = None,
    note: Note = lambda _s: None,
) -> RunOut:
    """The registry against itself: each person with the others that may be the same person.

    Stored as a run of kind `duplicates` whose entries are registry persons, so the same review
    queue and the same remembered decisions serve both.
    """
    actor.require(Permission.MATCH_RUN)
    limits = thresholds or Thresholds()
    with uow:
        model = uow.matches.latest_model()
    if model is None:
        raise NoLinkageModel(
            "no linkage model yet: run `parley match train FILE` or a match run first"
        )
    note("preparing the registry")
    records = registry_table(uow, note)
    note("scoring pairs within the registry")
    pairs = engine.predict_duplicates(model.model, records)
    by_person: dict[int, list[engine.ScoredPair]] = {}
    for pair in pairs:
        by_person.setdefault(int(pair.entry_id), []).append(pair)
    with uow:
        run_id = uow.matches.add_run(
            "duplicates",
            "registry",
            "",
            model.id,
            limits.accept,
            limits.review,
            len(by_person),
            actor.label,
        )
        keys = {pid: f"person:{pid}" for pid in by_person}
        decided = _latest_decisions(uow, list(keys.values()))
        for row, (person_id, found) in enumerate(sorted(by_person.items()), start=1):
            scored = {int(p.person_id): p for p in found}
            confirmed, rejected = decided.get(keys[person_id], (set(), set()))
            outcome, person, alive = classify(
                [Candidate(pid, p.match_probability) for pid, p in scored.items()],
                # a duplicate is never merged without a person: the best goes to review
                Thresholds(accept=0.999999, review=limits.review),
                confirmed,
                rejected,
            )
            if outcome is Outcome.NO_MATCH:
                continue
            entry_id = uow.matches.add_entry(
                run_id,
                row,
                keys[person_id],
                {"person_id": person_id},
                outcome,
                person,
                alive[0].probability if alive else None,
            )
            uow.matches.add_candidates(
                entry_id,
                [
                    _candidate_row(rank, scored[c.person_id])
                    for rank, c in enumerate(alive[:MAX_CANDIDATES], start=1)
                ],
            )
        run = uow.matches.get_run(run_id)
        assert run is not None
        log(uow, actor, "match.duplicates", "match_run", [run_id], pairs=len(pairs))
        uow.commit()
        return RunOut.of(run)


def people(uow: UnitOfWork, actor: Actor, person_ids: list[int]) -> dict[int, PersonSummary]:
    """List lines of candidates, to show names beside a run's entries."""
    actor.require(Permission.REGISTRY_READ)
    with uow:
        found = {p.id: p for p in uow.persons.summaries(person_ids)}
        log(uow, actor, "person.list", "person", list(found))
        uow.commit()
        return found


def settled_entries(uow: UnitOfWork, run_id: int) -> list[tuple[EntryRow, int | None]]:
    """Every entry of a run with the person it stands matched to now, if any.

    Called inside the caller's transaction. Reviewers' decisions taken after the run count: a
    confirmed candidate becomes the match, a rejected automatic match is undone.
    """
    rows: list[EntryRow] = []
    while True:
        page, total = uow.matches.entries(run_id, None, len(rows), 1000)
        rows += page
        if not page or len(rows) >= total:
            break
    decided = _latest_decisions(uow, [r.entry_key for r in rows])
    settled: list[tuple[EntryRow, int | None]] = []
    for row in rows:
        confirmed, rejected = decided.get(row.entry_key, (set(), set()))
        person = row.person_id if row.outcome is Outcome.MATCHED else None
        if len(confirmed) == 1:
            person = next(iter(confirmed))
        elif person in rejected:
            person = None
        settled.append((row, person))
    return settled
