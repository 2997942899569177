"""Importing a persons file: all rows or none, every problem reported at once."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import ImportRejected, ParleyError, Problem
from parley.domain.registry.persons import IdentifierKind
from parley.interchange.person_rows import ParsedRow, map_headers, parse_row
from parley.interchange.tabular import stream_sheet
from parley.services.accounts import log
from parley.services.registry.persons import (
    STORE_BATCH,
    log_created,
    new_history,
    store_persons,
    today,
)
from parley.services.registry.rows import ImportRecord
from parley.services.uow import UnitOfWork


@dataclass(frozen=True)
class ImportOutcome:
    file: str
    sha256: str
    rows: int
    encoding: str
    already_imported: ImportRecord | None = None
    record: ImportRecord | None = None

    @property
    def message(self) -> str:
        if self.already_imported is not None:
            earlier = self.already_imported
            return (
                f"{self.file} was already imported on {earlier.imported_at:%Y-%m-%d %H:%M} "
                f"by {earlier.imported_by} (import {earlier.id}); nothing changed"
            )
        return f"{self.file}: {self.rows} persons imported ({self.encoding})"


def import_persons(
    uow: UnitOfWork,
    actor: Actor,
    file: str,
    content: bytes,
    default_side: str,
    default_language: str,
    on_progress: Callable[[int], None] = lambda _n: None,
) -> ImportOutcome:
    actor.require(Permission.IMPORT_RUN)
    actor.require(Permission.REGISTRY_WRITE)
    sha256 = hashlib.sha256(content).hexdigest()
    with uow:
        earlier = uow.imports.by_hash(sha256)
        if earlier is not None:
            log(uow, actor, "import.repeated", "import", [earlier.id], file=file, sha256=sha256)
            uow.commit()
            return ImportOutcome(file, sha256, earlier.rows, "", already_imported=earlier)
        try:
            rows, encoding, kept = _check(uow, actor, file, content, default_side, default_language)
        except ImportRejected as rejected:
            uow.rollback()
            log(
                uow,
                actor,
                "import.refused",
                "import",
                [],
                file=file,
                sha256=sha256,
                problems=len(rejected.problems),
            )
            uow.commit()
            raise
        record = uow.imports.add(file, sha256, rows, actor.label)
        ids: list[int] = []
        parsed = (
            iter(kept)
            if kept is not None
            else _parsed(file, content, default_side, default_language)
        )
        for batch in _batches(parsed):
            ids += store_persons(uow, actor, [(r.person, r.events) for r in batch], record.id)
            on_progress(len(batch))
        log_created(uow, actor, ids, import_id=record.id)
        log(
            uow,
            actor,
            "import.accepted",
            "import",
            [record.id],
            file=file,
            sha256=sha256,
            rows=rows,
        )
        uow.commit()
        return ImportOutcome(file, sha256, rows, encoding, record=record)


@dataclass(frozen=True)
class _Keys:
    """What the duplicate checks need of a row, kept instead of the parsed row itself."""

    row: int
    identifiers: tuple[tuple[IdentifierKind, str], ...]
    record_id: str | None


KEEP_PARSED = 2_000
"""Files of up to this many entries are parsed once and their rows kept for storing; larger
ones keep only the keys and are parsed again (`_parsed`), so memory stays bounded."""


def _check(
    uow: UnitOfWork,
    actor: Actor,
    file: str,
    content: bytes,
    default_side: str,
    default_language: str,
) -> tuple[int, str, list[ParsedRow] | None]:
    """Every problem of the file, read once row by row: the entry count, the encoding and,
    for a file of up to `KEEP_PARSED` entries, the parsed rows.

    Beyond that only each row's identifiers are kept, so memory grows with the keys, not with
    the parsed persons (a 49 MB file once peaked at 1.6 GB); `_parsed` reads the file again."""
    sheet = stream_sheet(file, content)
    mapping, header_problems = map_headers(file, sheet.headers)
    if header_problems:
        for _ in sheet.rows:  # the rows' own problems are reported too
            pass
        raise ImportRejected(file, list(sheet.problems) + header_problems)
    problems: list[Problem] = []
    keys: list[_Keys] = []
    kept: list[ParsedRow] | None = []
    on = today()
    for number, raw in sheet.rows:
        row, found = parse_row(file, number, raw, mapping, default_side, default_language, on)
        problems += found
        if row is None:
            continue
        try:
            new_history(actor, row.events)
        except ParleyError as exc:  # a rule of the history the row's events make
            problems.append(Problem(row.row, "status", exc.message, file))
        idents = tuple((i.kind, i.value) for i in row.person.identifiers)
        keys.append(_Keys(row.row, idents, row.person.record_id))
        if kept is not None:
            kept.append(row)
            if len(kept) > KEEP_PARSED:
                kept = None
    problems = list(sheet.problems) + problems
    problems += _duplicate_identifiers(uow, file, keys)
    problems += _duplicate_record_ids(uow, file, keys)
    if problems:
        raise ImportRejected(file, sorted(problems, key=lambda p: (p.row, p.field)))
    if not keys:
        raise ImportRejected(file, [Problem(2, "(row)", "the file has no entries", file)])
    return len(keys), sheet.encoding, kept


def _parsed(
    file: str, content: bytes, default_side: str, default_language: str
) -> Iterator[ParsedRow]:
    """The rows `_check` accepted, parsed again one at a time to be stored."""
    sheet = stream_sheet(file, content)
    mapping, _ = map_headers(file, sheet.headers)
    on = today()
    for number, raw in sheet.rows:
        row, _found = parse_row(file, number, raw, mapping, default_side, default_language, on)
        if row is not None:
            yield row


def _batches(rows: Iterator[ParsedRow]) -> Iterator[list[ParsedRow]]:
    batch: list[ParsedRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) == STORE_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _duplicate_identifiers(uow: UnitOfWork, file: str, parsed: list[_Keys]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in parsed:
        for kind, value in row.identifiers:
            seen[(kind.value, value)].append(row.row)
    for (kind_name, text), rows in seen.items():
        for number in rows[1:]:
            problems.append(
                Problem(number, kind_name, (f"{text} is also on row {rows[0]} of this file"), file)
            )
    taken = uow.persons.identifiers_taken([ident for row in parsed for ident in row.identifiers])
    for row in parsed:
        for kind, value in row.identifiers:
            owner = taken.get((kind, value))
            if owner is not None:
                problems.append(
                    Problem(
                        row.row,
                        kind.value,
                        (f"{value} already belongs to person {owner} in the registry"),
                        file,
                    )
                )
    return problems


def _duplicate_record_ids(uow: UnitOfWork, file: str, parsed: list[_Keys]) -> list[Problem]:
    """A record id names one of our own records: twice in a file, or again, is a mistake."""
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for row in parsed:
        record_id = row.record_id
        if not record_id:
            continue
        if record_id in first:
            message = f"{record_id} is also on row {first[record_id]} of this file"
            problems.append(Problem(row.row, "record_id", message, file))
        first.setdefault(record_id, row.row)
    taken = uow.persons.record_ids_taken(list(first))
    for record_id, row_number in first.items():
        if record_id in taken:
            message = f"{record_id} is already the record id of person {taken[record_id]}"
            problems.append(Problem(row_number, "record_id", message, file))
    return problems
