"""Who is at the console: the session cookie, the CSRF token and the chosen language."""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from parley.domain.accounts.accounts import Actor
from parley.domain.errors import AuthenticationFailed
from parley.services import accounts
from parley.services.accounts import SessionView
from parley.web.console import i18n
from parley.web.deps import UowDep

SESSION_COOKIE = "parley_session"
LANGUAGE_COOKIE = "parley_lang"
LOGIN_CSRF_COOKIE = "parley_login_csrf"


class LoginRequired(Exception):
    """Raised by a console dependency; the app answers with a redirect to the login page."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


def login_redirect(exc: LoginRequired) -> Response:
    response = RedirectResponse(f"/login?next={quote(exc.next_path)}", 303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def request_language(request: Request) -> str:
    """The language toggle's cookie if it was pressed, else what the browser asks for."""
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    if chosen in i18n.LANGUAGES:
        return chosen
    return i18n.negotiate(request.headers.get("accept-language")) or i18n.DEFAULT_LANGUAGE


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    """HttpOnly and SameSite=Strict always; Secure whenever the console is served over HTTPS."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def new_login_csrf() -> str:
    return secrets.token_urlsafe(24)


def console_session(request: Request, uow: UowDep) -> SessionView:
    request.state.language = request_language(request)
    secret = request.cookies.get(SESSION_COOKIE)
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if not secret:
        raise LoginRequired(path)
    try:
        view = accounts.resume_session(uow, secret)
    except AuthenticationFailed as exc:
        raise LoginRequired(path) from exc
    request.state.actor = view.actor
    request.state.csrf_token = view.session.csrf_token
    request.state.display_name = view.display_name
    request.state.language = view.language or request_language(request)
    return view


SessionDep = Annotated[SessionView, Depends(console_session)]


def optional_session(request: Request, uow: UowDep) -> SessionView | None:
    """A page open to all (`/public`) still knows a logged-in reader: its forms (the language
    toggle) then carry the session's token, so pressing them is not refused."""
    try:
        return console_session(request, uow)
    except LoginRequired:
        return None


OptionalSessionDep = Annotated[SessionView | None, Depends(optional_session)]


def console_actor(view: SessionDep) -> Actor:
    return view.actor


ConsoleActor = Annotated[Actor, Depends(console_actor)]


def verify_form(request: Request, view: SessionView, submitted: str | None) -> None:
    """Forms carry the token as a field; HTMX requests carry it in a header."""
    accounts.check_csrf(view.session, submitted or request.headers.get("X-CSRF-Token"))
