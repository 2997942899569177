"""The engine's records: built from a person or a list entry, and kept for every registry person.

Building a record (the canonical keys and folded forms of every name) costs about 60 µs a
person, a minute per million on every run. So each person's record is written with the person
(`store`) and a run reads them all as one Arrow table (`registry_table`). A record is a cache
and never stale: `recipe()` fingerprints the code that builds records, so a line built by other
code is not read but rebuilt, and database triggers delete the line of a person whose names,
identifiers, sex or birth date change. Whatever has no current line is rebuilt by the next run.
"""

from __future__ import annotations

import hashlib
import inspect
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from parley import names
from parley.domain.matching import ListEntry
from parley.domain.registry.persons import Person
from parley.linkage import records
from parley.linkage.records import LinkRecord, from_lines, to_arrow, to_line
from parley.services.matching.rows import PersonForLinkage
from parley.services.uow import MatchRepository, UnitOfWork

Note = Callable[[str], None]

RECIPE_VERSION = 1
"""Bump when what a record holds changes in a way the fingerprinted code does not show."""
NAME_PACKAGES = ("names-translator", "translitua", "iuliia", "faker")
"""Their dictionaries and tables feed the keys: a new version may change them."""
FILL_BATCH = 5_000
"""Persons a refresh builds and writes per transaction."""


def _keys_record(
    uid: str,
    name_list: Sequence[tuple[str, str, str]],
    birth: Any,
    sex: str,
    identifiers: dict[str, str],
) -> LinkRecord:
    """Keys of every name the record carries; folded forms of the first (primary) one."""
    all_keys = [names.keys_for_name(s, g, p) for s, g, p in name_list]
    first = all_keys[0]
    known_sex = sex if sex in ("male", "female") else first.sex.value
    return LinkRecord(
        unique_id=uid,
        surname_keys=sorted(set().union(*(k.surname for k in all_keys))),
        given_keys=sorted(set().union(*(k.given for k in all_keys))),
        patronymic_keys=sorted(set().union(*(k.patronymic for k in all_keys))),
        surname_folded=first.surname_folded or None,
        given_folded=first.given_folded or None,
        patronymic_folded=first.patronymic_folded or None,
        given_initial=first.given_initial or None,
        sex=known_sex if known_sex in ("male", "female") else None,
        dob_text=str(birth) if birth is not None and birth.is_complete else None,
        dob_year=birth.year if birth is not None else None,
        dob_month=birth.month if birth is not None else None,
        dob_day=birth.day if birth is not None else None,
        service_number=identifiers.get("service_number"),
        passport=identifiers.get("passport"),
        tax_number=identifiers.get("tax_number"),
    )


def person_record(person: PersonForLinkage) -> LinkRecord:
    ordered = sorted(person.names, key=lambda n: not n[3])
    return _keys_record(
        str(person.id),
        [(s, g, p) for s, g, p, _ in ordered],
        person.birth_date,
        person.sex,
        person.identifiers,
    )


def entry_record(entry: ListEntry) -> LinkRecord:
    return _keys_record(
        f"e{entry.row}",
        [(entry.surname, entry.given, entry.patronymic)],
        entry.birth_date,
        entry.sex.value,
        {i.kind.value: i.value for i in entry.identifiers},
    )


@cache
def recipe() -> str:
    """A fingerprint of everything a record is built from but the person: the name code and
    its dictionaries, the record builder and the line format. Upgrading any of them makes every
    stored line outdated, so the next run rebuilds them (about a minute per million persons)."""
    digest = hashlib.sha256(f"{RECIPE_VERSION}/{unicodedata.unidata_version}".encode())
    for package in NAME_PACKAGES:
        digest.update(f"/{package}={metadata.version(package)}".encode())
    for source in sorted(Path(names.__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    digest.update(Path(records.__file__).read_bytes())
    for builder in (_keys_record, person_record):
        digest.update(inspect.getsource(builder).encode())
    return digest.hexdigest()[:16]


def for_linkage(person: Person) -> PersonForLinkage:
    """A person as `MatchRepository.link_inputs` reads it back from the database."""
    assert person.id is not None
    return PersonForLinkage(
        person.id,
        [(n.surname, n.given, n.patronymic, n.primary) for n in person.names],
        person.birth_date,
        person.sex.value,
        {i.kind.value: i.value for i in reversed(person.identifiers)},  # the first of a kind
    )


def store_person_records(uow: UnitOfWork, persons: Sequence[Person]) -> None:
    """The records of persons just written, in the same transaction (registry.store_persons)."""
    built = [person_record(for_linkage(person)) for person in persons]
    uow.matches.save_link_records(recipe(), [(int(r.unique_id), to_line(r)) for r in built])


def _build(matches: MatchRepository, person_ids: Sequence[int]) -> list[LinkRecord]:
    """Records of these persons from what the database holds now; a person without a name
    (which the registry does not accept) has none."""
    return [person_record(p) for p in matches.link_inputs(person_ids) if p.names]


def _save(matches: MatchRepository, built: list[LinkRecord]) -> None:
    matches.save_link_records(recipe(), [(int(r.unique_id), to_line(r)) for r in built])


def _batches(person_ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(person_ids), FILL_BATCH):
        yield person_ids[start : start + FILL_BATCH]


def backfill(matches: MatchRepository, note: Note = lambda _s: None) -> int:
    """Build every outdated record inside the caller's transaction (migration 0003, which runs
    alone). Returns how many persons were outdated."""
    outdated = matches.link_records_outdated(recipe())
    for done, batch in enumerate(_batches(outdated)):
        _save(matches, _build(matches, batch))
        note(f"engine records: {min((done + 1) * FILL_BATCH, len(outdated)):,}/{len(outdated):,}")
    return len(outdated)


def refresh(uow: UnitOfWork, note: Note = lambda _s: None) -> int:
    """Build and keep every outdated record, a batch per transaction, each under the lock
    that keeps a concurrent change from slipping between reading a person and writing the line.
    Returns how many persons were outdated (none, on a registry kept current by `store`)."""
    with uow:
        outdated = uow.matches.link_records_outdated(recipe())
    if outdated:
        note(f"building the engine's records of {len(outdated):,} persons")
    for batch in _batches(outdated):
        with uow:
            uow.matches.lock_link_records()
            _save(uow.matches, _build(uow.matches, batch))
            uow.commit()
    return len(outdated)


def registry_table(uow: UnitOfWork, note: Note = lambda _s: None) -> pa.Table:
    """Every registry person's record, as the table the engine takes.

    After the refresh, the stored lines are read in one transaction; a person whose line is
    missing from them (changed in between, by another writer) is built here from what the
    database holds now, so every person is in, and no line older than its person's data.
    """
    refresh(uow, note)
    current = recipe()
    with uow:
        table = from_lines(uow.matches.link_lines(current))
        person_ids = pa.array(sorted(uow.matches.person_ids()), pa.int64())
    read = pc.cast(table["unique_id"], pa.int64()).combine_chunks()
    if read.equals(person_ids):  # the usual case, both in id order: no set needed
        return table
    missing = pc.filter(person_ids, pc.invert(pc.is_in(person_ids, value_set=read)))
    if len(missing):
        with uow:
            built = _build(uow.matches, missing.to_pylist())
        table = pa.concat_tables([table, to_arrow(built)])
    return table
