"""SQL for background jobs: one row per job, updated as it moves (unlike the track records,
a job row is bookkeeping, not evidence: what a job changed is in its own track's records and
the audit log)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from parley.domain.errors import Conflict
from parley.domain.jobs import JobState, Progress
from parley.services.jobs.rows import JobResult, JobRow, NewJob
from parley.store import database
from parley.store._time import as_utc, utc_now
from parley.store.tables import metadata

jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("params", JSON, nullable=False),
    Column("state", String(12), nullable=False),
    Column("done", Integer, nullable=False, default=0),
    Column("total", Integer),
    Column("message", Text, nullable=False, default=""),
    Column("error", Text, nullable=False, default=""),
    Column("result_ref", String(100), nullable=False, default=""),
    Column("result_name", String(200), nullable=False, default=""),
    Column("result_media", String(100), nullable=False, default=""),
    Column("result_file", LargeBinary),
    Column("input", LargeBinary),
    Column("started_by", String(150), nullable=False),
    Column("worker", String(200), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("started_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
    Column("heartbeat_at", DateTime(timezone=True)),
    Index("ix_jobs_state", "state"),
    Index("ix_jobs_started_by", "started_by"),
)
"""A background job: what it runs, how far it is, how it ended (docs/jobs.md)."""

_SHOWN = [c for c in jobs.c if c.name not in ("result_file", "input")]


def _opt(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


def _row(r: Any) -> JobRow:
    return JobRow(
        id=r.id,
        kind=r.kind,
        params=dict(r.params or {}),
        state=JobState(r.state),
        progress=Progress(r.done, r.total, r.message),
        error=r.error,
        result_ref=r.result_ref,
        result_name=r.result_name,
        has_file=bool(r.has_file),
        started_by=r.started_by,
        worker=r.worker,
        created_at=as_utc(r.created_at),
        started_at=_opt(r.started_at),
        finished_at=_opt(r.finished_at),
        heartbeat_at=_opt(r.heartbeat_at),
    )


def _select() -> Any:
    return select(*_SHOWN, jobs.c.result_file.is_not(None).label("has_file"))


class SqlJobRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, job: NewJob) -> JobRow:
        job_id = self._s.execute(
            insert(jobs)
            .values(
                kind=job.kind,
                params=job.params,
                state=JobState.QUEUED.value,
                done=0,
                message="",
                error="",
                result_ref="",
                result_name="",
                result_media="",
                input=job.input,
                started_by=job.started_by,
                worker="",
                created_at=job.created_at,
            )
            .returning(jobs.c.id)
        ).scalar_one()
        found = self.get(job_id)
        assert found is not None
        return found

    def get(self, job_id: int) -> JobRow | None:
        found = self._s.execute(_select().where(jobs.c.id == job_id)).one_or_none()
        return _row(found) if found is not None else None

    def page(self, started_by: str | None, offset: int, limit: int) -> tuple[list[JobRow], int]:
        query, count = _select(), select(func.count()).select_from(jobs)
        if started_by is not None:
            query = query.where(jobs.c.started_by == started_by)
            count = count.where(jobs.c.started_by == started_by)
        rows = self._s.execute(query.order_by(jobs.c.id.desc()).offset(offset).limit(limit))
        return [_row(r) for r in rows], self._s.execute(count).scalar_one()

    def queued(self, limit: int) -> list[JobRow]:
        query = _select().where(jobs.c.state == JobState.QUEUED.value)
        return [_row(r) for r in self._s.execute(query.order_by(jobs.c.id).limit(limit))]

    def running(self) -> list[JobRow]:
        query = _select().where(jobs.c.state == JobState.RUNNING.value).order_by(jobs.c.id)
        return [_row(r) for r in self._s.execute(query)]

    def claim(self, job_id: int, worker: str, at: datetime) -> bool:
        changed = self._s.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.state == JobState.QUEUED.value)
            .values(state=JobState.RUNNING.value, worker=worker, started_at=at, heartbeat_at=at)
        )
        return bool(changed.rowcount == 1)  # type: ignore[attr-defined]

    def input(self, job_id: int) -> bytes | None:
        found = self._s.execute(select(jobs.c.input).where(jobs.c.id == job_id)).scalar()
        return bytes(found) if found is not None else None

    def record_progress(self, job_id: int, progress: Progress, at: datetime) -> None:
        self._s.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.state == JobState.RUNNING.value)
            .values(
                done=progress.done,
                total=progress.total,
                message=progress.message[:2000],
                heartbeat_at=at,
            )
        )

    def finish(
        self, job_id: int, state: JobState, error: str, result: JobResult, at: datetime
    ) -> bool:
        changed = self._s.execute(
            update(jobs)
            .where(
                jobs.c.id == job_id,
                jobs.c.state.in_([JobState.QUEUED.value, JobState.RUNNING.value]),
            )
            .values(
                state=state.value,
                error=error,
                result_ref=result.ref,
                result_name=result.file_name,
                result_media=result.media_type,
                result_file=result.content,
                **({"message": result.summary[:2000]} if result.summary else {}),
                input=None,
                finished_at=at,
                heartbeat_at=at,
            )
        )
        return bool(changed.rowcount == 1)  # type: ignore[attr-defined]

    def result_file(self, job_id: int) -> JobResult | None:
        found = self._s.execute(
            select(jobs.c.result_name, jobs.c.result_media, jobs.c.result_file).where(
                jobs.c.id == job_id
            )
        ).one_or_none()
        if found is None or found.result_file is None:
            return None
        return JobResult("", found.result_name, found.result_media, bytes(found.result_file))


QUICK_WAIT_MS = 200
"""How long a progress write waits for the SQLite write lock before it is skipped."""


def record_progress_quickly(engine: Engine, job_id: int, progress: Progress) -> bool:
    """Write a running job's progress in its own short transaction; False if the lock stayed
    busy (on SQLite, most likely the job's own transaction): the next flush tries again."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        raw = connection.connection.driver_connection if sqlite else None
        if raw is not None:
            raw.execute(f"PRAGMA busy_timeout={QUICK_WAIT_MS}")
        try:
            with Session(bind=connection) as session:
                SqlJobRepository(session).record_progress(job_id, progress, utc_now())
                session.commit()
            return True
        except Conflict:  # the lock, as the engine reports it (`database._translate`)
            return False
        except OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            return False
        finally:
            if raw is not None:
                raw.execute(f"PRAGMA busy_timeout={database.BUSY_TIMEOUT_MS}")
