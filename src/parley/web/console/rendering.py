"""The Jinja environment of the console and the page-rendering helper."""

from __future__ import annotations

from dataclasses import is_dataclass, replace
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.accounts.need_to_know import MARKERS
from parley.domain.paging import PER_PAGE_CHOICES
from parley.web.console import i18n, sentences
from parley.web.console.sentences.errors import checked, said
from parley.web.console.session import request_language

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
HTMX = STATIC / "vendor" / "htmx.min.js"


def htmx_available() -> bool:
    """HTMX is fetched by `make run` and `make test`, never committed (nor by `make install`):
    a page that follows something by polling must also work without it (the job page)."""
    return HTMX.exists()


def _shown(value: Any) -> Any:
    """Every `{{ value }}`: a need-to-know marker reads in the page's language; the views
    already carry the marker in place of the restricted value (services/accounts/need_to_know)."""
    if isinstance(value, str) and value in MARKERS:
        return i18n.gettext(value)
    return value


env = Environment(
    finalize=_shown,
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
env.install_gettext_callables(  # type: ignore[attr-defined]
    i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext, npgettext=i18n.npgettext
)
env.globals.update(label=i18n.label, labels=i18n.labels, leading=i18n.leading, words=i18n.words)
env.globals["sentence"] = sentences.sentence
env.globals["evidence"] = sentences.evidence
env.globals["categories"] = sentences.categories
env.filters["said"] = said
env.filters["checked"] = checked
env.filters.update(
    when=i18n.format_when,
    day=i18n.format_day,
    born=i18n.format_birth,
    number=i18n.format_number,
    who=i18n.who,
    scheme=i18n.scheme,
)
env.tests["restricted"] = lambda value: isinstance(value, str) and value in MARKERS
env.globals["per_page_choices"] = PER_PAGE_CHOICES


def navigation(actor: Actor | None) -> list[tuple[str, str]]:
    """Menu entries the actor's roles open: nobody is shown a door that will not open."""
    if actor is None:
        return []
    items: list[tuple[str, str]] = [("/", "Today")]
    if actor.can(Permission.REGISTRY_READ):
        items.append(("/persons", "Registry"))
    if actor.can(Permission.MATCH_RUN) or actor.can(Permission.MATCH_DECIDE):
        items.append(("/matching", "Matching"))
    if actor.can(Permission.LISTS_READ):
        items.append(("/lists", "Lists"))
    if actor.can(Permission.CHILDREN_COUNTS):  # records for the ombudsman, counts for others
        items.append(("/children", "Children"))
    if actor.can(Permission.REGISTRY_READ):  # the page reads medical records; forms need more
        items.append(("/medical", "Medical commissions"))
    if actor.can(Permission.REGISTRY_READ):  # manifests name people
        items.append(("/stages", "Stages"))
    if actor.can(Permission.REMAINS_READ):
        items.append(("/remains", "Remains"))
    if actor.can(Permission.STATISTICS_READ):  # counts only
        items.append(("/progress", "Progress"))
    if actor.can(Permission.AGREEMENTS_READ):  # no personal data: analysts read it too
        items.append(("/agreements", "Agreements"))
    if actor.can(Permission.IMPORT_RUN):
        items.append(("/import", "Import"))
    if actor.can(Permission.AUDIT_READ):
        items.append(("/audit", "Audit log"))
    if actor.can(Permission.LISTS_READ):  # whose signatures this instance accepts
        items.append(("/trust", "Trusted keys"))
    items.append(("/jobs", "Jobs"))  # each sees the jobs they started (admins: all)
    items.append(("/public", "Public figures"))
    return items


def known_parties(instance: Any) -> tuple[list[str], list[str]]:
    """Our party and every party whose key we trust, and which of those relay: the choices of
    every party field (a party code is picked, never typed)."""
    own = instance.config.party
    try:
        trusted = instance.trust_store.trusted()
    except (OSError, ValueError):  # no trust file yet: only our own party is known
        trusted = []
    others = sorted({k.party for k in trusted} - {own})
    return [own, *others], sorted({k.party for k in trusted if k.mediator})


def page_language(request: Request) -> str:
    """The language the request's page is in: the account's, else the toggle's or browser's."""
    return str(getattr(request.state, "language", None) or request_language(request))


def in_language(language: str, text: object) -> str:
    """A service's sentence as a page in `language` shows it (outside a render: a handler
    comparing what a form sends back with what it was shown)."""
    token = i18n.current_language.set(language)
    try:
        return sentences.sentence(text)
    finally:
        i18n.current_language.reset(token)


def render(
    request: Request,
    template: str,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    actor: Actor | None = getattr(request.state, "actor", None)
    language = page_language(request)
    token = i18n.current_language.set(language)
    try:
        body = _render(request, template, actor, language, _errors_said(context))
    finally:
        i18n.current_language.reset(token)
    return HTMLResponse(body, status_code, headers={"Content-Language": language})


ERROR_KEYS = frozenset({"error", "message", "refused"})
"""Context values that are an error's message: `error`, `message` (the error page), `refused`,
and every `…_error`; `errors` maps fields to messages; a `refused` form carries its `error`."""


def _errors_said(context: dict[str, Any]) -> dict[str, Any]:
    """Every error message a handler passes to a page, in the page's language: the services
    raise them in English (`sentences/errors.py`), and this is the one place they are read."""
    shown = dict(context)
    for key, value in context.items():
        if isinstance(value, str) and (key in ERROR_KEYS or key.endswith("_error")):
            shown[key] = said(value)
        elif key == "errors" and isinstance(value, dict):
            shown[key] = {k: said(v) if isinstance(v, str) else v for k, v in value.items()}
        elif key == "refused" and is_dataclass(value) and not isinstance(value, type):
            message = getattr(value, "error", None)
            if isinstance(message, str):
                shown[key] = replace(value, error=said(message))
    return shown


def _render(
    request: Request, template: str, actor: Actor | None, language: str, context: dict[str, Any]
) -> str:
    parties, mediators = known_parties(request.app.state.instance)
    return env.get_template(template).render(
        request=request,
        actor=actor,
        display_name=getattr(request.state, "display_name", ""),
        csrf_token=getattr(request.state, "csrf_token", ""),
        nav=navigation(actor),
        language=language,
        languages=i18n.LANGUAGES,
        party=request.app.state.instance.config.party,
        parties=parties,
        mediators=mediators,
        instance_name=request.app.state.instance.config.name,
        htmx=htmx_available(),
        **context,
    )
