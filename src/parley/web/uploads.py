"""Uploads are checked before they are read: who sends, whether they may, and how much.

FastAPI reads a multipart body (spooling files past 1 MB to disk) before it resolves a route's
dependencies, so a token or session checked there comes after the whole upload has been
written to /tmp: an unauthenticated 300 MB POST once wrote 158 MB before its 401. This guard
sits in front of the application as plain ASGI:

- for a route that takes a file, it resolves the API token or the console session and checks
  the permissions the route declares with `upload_needs` before a byte of the body is read;
- for every request with a body, it refuses a declared `Content-Length` over the limit at once
  and counts the bytes as they arrive, answering 413 the moment the limit is passed, so no more
  than the limit is ever read, let alone spooled.

The route's own dependencies still run afterwards; this is the cheap door, not the only one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, params
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route, compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import AuthenticationFailed, ParleyError
from parley.instance import Instance
from parley.services import accounts
from parley.web.console.session import SESSION_COOKIE
from parley.web.errors import error_body, parley_error_response
from parley.web.files import MAX_UPLOAD

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FRAMING = 64 * 1024
"""Room beside the file for a multipart body's boundaries, part headers and small fields."""
BODY_LIMIT = MAX_UPLOAD + FRAMING
"""Bytes of one request body; past it the request is answered 413 and nothing more is read."""

_NEEDS = "_parley_upload_needs"
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])
ConsoleError = Callable[[Request, int, str, str], Response]


def too_large_message() -> str:
    return (
        f"the upload is over the {MAX_UPLOAD // 1024 // 1024} MB limit and was not read; "
        "split the file"
    )


def upload_needs(*permissions: Permission) -> Callable[[Endpoint], Endpoint]:
    """Declare what a route that takes a file needs; the guard checks it before the body."""

    def mark(endpoint: Endpoint) -> Endpoint:
        setattr(endpoint, _NEEDS, frozenset(permissions))
        return endpoint

    return mark


def takes_file(route: APIRoute) -> bool:
    return any(isinstance(p.field_info, params.File) for p in route.dependant.body_params)


@dataclass(frozen=True)
class UploadRoute:
    path: str
    regex: re.Pattern[str]
    methods: frozenset[str]
    needs: frozenset[Permission]


def upload_routes(routers: Iterable[tuple[str, APIRouter]]) -> list[UploadRoute]:
    """The routes that take a file, under the prefix each router is served at.

    Every one must declare its permissions: an unmarked one would spool anyone's upload before
    refusing them, so the application refuses to start instead. A router that includes
    another is refused too, as its routes could not be seen here."""
    found = []
    for prefix, router in routers:
        for route in router.routes:
            if not isinstance(route, APIRoute | Route):
                raise RuntimeError(f"{prefix}: the upload guard cannot see into {route!r}")
            if not isinstance(route, APIRoute) or not takes_file(route):
                continue
            needs = getattr(route.endpoint, _NEEDS, None)
            if needs is None:
                raise RuntimeError(f"{route.path} takes a file but does not declare upload_needs")
            regex, _, _ = compile_path(prefix + route.path)
            found.append(
                UploadRoute(prefix + route.path, regex, frozenset(route.methods or ()), needs)
            )
    return found


class _Counted:
    """The request's `receive`, refusing with 413 once the body passes the limit."""

    def __init__(self, receive: Receive, limit: int) -> None:
        self.receive = receive
        self.limit = limit
        self.read = 0

    async def __call__(self) -> Message:
        message = await self.receive()
        if message["type"] == "http.request":
            self.read += len(message.get("body", b""))
            if self.read > self.limit:
                raise HTTPException(413, too_large_message())
        return message


class UploadGuard:
    """ASGI middleware: authenticate and authorise uploads first, then count the bytes."""

    def __init__(
        self,
        app: ASGIApp,
        instance: Instance,
        routes: list[UploadRoute],
        console_error: ConsoleError,
    ) -> None:
        self.app = app
        self.instance = instance
        self.routes = routes
        self.console_error = console_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        needs = self._needs(scope["method"], scope["path"])
        if needs is not None:
            refusal = await run_in_threadpool(self._refusal, request, needs)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        if _declared_length(request) > BODY_LIMIT:
            await self._too_large(request)(scope, receive, send)
            return
        await self.app(scope, _Counted(receive, BODY_LIMIT), send)

    def _needs(self, method: str, path: str) -> frozenset[Permission] | None:
        for route in self.routes:
            if method in route.methods and route.regex.match(path):
                return route.needs
        return None

    def _refusal(self, request: Request, needs: frozenset[Permission]) -> Response | None:
        api = request.url.path.startswith("/api/")
        try:
            actor = self._api_actor(request) if api else self._console_actor(request)
        except ParleyError as exc:
            if api:
                return parley_error_response(exc)
            return RedirectResponse(f"/login?next={quote(request.url.path)}", 303)
        try:
            for permission in sorted(needs):
                actor.require(permission)
        except ParleyError as exc:
            if api:
                return parley_error_response(exc)
            request.state.actor = actor
            return self.console_error(request, 403, exc.code, exc.message)
        return None

    def _api_actor(self, request: Request) -> Actor:
        scheme, _, secret = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise AuthenticationFailed("this route needs an API token: 'Authorization: Bearer …'")
        address = request.client.host if request.client else None
        return accounts.actor_for_token(self.instance.uow(), secret.strip(), address)

    def _console_actor(self, request: Request) -> Actor:
        secret = request.cookies.get(SESSION_COOKIE)
        if not secret:
            raise AuthenticationFailed("log in first")
        return accounts.resume_session(self.instance.uow(read_only=True), secret).actor

    def _too_large(self, request: Request) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse(error_body("too_large", too_large_message()), 413)
        return self.console_error(request, 413, "too_large", too_large_message())


def _declared_length(request: Request) -> int:
    try:
        return int(request.headers.get("content-length", "0"))
    except ValueError:
        return 0
