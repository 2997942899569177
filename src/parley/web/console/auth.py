"""Login, logout and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from parley.domain.errors import AuthenticationFailed, InvalidCsrf, TooManyAttempts
from parley.services import accounts
from parley.services.accounts import SESSION_LIFETIME
from parley.web.console import i18n
from parley.web.console.rendering import render
from parley.web.console.session import (
    LANGUAGE_COOKIE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    SessionDep,
    new_login_csrf,
    request_language,
    set_cookie,
    verify_form,
)
from parley.web.deps import UowDep

router = APIRouter(include_in_schema=False)
YEAR = 365 * 24 * 3600


def _safe_next(target: str) -> str:
    """Only a path on this site: a login link must not bounce the user elsewhere."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


def _login_page(request: Request, next_path: str, error: str = "", status: int = 200) -> Response:
    request.state.language = request_language(request)
    token = new_login_csrf()
    response = render(
        request,
        "login.html",
        status,
        next_path=_safe_next(next_path),
        error=error,
        login_csrf=token,
    )
    set_cookie(request, response, LOGIN_CSRF_COOKIE, token, 3600)
    return response


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, next)


@router.post("/login")
def login(
    request: Request,
    uow: UowDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or expected != csrf_token:
        return _login_page(request, next, "The form expired; please log in again.", 403)
    address = request.client.host if request.client else None
    try:
        opened = accounts.open_session(uow, username.strip(), password, address)
    except TooManyAttempts as exc:
        page = _login_page(request, next, "Too many failed attempts; try again later.", 429)
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    except AuthenticationFailed:
        return _login_page(request, next, "Wrong username or password.", 401)
    response = RedirectResponse(_safe_next(next), 303)
    set_cookie(
        request, response, SESSION_COOKIE, opened.secret, int(SESSION_LIFETIME.total_seconds())
    )
    if opened.language:  # chosen on the account; else the browser's or the toggle's stays
        set_cookie(request, response, LANGUAGE_COOKIE, opened.language, YEAR)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(
    request: Request,
    view: SessionDep,
    uow: UowDep,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    verify_form(request, view, csrf_token)
    accounts.close_session(uow, view)
    response = RedirectResponse("/login", 303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/language")
def choose_language(
    request: Request,
    uow: UowDep,
    language: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "/persons",
) -> Response:
    """Remembered in a cookie, and on the account when somebody is logged in."""
    if language not in i18n.LANGUAGES:
        language = i18n.DEFAULT_LANGUAGE
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        try:
            view = accounts.resume_session(uow, secret)
        except AuthenticationFailed:
            view = None
        if view is not None:
            try:
                verify_form(request, view, csrf_token)
            except InvalidCsrf:
                return RedirectResponse(_safe_next(back), 303)
            accounts.set_language(uow, view.actor, language)
    response = RedirectResponse(_safe_next(back), 303)
    set_cookie(request, response, LANGUAGE_COOKIE, language, YEAR)
    return response
