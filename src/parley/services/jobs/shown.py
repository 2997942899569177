"""Jobs as the views every door shows: the API returns them, `parley jobs list --json` and
`parley jobs show` print them. A job the server's worker runs now shows the worker's progress
(`live`), fresher than its row; the CLI, outside the server, has only the row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from parley.domain.accounts.accounts import Actor
from parley.domain.jobs import Progress
from parley.services.jobs.jobs import get_job, list_jobs, start
from parley.services.jobs.views import JobsOut, JobView
from parley.services.uow import UnitOfWork

Live = Callable[[int], Progress | None]
"""A job's progress as the worker running it knows it (`Worker.live`), or None."""


def _none(_job_id: int) -> Progress | None:
    return None


def jobs_view(
    uow: UnitOfWork, actor: Actor, offset: int = 0, limit: int = 50, live: Live = _none
) -> JobsOut:
    rows, total = list_jobs(uow, actor, offset, limit)
    return JobsOut(items=[JobView.of(r, live(r.id)) for r in rows], total=total, offset=offset)


def job_view(uow: UnitOfWork, actor: Actor, job_id: int, live: Live = _none) -> JobView:
    return JobView.of(row := get_job(uow, actor, job_id), live(row.id))


def start_view(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    params: dict[str, Any],
    live: Live = _none,
    content: bytes | None = None,
) -> JobView:
    """Queue a job (with the file it reads, if any) and show it as queued."""
    row = start(uow, actor, kind, params, content)
    return JobView.of(row, live(row.id))
