import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from parley.domain.accounts.accounts import SYSTEM, Role
from parley.domain.errors import InvalidInput
from parley.instance import Instance
from parley.services import accounts
from parley.web.app import create_app
from tests.conftest import make_account


@pytest.fixture
def client(sqlite_instance: Instance) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_instance)) as test_client:
        yield test_client


@pytest.fixture
def auth(sqlite_instance: Instance) -> dict[str, str]:
    issued = accounts.issue_token(sqlite_instance.uow(), SYSTEM, "admin", "tests")
    return {"Authorization": f"Bearer {issued.secret}"}


PERSON = {
    "names": [
        {"surname": "Шевченко", "given": "Олександр", "patronymic": "Іванович", "primary": True},
        {
            "surname": "Shevchenko",
            "given": "Oleksandr",
            "script": "Latn",
            "language": "en",
            "scheme": "uk-kmu-2010",
        },
    ],
    "sex": "male",
    "birth_date": "1990",
    "identifiers": [{"kind": "service_number", "value": "S-777"}],
    "events": [{"type": "reported_missing", "effective_date": "2024-05-01", "source": "family"}],
}


def test_every_registry_route_needs_a_token(client: TestClient) -> None:
    for method, path in [
        ("get", "/api/v1/persons"),
        ("get", "/api/v1/persons/1"),
        ("post", "/api/v1/persons"),
        ("get", "/api/v1/audit"),
        ("get", "/api/v1/me"),
    ]:
        response = getattr(client, method)(path)
        assert response.status_code == 401, path
        assert response.json()["code"] == "authentication_failed"


def test_wrong_tokens_from_one_address_answer_429_with_retry_after(client: TestClient) -> None:
    """Issue 12, part 4: guessing is slowed down, with a code and a wait the client can use."""
    wrong = {"Authorization": "Bearer pk_nonsense"}
    for _ in range(5):
        assert client.get("/api/v1/persons", headers=wrong).status_code == 401
    response = client.get("/api/v1/persons", headers=wrong)
    assert response.status_code == 429 and response.headers["Retry-After"] == "1"
    assert response.json()["code"] == "too_many_attempts"


def test_a_wrong_token_is_refused(client: TestClient) -> None:
    response = client.get("/api/v1/persons", headers={"Authorization": "Bearer pk_nonsense"})
    assert response.status_code == 401
    assert response.json() == {
        "ok": False,
        "code": "authentication_failed",
        "message": "the API token is unknown or revoked",
    }


def test_health_and_public_figures_are_open(client: TestClient) -> None:
    assert client.get("/api/v1/health").json()["party"] == "UA"
    figures = client.get("/api/v1/public/figures").json()
    assert {f["status"] for f in figures} >= {"missing", "in_captivity"}


def test_openapi_is_served_under_the_api_prefix(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/persons" in spec["paths"]


def test_add_show_and_list_a_person(client: TestClient, auth: dict[str, str]) -> None:
    created = client.post("/api/v1/persons", json=PERSON, headers=auth)
    assert created.status_code == 201, created.text
    person_id = created.json()["id"]
    shown = client.get(f"/api/v1/persons/{person_id}", headers=auth).json()
    assert shown["status"] == "missing"
    assert [n["script"] for n in shown["names"]] == ["Cyrl", "Latn"]
    assert shown["birth_precision"] == "year"
    listed = client.get(
        "/api/v1/persons", params={"q": "шевченко", "limit": 1}, headers=auth
    ).json()
    assert listed["total"] == 1 and listed["limit"] == 1


def test_events_append_and_errors_have_a_stable_shape(
    client: TestClient, auth: dict[str, str]
) -> None:
    person_id = client.post("/api/v1/persons", json=PERSON, headers=auth).json()["id"]
    ok = client.post(
        f"/api/v1/persons/{person_id}/events",
        headers=auth,
        json={"type": "capture_confirmed", "effective_date": "2024-06-01", "source": "icrc"},
    )
    assert ok.status_code == 201
    future = client.post(
        f"/api/v1/persons/{person_id}/events",
        headers=auth,
        json={"type": "listed", "effective_date": "2999-01-01", "source": "icrc"},
    )
    assert future.status_code == 400 and future.json()["code"] == "invalid_event"
    bad = client.post(
        f"/api/v1/persons/{person_id}/events",
        headers=auth,
        json={"type": "teleported", "effective_date": "2024-06-01", "source": "icrc"},
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_request"
    assert "type" in bad.json()["message"]
    missing = client.get("/api/v1/persons/999", headers=auth)
    assert missing.status_code == 404 and missing.json()["code"] == "person_not_found"


def test_a_duplicate_identifier_is_a_conflict(client: TestClient, auth: dict[str, str]) -> None:
    client.post("/api/v1/persons", json=PERSON, headers=auth)
    again = client.post("/api/v1/persons", json=PERSON, headers=auth)
    assert again.status_code == 409 and again.json()["code"] == "duplicate_identifier"


def test_a_refused_import_lists_every_problem(client: TestClient, auth: dict[str, str]) -> None:
    content = "surname,given_name,birth_date\n,Іван,1990\nКоваль,,31.02.1990\n".encode()
    response = client.post(
        "/api/v1/imports/persons", headers=auth, files={"file": ("list.csv", content, "text/csv")}
    )
    assert response.status_code == 422
    problems = {(p["row"], p["field"]) for p in response.json()["problems"]}
    assert problems == {(2, "surname"), (3, "given_name"), (3, "birth_date")}


def test_an_analysts_token_cannot_read_persons(
    client: TestClient, sqlite_instance: Instance
) -> None:
    make_account(sqlite_instance, "analyst", Role.ANALYST)
    issued = accounts.issue_token(sqlite_instance.uow(), SYSTEM, "analyst", "reports")
    response = client.get("/api/v1/persons", headers={"Authorization": f"Bearer {issued.secret}"})
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/persons/{2**63}",
        f"/api/v1/persons/{-(2**63) - 1}",
        f"/api/v1/persons?offset={2**63}",
        f"/api/v1/lists/{2**63}",
        f"/api/v1/lists/1/entries?offset={2**63}",
        f"/api/v1/match/runs/{2**63}",
        f"/api/v1/match/runs?offset={2**63}",
        f"/api/v1/audit?offset={2**63}",
    ],
)
def test_an_integer_too_big_for_the_database_is_a_400_not_a_500(
    sqlite_instance: Instance, auth: dict[str, str], path: str
) -> None:
    with TestClient(create_app(sqlite_instance), raise_server_exceptions=False) as client:
        response = client.get(path, headers=auth)
    assert response.status_code in (400, 404, 422), response.text
    assert response.json()["code"] in {"invalid_input", "invalid_request", "not_found"}


def _bad_files() -> list[tuple[str, bytes, int, str]]:
    """The bad-input catalogue of spreadsheets: (file, content, row, field) of the refusal."""
    import csv as csv_module

    from tests.unit.test_tabular_limits import TEMPLATE, _cell, header_and, xlsx

    huge = '"' + "x" * (csv_module.field_size_limit() + 1) + '"'
    far = header_and(0) + f'<row r="2">{_cell("A2", "S")}{_cell("XFD2", "x")}</row>'
    return [
        ("truncated.xlsx", TEMPLATE[: len(TEMPLATE) // 2], 0, "(file)"),
        ("shared.xlsx", xlsx('<row r="1"><c r="A1" t="s"><v>99</v></c></row>'), 1, "(row)"),
        ("bad-xml.xlsx", xlsx("<row r='1'><c r='A1'><v>1</v></row>"), 1, "(row)"),
        ("wide.xlsx", xlsx(far), 2, "(column 16384)"),
        ("huge-field.csv", f"surname,given_name\n{huge},G\n".encode(), 2, "(row)"),
        ("long-cell.csv", f"surname,given_name\n{'x' * 40_000},G\n".encode(), 2, "surname"),
    ]


@pytest.mark.parametrize(("name", "content", "row", "field"), _bad_files())
def test_a_damaged_or_oversized_file_is_a_422_naming_row_and_field(
    sqlite_instance: Instance,
    auth: dict[str, str],
    name: str,
    content: bytes,
    row: int,
    field: str,
) -> None:
    with TestClient(create_app(sqlite_instance), raise_server_exceptions=False) as client:
        response = client.post(
            "/api/v1/imports/persons", headers=auth, files={"file": (name, content, "text/csv")}
        )
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "import_rejected"
    assert [(p["row"], p["field"]) for p in body["problems"]] == [(row, field)]


IMPORT_ROUTES = [
    ("/api/v1/imports/persons", "import_persons", "list.csv", b"surname,given_name\nA,B\n"),
    ("/api/v1/persons.pfif", "import_pfif", "x.xml", b'<pfif:pfif xmlns:pfif="x"/>'),
]


@pytest.mark.parametrize(("route", "use_case", "name", "content"), IMPORT_ROUTES)
def test_a_running_import_does_not_hold_other_requests(
    client: TestClient,
    auth: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    route: str,
    use_case: str,
    name: str,
    content: bytes,
) -> None:
    """Issue 12, load: an import runs in a worker thread, so a read is answered while it runs
    (on the event loop it held every request of the server until it ended)."""
    from parley.services.registry import shown as target

    real = getattr(target, use_case)
    started, read_answered, finished = threading.Event(), threading.Event(), threading.Event()

    def held(*args: Any, **kwargs: Any) -> Any:
        started.set()
        read_answered.wait(60)  # only a guard: on the event loop the read waits for all of it
        try:
            return real(*args, **kwargs)
        finally:
            finished.set()

    monkeypatch.setattr(target, use_case, held)
    answers: list[Any] = []
    files = {"file": (name, content, "application/octet-stream")}
    importer = threading.Thread(
        target=lambda: answers.append(client.post(route, headers=auth, files=files))
    )
    importer.start()
    assert started.wait(60)
    read = client.get("/api/v1/persons", headers=auth)
    import_still_running = not finished.is_set()
    read_answered.set()
    importer.join(60)
    assert read.status_code == 200 and import_still_running
    # the PFIF file is refused: no 500 either
    expected = 200 if use_case == "import_persons" else 422
    assert answers[0].status_code == expected, answers[0].text


LONG_ROUTES = [  # (route, services module, use case, the file sent)
    ("/api/v1/match/runs", "matching", "run_match", ("list.csv", b"surname\nA\n")),
    ("/api/v1/match/train", "matching", "read_entries", ("list.csv", b"surname\nA\n")),
    ("/api/v1/bundles", "lists", "import_bundle_view", ("b.json", b"{}")),
    ("/api/v1/stages/1/countersignature", "exchange", "record_countersignature", ("r", b"{}")),
]


@pytest.mark.parametrize(("route", "module", "use_case", "upload"), LONG_ROUTES)
def test_a_long_use_case_of_an_async_route_does_not_hold_other_requests(
    client: TestClient,
    auth: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    route: str,
    module: str,
    use_case: str,
    upload: tuple[str, bytes],
) -> None:
    """A match run, a training, a bundle or a countersignature taken in by an async route
    (it reads the upload) runs in a worker thread: a read is answered meanwhile. On the event
    loop a match run of minutes held every request of the server."""
    import importlib

    target = importlib.import_module(f"parley.services.{module}")
    started, read_answered = threading.Event(), threading.Event()
    finished = threading.Event()

    def held(*args: Any, **kwargs: Any) -> Any:
        started.set()
        read_answered.wait(60)  # only a guard: on the event loop the read waits for all of it
        finished.set()
        raise InvalidInput("held by the test")

    monkeypatch.setattr(target, use_case, held)
    answers: list[Any] = []
    files = {"file": (*upload, "application/octet-stream")}
    sender = threading.Thread(
        target=lambda: answers.append(client.post(route, headers=auth, files=files))
    )
    sender.start()
    assert started.wait(60), answers
    read = client.get("/api/v1/persons", headers=auth)
    still_running = not finished.is_set()
    read_answered.set()
    sender.join(60)
    assert read.status_code == 200 and still_running
    assert answers[0].status_code == 400 and answers[0].json()["message"] == "held by the test"
