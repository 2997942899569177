"""Every response carries the security headers; pages and API answers are never cached, static
files may be."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from parley.domain.accounts.accounts import SYSTEM
from parley.instance import Instance
from parley.services import accounts
from parley.web.app import create_app
from parley.web.headers import SECURITY_HEADERS


@pytest.fixture
def client(sqlite_instance: Instance) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_instance)) as test_client:
        yield test_client


def _secured(response: object, cached: bool = False) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value, name
    assert headers.get_list("X-Frame-Options") == ["DENY"]  # added once, never twice
    assert (headers.get("Cache-Control") == "no-store") is not cached


def test_api_answers_errors_and_refusals_carry_the_headers(
    client: TestClient, sqlite_instance: Instance
) -> None:
    token = accounts.issue_token(sqlite_instance.uow(), SYSTEM, "admin", "tests").secret
    auth = {"Authorization": f"Bearer {token}"}
    _secured(client.get("/api/v1/health"))
    _secured(client.get("/api/v1/persons", headers=auth))
    _secured(client.get("/api/v1/persons"))  # 401
    _secured(client.get("/api/v1/persons/999999", headers=auth))  # 404
    _secured(client.post("/api/v1/persons", headers=auth, json={"names": []}))  # 422
    _secured(client.get("/no/such/page"))


def test_console_pages_are_not_cached_and_static_files_may_be(client: TestClient) -> None:
    login = client.get("/login")
    assert login.status_code == 200
    _secured(login)
    stylesheet = client.get("/static/console.css")
    assert stylesheet.status_code == 200
    _secured(stylesheet, cached=True)
