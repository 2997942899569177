"""Issue 12, part 3: uploads are checked before they are read.

Each request is played straight into the ASGI application with a body that is produced only
when asked for and counted as it is handed over, so a test sees exactly how many bytes the
server read before it answered: what was never read was never spooled to /tmp.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI, UploadFile

from parley.domain.accounts.accounts import SYSTEM, Role
from parley.instance import Instance
from parley.services import accounts
from parley.web.app import create_app
from parley.web.files import MAX_UPLOAD
from parley.web.uploads import BODY_LIMIT, upload_routes
from tests.conftest import ADMIN_PASSWORD, make_account

CHUNK = 1024 * 1024
BOUNDARY = "parleyboundary"
HUGE = 300 * 1024 * 1024


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    read: int
    """Body bytes the application asked for before it answered."""


def _multipart_head(field: str = "file", name: str = "big.csv") -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; '
        f'filename="{name}"\r\nContent-Type: text/csv\r\n\r\n'
    ).encode()


def post(
    app: FastAPI,
    path: str,
    size: int,
    headers: dict[str, str] | None = None,
    declare_length: bool = True,
) -> Answer:
    """POST a multipart body of about `size` bytes, generated lazily in 1 MB chunks."""
    head = _multipart_head()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    total = len(head) + size + len(tail)
    sent = {"bytes": 0}
    chunks = {"left": size, "head": False, "tail": False}

    async def receive() -> dict[str, Any]:
        if not chunks["head"]:
            chunks["head"] = True
            body = head
        elif chunks["left"]:
            body = b"x" * min(CHUNK, int(chunks["left"]))
            chunks["left"] -= len(body)
        elif not chunks["tail"]:
            chunks["tail"] = True
            body = tail
        else:
            await asyncio.sleep(3600)  # the client has nothing more to say
            return {"type": "http.disconnect"}
        sent["bytes"] += len(body)
        return {"type": "http.request", "body": body, "more_body": not chunks["tail"]}

    raw = [(b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode())]
    if declare_length:
        raw.append((b"content-length", str(total).encode()))
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": raw,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    answer: dict[str, Any] = {"body": b""}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    asyncio.run(asyncio.wait_for(app(scope, receive, send), 60))
    return Answer(answer["status"], answer["headers"], answer["body"], sent["bytes"])


@pytest.fixture
def app(sqlite_instance: Instance) -> FastAPI:
    return create_app(sqlite_instance)


def _token(instance: Instance, username: str = "admin") -> dict[str, str]:
    issued = accounts.issue_token(instance.uow(), SYSTEM, username, "tests")
    return {"Authorization": f"Bearer {issued.secret}"}


def _session(instance: Instance, username: str = "admin") -> dict[str, str]:
    opened = accounts.open_session(instance.uow(), username, ADMIN_PASSWORD)
    return {"Cookie": f"parley_session={opened.secret}"}


API_UPLOADS = [
    "/api/v1/imports/persons",
    "/api/v1/persons.pfif",
    "/api/v1/match/runs",
    "/api/v1/bundles",
]


@pytest.mark.parametrize("path", API_UPLOADS)
def test_an_unauthenticated_300_mb_upload_is_refused_before_a_byte_is_read(
    app: FastAPI, path: str
) -> None:
    for declared in (True, False):
        answer = post(app, path, HUGE, declare_length=declared)
        assert answer.status == 401, answer.body
        assert b"authentication_failed" in answer.body
        assert answer.read == 0


def test_a_wrong_token_is_refused_before_the_body(app: FastAPI) -> None:
    answer = post(app, "/api/v1/imports/persons", HUGE, {"Authorization": "Bearer pk_nonsense"})
    assert answer.status == 401 and answer.read == 0


def test_a_role_without_the_permission_is_refused_before_the_body(
    app: FastAPI, sqlite_instance: Instance
) -> None:
    make_account(sqlite_instance, "rev", Role.REVIEWER)
    answer = post(app, "/api/v1/imports/persons", HUGE, _token(sqlite_instance, "rev"))
    assert answer.status == 403 and b"permission_denied" in answer.body
    assert answer.read == 0


def test_a_declared_oversized_upload_is_refused_with_413_unread(
    app: FastAPI, sqlite_instance: Instance
) -> None:
    answer = post(app, "/api/v1/imports/persons", HUGE, _token(sqlite_instance))
    assert answer.status == 413
    assert b'"code":"too_large"' in answer.body and b"50 MB limit" in answer.body
    assert answer.read == 0


def test_an_undeclared_oversized_upload_stops_at_the_limit(
    app: FastAPI, sqlite_instance: Instance
) -> None:
    """Chunked, no Content-Length: the bytes are counted as they arrive."""
    answer = post(
        app, "/api/v1/imports/persons", HUGE, _token(sqlite_instance), declare_length=False
    )
    assert answer.status == 413 and b"50 MB limit" in answer.body
    assert BODY_LIMIT < answer.read <= BODY_LIMIT + CHUNK
    assert answer.read < HUGE // 5


def test_a_file_just_over_the_limit_is_413_not_truncated(
    app: FastAPI, sqlite_instance: Instance
) -> None:
    """Inside the framing allowance the body is read, and the file itself is then refused."""
    answer = post(app, "/api/v1/imports/persons", MAX_UPLOAD + 10, _token(sqlite_instance))
    assert answer.status == 413 and b"too_large" in answer.body


def test_the_console_sends_an_unknown_uploader_to_the_login_page_unread(app: FastAPI) -> None:
    for path in ("/import", "/matching/runs", "/bundles", "/stages/1/countersignature"):
        answer = post(app, path, HUGE, declare_length=False)
        assert answer.status == 303 and answer.headers["location"].startswith("/login")
        assert answer.read == 0


def test_the_console_refuses_a_role_without_the_permission_unread(
    app: FastAPI, sqlite_instance: Instance
) -> None:
    make_account(sqlite_instance, "rev", Role.REVIEWER)
    answer = post(app, "/import", HUGE, _session(sqlite_instance, "rev"))
    assert answer.status == 403 and answer.read == 0


def test_the_console_refuses_an_oversized_upload_with_a_page(
    app: FastAPI, sqlite_instance: Instance
) -> None:
    session = _session(sqlite_instance)
    declared = post(app, "/import", HUGE, session)
    assert declared.status == 413 and declared.read == 0
    assert "50 MB" in declared.body.decode()
    streamed = post(app, "/import", HUGE, session, declare_length=False)
    assert streamed.status == 413 and streamed.read <= BODY_LIMIT + CHUNK
    assert "50 MB" in streamed.body.decode()


def test_a_route_that_takes_a_file_must_declare_what_it_needs() -> None:
    router = APIRouter()

    @router.post("/unguarded")
    async def unguarded(file: UploadFile) -> None:  # pragma: no cover - never served
        del file

    with pytest.raises(RuntimeError, match="upload_needs"):
        upload_routes([("/api/v1", router)])


def test_every_upload_route_is_guarded(app: FastAPI) -> None:
    from parley.web.uploads import UploadGuard

    guard = next(m for m in app.user_middleware if m.cls is UploadGuard)
    paths = {route.path for route in guard.kwargs["routes"]}
    assert set(API_UPLOADS) | {"/import", "/bundles", "/api/v1/match/train"} <= paths
