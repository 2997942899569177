"""The matching screens: runs and their results, the review queue, decisions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import ImportRejected
from parley.domain.matching import DEFAULT_THRESHOLDS, Decision, Outcome, Thresholds
from parley.domain.paging import table_query
from parley.services import jobs, lists, matching
from parley.web.console.jobs import started
from parley.web.console.rendering import render
from parley.web.console.session import ConsoleActor, SessionDep, verify_form
from parley.web.deps import UowDep
from parley.web.files import MAX_UPLOAD, MEDIA, export_response
from parley.web.uploads import upload_needs

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


def _runs(request: Request, actor: Actor, uow: UowDep) -> dict[str, Any]:
    """The runs table (paged, sorted and filtered by the database) for the matching page."""
    table = table_query(
        request.query_params,
        sorts=matching.RUN_SORTS,
        filters=matching.RUN_FILTERS,
        default_sort="id",
        default_order="desc",
        per_page=PAGE_SIZE,
    )
    page = matching.run_table(uow, actor, table)
    return {"runs": page.items, "page": page, "table": table, "kinds": matching.RUN_KINDS}


@router.get("/matching")
def runs_page(request: Request, actor: ConsoleActor, uow: UowDep) -> Response:
    held = lists.list_lists(uow, actor, 0, 200)[0] if actor.can(Permission.LISTS_READ) else []
    return render(
        request,
        "matching.html",
        **_runs(request, actor, uow),
        held=held,
        can_run=actor.can(Permission.MATCH_RUN),
        default_accept=DEFAULT_THRESHOLDS.accept,
    )


@router.post("/matching/runs")
@upload_needs(Permission.MATCH_RUN)
async def start_run(
    request: Request,
    view: SessionDep,
    uow: UowDep,
    file: UploadFile,
    csrf_token: Annotated[str, Form()] = "",
    accept: Annotated[float, Form()] = DEFAULT_THRESHOLDS.accept,
    review: Annotated[float, Form()] = 0.5,
    keep: Annotated[str, Form()] = "",
) -> Response:
    verify_form(request, view, csrf_token)
    content = await file.read(MAX_UPLOAD + 1)
    runs = _runs(request, view.actor, uow)
    if len(content) > MAX_UPLOAD:
        return render(
            request,
            "matching.html",
            413,
            **runs,
            can_run=True,
            too_large=True,
            default_accept=DEFAULT_THRESHOLDS.accept,
        )
    limits = Thresholds(accept, review)
    kept = [k.strip() for k in keep.split(",") if k.strip()]
    name = file.filename or "upload"
    try:  # a refused file is named at once, not after the job was queued
        matching.read_entries(name, content, kept)
    except ImportRejected as rejected:
        return render(
            request,
            "matching.html",
            422,
            **runs,
            can_run=True,
            rejected=rejected,
            default_accept=DEFAULT_THRESHOLDS.accept,
        )
    params = {"file": name, "accept": limits.accept, "review": limits.review, "keep": kept}
    return started(request, jobs.start(uow, view.actor, "match.file", params, content))


@router.post("/matching/list-runs")
def start_list_run(
    request: Request,
    view: SessionDep,
    uow: UowDep,
    list_id: Annotated[int, Form()],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Match a list already held here: one we built, imported or received (as a job)."""
    verify_form(request, view, csrf_token)
    return started(request, jobs.start(uow, view.actor, "match.list", {"list_id": list_id}))


@router.get("/matching/runs/{run_id}")
def run_page(
    request: Request,
    run_id: int,
    actor: ConsoleActor,
    uow: UowDep,
) -> Response:
    """A run's entries, a page at a time, filtered by outcome and sorted by the database."""
    run = matching.get_run(uow, actor, run_id)
    table = table_query(
        request.query_params,
        sorts=matching.ENTRY_SORTS,
        filters=matching.ENTRY_FILTERS,
        default_sort="row",
        per_page=PAGE_SIZE,
    )
    page = matching.entry_table(uow, actor, run_id, table)
    best = sorted({cs[0].person_id for _, cs in page.items if cs})
    return render(
        request,
        "match_run.html",
        run=run,
        rows=page.items,
        page=page,
        table=table,
        people=matching.people(uow, actor, best),
        outcome=table.filter("outcome"),
        outcomes=[o.value for o in Outcome],
        can_decide=actor.can(Permission.MATCH_DECIDE),
    )


@router.get("/matching/runs/{run_id}/export")
def export(run_id: int, actor: ConsoleActor, uow: UowDep, format: str = "csv") -> Response:
    return export_response(uow, actor, run_id, format if format in MEDIA else "csv")


@router.get("/matching/review")
def review_page(
    request: Request,
    actor: ConsoleActor,
    uow: UowDep,
    run: int | None = None,
    after: int = 0,
) -> Response:
    item = matching.next_review(uow, actor, run, after)
    return render(request, "review.html", item=item, run=run, after=after)


@router.post("/matching/entries/{entry_id}/decide")
def decide(
    request: Request,
    entry_id: int,
    view: SessionDep,
    uow: UowDep,
    person_id: Annotated[int, Form()],
    decision: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    run: Annotated[str, Form()] = "",
) -> Response:
    verify_form(request, view, csrf_token)
    matching.decide(uow, view.actor, entry_id, person_id, Decision(decision), note)
    target = "/matching/review" + (f"?run={int(run)}" if run.isdigit() else "")
    return RedirectResponse(target, 303)
