from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from parley.domain.accounts.accounts import Role
from parley.instance import Instance
from parley.services import registry
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD, make_account
from tests.e2e.console_client import csrf_of, log_in, wait_for_job
from tests.factories import a_person, missing_since


@pytest.fixture
def client(sqlite_instance: Instance) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_instance)) as test_client:
        yield test_client


@pytest.fixture
def person_id(sqlite_instance: Instance) -> int:
    admin = make_account(sqlite_instance, "coordinator", Role.COORDINATOR)
    return registry.register_person(
        sqlite_instance.uow(), admin, a_person(service_number="S-1"), missing_since()
    ).id


def test_pages_need_a_login(client: TestClient) -> None:
    response = client.get("/persons", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/persons"


def test_a_wrong_password_stays_on_the_login_page(client: TestClient) -> None:
    page = client.get("/login")
    response = client.post(
        "/login", data={"username": "admin", "password": "nope", "csrf_token": csrf_of(page.text)}
    )
    assert response.status_code == 401
    assert "Wrong username or password." in response.text


def test_a_sixth_wrong_password_in_a_row_is_answered_429_with_retry_after(
    client: TestClient,
) -> None:
    """Issue 12, part 4: 200 wrong passwords used to lock nothing."""
    for expected in (401, 401, 401, 401, 401, 429):
        page = client.get("/login")
        response = client.post(
            "/login",
            data={"username": "admin", "password": ADMIN_PASSWORD if expected == 429 else "no"}
            | {"csrf_token": csrf_of(page.text)},
        )
        assert response.status_code == expected
    assert response.headers["Retry-After"] == "1"
    assert "Too many failed attempts" in response.text


def test_a_login_without_the_form_token_is_refused(client: TestClient) -> None:
    response = client.post("/login", data={"username": "admin", "password": ADMIN_PASSWORD})
    assert response.status_code == 403


def test_the_session_cookie_is_http_only_and_strict(client: TestClient) -> None:
    page = client.get("/login")
    response = client.post(
        "/login",
        follow_redirects=False,
        data={"username": "admin", "password": ADMIN_PASSWORD, "csrf_token": csrf_of(page.text)},
    )
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("parley_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie


def test_registry_list_person_page_and_history(client: TestClient, person_id: int) -> None:
    home = log_in(client, "coordinator", ADMIN_PASSWORD)
    assert "What needs attention today" in home  # the dashboard is the home page
    listing = client.get("/persons").text
    assert "Ковальчук Богдан Петрович" in listing
    page = client.get(f"/persons/{person_id}").text
    assert "reported missing" in page and "test:coordinator" in page
    assert "S1" in page


def test_filters_narrow_the_list(client: TestClient, person_id: int) -> None:
    log_in(client, "admin", ADMIN_PASSWORD)
    assert "Ковальчук" not in client.get("/persons", params={"status": "dead"}).text
    assert "Ковальчук" in client.get("/persons", params={"q": "ковальчук"}).text


def test_an_event_form_error_is_shown_next_to_its_field(client: TestClient, person_id: int) -> None:
    log_in(client, "admin", ADMIN_PASSWORD)
    page = client.get(f"/persons/{person_id}").text
    response = client.post(
        f"/persons/{person_id}/events",
        data={
            "type": "listed",
            "effective_date": "2100-01-01",
            "source": "icrc",
            "csrf_token": csrf_of(page),
        },
    )
    assert response.status_code == 422
    assert 'id="err-date"' in response.text and "in the future" in response.text
    saved = client.post(
        f"/persons/{person_id}/events",
        data={
            "type": "capture_confirmed",
            "effective_date": "2024-06-01",
            "source": "icrc",
            "csrf_token": csrf_of(page),
        },
    )
    assert "capture confirmed" in saved.text


def test_a_form_without_its_csrf_token_changes_nothing(client: TestClient, person_id: int) -> None:
    log_in(client, "admin", ADMIN_PASSWORD)
    response = client.post(
        f"/persons/{person_id}/events",
        data={"type": "died", "effective_date": "2024-06-01", "source": "icrc"},
    )
    assert response.status_code == 403
    history = client.get(f"/persons/{person_id}").text.split('class="list history"')[1]
    assert "died" not in history.split("</table>")[0]


def test_the_language_choice_is_remembered_on_the_account(
    client: TestClient, person_id: int
) -> None:
    page = log_in(client, "admin", ADMIN_PASSWORD)
    client.post(
        "/language", data={"language": "uk", "csrf_token": csrf_of(page), "back": "/persons"}
    )
    assert "Реєстр" in client.get("/persons").text
    client.cookies.clear()
    again = log_in(client, "admin", ADMIN_PASSWORD)
    assert "Реєстр" in again
    assert "зниклий безвісти" in client.get("/persons").text


def test_the_import_page_reports_every_problem(client: TestClient) -> None:
    """The import runs as a job; a refused file fails it, and its page lists every problem."""
    log_in(client, "admin", ADMIN_PASSWORD)
    page = client.get("/import").text
    content = "surname,given_name,birth_date\n,Іван,1990\n".encode()
    response = client.post(
        "/import",
        data={"csrf_token": csrf_of(page)},
        files={"file": ("list.csv", content, "text/csv")},
    )
    _job, status = wait_for_job(client, response)
    assert "The job failed:" in status and "import refused, 1 problem found" in status
    assert "row 2, field &#39;surname&#39;" in status and "nothing was stored" in status


def test_navigation_follows_the_role(client: TestClient, sqlite_instance: Instance) -> None:
    make_account(sqlite_instance, "auditor", Role.AUDITOR)
    page = log_in(client, "auditor", ADMIN_PASSWORD)
    assert 'href="/audit"' in page and 'href="/persons"' not in page


def test_the_language_toggle_on_the_public_page_works_for_a_logged_in_reader(
    client: TestClient,
) -> None:
    """`/public` carried no form token, so pressing Українська there was refused."""
    log_in(client, "admin", ADMIN_PASSWORD)
    public = client.get("/public")
    token = csrf_of(public.text)
    pressed = client.post(
        "/language",
        data={"language": "uk", "csrf_token": token, "back": "/public"},
        follow_redirects=False,
    )
    assert pressed.status_code == 303
    assert pressed.headers["location"] == "/public"
    assert '<html lang="uk">' in client.get("/public").text
    client.cookies.delete("parley_lang")
    assert '<html lang="uk">' in client.get("/persons").text  # the account remembers it
