"""Issue 16, part 3: an error the services raise in English reads in the page's language on
the console — beside its field, in a page's error box, and as the reason a job failed — while
the API keeps the English the code wrote."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from parley.domain.accounts.accounts import Actor, Role
from parley.instance import Instance
from parley.services import jobs
from parley.web.app import create_app
from parley.web.console import i18n
from parley.web.console.sentences.errors import said
from tests.conftest import ADMIN_PASSWORD, make_account
from tests.e2e.console_client import csrf_of, log_in, wait_for_job
from tests.e2e.test_console_languages import visible_text

UKRAINIAN = {"Accept-Language": "uk-UA,uk;q=0.9"}


@pytest.fixture
def client(sqlite_instance: Instance) -> Iterator[TestClient]:
    make_account(sqlite_instance, "coord", Role.COORDINATOR)
    with TestClient(create_app(sqlite_instance)) as test_client:
        yield test_client


def _choose(client: TestClient, language: str) -> str:
    token = csrf_of(client.get("/lists").text)
    client.post("/language", data={"csrf_token": token, "language": language, "back": "/lists"})
    return token


def _build(client: TestClient, token: str, ages: str, as_of: str = "") -> str:
    page = client.post(
        "/lists",
        data={
            "csrf_token": token,
            "name": "Тест",
            "recipients": ["RU"],
            "ages": ages,
            "as_of": as_of,
        },
    )
    assert page.status_code == 422, page.text
    return page.text


def test_a_field_error_reads_in_ukrainian_beside_its_field_with_its_value(
    client: TestClient,
) -> None:
    log_in(client, "coord", ADMIN_PASSWORD)
    token = _choose(client, "uk")
    page = _build(client, token, "abc")
    assert '<span class="field-error" id="ages-error" role="alert">' in page
    assert "віковий діапазон «abc» має виглядати як 18-25" in page
    assert "should look like" not in page


def test_a_page_level_error_reads_in_ukrainian_and_stays_english_in_english(
    client: TestClient,
) -> None:
    log_in(client, "coord", ADMIN_PASSWORD)
    token = _choose(client, "uk")
    assert "віковий діапазон 30-20 не є діапазоном" in _build(client, token, "30-20")
    assert "місяць має бути від 1 до 12" in _build(client, token, "", "2024-13-01")  # Python's
    _choose(client, "en")
    assert "age band 30-20 is not a range" in _build(client, token, "30-20")


def test_the_browser_language_alone_translates_the_error_page(client: TestClient) -> None:
    """No language chosen (a fresh account, no toggle pressed): `Accept-Language` decides."""
    client.headers.update(UKRAINIAN)
    log_in(client, "coord", ADMIN_PASSWORD)
    page = client.get("/lists/987654")
    assert page.status_code == 404 and page.headers["content-language"] == "uk"
    assert "списку 987654 не існує" in page.text
    english = client.get("/lists/987654", headers={"Accept-Language": "en"})
    assert "list 987654 does not exist" in english.text
    nowhere = client.get("/no/such/page")  # the framework's 404: its label, no English phrase
    assert nowhere.status_code == 404 and "Not Found" not in visible_text(nowhere.text)
    assert "Не знайдено." in visible_text(nowhere.text)


def test_a_failed_job_says_why_in_ukrainian(
    client: TestClient, sqlite_instance: Instance, admin: Actor
) -> None:
    log_in(client, "admin", ADMIN_PASSWORD)
    _choose(client, "uk")
    row = jobs.start(sqlite_instance.uow(), admin, "lists.reconcile", {"list_id": 987654})
    client.get("/jobs")  # wakes the worker
    landed = client.get(f"/jobs/{row.id}")
    _job, status = wait_for_job(client, landed)
    assert "списку 987654 не існує" in status
    assert "списку 987654 не існує" in client.get("/jobs").text
    stored = jobs.get_job(sqlite_instance.uow(), admin, row.id)
    assert stored.error == "list 987654 does not exist"  # stored, and served, in English


@pytest.mark.parametrize(
    ("english", "ukrainian"),
    [
        (
            "person 12: a name needs a surname",
            "особа 12: ім’я потребує прізвища",
        ),
        (
            "'31.02.2024' is not a date; use YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY",
            "«31.02.2024» не є датою; використовуйте РРРР, РРРР-ММ, РРРР-ММ-ДД або ДД.ММ.РРРР",
        ),
        (
            "stage 4: record every outcome before the record is signed (3 of 10 without one)",
            "етап 4: запишіть кожен результат, перш ніж підписувати протокол "
            "(без результату: 3 з 10)",
        ),
        (
            "ru.csv: import refused, 2 problems found; nothing was stored\n"
            "row 3, field 'birth_date': some check we do not know\n… and 4 more",
            "ru.csv: імпорт відхилено, знайдено проблем: 2; нічого не збережено\n"
            "рядок 3, поле «birth_date»: some check we do not know\n… і ще 4",
        ),
        (
            "building the engine's records of 12,345 persons",
            "побудова записів рушія для осіб: 12\u00a0345",
        ),
        (
            "row 3, field 'birth_date': 2030-01-01 is in the future",  # a refused file's problem
            "рядок 3, поле «birth_date»: 1 січ. 2030 р. — це в майбутньому",
        ),
        ("person 12: 2030-01-01 is in the future", "особа 12: 1 січ. 2030 р. — це в майбутньому"),
        (
            "the log holds 120 entries, but the checkpoint vouches for 130: "
            "entries 121–130 were deleted",  # the audit page, a log cut short
            "журнал містить записів: 120, але контрольна точка засвідчує 130: "
            "записи 121–130 видалено",
        ),
        ("a message no template fits", "a message no template fits"),
    ],
)
def test_errors_with_values_read_in_ukrainian(english: str, ukrainian: str) -> None:
    token = i18n.current_language.set("uk")
    try:
        assert said(english) == ukrainian
    finally:
        i18n.current_language.reset(token)
    # in English, as the code wrote it but for a date, which reads as English writes it
    assert said(english) == english.replace("2030-01-01", "Jan 1, 2030")


def test_an_import_told_twice_says_when_as_people_write_it_in_both_languages() -> None:
    """The services write the earlier import's time as `2026-12-06 18:26` (UTC): no page
    shows a raw timestamp, in either language."""
    english = "a.csv was already imported on 2026-12-06 18:26 by admin (import 3); nothing changed"
    assert said(english) == (
        "a.csv was already imported on Dec 6, 2026, 18:26 UTC by admin (import 3); nothing changed"
    )
    token = i18n.current_language.set("uk")
    try:
        assert said(english) == (
            "a.csv уже імпортовано 6 груд. 2026 р., 18:26 UTC, імпортував admin (імпорт 3); "
            "нічого не змінено"
        )
    finally:
        i18n.current_language.reset(token)
