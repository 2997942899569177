"""The jobs screens: a job's progress (polled by HTMX), its result or why it failed, the list.

Long console actions (a match run, an import, a reconciliation, a PDF) queue a job and land on
its page, which survives a reload: the job runs in the server's worker, not in the request.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from parley.domain.accounts.accounts import Actor
from parley.services import jobs
from parley.services.jobs.views import JobView
from parley.services.uow import UnitOfWork
from parley.web import jobs as web_jobs
from parley.web.console.rendering import render
from parley.web.console.session import ConsoleActor
from parley.web.deps import UowDep

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50

RESULT_PAGES = {
    "match_run": ("/matching/runs/{id}", "Open the match run"),
    "reconciliation": ("/lists/{id}/reconciliation", "Open the reconciliation"),
    "import": ("/persons", "Open the registry"),
}


def result_link(job: JobView) -> tuple[str, str] | None:
    """Where a succeeded job's result is, and what the link says (to translate)."""
    if job.state != "succeeded":
        return None
    if job.result_file:
        return f"/jobs/{job.id}/result", "Download %(name)s"
    kind, _, ref_id = job.result_ref.partition("/")
    if kind in RESULT_PAGES and ref_id.isdigit():
        href, label = RESULT_PAGES[kind]
        return href.format(id=int(ref_id)), label
    return None


def started(request: Request, row: jobs.JobRow) -> Response:
    """What a door answers once it queued a job: the job's page, which follows it."""
    web_jobs.wake(request)
    return RedirectResponse(f"/jobs/{row.id}", 303)


@router.get("/jobs")
def jobs_page(request: Request, actor: ConsoleActor, uow: UowDep, offset: int = 0) -> Response:
    rows, total = jobs.list_jobs(uow, actor, max(offset, 0), PAGE_SIZE)
    views = [web_jobs.view(request, r) for r in rows]
    return render(
        request,
        "jobs.html",
        jobs=views,
        links={v.id: result_link(v) for v in views},
        total=total,
        offset=offset,
        page_size=PAGE_SIZE,
    )


def _job(request: Request, uow: UnitOfWork, actor: Actor, job_id: int) -> JobView:
    return web_jobs.view(request, jobs.get_job(uow, actor, job_id))


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: int, actor: ConsoleActor, uow: UowDep) -> Response:
    job = _job(request, uow, actor, job_id)
    return render(request, "job.html", job=job, link=result_link(job))


@router.get("/jobs/{job_id}/status")
def job_status(request: Request, job_id: int, actor: ConsoleActor, uow: UowDep) -> Response:
    """The fragment HTMX polls; once the job is finished it stops asking."""
    job = _job(request, uow, actor, job_id)
    return render(request, "_job_status.html", job=job, link=result_link(job))


@router.get("/jobs/{job_id}/result")
def job_result(job_id: int, actor: ConsoleActor, uow: UowDep) -> Response:
    return web_jobs.result_response(uow, actor, job_id)
