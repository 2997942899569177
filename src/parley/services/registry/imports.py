"""Importing a persons file: all rows or none, every problem reported at once."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import ImportRejected, ParleyError, Problem
from parley.interchange.person_rows import ParsedRow, map_headers, parse_row
from parley.interchange.tabular import read_sheet
from parley.services.accounts import log
from parley.services.registry.persons import log_created, store_person, today
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
            parsed, encoding = _parse(uow, file, content, default_side, default_language)
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
        record = uow.imports.add(file, sha256, len(parsed), actor.label)
        ids = []
        for row in parsed:
            try:
                ids.append(store_person(uow, actor, row.person, row.events, record.id).id)
            except ParleyError as exc:  # a rule only the stored history can check
                uow.rollback()
                problem = Problem(row.row, "status", exc.message, file)
                log(
                    uow, actor, "import.refused", "import", [], file=file, sha256=sha256, problems=1
                )
                uow.commit()
                raise ImportRejected(file, [problem]) from exc
            on_progress(1)
        log_created(uow, actor, ids, import_id=record.id)
        log(
            uow,
            actor,
            "import.accepted",
            "import",
            [record.id],
            file=file,
            sha256=sha256,
            rows=len(parsed),
        )
        uow.commit()
        return ImportOutcome(file, sha256, len(parsed), encoding, record=record)


def _parse(
    uow: UnitOfWork, file: str, content: bytes, default_side: str, default_language: str
) -> tuple[list[ParsedRow], str]:
    sheet = read_sheet(file, content)
    mapping, header_problems = map_headers(file, sheet.headers)
    problems = list(sheet.problems) + header_problems
    if header_problems:
        raise ImportRejected(file, problems)
    parsed: list[ParsedRow] = []
    for number, raw in sheet.rows:
        row, found = parse_row(file, number, raw, mapping, default_side, default_language, today())
        problems += found
        if row is not None:
            parsed.append(row)
    problems += _duplicate_identifiers(uow, file, parsed)
    problems += _duplicate_record_ids(uow, file, parsed)
    if problems:
        raise ImportRejected(file, sorted(problems, key=lambda p: (p.row, p.field)))
    if not parsed:
        raise ImportRejected(file, [Problem(2, "(row)", "the file has no entries", file)])
    return parsed, sheet.encoding


def _duplicate_identifiers(uow: UnitOfWork, file: str, parsed: list[ParsedRow]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in parsed:
        for ident in row.person.identifiers:
            seen[(ident.kind.value, ident.value)].append(row.row)
    for (kind, value), rows in seen.items():
        for number in rows[1:]:
            problems.append(
                Problem(number, kind, (f"{value} is also on row {rows[0]} of this file"), file)
            )
    taken = uow.persons.identifiers_taken(
        [(i.kind, i.value) for row in parsed for i in row.person.identifiers]
    )
    for row in parsed:
        for ident in row.person.identifiers:
            owner = taken.get((ident.kind, ident.value))
            if owner is not None:
                problems.append(
                    Problem(
                        row.row,
                        ident.kind.value,
                        (f"{ident.value} already belongs to person {owner} in the registry"),
                        file,
                    )
                )
    return problems


def _duplicate_record_ids(uow: UnitOfWork, file: str, parsed: list[ParsedRow]) -> list[Problem]:
    """A record id names one of our own records: twice in a file, or again, is a mistake."""
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for row in parsed:
        record_id = row.person.record_id
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
