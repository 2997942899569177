"""The SQL unit of work: one session, one transaction, rolled back unless committed.

A unit of work is a writer by default: on SQLite its transaction starts `BEGIN IMMEDIATE`, so
writers queue for the lock instead of failing half-way. One opened with `read_only=True` starts
a plain `BEGIN`: under WAL it reads a snapshot and never waits, however long an import holds the
write lock. On PostgreSQL both are the same plain transaction.

On both, a read's audit entries wait for its commit and are then appended by the engine's audit
spool (`parley.store.audit_spool`), so a read never holds the audit chain's lock. A read that
writes anything else still may, and on SQLite takes the lock when it does (failing fast, not
after the busy timeout, if a writer holds it).
"""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType
from typing import Self

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from parley.domain.accounts.audit import GENESIS, AuditEntry, AuditRecord, chain
from parley.domain.paging import Page, PageRequest, TableQuery
from parley.services.accounts.rows import NewCheckpoint, StoredCheckpoint
from parley.store._time import utc_now
from parley.store.accounts import SqlAccountRepository, SqlAuditRepository
from parley.store.agreements import SqlAgreementRepository
from parley.store.audit_spool import spool_for
from parley.store.children import SqlChildRepository
from parley.store.database import (
    READ_OPTION,
    VERSION_SQL,
    data_source,
    data_version,
    is_shared,
    shared_version,
)
from parley.store.exchange import SqlExchangeRepository
from parley.store.jobs import SqlJobRepository
from parley.store.lists import SqlListRepository
from parley.store.matching import SqlMatchRepository
from parley.store.registry import SqlEventRepository, SqlImportRepository, SqlPersonRepository
from parley.store.remains import SqlRemainsRepository


class ReadAuditRepository:
    """The audit log seen from a read: appends wait for the commit (see the module's note).

    The entry returned is provisional (seq 0, no hash); the log gives it its place later.
    """

    def __init__(self, inner: SqlAuditRepository, pending: list[AuditRecord]) -> None:
        self._inner = inner
        self._pending = pending

    def append(self, record: AuditRecord) -> AuditEntry:
        self._pending.append(record)
        return chain(0, utc_now(), record, GENESIS)

    def walk(self) -> Iterator[AuditEntry]:
        return self._inner.walk()

    def recent(self, page: PageRequest) -> Page[AuditEntry]:
        return self._inner.recent(page)

    def table(self, table: TableQuery) -> Page[AuditEntry]:
        return self._inner.table(table)

    def count(self) -> int:
        return self._inner.count()

    def head(self) -> tuple[int, str]:
        return self._inner.head()

    def add_checkpoint(self, checkpoint: NewCheckpoint) -> StoredCheckpoint:
        return self._inner.add_checkpoint(checkpoint)

    def checkpoints(
        self, party: str | None, offset: int, limit: int
    ) -> tuple[list[StoredCheckpoint], int]:
        return self._inner.checkpoints(party, offset, limit)

    def all_checkpoints(self, party: str) -> list[tuple[StoredCheckpoint, bytes]]:
        return self._inner.all_checkpoints(party)

    def checkpoint(self, checkpoint_id: int) -> tuple[StoredCheckpoint, bytes] | None:
        return self._inner.checkpoint(checkpoint_id)


class SqlUnitOfWork:
    def __init__(self, engine: Engine, read_only: bool = False) -> None:
        self._engine = engine
        self._read = read_only
        sqlite_read = read_only and engine.dialect.name == "sqlite"
        bind = engine.execution_options(**{READ_OPTION: True}) if sqlite_read else engine
        self._factory = sessionmaker(bind=bind, expire_on_commit=False)
        self._pending: list[AuditRecord] = []
        self._entered_version: int | None = None
        self._inside = False

    @property
    def data_version(self) -> int:
        """Changes whenever records are written (see `store.database.data_version`).

        Inside a transaction it is read once, in the transaction, before the first value a
        cache computes from it: what the transaction reads is at least that fresh (on SQLite,
        the very snapshot it reads). A version read later could be newer than the data, and a
        cache would keep stale figures under it until the next write.
        """
        if not self._inside:
            return data_version(self._engine)
        if self._entered_version is None:
            if is_shared(self._engine):
                counter = self.session.execute(text(VERSION_SQL)).scalar()
                self._entered_version = shared_version(self._engine, counter)
            else:
                self._entered_version = data_version(self._engine)
        return self._entered_version

    @property
    def data_source(self) -> int:
        """Which database: the same number for every unit of work on this engine."""
        return data_source(self._engine)

    def __enter__(self) -> Self:
        self._inside = True
        self._entered_version = None
        self.session: Session = self._factory()
        self._pending = []
        self.persons = SqlPersonRepository(self.session)
        self.events = SqlEventRepository(self.session)
        self.accounts = SqlAccountRepository(self.session)
        audit = SqlAuditRepository(self.session)
        self.audit: SqlAuditRepository | ReadAuditRepository = (
            ReadAuditRepository(audit, self._pending) if self._read else audit
        )
        self.imports = SqlImportRepository(self.session)
        self.matches = SqlMatchRepository(self.session)
        self.lists = SqlListRepository(self.session)
        self.exchange = SqlExchangeRepository(self.session)
        self.agreements = SqlAgreementRepository(self.session)
        self.children = SqlChildRepository(self.session)
        self.remains = SqlRemainsRepository(self.session)
        self.jobs = SqlJobRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()
        self.session.close()
        self._entered_version = None
        self._inside = False

    def commit(self) -> None:
        self.session.commit()
        if self._pending:
            records, self._pending[:] = list(self._pending), []
            spool_for(self._engine).submit(records)

    def rollback(self) -> None:
        self.session.rollback()
        self._pending.clear()
