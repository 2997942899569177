"""A list's entries and the stages table in the console: paged, sorted and searched by the
server, hostile paging a named 400 (see tests/integration/test_list_and_stage_tables.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from parley.domain.accounts.accounts import Actor
from parley.domain.lists import ListPurpose
from parley.instance import Instance
from parley.services import lists, registry
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD
from tests.e2e.console_client import log_in
from tests.factories import a_person, missing_since

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
