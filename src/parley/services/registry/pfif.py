"""PFIF 1.4 export and import of persons: the registry's door to tracing registries elsewhere.

Export reads like the registry list (and is audited with every id shown); import writes like the
persons file (all or nothing, audited, refusals recorded) but recognises records it already holds
by their PFIF id, so the same file, or a later file repeating earlier records, adds nobody twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import ImportRejected, ParleyError, Problem
from parley.domain.paging import MAX_LIMIT, PageRequest
from parley.domain.registry.events import History, Source
from parley.domain.registry.persons import IdentifierKind, PersonQuery
from parley.interchange.pfif import (
    PfifPerson,
    check_domain,
    default_domain,
    parley_reference,
    write_pfif,
)
from parley.interchange.pfif_read import PfifRecord, read_pfif
from parley.services.accounts import log
from parley.services.registry.persons import AUDIT_CHUNK, log_created, store_person, today
from parley.services.uow import UnitOfWork

__all__ = [
    "DOMAIN_ENV",
    "AlreadyPresent",
    "PfifImportOutcome",
    "check_domain",
    "default_domain",
    "domain_for",
    "export_pfif",
    "import_pfif",
]


DOMAIN_ENV = "PARLEY_PFIF_DOMAIN"
"""Where the CLI and the API read this registry's PFIF domain from, when it is configured."""


def domain_for(party: str, configured: str | None = None) -> str:
    """The configured domain, checked, else `<party>.parley.invalid`."""
    return check_domain(configured) if configured else default_domain(party)


def export_pfif(
    uow: UnitOfWork,
    actor: Actor,
    query: PersonQuery | None = None,
    *,
    domain: str,
    source_name: str | None = None,
) -> bytes:
    """The persons the query finds (everyone without one) as a PFIF 1.4 document.

    Reading a person's record needs `registry.read`, as the list does; the ids written out are
    logged, as every read of a person's record is."""
    actor.require(Permission.REGISTRY_READ)
    domain = check_domain(domain)
    wanted = query or PersonQuery()
    with uow:
        ids: list[int] = []
        offset = 0
        while True:
            page = uow.persons.query(wanted, PageRequest(offset, MAX_LIMIT))
            ids += [p.id for p in page.items]
            if not page.has_next or not page.items:
                break
            offset += len(page.items)
        records = [
            PfifPerson(uow.persons.get(i), History.of(uow.events.for_person(i))) for i in ids
        ]
        content = write_pfif(records, domain=domain, source_name=source_name)
        filters = {k: str(v) for k, v in vars(wanted).items() if v}
        for start in range(0, max(len(ids), 1), AUDIT_CHUNK):
            log(
                uow,
                actor,
                "person.export",
                "person",
                ids[start : start + AUDIT_CHUNK],
                format="pfif",
                domain=domain,
                query=filters,
                total=len(ids),
            )
        uow.commit()
        return content


@dataclass(frozen=True)
class AlreadyPresent:
    """A record of the file that the registry already holds, and as whom."""

    row: int
    record_id: str
    person_id: int


@dataclass(frozen=True)
class PfifImportOutcome:
    file: str
    sha256: str
    records: int
    imported: tuple[int, ...]
    already_present: tuple[AlreadyPresent, ...]
    import_id: int | None

    @property
    def message(self) -> str:
        return (
            f"{self.file}: {len(self.imported)} persons imported, "
            f"{len(self.already_present)} already present (PFIF 1.4, {self.records} records)"
        )


def import_pfif(
    uow: UnitOfWork,
    actor: Actor,
    file_name: str,
    content: bytes,
    *,
    default_side: str,
    default_language: str,
    source: Source = Source.MEDIATOR,
) -> PfifImportOutcome:
    """Register every person of the file not already held, in one transaction, or none.

    A refusal lists every problem (record and element) and is itself logged; `source` is the
    source of the events the file's notes become."""
    actor.require(Permission.IMPORT_RUN)
    actor.require(Permission.REGISTRY_WRITE)
    sha256 = hashlib.sha256(content).hexdigest()
    with uow:
        try:
            parsed = read_pfif(
                file_name,
                content,
                default_side=default_side,
                default_language=default_language,
                source=source,
                today=today(),
            )
        except ImportRejected as rejected:
            _refuse(uow, actor, file_name, sha256, rejected)
            raise
        present = _already_present(uow, parsed)
        new = [record for record in parsed if record.row not in present]
        import_id: int | None = None
        if new:
            earlier = uow.imports.by_hash(sha256)
            import_id = (
                earlier.id
                if earlier is not None
                else uow.imports.add(file_name, sha256, len(new), actor.label).id
            )
        ids: list[int] = []
        for record in new:
            try:
                stored = store_person(uow, actor, record.person, record.events, import_id)
            except ParleyError as exc:  # a rule only the stored registry can check
                refusal = ImportRejected(
                    file_name, [Problem(record.row, "(record)", exc.message, file_name)]
                )
                _refuse(uow, actor, file_name, sha256, refusal)
                raise refusal from exc
            ids.append(stored.id)
        if ids:
            log_created(uow, actor, ids, import_id=import_id, format="pfif")
        log(
            uow,
            actor,
            "import.accepted",
            "import",
            [import_id] if import_id is not None else [],
            file=file_name,
            sha256=sha256,
            format="pfif",
            records=len(parsed),
            imported=len(ids),
            already_present=len(present),
        )
        uow.commit()
    return PfifImportOutcome(
        file_name,
        sha256,
        len(parsed),
        tuple(ids),
        tuple(sorted(present.values(), key=lambda p: p.row)),
        import_id,
    )


def _refuse(
    uow: UnitOfWork, actor: Actor, file_name: str, sha256: str, rejected: ImportRejected
) -> None:
    """Undo everything, then keep only the record that the file was refused."""
    uow.rollback()
    log(
        uow,
        actor,
        "import.refused",
        "import",
        [],
        file=file_name,
        sha256=sha256,
        format="pfif",
        problems=len(rejected.problems),
    )
    uow.commit()


def _already_present(uow: UnitOfWork, parsed: list[PfifRecord]) -> dict[int, AlreadyPresent]:
    """Records held already, by row: imported before (their id's digest is an identifier
    here), or minted by a Parley for a person stored here (the id and uid both agree)."""
    found: dict[int, AlreadyPresent] = {}
    wanted: list[tuple[IdentifierKind, str]] = [
        (i.kind, i.value)
        for record in parsed
        for i in record.person.identifiers
        if i.kind is IdentifierKind.EXTERNAL_RECORD
    ]
    taken = uow.persons.identifiers_taken(wanted)
    for record in parsed:
        for ident in record.person.identifiers:
            owner = taken.get((ident.kind, ident.value))
            if ident.kind is IdentifierKind.EXTERNAL_RECORD and owner is not None:
                found[record.row] = AlreadyPresent(record.row, record.record_id, owner)
    references = {
        record.row: ref
        for record in parsed
        if record.row not in found and (ref := parley_reference(record.record_id)) is not None
    }
    uids = {s.id: s.uid for s in uow.persons.summaries(sorted({i for i, _ in references.values()}))}
    for record in parsed:
        ref = references.get(record.row)
        if ref is not None and uids.get(ref[0]) == ref[1]:
            found[record.row] = AlreadyPresent(record.row, record.record_id, ref[0])
    return found
