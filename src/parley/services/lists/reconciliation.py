"""Reconciliation: the matching engine over a received list, and the response it proposes.

The response is itself a list, stored and signed like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import EntryNotFound, NothingToMatch, ReconciliationNotFound
from parley.domain.lists import (
    FINDING_OF_STATUS,
    EntryResponse,
    Finding,
    ListPurpose,
    SharedEntry,
    Verdict,
    check_party,
    proposed_response,
)
from parley.domain.matching import Outcome, Thresholds
from parley.domain.registry.events import Status
from parley.services import matching
from parley.services.accounts import log
from parley.services.lists.lists import BuildResult, ListDraft, Note, _require_list, store_version
from parley.services.lists.rows import StoredEntry, StoredList
from parley.services.uow import UnitOfWork


@dataclass(frozen=True)
class ReconciledEntry:
    ref: str
    entry: dict[str, Any]
    finding: Finding
    person_id: int | None
    person_name: str
    status: str
    status_since: date | None
    probability: float | None
    duplicate_of: str | None
    response: EntryResponse


@dataclass(frozen=True)
class Reconciliation:
    stored: StoredList
    run_id: int
    entries: list[ReconciledEntry]

    @property
    def counts(self) -> dict[str, int]:
        counts = {f.value: 0 for f in Finding}
        for entry in self.entries:
            counts[entry.finding.value] += 1
        return counts


def match_list(
    uow: UnitOfWork,
    actor: Actor,
    list_id: int,
    thresholds: Thresholds | None = None,
    note: Note = lambda _s: None,
    on_progress: Callable[[int], None] = lambda _n: None,
) -> matching.RunOutcome:
    """A match run over a list already held here (built, imported or received)."""
    actor.require(Permission.LISTS_READ)
    with uow:
        stored = _require_list(uow, list_id)
        entries = uow.lists.entries(list_id)
    if not entries:
        raise NothingToMatch(f"list {list_id} has no entries to match")
    listed = [SharedEntry.from_payload(e.entry) for e in entries]
    return matching.match_entries(
        uow,
        actor,
        f"list {stored.id}: {stored.sender} {stored.name} v{stored.version}",
        stored.list_sha256,
        [e.as_list_entry(i) for i, e in enumerate(listed, start=1)],
        thresholds,
        note=note,
        on_progress=on_progress,
    )


def reconcile(
    uow: UnitOfWork,
    actor: Actor,
    list_id: int,
    note: Note = lambda _s: None,
    on_progress: Callable[[int], None] = lambda _n: None,
) -> Reconciliation:
    """Match a list against our registry and say what each entry is to us."""
    actor.require(Permission.LISTS_WRITE)
    outcome = match_list(uow, actor, list_id, None, note, on_progress)
    with uow:
        uow.lists.add_reconciliation(list_id, outcome.run.id, actor.label)
        log(
            uow,
            actor,
            "list.reconcile",
            "list",
            [list_id],
            run=outcome.run.id,
            **dict(outcome.run.counts),
        )
        uow.commit()
    return reconciliation(uow, actor, list_id)


def reconciliation(uow: UnitOfWork, actor: Actor, list_id: int) -> Reconciliation:
    """The latest reconciliation of a list, with reviewers' decisions since taken into account."""
    actor.require(Permission.LISTS_READ)
    with uow:
        stored = _require_list(uow, list_id)
        run_id = uow.lists.latest_reconciliation(list_id)
        if run_id is None:
            raise ReconciliationNotFound(
                f"list {list_id} has not been reconciled: run `parley list reconcile`"
            )
        listed = uow.lists.entries(list_id)
        settled = {row.row: (row, person) for row, person in matching.settled_entries(uow, run_id)}
        persons = {p for _row, p in settled.values() if p is not None}
        records: dict[int, tuple[str, Status | None, date | None]] = {
            s.id: (s.name, Status(s.status), s.status_since)
            for s in uow.persons.summaries(sorted(persons))
        }
        log(uow, actor, "list.reconciliation.read", "list", [list_id], persons=len(records))
        uow.commit()
    first_by_key: dict[str, str] = {}
    first_by_person: dict[int, str] = {}
    result: list[ReconciledEntry] = []
    for position, stored_entry in enumerate(listed, start=1):
        row, person_id = settled.get(position, (None, None))
        duplicate_of = first_by_key.get(stored_entry.entry_key)
        if duplicate_of is None and person_id is not None:
            duplicate_of = first_by_person.get(person_id)
        first_by_key.setdefault(stored_entry.entry_key, stored_entry.ref)
        if person_id is not None:
            first_by_person.setdefault(person_id, stored_entry.ref)
        name, status, since = records[person_id] if person_id is not None else ("", None, None)
        if duplicate_of is not None:
            finding = Finding.DUPLICATE
        elif status is not None:
            finding = FINDING_OF_STATUS[status]
        elif row is not None and row.outcome is Outcome.REVIEW:
            finding = Finding.TO_REVIEW
        else:
            finding = Finding.UNKNOWN
        result.append(
            ReconciledEntry(
                stored_entry.ref,
                stored_entry.entry,
                finding,
                person_id,
                name,
                status.value if status else "",
                since,
                row.probability if row else None,
                duplicate_of,
                proposed_response(stored_entry.ref, finding, status, since, duplicate_of),
            )
        )
    return Reconciliation(stored, run_id, result)


def respond(
    uow: UnitOfWork,
    actor: Actor,
    party: str,
    list_id: int,
    overrides: dict[str, EntryResponse] | None = None,
) -> BuildResult:
    """The response list to a received list: one answer per entry, proposed or overridden."""
    actor.require(Permission.LISTS_WRITE)
    report = reconciliation(uow, actor, list_id)
    received = report.stored
    changes = dict(overrides or {})
    unknown_refs = set(changes) - {e.ref for e in report.entries}
    if unknown_refs:
        raise EntryNotFound(f"list {list_id} has no entry {', '.join(sorted(unknown_refs))}")
    entries = []
    for position, item in enumerate(report.entries, start=1):
        original = SharedEntry.from_payload(item.entry)
        answer = changes.get(item.ref, item.response)
        reply = SharedEntry(
            ref=original.ref,
            surname=original.surname,
            given_name=original.given_name,
            patronymic=original.patronymic,
            birth_date=original.birth_date,
            sex=original.sex,
            identifiers=original.identifiers,
            unit=original.unit,
            category_evidence=original.category_evidence,
            response=answer,
        )
        entries.append(
            StoredEntry(position, reply.ref, reply.key(), reply.to_payload(), item.person_id)
        )
    draft = ListDraft(
        name=f"Response to {received.sender} {received.name} v{received.version}",
        purpose=ListPurpose.RESPONSE,
        recipients=(check_party(received.sender),),
        category=received.category,
        reference=received.list_sha256,
    )
    with uow:
        stored, unchanged = store_version(uow, actor, party, draft, "built", {}, entries)
        if not unchanged:
            log(
                uow,
                actor,
                "list.respond",
                "list",
                [stored.id, list_id],
                entries=len(entries),
                verdicts={
                    v.value: sum(1 for e in entries if e.entry["response"]["verdict"] == v.value)
                    for v in Verdict
                },
            )
        uow.commit()
        return BuildResult(stored, 0, unchanged)
