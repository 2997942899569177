"""`parley jobs ...`: the background jobs the server runs — the same ones the console shows.

The CLI reads the job table; it runs no jobs itself (its own commands run in the foreground
with a progress bar). A running job's progress here is at most a second or so behind the
server's page.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from parley.cli._common import InstanceOption, JsonOption, UserOption, out, session
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
