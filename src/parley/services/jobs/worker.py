"""The worker inside the server process: one thread runs queued jobs one at a time.

One at a time because SQLite has one writer: a job's use case holds the write lock for its
transaction, and a second job would only queue behind it. Progress is kept in memory while a
job runs (the server's pages read it from there) and written to the job's row by a second
thread about once a second, with a short wait for the lock (`flush`): while the job itself
holds the lock on SQLite, the write is skipped, never waited for, so the worker can never wait
on its own transaction. Other processes (`parley jobs show`) see the row, a second behind.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace

from parley.domain.jobs import JobState, Progress, failure_message
from parley.services import accounts
from parley.services.jobs.jobs import now, recover_interrupted, worker_id
from parley.services.jobs.kinds import KINDS, JobContext, Reporter
from parley.services.jobs.rows import JobResult, JobRow
from parley.services.uow import UnitOfWork

log = logging.getLogger(__name__)

POLL_S = 2.0
"""How often the worker looks for queued jobs when nobody woke it (another process queued)."""
FLUSH_S = 1.0
HEARTBEAT_EVERY = 20
"""Flushes between writes of an unchanged job's row, so its heartbeat stays fresh."""
RECOVER_EVERY = 30
"""Polls between looks for jobs of workers that stopped (another process on PostgreSQL)."""

Flush = Callable[[int, Progress], bool]
"""Write a running job's progress if the lock is free at once; False when it was not."""


class LiveJob(Reporter):
    """A running job's progress, written by its runner and read by pages and the flusher."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self._lock = threading.Lock()
        self._progress = Progress(message="starting")
        self.dirty = True

    @property
    def progress(self) -> Progress:
        with self._lock:
            return self._progress

    def _set(self, **changes: object) -> None:
        with self._lock:
            self._progress = replace(self._progress, **changes)  # type: ignore[arg-type]
            self.dirty = True

    def note(self, message: str) -> None:
        self._set(message=message)

    def total(self, total: int) -> None:
        self._set(total=total)

    def advance(self, steps: int) -> None:
        with self._lock:
            self._progress = replace(self._progress, done=self._progress.done + steps)
            self.dirty = True


class Worker:
    def __init__(
        self,
        context: JobContext,
        reader: Callable[[], UnitOfWork],
        flush: Flush,
        poll_s: float = POLL_S,
    ) -> None:
        self.context = context
        self.id = worker_id()
        self._reader = reader
        self._flush = flush
        self._poll_s = poll_s
        self._live: dict[int, LiveJob] = {}
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    # What pages read -------------------------------------------------------------------

    def live(self, job_id: int) -> Progress | None:
        """A job this worker runs now: its progress, fresher than the row's."""
        running = self._live.get(job_id)
        return running.progress if running is not None else None

    # Life ----------------------------------------------------------------------------

    def start(self) -> list[int]:
        """Fail the jobs a restart cut off, then start the threads; returns the failed ids."""
        failed = recover_interrupted(self.context.uow(), self.id)
        if failed:
            log.warning("jobs %s were running when the server stopped: marked failed", failed)
        for target, name in ((self._run, "parley-jobs"), (self._flusher, "parley-jobs-flush")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        return failed

    def wake(self) -> None:
        """A job was queued: look now rather than at the next poll."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop taking jobs; a job still running is cut off and failed at the next start."""
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout)

    @property
    def running(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    # The threads ---------------------------------------------------------------------

    def _run(self) -> None:
        polls = 0
        while not self._stop.is_set():
            try:
                job = self._claim_next()
                if job is not None:
                    self._execute(job)
                    continue
                polls += 1
                if polls % RECOVER_EVERY == 0:
                    recover_interrupted(self.context.uow(), self.id)
            except Exception:  # the database was away: keep the worker, try again later
                log.exception("jobs: the worker could not read the queue")
            self._wake.wait(self._poll_s)
            self._wake.clear()

    def _claim_next(self) -> JobRow | None:
        with self._reader() as reading:
            waiting = reading.jobs.queued(5)
        if not waiting:
            return None
        with self.context.uow() as uow:
            for row in waiting:
                if uow.jobs.claim(row.id, self.id, now()):
                    uow.commit()
                    return row
        return None

    def _execute(self, job: JobRow) -> None:
        live = self._live[job.id] = LiveJob(job.id)
        result, state, error = JobResult(), JobState.SUCCEEDED, ""
        try:
            spec = KINDS[job.kind]
            actor = accounts.actor_for_username(self.context.uow(), job.started_by, "job")
            actor.require(spec.permission)
            content = None
            if spec.needs_input:
                with self._reader() as reading:
                    content = reading.jobs.input(job.id)
            result = spec.run(self.context, actor, job, content, live)
        except Exception as exc:
            log.info("job %d (%s) failed", job.id, job.kind, exc_info=True)
            state, error = JobState.FAILED, failure_message(exc)
        try:
            with self.context.uow() as uow:
                uow.jobs.record_progress(job.id, live.progress, now())
                uow.jobs.finish(job.id, state, error, result, now())
                uow.commit()
        finally:
            self._live.pop(job.id, None)

    def _flusher(self) -> None:
        ticks = 0
        while not self._stop.wait(FLUSH_S):
            ticks += 1
            for live in list(self._live.values()):
                if not live.dirty and ticks % HEARTBEAT_EVERY:
                    continue
                live.dirty = False
                try:
                    if not self._flush(live.job_id, live.progress):
                        live.dirty = True  # the lock was busy (likely the job itself)
                except Exception:
                    live.dirty = True
                    log.exception("jobs: progress of job %d not written", live.job_id)
