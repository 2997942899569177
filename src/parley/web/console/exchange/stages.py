"""The stages screens: plan a stage, see its parity and every exclusion, record the day,
keep claims, sign the documents, compare with the other side; and the all-for-all progress."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import Conflict, InvalidInput
from parley.domain.exchange.handover import DocumentRole, StageOutcome
from parley.domain.exchange.stages import Parity
from parley.domain.paging import page_of, table_query
from parley.services import exchange
from parley.services.cache import ContentCache
from parley.services.exchange import DEFAULT_LABELS, progress_chart_svg
from parley.web.console import i18n
from parley.web.console.rendering import render
from parley.web.console.session import ConsoleActor, SessionDep, request_language, verify_form
from parley.web.deps import InstanceDep, UowDep
from parley.web.files import MAX_UPLOAD
from parley.web.uploads import upload_needs

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
_charts: ContentCache[str] = ContentCache(16)
"""Charts keyed on the figures and words they draw: a write that leaves them alone (most do)
does not draw them again."""
"""Drawn charts, per figures and wording, until a write changes the records."""


coded = i18n.label
"""A coded label in the current language, from the one registry (`i18n.LABELS`)."""


def _index(
    request: Request,
    actor: Actor,
    uow: UowDep,
    instance: InstanceDep,
    status: int = 200,
    **extra: Any,
) -> Response:
    known = instance.categories()
    table = table_query(
        request.query_params,
        sorts=exchange.STAGE_SORTS,
        filters=exchange.STAGE_FILTERS,
        default_sort="on",
        per_page=PAGE_SIZE,
    )
    page = exchange.stage_table(uow, actor, table)
    stages = exchange.list_stages(uow, actor)  # every stage: the chart and "previous stage"
    token = i18n.current_language.set(
        getattr(request.state, "language", None) or request_language(request)
    )
    try:  # the chart's words in the page's language (render sets it only for the template)
        words = {
            "day": i18n.gettext("Stage date"),
            "persons": i18n.gettext("Persons, all stages so far"),
            "released": i18n.gettext("Released"),
            "expected": i18n.gettext("Expected back"),
        }
    finally:
        i18n.current_language.reset(token)
    drawn = [(st.id, st.on, st.released, st.expected) for st in stages]
    key = repr(("history", drawn, sorted(words.items())))
    # Safe to embed unescaped: the service parses the SVG and refuses anything active.
    chart = Markup(_charts.get(key, lambda: exchange.stage_history_svg(stages, words)))
    return render(
        request,
        "stages.html",
        status,
        stages=stages,
        page=page,
        table=table,
        chart=chart,
        categories={name: rule.describe() for name, rule in known.items()},
        parities=[p.value for p in Parity],
        can_plan=actor.can(Permission.EXCHANGE_PLAN),
        can_see_progress=actor.can(Permission.STATISTICS_READ),
        coded=coded,
        **extra,
    )


@router.get("/stages")
def stages_page(
    request: Request, actor: ConsoleActor, uow: UowDep, instance: InstanceDep
) -> Response:
    return _index(request, actor, uow, instance)


@router.post("/stages")
async def plan(request: Request, view: SessionDep, uow: UowDep, instance: InstanceDep) -> Response:
    form = await request.form()
    verify_form(request, view, str(form.get("csrf_token", "")))
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    try:
        detail = exchange.plan(
            uow,
            view.actor,
            instance.config.party,
            values.get("name", ""),
            _date(values.get("on", ""), "on"),
            _in_order(form.getlist("category"), values),
            _int(values.get("capacity", ""), "capacity"),
            values.get("parity", Parity.EQUAL_PER_CATEGORY.value),
            previous_stage_id=_int(values["previous"], "previous")
            if values.get("previous")
            else None,
            release_side=values.get("release_side") or None,
            known=instance.categories(),
        )
    except InvalidInput as exc:
        return _index(
            request,
            view.actor,
            uow,
            instance,
            422,
            plan_error=exc.message,
            plan_field=exc.field,
            form=values,
            form_categories=[str(c) for c in form.getlist("category")],
        )
    return RedirectResponse(f"/stages/{detail.summary.id}", 303)


def _in_order(chosen: list[Any], values: dict[str, str]) -> list[str]:
    """The ticked categories by the order typed beside them; untyped ones keep the page order."""
    names = [str(c) for c in chosen]

    def rank(item: tuple[int, str]) -> tuple[int, int]:
        typed = values.get(f"order:{item[1]}", "").strip()
        return (int(typed) if typed.isdigit() else 1000 + item[0], item[0])

    return [name for _i, name in sorted(enumerate(names), key=rank)]


def _date(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidInput(f"'{text}' is not a date YYYY-MM-DD", field) from exc


def _int(text: str, field: str) -> int:
    try:
        return int(text.strip())
    except ValueError as exc:
        raise InvalidInput(f"'{text}' is not a whole number", field) from exc


def _stage_page(
    request: Request,
    actor: Actor,
    uow: UowDep,
    stage_id: int,
    status: int = 200,
    **extra: Any,
) -> Response:
    detail = exchange.show_stage(uow, actor, stage_id)
    table = table_query(request.query_params, sorts=(), filters=("code",))
    code = table.filter("code")
    left_out = [e for e in detail.exclusions if not code or e.code == code]
    return render(
        request,
        "stage.html",
        status,
        detail=detail,
        s=detail.summary,
        report=exchange.reconcile_stage(uow, actor, stage_id),
        code=code,
        table=table,
        shown=page_of(left_out, table, {}),  # thousands on a full stage: a page at a time
        outcomes=[o.value for o in StageOutcome],
        pending=[line for line in (*detail.release, *detail.expect) if line.outcome is None],
        roles=DocumentRole,
        can_plan=actor.can(Permission.EXCHANGE_PLAN),
        coded=coded,
        **extra,
    )


@router.get("/stages/{stage_id}")
def stage_page(request: Request, stage_id: int, actor: ConsoleActor, uow: UowDep) -> Response:
    return _stage_page(request, actor, uow, stage_id)


@router.post("/stages/{stage_id}/outcomes")
async def record_outcomes(
    request: Request, stage_id: int, view: SessionDep, uow: UowDep
) -> Response:
    form = await request.form()
    verify_form(request, view, str(form.get("csrf_token", "")))
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    wanted: dict[int, tuple[str, str]] = {}
    rest, day = values.get("everyone_else", ""), values.get("on", "")
    try:
        for key, value in values.items():
            if key.startswith("outcome:") and value:
                person = key.removeprefix("outcome:")
                if not (person.isascii() and person.isdigit() and len(person) <= 18):
                    raise InvalidInput(f"'{person[:40]}' is not a registry id", "outcome")
                wanted[int(person)] = (value, values.get(f"note:{person}", ""))
        exchange.record_outcomes(
            uow,
            view.actor,
            stage_id,
            wanted,
            _date(day, "on") if day else None,
            everyone_else=rest or None,
        )
    except (InvalidInput, Conflict) as exc:
        return _stage_page(
            request,
            view.actor,
            uow,
            stage_id,
            422,
            outcome_error=exc.message,
            outcome_field=getattr(exc, "field", None),
            outcome_values=values,
        )
    return RedirectResponse(f"/stages/{stage_id}#outcomes", 303)


@router.post("/stages/{stage_id}/claims")
def record_claim(
    request: Request,
    stage_id: int,
    view: SessionDep,
    uow: UowDep,
    party: Annotated[str, Form()],
    count: Annotated[str, Form()],
    source: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    category: Annotated[str, Form()] = exchange.TOTAL,
    claimed_on: Annotated[str, Form()] = "",
) -> Response:
    verify_form(request, view, csrf_token)
    try:
        exchange.record_claim(
            uow,
            view.actor,
            stage_id,
            party,
            category,
            _int(count, "count"),
            _date(claimed_on, "claimed_on") if claimed_on else None,
            source,
        )
    except InvalidInput as exc:
        values = {
            "party": party,
            "count": count,
            "source": source,
            "category": category,
            "claimed_on": claimed_on,
        }
        return _stage_page(
            request,
            view.actor,
            uow,
            stage_id,
            422,
            claim_error=exc.message,
            claim_field=exc.field,
            claim_values=values,
        )
    return RedirectResponse(f"/stages/{stage_id}#claims", 303)


@router.post("/stages/{stage_id}/manifests")
def export_manifests(
    request: Request,
    stage_id: int,
    view: SessionDep,
    uow: UowDep,
    instance: InstanceDep,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    verify_form(request, view, csrf_token)
    try:
        exchange.export_manifests(uow, view.actor, instance.keyring(), stage_id)
    except InvalidInput as exc:
        return _stage_page(request, view.actor, uow, stage_id, 422, document_error=exc.message)
    return RedirectResponse(f"/stages/{stage_id}#documents", 303)


@router.post("/stages/{stage_id}/record")
def export_record(
    request: Request,
    stage_id: int,
    view: SessionDep,
    uow: UowDep,
    instance: InstanceDep,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    verify_form(request, view, csrf_token)
    try:
        bundle, raw = exchange.export_record(uow, view.actor, instance.keyring(), stage_id)
    except InvalidInput as exc:
        return _stage_page(request, view.actor, uow, stage_id, 422, document_error=exc.message)
    return Response(
        raw,
        media_type="application/json",
        headers={
            "Content-Disposition": (
                f'attachment; filename="stage-{stage_id}-record-to-{bundle.recipient}.json"'
            )
        },
    )


@router.post("/stages/{stage_id}/countersignature")
@upload_needs(Permission.EXCHANGE_PLAN)
async def countersignature(
    request: Request,
    stage_id: int,
    view: SessionDep,
    uow: UowDep,
    instance: InstanceDep,
    file: UploadFile,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    verify_form(request, view, csrf_token)
    content = await file.read(MAX_UPLOAD + 1)
    try:
        if len(content) > MAX_UPLOAD:
            raise InvalidInput("the file is too large")
        await run_in_threadpool(
            exchange.record_countersignature,
            uow,
            view.actor,
            instance.keyring(),
            stage_id,
            content,
            file.filename or "upload",
        )
    except InvalidInput as exc:
        return _stage_page(request, view.actor, uow, stage_id, 422, document_error=exc.message)
    return RedirectResponse(f"/stages/{stage_id}#documents", 303)


@router.post("/stages/{stage_id}/counterparts")
def counterpart(
    request: Request,
    stage_id: int,
    view: SessionDep,
    uow: UowDep,
    list_id: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    verify_form(request, view, csrf_token)
    try:
        exchange.link_counterpart(uow, view.actor, stage_id, _int(list_id, "list_id"))
    except InvalidInput as exc:
        return _stage_page(request, view.actor, uow, stage_id, 422, document_error=exc.message)
    return RedirectResponse(f"/stages/{stage_id}#reconciliation", 303)


@router.get("/progress")
def progress_page(
    request: Request,
    actor: ConsoleActor,
    uow: UowDep,
    instance: InstanceDep,
    on: str = "",
) -> Response:
    day = _date(on, "on") if on else datetime.now(UTC).date()
    chosen = request.query_params.getlist("category")
    report = exchange.progress(
        uow,
        actor,
        instance.config.party,
        day,
        chosen or None,
        instance.categories(),
    )
    token = i18n.current_language.set(
        getattr(request.state, "language", None) or request_language(request)
    )
    try:
        labels = {key: i18n.gettext(text) for key, text in DEFAULT_LABELS.items()}
        rows = [
            r.model_copy(update={"category": i18n.label("agreed_category", r.category)})
            for r in report.rows
        ]
    finally:
        i18n.current_language.reset(token)
    # Safe to embed unescaped: progress_chart_svg parses the SVG and refuses anything active.
    # Drawing takes longer than counting: kept per figures and wording, whatever the version.
    key = repr((rows, sorted(labels.items())))
    chart = Markup(_charts.get(key, lambda: progress_chart_svg(rows, labels)))
    return render(request, "progress.html", report=report, chart=chart, on=day)
