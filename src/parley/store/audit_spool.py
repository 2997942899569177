"""The audit entries of reads on SQLite, appended without keeping the reader waiting.

A read on SQLite runs in a plain (deferred) transaction: under WAL it sees a snapshot and never
waits for a writer. Its audit entry, though, extends the hash chain, and that needs the write
lock. So the entry waits for the read to commit and is then appended in its own short
`BEGIN IMMEDIATE` transaction: at once when the lock is free within `QUICK_WAIT_MS`, otherwise
by this spool's thread as soon as the writer (an import, say) lets go, in the order submitted,
with `read_at` in the entry's detail saying when the read was.

`drain()` waits until everything submitted is in the log; `Instance.close()` calls it, so an
orderly shutdown loses nothing. A process killed while a writer holds the lock loses the audit
entries of the reads that finished meanwhile (never those of a change: a change's entries are
in its own transaction).
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
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from parley.domain.accounts.audit import AuditRecord
from parley.domain.errors import Conflict
from parley.store import database
from parley.store._time import utc_now

QUICK_WAIT_MS = 250
"""How long a read waits for the write lock before its audit entry goes to the spool."""
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


_spools: weakref.WeakKeyDictionary[Engine, AuditSpool] = weakref.WeakKeyDictionary()
_spools_lock = threading.Lock()


def spool_for(engine: Engine) -> AuditSpool:
    with _spools_lock:
        spool = _spools.get(engine)
        if spool is None:
            spool = _spools[engine] = AuditSpool(engine)
        return spool


def drain(engine: Engine, timeout: float = DRAIN_TIMEOUT_S) -> bool:
    spool = _spools.get(engine)
    return spool.drain(timeout) if spool is not None else True
