"""`parley jobs ...`: the background jobs the server runs — the same ones the console shows.

The CLI reads the job table; `parley jobs work` runs queued jobs in a process of their own,
beside a server started with `--no-jobs` (its other commands run in the foreground with a
progress bar). A running job's progress here is at most a second or so behind the server's page.
"""

from __future__ import annotations

import os
import signal
import threading
from typing import Annotated

import typer
from rich.table import Table

from parley.cli._common import InstanceOption, JsonOption, UserOption, cli_errors, out, session
from parley.instance import open_instance, resolve_directory
from parley.services import jobs
from parley.services.jobs.views import JobView

jobs_app = typer.Typer(
    help="Background jobs: match runs, imports, documents.", no_args_is_help=True
)


def _when(view: JobView) -> str:
    return view.created_at.strftime("%Y-%m-%d %H:%M")


def _progress(view: JobView) -> str:
    if view.total:
        return f"{view.done}/{view.total}"
    return str(view.done) if view.done else ""


@jobs_app.command("list")
def list_jobs(
    offset: Annotated[int, typer.Option(min=0)] = 0,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Newest first: your jobs (an admin's: everyone's), their state and progress."""
    with session(instance, user) as s:
        shown = jobs.jobs_view(s.instance.uow(read_only=True), s.actor, offset, limit)
    views, total = shown.items, shown.total
    if json:
        out.print_json(data=[v.model_dump(mode="json") for v in views])
        return
    table = Table("id", "kind", "state", "progress", "result or reason", "by", "queued")
    for v in views:
        said = v.error.splitlines()[0] if v.error else (v.result_ref or v.result_file or v.message)
        table.add_row(str(v.id), v.kind, v.state, _progress(v), said, v.started_by, _when(v))
    out.print(table)
    out.print(f"{len(views)} of {total} jobs")


@jobs_app.command("show")
def show(job_id: int, instance: InstanceOption = None, user: UserOption = None) -> None:
    """One job (JSON): parameters, state, progress, result or why it failed."""
    with session(instance, user) as s:
        view = jobs.job_view(s.instance.uow(read_only=True), s.actor, job_id)
    out.print_json(view.model_dump_json())


@jobs_app.command("work")
def work(
    instance: InstanceOption = None,
    nice: Annotated[
        int, typer.Option(min=0, max=19, help="Lower this process's CPU priority by this much.")
    ] = 10,
) -> None:
    """Run queued jobs in this process until stopped (Ctrl-C or SIGTERM), for a server started
    with `parley serve --no-jobs`: a long import or match run then never slows the server's
    requests, and at a lower CPU priority it gives way to them on a busy machine."""
    from parley.names import load_dictionaries

    with cli_errors():
        opened = open_instance(resolve_directory(instance))
    os.nice(nice)
    load_dictionaries()
    stop = threading.Event()
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: stop.set())
    worker = opened.job_worker()
    failed = worker.start()
    if failed:
        out.print(f"jobs cut off by a restart, marked failed: {', '.join(map(str, failed))}")
    out.print(f"running jobs of {opened.config.party} '{opened.config.name}' (worker {worker.id})")
    while not stop.wait(1.0) and worker.running:
        pass
    worker.stop()
    opened.close()
