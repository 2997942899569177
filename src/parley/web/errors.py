"""Every error leaves as a stable `code` and a readable `message`: JSON for the API, a page for
the console. The codes are API; `docs/errors.md` lists them and a test keeps the two in step."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from parley.domain.errors import ImportRejected, ParleyError, TooManyAttempts

STATUS: dict[str, int] = {
    "not_found": 404,
    "person_not_found": 404,
    "account_not_found": 404,
    "event_not_found": 404,
    "instance_not_found": 404,
    "match_run_not_found": 404,
    "conflict": 409,
    "duplicate_identifier": 409,
    "duplicate_account": 409,
    "instance_exists": 409,
    "authentication_failed": 401,
    "too_many_attempts": 429,
    "permission_denied": 403,
    "invalid_csrf": 403,
    "import_rejected": 422,
    "bundle_refused": 422,
    "audit_chain_broken": 409,
}
HTTP_CODES = {
    401: "authentication_failed",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
}


def status_of(error: type[ParleyError]) -> int:
    """The status of the error's own code, else of the nearest family that has one: a specific
    code such as `list_not_found` answers 404 like the `not_found` it refines."""
    for cls in error.__mro__:
        code = getattr(cls, "code", None)
        if code in STATUS:
            return STATUS[code]
    return 400


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"ok": False, "code": code, "message": message, **extra}


def parley_error_response(exc: ParleyError) -> JSONResponse:
    extra: dict[str, Any] = {}
    if isinstance(exc, ImportRejected):
        extra["problems"] = [
            {"row": p.row, "field": p.field, "message": p.message} for p in exc.problems
        ]
    status = status_of(type(exc))
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if isinstance(exc, TooManyAttempts):
        headers = {"Retry-After": str(exc.retry_after)}
    return JSONResponse(error_body(exc.code, exc.message, **extra), status, headers=headers)


def install(app: FastAPI, console_error: Any) -> None:
    """`console_error(request, status, code, message)` renders the HTML page for the console."""

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    @app.exception_handler(ParleyError)
    async def _parley(request: Request, exc: ParleyError) -> Response:
        if wants_json(request):
            return parley_error_response(exc)
        return console_error(request, status_of(type(exc)), exc.code, exc.message)  # type: ignore[no-any-return]

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        details = [
            {"field": ".".join(str(p) for p in e["loc"] if p != "body"), "message": e["msg"]}
            for e in exc.errors()
        ]
        message = "; ".join(f"{d['field']}: {d['message']}" for d in details)
        if wants_json(request):
            return JSONResponse(error_body("invalid_request", message, details=details), 422)
        return console_error(request, 422, "invalid_request", message)  # type: ignore[no-any-return]

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = HTTP_CODES.get(exc.status_code, "http_error")
        if wants_json(request):
            return JSONResponse(
                error_body(code, str(exc.detail)),
                exc.status_code,
                headers=getattr(exc, "headers", None),
            )
        # the framework's own words ("Not Found") say no more than the code's label: a page
        # in another language shows the label alone, not the English phrase beside it
        detail = "" if exc.detail == _phrase(exc.status_code) else str(exc.detail)
        return console_error(request, exc.status_code, code, detail)  # type: ignore[no-any-return]


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
