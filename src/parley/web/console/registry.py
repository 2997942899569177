"""The registry screens: the list with filters, a person's page, the add-event form."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from parley.domain.dates import parse_full_date
from parley.domain.errors import EventNotFound, InvalidEvent, ParleyError
from parley.domain.paging import PageRequest
from parley.domain.registry.events import EventType, Source, Status
from parley.domain.registry.persons import PersonCategory, PersonQuery
from parley.services import matching, registry
from parley.services.registry.views import PersonView
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


@router.get("/persons")
def persons(
    request: Request,
    actor: ConsoleActor,
    uow: UowDep,
    q: str = "",
    status: str = "",
    category: str = "",
    side: str = "",
    born_from: str = "",
    born_to: str = "",
    incident_from: str = "",
    incident_to: str = "",
    offset: int = 0,
) -> Response:
    errors: dict[str, str] = {}
    query = PersonQuery(
        status=status if status in {s.value for s in Status} else None,
        category=PersonCategory(category)
        if category in {c.value for c in PersonCategory}
        else None,
        side=side.upper() or None,
        born_from=_optional_date(born_from, "born_from", errors),
        born_to=_optional_date(born_to, "born_to", errors),
        incident_from=_optional_date(incident_from, "incident_from", errors),
        incident_to=_optional_date(incident_to, "incident_to", errors),
    )
    window = PageRequest(max(offset, 0), PAGE_SIZE)
    if q.strip():
        page = matching.search_page(uow, actor, q, query, window)
    else:
        page = registry.find_persons(uow, actor, query, window)
    filters = {
        "q": q,
        "status": status,
        "category": category,
        "side": side,
        "born_from": born_from,
        "born_to": born_to,
        "incident_from": incident_from,
        "incident_to": incident_to,
    }
    template = (
        "_persons_results.html"
        if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results"
        else "persons.html"
    )
    return render(
        request,
        template,
        page=page,
        filters=filters,
        errors=errors,
        statuses=[s.value for s in Status],
        categories=[c.value for c in PersonCategory],
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
