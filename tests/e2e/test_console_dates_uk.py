"""Issue 16: a person's date of birth reads as the language writes it on every console page
that shows one, to the precision recorded (the full date, the month and year, the year), never
as `1990-05-03`, `1990-05` or a bare ISO timestamp."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from parley.domain.accounts.accounts import Actor
from parley.domain.lists import ListPurpose
from parley.instance import Instance
from parley.services import lists, registry
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD
from tests.e2e.console_client import csrf_of, log_in, wait_for_job
from tests.e2e.test_console_languages import ISO_TIMESTAMP, english_words, visible_text
from tests.factories import a_person, missing_since

BORN = {"Бойко": "1990-05-03", "Гнатюк": "1991-05", "Вакуленко": "1992"}
RAW = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b|T\d{2}:\d{2}(?::\d{2})?Z?\b")


@pytest.fixture
def client(sqlite_instance: Instance, admin: Actor) -> Iterator[TestClient]:
    for surname, born in BORN.items():
        person = a_person(surname=surname, born=born)
        registry.register_person(sqlite_instance.uow(), admin, person, missing_since())
    lists.build_list(
        sqlite_instance.uow(),
        admin,
        "UA",
        lists.ListDraft("Everyone", ListPurpose.OFFER, ("RU",)),
        lists.RegistrySelection(),
    )
    with TestClient(create_app(sqlite_instance), raise_server_exceptions=False) as test_client:
        log_in(test_client, "admin", ADMIN_PASSWORD)
        yield test_client


def _speak(client: TestClient, language: str) -> None:
    page = client.get("/persons")
    client.post("/language", data={"language": language, "csrf_token": csrf_of(page.text)})


def _pages(client: TestClient) -> dict[str, str]:
    persons = client.get("/persons").text
    first = re.search(r'href="(/persons/\d+)"', persons)
    assert first is not None
    responses = {
        first.group(1): client.get(first.group(1)),
        "/lists/1": client.get("/lists/1"),
        "/lists/1/category-check": client.get(
            "/lists/1/category-check", params={"category": "aged_18_25", "on": "2025-06-09"}
        ),
    }
    assert {path: r.status_code for path, r in responses.items()} == dict.fromkeys(responses, 200)
    return {"/persons": persons} | {path: r.text for path, r in responses.items()}


def test_birth_dates_read_in_ukrainian_to_the_precision_recorded(client: TestClient) -> None:
    _speak(client, "uk")
    pages = _pages(client)
    table = re.sub(r"\s", " ", visible_text(pages["/persons"]))  # CLDR's no-break spaces
    assert "3 трав. 1990 р." in table and "трав. 1991 р." in table and "1992" in table
    assert "Реєстр" in table
    listed = re.sub(r"\s", " ", visible_text(pages["/lists/1"]))
    assert "трав. 1991 р." in listed and "Записи" in listed
    leaks = {}
    for path, html in pages.items():
        text = re.sub(r"\s", " ", visible_text(html, skip_code=True))
        found = set(RAW.findall(text)) | set(ISO_TIMESTAMP.findall(text)) | english_words(text)
        if found:
            leaks[path] = sorted(found)
    assert leaks == {}
    # the exact value stays for machines
    assert '<time datetime="1991-05">' in pages["/persons"]


def test_birth_dates_read_in_english_too(client: TestClient) -> None:
    _speak(client, "en")
    table = visible_text(client.get("/persons").text)
    assert "May 3, 1990" in table and "May 1991" in table and "1992" in table
    assert RAW.findall(table) == []


def test_a_refused_imports_problems_read_in_ukrainian(client: TestClient) -> None:
    """A failed import job listed each problem in English on a Ukrainian page."""
    _speak(client, "uk")
    page = client.get("/import").text
    content = "surname,given_name,birth_date\n,Іван,1990\nБойко,Петро,2090-01-01\n".encode()
    landed = client.post(
        "/import",
        data={"csrf_token": csrf_of(page)},
        files={"file": ("list.csv", content, "text/csv")},
    )
    job_id, status = wait_for_job(client, landed)
    text = re.sub(r"\s", " ", visible_text(status))
    assert "імпорт відхилено, знайдено проблем: 2; нічого не збережено" in text, text
    assert "рядок 2, поле «surname»: не може бути порожнім" in text
    assert "1 січ. 2090 р. — це в майбутньому" in text
    assert RAW.findall(text) == [] and english_words(text) == set()
    jobs = re.sub(r"\s", " ", visible_text(client.get("/jobs").text))
    assert "імпорт відхилено" in jobs and english_words(jobs) == set()
    assert f"/jobs/{job_id}" in client.get("/jobs").text
