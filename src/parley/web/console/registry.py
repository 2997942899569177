"""The registry screens: the list with filters, a person's page, the add-event form."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from parley.domain.dates import parse_full_date
from parley.domain.errors import EventNotFound, InvalidEvent, ParleyError
from parley.domain.paging import MAX_LIMIT, Page, PageRequest, page_of, table_query
from parley.domain.registry.events import EventType, Source, Status
from parley.domain.registry.persons import (
    PERSON_SORTS,
    PersonCategory,
    PersonQuery,
    PersonSummary,
    summary_sort_key,
)
from parley.services import matching, registry
from parley.services.registry.views import PersonView
from parley.web.console import i18n
from parley.web.console.rendering import render
from parley.web.console.session import ConsoleActor, SessionDep, verify_form
from parley.web.deps import UowDep

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25


def _optional_date(value: str, field: str, errors: dict[str, str]) -> date | None:
    if not value.strip():
        return None
    try:
        return parse_full_date(value)
    except ParleyError as exc:
        errors[field] = exc.message
        return None


PERSON_FILTERS = (
    "q",
    "status",
    "category",
    "side",
    "born_from",
    "born_to",
    "incident_from",
    "incident_to",
)


@router.get("/persons")
def persons(request: Request, actor: ConsoleActor, uow: UowDep) -> Response:
    """The registry, a page at a time: filtered, sorted and paged by the database; a search
    (`q`) is ranked by likeness unless a column is chosen."""
    table = table_query(
        request.query_params, sorts=PERSON_SORTS, filters=PERSON_FILTERS, per_page=PAGE_SIZE
    )
    errors: dict[str, str] = {}
    status, category = table.filter("status"), table.filter("category")
    if status and status not in {s.value for s in Status}:
        errors["status"] = i18n.gettext("Choose a status from the list.")
    if category and category not in {c.value for c in PersonCategory}:
        errors["category"] = i18n.gettext("Choose a category from the list.")
    query = PersonQuery(
        status=status or None,
        category=PersonCategory(category) if "category" not in errors and category else None,
        side=table.filter("side").upper() or None,
        born_from=_optional_date(table.filter("born_from"), "born_from", errors),
        born_to=_optional_date(table.filter("born_to"), "born_to", errors),
        incident_from=_optional_date(table.filter("incident_from"), "incident_from", errors),
        incident_to=_optional_date(table.filter("incident_to"), "incident_to", errors),
    )
    text = table.filter("q")
    page: Page[PersonSummary]
    if errors:
        page = Page([], 0, 0, table.per_page)
    elif text:
        hits = matching.search_page(uow, actor, text, query, PageRequest(0, MAX_LIMIT)).items
        keys = {table.sort: summary_sort_key(table.sort)} if table.sort else {}
        page = page_of(hits, table, keys)
    else:
        page = registry.person_table(uow, actor, query, table)
    template = (
        "_persons_results.html"
        if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results"
        else "persons.html"
    )
    return render(
        request,
        template,
        422 if errors else 200,
        page=page,
        table=table,
        filters=dict(table.filters),
        errors=errors,
        statuses=[s.value for s in Status],
        categories=[c.value for c in PersonCategory],
        sides=registry.person_sides(uow, actor),
    )


def _person_page(
    request: Request,
    actor: Any,
    uow: UowDep,
    person_id: int,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    template: str = "person.html",
    saved: int | None = None,
) -> Response:
    record = registry.show_person(uow, actor, person_id)
    return render(
        request,
        template,
        status_code,
        person=PersonView.of(record, actor),
        form=form
        or {
            "type": "",
            "effective_date": date.today().isoformat(),
            "source": "",
            "note": "",
            "retracts": "",
        },
        errors=errors or {},
        event_types=[t.value for t in EventType],
        sources=[s.value for s in Source],
        saved=saved,
    )


@router.get("/persons/{person_id}")
def person(request: Request, person_id: int, actor: ConsoleActor, uow: UowDep) -> Response:
    return _person_page(request, actor, uow, person_id)


@router.post("/persons/{person_id}/events")
def add_event(
    request: Request,
    person_id: int,
    view: SessionDep,
    uow: UowDep,
    type: Annotated[str, Form()] = "",
    effective_date: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    retracts: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    verify_form(request, view, csrf_token)
    form = {
        "type": type,
        "effective_date": effective_date,
        "source": source,
        "note": note,
        "retracts": retracts,
    }
    errors: dict[str, str] = {}
    event_type = EventType(type) if type in {t.value for t in EventType} else None
    if event_type is None:
        errors["type"] = "Choose what happened."
    event_source = Source(source) if source in {s.value for s in Source} else None
    if event_source is None:
        errors["source"] = "Choose where the information comes from."
    when = _optional_date(effective_date, "effective_date", errors)
    if when is None and "effective_date" not in errors:
        errors["effective_date"] = "The date is required."
    retracted: int | None = None
    if retracts.strip():
        if retracts.strip().isdigit():
            retracted = int(retracts)
        else:
            errors["retracts"] = "Give the number of the event to retract."
    partial = bool(request.headers.get("HX-Request"))
    template = "_history.html" if partial else "person.html"
    saved: int | None = None
    if not errors:
        assert event_type is not None and event_source is not None and when is not None
        try:
            event = registry.record_event(
                uow, view.actor, person_id, event_type, when, event_source, note, retracted
            )
            saved = event.id
        except InvalidEvent as exc:
            errors[exc.field or "type"] = exc.message
        except EventNotFound as exc:
            errors["retracts"] = exc.message
    if not errors and not partial:
        return RedirectResponse(f"/persons/{person_id}#history", 303)
    # HTMX swaps only 2xx answers, so the partial carries its errors with 200.
    status = 200 if partial or not errors else 422
    return _person_page(
        request,
        view.actor,
        uow,
        person_id,
        form=form if errors else None,
        errors=errors,
        status_code=status,
        template=template,
        saved=saved,
    )
