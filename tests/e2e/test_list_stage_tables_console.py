"""A list's entries and the stages table in the console: paged, sorted and searched by the
server, hostile paging a named 400 (see tests/integration/test_list_and_stage_tables.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from parley.domain.accounts.accounts import Actor
from parley.domain.exchange.stages import Parity
from parley.domain.lists import ListPurpose
from parley.instance import Instance
from parley.services import lists, registry
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD
from tests.e2e.console_client import csrf_of, log_in
from tests.e2e.test_stages_cli_api_console import copied as copied  # a fixture
from tests.e2e.test_stages_cli_api_console import template as template  # a fixture
from tests.factories import a_person, missing_since
from tests.integration.test_stages_service import _plan

SURNAMES = ["Бойко", "Андрієнко", "Гнатюк", "Вакуленко"]


@dataclass
class Console:
    client: TestClient
    list_path: str


@pytest.fixture
def console(sqlite_instance: Instance, admin: Actor) -> Iterator[Console]:
    for n, surname in enumerate(SURNAMES):
        person = a_person(surname=surname, born=f"{1990 + n}-01-01")
        registry.register_person(sqlite_instance.uow(), admin, person, missing_since())
    built = lists.build_list(
        sqlite_instance.uow(),
        admin,
        "UA",
        lists.ListDraft("Everyone", ListPurpose.OFFER, ("RU",)),
        lists.RegistrySelection(),
    )
    with TestClient(create_app(sqlite_instance), raise_server_exceptions=False) as client:
        log_in(client, "admin", ADMIN_PASSWORD)
        yield Console(client, f"/lists/{built.stored.id}")


def _entries(html: str) -> list[str]:
    body = html.split('<table class="list entries">', 1)[1].split("</table>", 1)[0]
    return re.findall(r"</td><td>(\S+)</td><td>Богдан</td>", body)


def test_a_lists_entries_sort_page_and_search_on_the_server(console: Console) -> None:
    client, path = console.client, console.list_path
    assert _entries(client.get(path).text) == SURNAMES  # list order
    by_name = client.get(path, params={"sort": "surname"}).text
    assert _entries(by_name) == sorted(SURNAMES) and 'aria-sort="ascending"' in by_name
    youngest = client.get(path, params={"sort": "born", "order": "desc"}).text
    assert _entries(youngest) == list(reversed(SURNAMES))
    second = client.get(path, params={"sort": "surname", "per_page": "25", "page": "1"}).text
    assert "Page 1 of 1" in second and "4 rows" in second
    found = client.get(path, params={"q": "ЕНКО", "sort": "surname"}).text
    assert _entries(found) == ["Вакуленко"] and 'value="ЕНКО"' in found
    # links keep the search: a header sorts the found entries, not the whole list
    assert "q=%D0%95%D0%9D%D0%9A%D0%9E" in found
    nothing = client.get(path, params={"q": "Шевченко"}).text
    assert "No entries match." in nothing and "Page 1 of 1" in nothing


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"sort": "entry_key"}, "cannot sort by"),
        ({"page": str(2**63)}, "too large"),
        ({"page": "7"}, "past the last page"),
        ({"per_page": "3"}, "per_page"),
        ({"order": "sideways"}, "order"),
        ({"page": "-1"}, "page must be a whole number"),
    ],
)
def test_hostile_paging_of_a_lists_entries_is_a_named_400(
    console: Console, params: dict[str, str], named: str
) -> None:
    response = console.client.get(console.list_path, params=params)
    assert response.status_code == 400, response.text
    assert named in response.text


def test_the_entries_page_speaks_ukrainian(console: Console) -> None:
    console.client.cookies.set("parley_lang", "uk")
    html = console.client.get(console.list_path, headers={"Accept-Language": "uk"}).text
    assert "Номер або ім’я містить" in html and "Пошук у записах" in html


def _stage_rows(html: str) -> list[str]:
    body = html.split('<table class="list stages" id="held">', 1)[1].split("</table>", 1)[0]
    return re.findall(r'</td><td><a href="/stages/\d+">([^<]+)</a></td>', body)


def test_the_stages_table_sorts_pages_and_filters_on_the_server(copied: Instance) -> None:
    for name, capacity, parity in (("Stage 1", 10, Parity.EQUAL_PER_CATEGORY),
                                   ("Etap druhyi", 1, Parity.EQUAL_TOTALS),
                                   ("stage 3", 2, Parity.EQUAL_PER_CATEGORY)):  # fmt: skip
        _plan(copied, name, capacity=capacity, parity=parity)
    with TestClient(create_app(copied), raise_server_exceptions=False) as client:
        log_in(client, "admin", ADMIN_PASSWORD)
        page = client.get("/stages").text
        assert _stage_rows(page) == ["Stage 1", "Etap druhyi", "stage 3"]
        assert "Page 1 of 1" in page and "3 rows" in page
        # the day of the third: one outcome recorded, so it sorts first by outcomes recorded
        third = client.get("/stages/3")
        recorded = client.post(
            "/stages/3/outcomes",
            data={"csrf_token": csrf_of(third.text), "everyone_else": "transferred",
                  "on": "2025-06-09"},
            follow_redirects=False,
        )  # fmt: skip
        assert recorded.status_code == 303, recorded.text
        most = client.get("/stages", params={"sort": "recorded", "order": "desc"}).text
        assert _stage_rows(most)[0] == "stage 3" and 'aria-sort="descending"' in most
        released = client.get("/stages", params={"sort": "released"}).text
        assert _stage_rows(released) == ["Etap druhyi", "stage 3", "Stage 1"]
        two = client.get("/stages", params={"sort": "id", "per_page": "25", "q": "STAGE"}).text
        assert _stage_rows(two) == ["Stage 1", "stage 3"] and 'value="STAGE"' in two
        totals = client.get("/stages", params={"parity": "equal_totals"}).text
        assert _stage_rows(totals) == ["Etap druhyi"]
        assert '<option value="equal_totals" selected>' in totals
        none = client.get("/stages", params={"q": "Женева"}).text
        assert "No stages match." in none
        # the chart and the plan form's "previous stage" still offer every stage
        assert none.count('<option value="3"') == 1


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"sort": "plan"}, "cannot sort by"),
        ({"page": str(2**63)}, "too large"),
        ({"page": "2"}, "past the last page"),
        ({"per_page": "7"}, "per_page"),
        ({"order": "up"}, "order"),
        ({"parity": "roughly"}, "not a parity"),
    ],
)
def test_hostile_paging_of_the_stages_is_a_named_400(
    copied: Instance, params: dict[str, str], named: str
) -> None:
    _plan(copied)
    with TestClient(create_app(copied), raise_server_exceptions=False) as client:
        log_in(client, "admin", ADMIN_PASSWORD)
        response = client.get("/stages", params=params)
    assert response.status_code == 400, response.text
    assert named in response.text
