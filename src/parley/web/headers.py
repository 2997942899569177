"""Security headers on every response, added as the response starts; requests counted while served.

A plain ASGI middleware, not Starlette's `BaseHTTPMiddleware` (`@app.middleware("http")`): that
one runs each request's app in a task of its own and streams the body through a queue, a cost
paid on every request (load_pg: a tenth of the server's CPU for a person's page).
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'"
    ),
}


class ServedRequests:
    """Counts every HTTP request as served while it runs (`services.cache.InFlight`): the
    cache warmer starts no computation while one is."""

    def __init__(self, app: ASGIApp, serving: AbstractContextManager[None]) -> None:
        self.app = app
        self.serving = serving

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with self.serving:
            await self.app(scope, receive, send)


class SecurityHeaders:
    """Adds `SECURITY_HEADERS` (a handler's own value wins) and, but for static files,
    `Cache-Control: no-store`: pages hold names that must not stay in a shared cache."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/static")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if not static:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)
