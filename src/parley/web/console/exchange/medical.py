"""The medical commissions screen: commissions, examinations with their Annex II deadlines
(late ones stand out), the re-examination queue, and the forms the medical staff fill in."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import Conflict, InvalidInput, NotFound
from parley.domain.exchange.commissions import AnnexCategory, Decision, Proposer
from parley.domain.exchange.examinations import (
    MEMBER_SYNTAX,
    ExaminationDraft,
    decision_of,
    parse_condition,
    parse_member,
    proposer_of,
)
from parley.domain.paging import Page, TableQuery, table_query
from parley.services import exchange
from parley.services.registry import today
from parley.web.console.rendering import render
from parley.web.console.session import ConsoleActor, SessionDep, verify_form
from parley.web.deps import InstanceDep, UowDep

router = APIRouter(include_in_schema=False)

REFUSALS = (InvalidInput, NotFound, Conflict)
"""What a form shows beside itself; anything else (a permission refused) gets the error page."""


def _day(text: str, field: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidInput(f"'{text}' is not a date YYYY-MM-DD", field) from exc


def _table(request: Request) -> TableQuery:
    return table_query(
        request.query_params,
        sorts=exchange.EXAMINATION_SORTS,
        filters=(*exchange.EXAMINATION_FILTERS, "as_of"),
        default_sort="visited_on",
        default_order="desc",
    )


def _page(
    request: Request,
    actor: Actor,
    uow: UowDep,
    status: int = 200,
    *,
    as_of: date | None = None,
    selected: str = "",
    table: TableQuery | None = None,
    **extra: Any,
) -> Response:
    found = exchange.list_commissions(uow, actor)
    table = table or _table(request)
    report = exchange.examinations_page(uow, actor, table, as_of)
    queue = exchange.examination_queue(uow, actor, as_of)
    chosen = next((c for c in found if c.name == selected), found[-1] if found else None)
    return render(
        request,
        "medical.html",
        status,
        commissions=found,
        chosen=chosen,
        report=report,
        queue=queue,
        as_of=as_of.isoformat() if as_of else "",
        table=table,
        page=Page(report.items, report.total, report.offset, report.limit),
        today=today().isoformat(),
        decisions=[d.value for d in Decision],
        proposers=[p.value for p in Proposer],
        categories=[c.value for c in AnnexCategory],
        member_syntax=MEMBER_SYNTAX,
        can_record=actor.can(Permission.MEDICAL_RECORD),
        **extra,
    )


@router.get("/medical")
def medical_page(
    request: Request,
    actor: ConsoleActor,
    uow: UowDep,
    as_of: str = "",
    commission: str = "",
    recorded: int | None = None,
    stepped: int | None = None,
    added: int | None = None,
) -> Response:
    """Filters (`as_of`, `overdue`, `commission`, `decision`), sort and page in the query."""
    try:
        on = _day(as_of, "as_of")
        table = _table(request)
    except InvalidInput as exc:
        fallback = TableQuery(sort="visited_on", order="desc")
        return _page(
            request,
            actor,
            uow,
            422,
            filter_error=exc.message,
            filter_field=exc.field,
            selected=commission,
            table=fallback,
        )
    return _page(
        request,
        actor,
        uow,
        as_of=on,
        selected=commission,
        table=table,
        recorded=recorded,
        stepped=stepped,
        added=added,
    )


@router.post("/medical/commissions")
def add_commission(
    request: Request,
    view: SessionDep,
    uow: UowDep,
    name: Annotated[str, Form()],
    members: Annotated[str, Form()],
    deputies: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """One member per line, in the same `NAME|PARTY|ROLE|flags` syntax as the CLI."""
    verify_form(request, view, csrf_token)
    try:
        made = exchange.add_commission(
            uow,
            view.actor,
            name,
            [parse_member(line, "members") for line in _lines(members)],
            [parse_member(line, "deputies") for line in _lines(deputies)],
        )
    except REFUSALS as exc:
        values = {"name": name, "members": members, "deputies": deputies}
        return _page(
            request,
            view.actor,
            uow,
            422,
            commission_error=exc.message,
            commission_field=getattr(exc, "field", None),
            commission_values=values,
        )
    query = urlencode({"added": made.id, "commission": made.name})
    return RedirectResponse(f"/medical?{query}", 303)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@router.post("/medical/examinations")
async def examine(request: Request, view: SessionDep, uow: UowDep) -> Response:
    """Votes arrive as `vote:<member name>` fields, one per member of the chosen commission."""
    form = await request.form()
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    verify_form(request, view, fields.get("csrf_token", ""))
    commission = fields.get("commission", "")
    try:
        votes = {
            key.removeprefix("vote:"): decision_of(value, key.removeprefix("vote:"))
            for key, value in fields.items()
            if key.startswith("vote:") and value
        }
        category = fields.get("condition_category", "")
        condition = (
            parse_condition(
                f"{category}: {fields.get('condition_item', '')}",
                bool(fields.get("unquestionable")),
                bool(fields.get("predates_war")),
            )
            if category
            else None
        )
        visited = _day(fields.get("visited_on", ""), "visited_on")
        if visited is None:
            raise InvalidInput("the day of the visit is needed", "visited_on")
        made = exchange.record_examination(
            uow,
            view.actor,
            ExaminationDraft(
                _person_id(fields.get("person_id", "")),
                commission,
                visited,
                fields.get("findings", ""),
                condition,
                votes,
                proposer_of(fields.get("proposed_by", Proposer.OTHER.value)),
            ),
        )
    except REFUSALS as exc:
        return _page(
            request,
            view.actor,
            uow,
            422,
            selected=commission,
            examine_error=exc.message,
            examine_field=getattr(exc, "field", None),
            values=fields,
        )
    return RedirectResponse(f"/medical?recorded={made.id}#examination-{made.id}", 303)


def _person_id(text: str) -> int:
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 18):
        raise InvalidInput(f"'{text[:40]}' is not a registry id", "person_id")
    return int(digits)


@router.post("/medical/examinations/{examination_id}/steps")
def add_step(
    request: Request,
    examination_id: int,
    view: SessionDep,
    uow: UowDep,
    step: Annotated[str, Form()],
    done_on: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    verify_form(request, view, csrf_token)
    try:
        day = _day(done_on, "done_on")
        if day is None:
            raise InvalidInput("the day it happened is needed", "done_on")
        exchange.record_step(uow, view.actor, examination_id, step, day)
    except REFUSALS as exc:
        return _page(
            request,
            view.actor,
            uow,
            422,
            step_error=exc.message,
            step_examination=examination_id,
            step_values={"done_on": done_on},
        )
    return RedirectResponse(f"/medical?stepped={examination_id}#examination-{examination_id}", 303)


@router.get("/medical/examinations/{examination_id}/certificate")
def certificate(
    request: Request, examination_id: int, actor: ConsoleActor, uow: UowDep, instance: InstanceDep
) -> Response:
    """The certificate in the language of the console."""
    config = instance.config
    language = getattr(request.state, "language", None) or "en"
    made = exchange.certificate(
        uow,
        actor,
        examination_id,
        issued_by=f"{config.party} · {config.name}",
        language=language,
    )
    return Response(
        made.content,
        media_type=made.media_type,
        headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
    )
