"""The job worker as the doors see it: one per app, started with the server, and downloads.

Both doors start jobs through `parley.services.jobs` and then wake the worker, so a job
queued by a request starts at once rather than at the worker's next poll.
"""

from __future__ import annotations

import threading

from fastapi import FastAPI, Request
from fastapi.responses import Response

from parley.domain.accounts.accounts import Actor
from parley.instance import Instance
from parley.services import jobs
from parley.services.uow import UnitOfWork

_starting = threading.Lock()


def start_worker(app: FastAPI) -> jobs.Worker:
    """The app's worker, made and started once: jobs a restart cut off are failed first."""
    with _starting:
        found: jobs.Worker | None = app.state.jobs
        if found is None or not found.running:
            instance: Instance = app.state.instance
            found = app.state.jobs = instance.job_worker()
            found.start()
        return found


def wake(request: Request) -> None:
    """A job was queued: the app's worker looks now (started here if the app was served
    without its lifespan). Served with `--no-jobs`, the worker process finds it at its next
    poll instead."""
    if request.app.state.run_jobs:
        start_worker(request.app).wake()


def live(request: Request) -> jobs.Live:
    """The progress of the jobs the app's worker runs now (none before it is started)."""
    found: jobs.Worker | None = request.app.state.jobs
    return found.live if found is not None else lambda _job_id: None


def view(request: Request, row: jobs.JobRow) -> jobs.JobView:
    """A job the console shows from a row it already has."""
    return jobs.JobView.of(row, live(request)(row.id))


def result_response(uow: UnitOfWork, actor: Actor, job_id: int) -> Response:
    made = jobs.result_file(uow, actor, job_id)
    return Response(
        made.content or b"",
        media_type=made.media_type or "application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{made.file_name}"'},
    )
