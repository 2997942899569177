"""Lists: build one from the registry or a file, keep its versions, read and export them.

A list is stored as an immutable version; building or importing a list with the name of an
existing one makes the next version and records what changed. Reconciliation is in
`reconciliation`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.dates import PartialDate
from parley.domain.errors import InvalidInput, ListNotFound, ListVersionExists
from parley.domain.lists import (
    ListChanges,
    ListHeader,
    ListPurpose,
    PartyList,
    SharedEntry,
    birth_range_for_ages,
    changes_between,
    shared_entry,
)
from parley.domain.paging import Page, PageRequest, TableQuery
from parley.domain.registry.events import History, Status
from parley.domain.registry.persons import PersonCategory, PersonQuery
from parley.interchange.bundles import list_sha256
from parley.interchange.list_rows import refuse_uncarried
from parley.services import matching
from parley.services.accounts import log
from parley.services.lists.rows import StoredEntry, StoredList
from parley.services.uow import UnitOfWork

Note = Callable[[str], None]


@dataclass(frozen=True)
class RegistrySelection:
    """Which registry persons go on a list: by status and category, optionally an age band."""

    status: Status | None = None
    category: PersonCategory | None = None
    side: str | None = None
    ages: tuple[int, int] | None = None
    as_of: date | None = None

    def describe(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if self.status:
            found["status"] = self.status.value
        if self.category:
            found["category"] = self.category.value
        if self.side:
            found["side"] = self.side
        if self.ages:
            found["ages"] = f"{self.ages[0]}-{self.ages[1]}"
        if self.as_of:
            found["as_of"] = self.as_of.isoformat()
        return found


@dataclass(frozen=True)
class ListDraft:
    """What the user says about a list; the entries come from a selection or a file."""

    name: str
    purpose: ListPurpose
    recipients: tuple[str, ...]
    category: str = ""
    reference: str = ""


@dataclass(frozen=True)
class BuildResult:
    stored: StoredList
    uncertain: int
    """Persons left out because a partial birth date may or may not fall in the age band."""
    unchanged: bool = False


@dataclass(frozen=True)
class ListDetail:
    stored: StoredList
    entries: list[StoredEntry]
    previous: StoredList | None
    added: list[StoredEntry] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)

    def party_list(self) -> PartyList:
        return party_list_of(self.stored, self.entries)


def now_text() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def build_list(
    uow: UnitOfWork,
    actor: Actor,
    party: str,
    draft: ListDraft,
    selection: RegistrySelection,
    note: Note = lambda _s: None,
    on_progress: Callable[[int], None] = lambda _n: None,
) -> BuildResult:
    """Snapshot the persons a selection finds, with only the fields that may be shared."""
    actor.require(Permission.LISTS_WRITE)
    on = selection.as_of or datetime.now(UTC).date()
    born: tuple[date, date] | None = None
    if selection.ages:
        born = birth_range_for_ages(selection.ages[0], selection.ages[1], on)
    query = PersonQuery(
        status=None if selection.as_of else selection.status,
        category=selection.category,
        side=selection.side,
        born_from=born[0] if born else None,
        born_to=born[1] if born else None,
    )
    with uow:
        note("selecting persons")
        ids = _all_ids(uow, query)
        persons = uow.persons.get_many(ids)
        events = uow.events.for_persons(ids) if selection.as_of and selection.status else {}
        chosen: list[tuple[int, SharedEntry]] = []
        uncertain = 0
        for person_id in ids:
            person = persons[person_id]
            on_progress(1)
            if selection.as_of and selection.status:
                history = History.of(e for e in events.get(person_id, []) if e.effective_date <= on)
                if history.status() is not selection.status:
                    continue
            if born and not _surely_within(person.birth_date, born):
                uncertain += 1  # of those with the status: a partial date that may not qualify
                continue
            evidence = _evidence(selection, person.birth_date)
            chosen.append((person_id, shared_entry(f"E{len(chosen) + 1}", person, evidence)))
        entries = [
            StoredEntry(i, e.ref, e.key(), e.to_payload(), pid)
            for i, (pid, e) in enumerate(chosen, start=1)
        ]
        stored, unchanged = store_version(
            uow, actor, party, draft, "built", selection.describe(), entries
        )
        if not unchanged:
            log(
                uow,
                actor,
                "list.build",
                "list",
                [stored.id],
                name=stored.name,
                version=stored.version,
                entries=stored.entry_count,
                query=selection.describe(),
                uncertain=uncertain,
            )
        uow.commit()
        return BuildResult(stored, uncertain, unchanged)


def _all_ids(uow: UnitOfWork, query: PersonQuery) -> list[int]:
    ids: list[int] = []
    offset = 0
    while True:
        page = uow.persons.query(query, PageRequest(offset, 500))
        ids += [p.id for p in page.items]
        if not page.has_next:
            return sorted(ids)
        offset += len(page.items)


def _surely_within(birth: PartialDate | None, band: tuple[date, date]) -> bool:
    return birth is not None and band[0] <= birth.earliest() and birth.latest() <= band[1]


def _evidence(selection: RegistrySelection, birth: PartialDate | None) -> str:
    parts = []
    if selection.ages and birth is not None:
        parts.append(f"born {birth}: aged {selection.ages[0]}-{selection.ages[1]}")
    if selection.status:
        parts.append(selection.status.value.replace("_", " "))
    return "; ".join(parts)


def import_list(
    uow: UnitOfWork,
    actor: Actor,
    party: str,
    draft: ListDraft,
    file: str,
    content: bytes,
) -> BuildResult:
    """A list typed elsewhere (CSV or XLSX) becomes a version like any built one."""
    actor.require(Permission.LISTS_WRITE)
    read = matching.read_entries(file, content)
    refuse_uncarried(file, read, ("record_id", "row_number", "unit", "category_evidence"))
    entries = []
    for position, entry in enumerate(read, start=1):
        shared = SharedEntry(
            ref=entry.extra.get("record_id") or f"E{position}",
            surname=entry.surname,
            given_name=entry.given,
            patronymic=entry.patronymic,
            birth_date=entry.birth_date,
            sex=entry.sex,
            identifiers=entry.identifiers,
            unit=entry.extra.get("unit", ""),
            category_evidence=entry.extra.get("category_evidence", ""),
        )
        entries.append(StoredEntry(position, shared.ref, shared.key(), shared.to_payload(), None))
    _check_refs(file, entries)
    with uow:
        stored, unchanged = store_version(
            uow, actor, party, draft, "imported", {"file": file}, entries
        )
        if not unchanged:
            log(
                uow,
                actor,
                "list.import",
                "list",
                [stored.id],
                name=stored.name,
                version=stored.version,
                entries=stored.entry_count,
                file=file,
            )
        uow.commit()
        return BuildResult(stored, 0, unchanged)


def _check_refs(file: str, entries: Sequence[StoredEntry]) -> None:
    seen: dict[str, int] = {}
    for entry in entries:
        if entry.ref in seen:
            raise InvalidInput(
                f"{file}: row {entry.position + 1}: ref {entry.ref} repeats row "
                f"{seen[entry.ref] + 1}",
                "ref",
            )
        seen[entry.ref] = entry.position


def store_version(
    uow: UnitOfWork,
    actor: Actor,
    party: str,
    draft: ListDraft,
    origin: str,
    query: dict[str, Any],
    entries: list[StoredEntry],
) -> tuple[StoredList, bool]:
    """The next version, or the current one when nothing changed (a no-op, not a new row)."""
    previous = uow.lists.latest_version(party, draft.name)
    previous_entries = uow.lists.entries(previous.id) if previous else []
    shared = [SharedEntry.from_payload(e.entry) for e in entries]
    changes = changes_between([SharedEntry.from_payload(e.entry) for e in previous_entries], shared)
    header = ListHeader(
        name=draft.name.strip(),
        version=previous.version + 1 if previous else 1,
        purpose=draft.purpose,
        category=draft.category,
        sender=party,
        recipients=draft.recipients,
        created_at=now_text(),
        reference=draft.reference,
        previous_sha256=previous.list_sha256 if previous else None,
    )
    if previous and _same_content(previous, header, previous_entries, entries):
        return previous, True
    party_list = PartyList(header, tuple(shared), changes if previous else ListChanges())
    stored = uow.lists.add_list(
        {
            "name": header.name,
            "version": header.version,
            "purpose": header.purpose.value,
            "category": header.category,
            "reference": header.reference,
            "sender": header.sender,
            "recipients": list(header.recipients),
            "created_at": header.created_at,
            "recorded_by": actor.label,
            "origin": origin,
            "query": query,
            "list_sha256": list_sha256(party_list.to_payload()),
            "previous_id": previous.id if previous else None,
            "previous_sha256": header.previous_sha256,
            "changes": {
                "added": list(party_list.changes.added),
                "removed": list(party_list.changes.removed),
            },
        },
        entries,
    )
    return stored, False


def _same_content(
    previous: StoredList,
    header: ListHeader,
    previous_entries: Sequence[StoredEntry],
    entries: Sequence[StoredEntry],
) -> bool:
    return (
        previous.purpose == header.purpose.value
        and previous.recipients == header.recipients
        and previous.category == header.category
        and previous.reference == header.reference
        and [e.entry for e in previous_entries] == [e.entry for e in entries]
    )


def store_received(
    uow: UnitOfWork, actor: Actor, payload: dict[str, Any], origin: str = "received"
) -> StoredList:
    """Keep a list as the other side signed it (inside the caller's transaction)."""
    party_list = PartyList.from_payload(payload)
    h = party_list.header
    existing = uow.lists.by_sha256(list_sha256(payload))
    if existing is not None and existing.sender == h.sender:
        return existing
    entries = [
        StoredEntry(i, e.ref, e.key(), raw, None)
        for i, (e, raw) in enumerate(zip(party_list.entries, payload["entries"], strict=True), 1)
    ]
    previous = uow.lists.latest_version(h.sender, h.name)
    if previous is not None and previous.version >= h.version:
        raise ListVersionExists(
            f"{h.sender} already sent version {previous.version} of '{h.name}'; "
            f"this bundle carries version {h.version} with other content"
        )
    return uow.lists.add_list(
        {
            "name": h.name,
            "version": h.version,
            "purpose": h.purpose.value,
            "category": h.category,
            "reference": h.reference,
            "sender": h.sender,
            "recipients": list(h.recipients),
            "created_at": h.created_at,
            "recorded_by": actor.label,
            "origin": origin,
            "query": None,
            "list_sha256": list_sha256(payload),
            "previous_id": previous.id if previous and previous.version < h.version else None,
            "previous_sha256": h.previous_sha256,
            "changes": {
                "added": list(party_list.changes.added),
                "removed": list(party_list.changes.removed),
            },
        },
        entries,
    )


def party_list_of(stored: StoredList, entries: Sequence[StoredEntry]) -> PartyList:
    header = ListHeader(
        name=stored.name,
        version=stored.version,
        purpose=ListPurpose(stored.purpose),
        category=stored.category,
        sender=stored.sender,
        recipients=stored.recipients,
        created_at=stored.created_at,
        reference=stored.reference,
        previous_sha256=stored.previous_sha256,
    )
    return PartyList(
        header,
        tuple(SharedEntry.from_payload(e.entry) for e in entries),
        ListChanges(
            tuple(stored.changes.get("added", [])), tuple(stored.changes.get("removed", []))
        ),
    )


def list_payload(uow: UnitOfWork, stored: StoredList) -> dict[str, Any]:
    """The `list` object exactly as it was hashed when the version was made."""
    return party_list_of(stored, uow.lists.entries(stored.id)).to_payload()


def get_list(uow: UnitOfWork, actor: Actor, list_id: int) -> ListDetail:
    actor.require(Permission.LISTS_READ)
    with uow:
        stored = _require_list(uow, list_id)
        entries = uow.lists.entries(list_id)
        previous = uow.lists.get_list(stored.previous_id) if stored.previous_id else None
        added_keys = set(stored.changes.get("added", []))
        removed_keys = list(stored.changes.get("removed", []))
        removed = (  # only the removed entries of the previous version, not all of it
            [e.entry for e in uow.lists.entries(previous.id, keys=removed_keys)]
            if previous and removed_keys
            else []
        )
        log(uow, actor, "list.read", "list", [list_id], entries=len(entries))
        uow.commit()
        return ListDetail(
            stored,
            entries,
            previous,
            [e for e in entries if e.entry_key in added_keys],
            removed,
        )


def stored_list(uow: UnitOfWork, actor: Actor, list_id: int) -> StoredList:
    """A list's header (name, version, parties, counts) without reading its entries."""
    actor.require(Permission.LISTS_READ)
    with uow:
        return _require_list(uow, list_id)


def list_entries(
    uow: UnitOfWork, actor: Actor, list_id: int, window: PageRequest
) -> tuple[StoredList, list[StoredEntry]]:
    """A window of a list's entries in list order, read by the database: what a long list's
    reader pages through (`GET /lists/{id}/entries`) instead of the whole list at once."""
    actor.require(Permission.LISTS_READ)
    with uow:
        stored = _require_list(uow, list_id)
        entries = uow.lists.entries(list_id, window)
        log(
            uow,
            actor,
            "list.read",
            "list",
            [list_id],
            entries=len(entries),
            offset=window.offset,
            limit=window.limit,
        )
        uow.commit()
        return stored, entries


def _require_list(uow: UnitOfWork, list_id: int) -> StoredList:
    stored = uow.lists.get_list(list_id)
    if stored is None:
        raise ListNotFound(f"list {list_id} does not exist")
    return stored


def list_lists(
    uow: UnitOfWork, actor: Actor, offset: int = 0, limit: int = 50
) -> tuple[list[StoredList], int]:
    actor.require(Permission.LISTS_READ)
    with uow:
        return uow.lists.lists(offset, limit)


LIST_SORTS = ("id", "sender", "name", "purpose", "entries")
LIST_FILTERS = ("sender", "purpose")


def list_table(uow: UnitOfWork, actor: Actor, table: TableQuery) -> Page[StoredList]:
    """The lists held here, a page at a time, filtered, sorted and cut by the database."""
    actor.require(Permission.LISTS_READ)
    purpose = table.filter("purpose")
    if purpose and purpose not in {p.value for p in ListPurpose}:
        raise InvalidInput(f"'{purpose}' is not a list purpose", "purpose")
    with uow:
        return uow.lists.list_table(table)


ENTRY_SORTS = ("position", "ref", "surname", "born")
ENTRY_FILTERS = ("q",)


@dataclass(frozen=True)
class ListPage:
    """A list with one page of its entries (paged, sorted and filtered by the database) and
    what changed since the previous version: the keys it added, the entries it removed."""

    stored: StoredList
    entries: Page[StoredEntry]
    previous: StoredList | None
    added_keys: frozenset[str]
    removed: Page[StoredEntry]
    """One page of the previous version's entries this one removed, paged like `entries`."""

    @property
    def removed_count(self) -> int:
        return len(self.stored.changes.get("removed", []))


def list_page(
    uow: UnitOfWork,
    actor: Actor,
    list_id: int,
    table: TableQuery,
    removed_table: TableQuery | None = None,
) -> ListPage:
    """A list with a page of its entries and a page of those removed since the previous
    version, each paged, sorted and searched by the database on its own (`ENTRY_SORTS`)."""
    actor.require(Permission.LISTS_READ)
    removed_table = removed_table or TableQuery(sort="position")
    with uow:
        stored = _require_list(uow, list_id)
        page = uow.lists.entry_table(list_id, table)
        previous = uow.lists.get_list(stored.previous_id) if stored.previous_id else None
        removed_keys = list(stored.changes.get("removed", []))
        if previous is not None and removed_keys:
            removed = uow.lists.entry_table(previous.id, removed_table, removed_keys)
        else:
            removed = Page([], 0, removed_table.window.offset, removed_table.per_page)
        log(
            uow,
            actor,
            "list.read",
            "list",
            [list_id],
            entries=len(page.items),
            removed=len(removed.items),
        )
        uow.commit()
        added = frozenset(stored.changes.get("added", []))
        return ListPage(stored, page, previous, added, removed)


def versions(uow: UnitOfWork, actor: Actor, list_id: int) -> list[StoredList]:
    actor.require(Permission.LISTS_READ)
    with uow:
        stored = _require_list(uow, list_id)
        return uow.lists.versions(stored.sender, stored.name)


EXPORT_COLUMNS = (
    "ref",
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "sex",
    "documents",
    "unit",
    "category_evidence",
    "verdict",
    "reason",
)


def export_rows(detail: ListDetail) -> list[dict[str, str]]:
    """One flat row per entry, for CSV, XLSX and the printed list: shareable fields only."""
    rows = []
    for stored in detail.entries:
        entry = SharedEntry.from_payload(stored.entry)
        rows.append(
            {
                "ref": entry.ref,
                "surname": entry.surname,
                "given_name": entry.given_name,
                "patronymic": entry.patronymic,
                "birth_date": str(entry.birth_date) if entry.birth_date else "",
                "sex": entry.sex.value,
                "documents": "; ".join(f"{i.kind.value} {i.value}" for i in entry.identifiers),
                "unit": entry.unit,
                "category_evidence": entry.category_evidence,
                "verdict": entry.response.verdict.value if entry.response else "",
                "reason": entry.response.reason if entry.response else "",
            }
        )
    return rows
