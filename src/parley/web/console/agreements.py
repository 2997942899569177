"""The agreements screens: rounds, memoranda side by side by topic, proposals and their fate,
each commitment with its computed figure, the claims beside it and a chart, the round report."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from parley.domain.accounts.accounts import Permission
from parley.domain.agreements import Topic
from parley.domain.errors import InvalidInput
from parley.services import agreements, jobs
from parley.services.agreements.chart import fulfilment_svg
from parley.services.agreements.drafts import ClaimIn
from parley.services.agreements.report import metric_text, target_text
from parley.services.agreements.views import MetricView, TargetView
from parley.services.cache import VersionedCache
from parley.web.console import i18n
from parley.web.console.jobs import started
from parley.web.console.rendering import render
from parley.web.console.session import ConsoleActor, SessionDep, verify_form
from parley.web.deps import UowDep

router = APIRouter(include_in_schema=False)
_charts: VersionedCache[str] = VersionedCache(32)


coded = i18n.label
"""A coded label in the current language, from the one registry (`i18n.LABELS`)."""


def target_words(target: TargetView) -> str:
    """The target in the language of the page being rendered."""
    return target_text(i18n.current_language.get(), target)


def metric_words(metric: MetricView) -> str:
    return metric_text(i18n.current_language.get(), metric)


def term_words(key: str, value: Any) -> str:
    """A proposal's term value in words: coded domains and geography through the registry."""
    kind = {"domains": "domain", "geography": "geography"}.get(key)
    items = value if isinstance(value, list) else [value]
    if kind:
        return i18n.labels(kind, items)
    return ", ".join(str(i18n.format_number(v) if isinstance(v, int) else v) for v in items)


WORDS: dict[str, Any] = {
    "coded": coded,
    "target_words": target_words,
    "metric_words": metric_words,
    "term_words": term_words,
}


def _as_of(text: str | None) -> date:
    if not text:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"'{text}' is not a date YYYY-MM-DD", "as_of") from exc


def _chart_words() -> dict[str, str]:
    return {
        "day": i18n.gettext("Day"),
        "persons": i18n.gettext("Figure"),
        "target": i18n.gettext("Target"),
        "all": i18n.gettext("All sides"),
        "claim": i18n.gettext("%(party)s says").replace("%(party)s", "{party}"),
    }


@router.get("/agreements")
def overview(
    request: Request,
    actor: ConsoleActor,
    uow: UowDep,
    as_of: str | None = None,
    at_risk: str = "",
) -> Response:
    """`at_risk=1` keeps the commitments the dashboard counts: overdue, disputed, or short of
    the target close to the deadline."""
    day = _as_of(as_of)
    commitments = (
        agreements.commitments_at_risk(uow, actor, day)
        if at_risk
        else agreements.list_commitments(uow, actor, day)
    )
    return render(
        request,
        "agreements.html",
        rounds=agreements.list_rounds(uow, actor),
        commitments=commitments,
        at_risk=bool(at_risk),
        memoranda=agreements.list_memoranda(uow, actor),
        as_of=day,
        **WORDS,
    )


@router.get("/agreements/side-by-side")
def side_by_side(
    request: Request, actor: ConsoleActor, uow: UowDep, topic: str | None = None
) -> Response:
    view = agreements.side_by_side(uow, actor, [topic] if topic else [])
    return render(
        request,
        "agreement_topics.html",
        view=view,
        topics=[t.value for t in Topic],
        chosen=topic or "",
        **WORDS,
    )


@router.get("/agreements/proposals")
def proposals(request: Request, actor: ConsoleActor, uow: UowDep) -> Response:
    return render(
        request,
        "agreement_proposals.html",
        proposals=agreements.list_proposals(uow, actor),
        **WORDS,
    )


def _commitment_page(
    request: Request,
    actor: Any,
    uow: UowDep,
    commitment_id: int,
    day: date,
    status: int = 200,
    **extra: Any,
) -> Response:
    found = agreements.show_commitment(uow, actor, commitment_id, day)
    token = i18n.current_language.set(getattr(request.state, "language", None) or "en")
    try:
        words = _chart_words()
    finally:
        i18n.current_language.reset(token)
    # Safe to embed unescaped: fulfilment_svg parses the SVG and refuses anything active.
    # Drawing takes longer than computing: kept per commitment, day and wording until a write.
    key = repr((commitment_id, day, sorted(words.items())))
    chart = Markup(_charts.get(uow, key, lambda: fulfilment_svg(found, words)))
    return render(
        request,
        "agreement_commitment.html",
        status,
        c=found,
        chart=chart,
        as_of=day,
        can_record=actor.can(Permission.AGREEMENTS_RECORD),
        **WORDS,
        **extra,
    )


@router.get("/agreements/commitments/{commitment_id}")
def commitment(
    request: Request,
    actor: ConsoleActor,
    uow: UowDep,
    commitment_id: int,
    as_of: str | None = None,
) -> Response:
    return _commitment_page(request, actor, uow, commitment_id, _as_of(as_of))


@router.post("/agreements/commitments/{commitment_id}/claims")
async def claim(request: Request, view: SessionDep, uow: UowDep, commitment_id: int) -> Response:
    form = await request.form()
    verify_form(request, view, str(form.get("csrf_token", "")))
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    try:
        count = values.get("value", "").strip()
        if not (count.isascii() and count.isdigit() and len(count) <= 12):
            raise InvalidInput("the claimed count is a whole number, 0 or more", "value")
        try:
            claimed_on = _as_of(values.get("claimed_on"))
        except InvalidInput as exc:
            raise InvalidInput(exc.message, "claimed_on") from exc
        draft = ClaimIn(
            party=values.get("party", ""),
            value=int(count),
            claimed_on=claimed_on,
            source=values.get("source", ""),
        )
        agreements.record_claim(uow, view.actor, draft.row(commitment_id))
    except (InvalidInput, ValueError) as exc:
        message = exc.message if isinstance(exc, InvalidInput) else str(exc)
        field = exc.field if isinstance(exc, InvalidInput) else None
        return _commitment_page(
            request,
            view.actor,
            uow,
            commitment_id,
            _as_of(None),
            422,
            error=message,
            error_field=field,
            values=values,
        )
    return RedirectResponse(f"/agreements/commitments/{commitment_id}", status_code=303)


@router.get("/agreements/rounds/{number}")
def round_report(
    request: Request, actor: ConsoleActor, uow: UowDep, number: int, as_of: str | None = None
) -> Response:
    day = _as_of(as_of)
    report = agreements.round_report(uow, actor, number, day)
    return render(request, "agreement_round.html", report=report, as_of=day, **WORDS)


@router.post("/agreements/rounds/{number}/report")
async def round_report_job(
    request: Request, view: SessionDep, uow: UowDep, number: int
) -> Response:
    """The round's report written by a job, in the language of the page that asked."""
    form = await request.form()
    verify_form(request, view, str(form.get("csrf_token", "")))
    language = getattr(request.state, "language", None) or "en"
    extension = str(form.get("format", "pdf"))
    if extension not in ("pdf", "md"):
        raise InvalidInput("the report is .pdf or .md", "format")
    params: dict[str, object] = {"round": number, "format": extension, "language": language}
    as_of = str(form.get("as_of", "") or "")
    if as_of:
        params["as_of"] = _as_of(as_of).isoformat()
    return started(request, jobs.start(uow, view.actor, "agreements.report", params))


@router.get("/agreements/rounds/{number}/report.{extension}")
def round_report_file(
    request: Request,
    actor: ConsoleActor,
    uow: UowDep,
    number: int,
    extension: str,
    as_of: str | None = None,
) -> Response:
    if extension not in ("pdf", "md"):
        raise InvalidInput("the report is .pdf or .md", "extension")
    language = getattr(request.state, "language", None) or "en"
    report = agreements.round_report(uow, actor, number, _as_of(as_of))
    name = f"round-{number}-{language}.{extension}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if extension == "pdf":
        return Response(
            agreements.render_pdf(report, language),
            media_type="application/pdf",
            headers=disposition,
        )
    return Response(
        agreements.render_markdown(report, language),
        media_type="text/markdown",
        headers=disposition,
    )
