"""The audit entries of reads, appended outside the read's transaction.

A read's audit entry extends the hash chain, and that needs the chain's lock: the write lock on
SQLite, an advisory lock on PostgreSQL. Taken inside the read's transaction, it would be held
until the read commits, and every read of every server thread would pass through it one at a
time (on PostgreSQL under load: 104 samples waiting on that lock against 30 running,
docs/benchmarks.md). So a read's entries wait for the read to commit and are appended after it,
in a short transaction of their own:

- SQLite (`AuditSpool`): a read runs in a plain (deferred) transaction and, under WAL, never
  waits for a writer. Its entry is appended in its own `BEGIN IMMEDIATE` transaction: at once
  when the lock is free within `QUICK_WAIT_MS`, otherwise by this spool's thread as soon as the
  writer (an import, say) lets go, in the order submitted.
- PostgreSQL (`BatchSpool`): one thread appends every entry waiting, from all threads, in one
  transaction (the lock, the head, one insert, the commit) while the readers wait for it: a
  group commit, so readers never queue for the lock one by one. A reader waits at most
  `QUICK_WAIT_MS`; past that it answers and its entry is appended with the next batch.

An entry appended later than its read keeps `read_at` in its detail saying when the read was.
`drain()` waits until everything submitted is in the log; `Instance.close()` calls it, so an
orderly shutdown loses nothing. A process killed while entries still wait loses the entries of
the reads that finished meanwhile (never those of a change: a change's entries are in its own
transaction).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import weakref
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from parley.domain.accounts.audit import AuditRecord
from parley.domain.errors import Conflict
from parley.store import database
from parley.store._time import utc_now

QUICK_WAIT_MS = 250
"""How long a read waits for its audit entry to be appended before it answers regardless."""
IDLE_S = 30.0
"""A PostgreSQL spool's thread ends after this long without entries."""
RETRIES = 3
"""How often a PostgreSQL batch is tried again after a database error (1 s apart)."""
DRAIN_TIMEOUT_S = 120.0

log = logging.getLogger(__name__)


def append_now(engine: Engine, records: Sequence[AuditRecord], wait_ms: int) -> bool:
    """Append in one IMMEDIATE transaction, waiting at most `wait_ms` for the lock."""
    from parley.store.accounts import SqlAuditRepository

    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute(f"PRAGMA busy_timeout={int(wait_ms)}")
        try:
            with Session(bind=connection) as session:
                audit = SqlAuditRepository(session)
                for record in records:
                    audit.append(record)
                session.commit()
            return True
        except Conflict:  # the lock, as the engine reports it (`database._translate`)
            return False
        except OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            return False
        finally:
            raw.execute(f"PRAGMA busy_timeout={database.BUSY_TIMEOUT_MS}")


class AuditSpool:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._queue: queue.Queue[Sequence[AuditRecord]] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()

    def submit(self, records: Sequence[AuditRecord]) -> None:
        if not records:
            return
        if self._queue.empty() and append_now(self._engine, records, QUICK_WAIT_MS):
            return
        # The entry's time will be when the lock came free; the detail keeps when the read was.
        read_at = utc_now().isoformat(timespec="microseconds")
        self._queue.put([replace(r, detail={**r.detail, "read_at": read_at}) for r in records])
        with self._start:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="parley-audit-spool", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            records = self._queue.get()
            try:
                while not append_now(self._engine, records, database.BUSY_TIMEOUT_MS):
                    log.warning("audit spool: the database stayed locked; trying again")
            except Exception:  # keep the thread alive; the entry is reported, not lost silently
                log.exception("audit spool: %d read entries could not be appended", len(records))
            finally:
                self._queue.task_done()

    def drain(self, timeout: float = DRAIN_TIMEOUT_S) -> bool:
        """Wait until every submitted entry is in the log; False (and a warning) on timeout."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                log.warning(
                    "audit spool: %d read entries still wait for the lock",
                    self._queue.unfinished_tasks,
                )
                return False
            time.sleep(0.05)
        return True


class BatchSpool:
    """PostgreSQL: one thread appends the waiting read entries in batches (see the module)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._changed = threading.Condition()
        self._waiting: list[tuple[int, AuditRecord]] = []
        self._submitted = 0
        self._done = 0
        self._thread: threading.Thread | None = None

    def submit(self, records: Sequence[AuditRecord]) -> None:
        if not records:
            return
        read_at = utc_now().isoformat(timespec="microseconds")
        with self._changed:
            for record in records:
                self._submitted += 1
                detail = {**record.detail, "read_at": read_at}
                self._waiting.append((self._submitted, replace(record, detail=detail)))
            ticket = self._submitted
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="parley-audit-batches", daemon=True
                )
                self._thread.start()
            self._changed.notify_all()
            self._changed.wait_for(lambda: self._done >= ticket, QUICK_WAIT_MS / 1000)

    def _run(self) -> None:
        while True:
            with self._changed:
                if not self._changed.wait_for(lambda: bool(self._waiting), IDLE_S):
                    self._thread = None  # idle: `submit` starts another when needed
                    return
                batch, self._waiting = self._waiting, []
            try:
                self._append(batch)
            except Exception:  # keep the thread alive; the entries are reported, not lost silently
                log.exception("audit spool: %d read entries could not be appended", len(batch))
            finally:
                with self._changed:
                    self._done = batch[-1][0]
                    self._changed.notify_all()

    def _append(self, batch: Sequence[tuple[int, AuditRecord]]) -> None:
        from parley.store.accounts import SqlAuditRepository

        for attempt in range(RETRIES + 1):
            try:
                with Session(self._engine) as session:
                    SqlAuditRepository(session).append_many([record for _, record in batch])
                    session.commit()
                return
            except DBAPIError:
                if attempt == RETRIES:
                    raise
                log.warning("audit spool: appending %d read entries failed; again", len(batch))
                time.sleep(1.0)

    def drain(self, timeout: float = DRAIN_TIMEOUT_S) -> bool:
        with self._changed:
            target = self._submitted
            if self._changed.wait_for(lambda: self._done >= target, timeout):
                return True
            log.warning("audit spool: %d read entries still wait", target - self._done)
            return False


_spools: weakref.WeakKeyDictionary[Engine, AuditSpool | BatchSpool] = weakref.WeakKeyDictionary()
_spools_lock = threading.Lock()


def spool_for(engine: Engine) -> AuditSpool | BatchSpool:
    with _spools_lock:
        spool = _spools.get(engine)
        if spool is None:
            kind = BatchSpool if engine.dialect.name == "postgresql" else AuditSpool
            spool = _spools[engine] = kind(engine)
        return spool


def drain(engine: Engine, timeout: float = DRAIN_TIMEOUT_S) -> bool:
    spool = _spools.get(engine)
    return spool.drain(timeout) if spool is not None else True
