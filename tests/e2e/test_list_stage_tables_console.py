"""A list's entries and the stages table in the console: paged, sorted and searched by the
server, hostile paging a named 400 (see tests/integration/test_list_and_stage_tables.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from parley.domain.accounts.accounts import Actor, Role
from parley.domain.exchange.stages import Parity
from parley.domain.lists import ListPurpose
from parley.instance import Instance
from parley.services import lists, registry
from parley.web.app import create_app
from tests.conftest import ADMIN_PASSWORD
from tests.e2e.console_client import csrf_of, log_in
from tests.e2e.test_console_languages import visible_text
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


KEPT = ("Андрієнко", "Вакуленко")
REMOVED = [s for s in SURNAMES if s not in KEPT]


@pytest.fixture
def second(sqlite_instance: Instance, admin: Actor) -> Iterator[Console]:
    """Version 2 of "Everyone" keeps the UA side: Бойко and Гнатюк were removed."""
    for n, surname in enumerate(SURNAMES):
        side = "UA" if surname in KEPT else "RU"
        person = a_person(surname=surname, born=f"{1990 + n}-01-01", side=side)
        registry.register_person(sqlite_instance.uow(), admin, person, missing_since())
    draft = lists.ListDraft("Everyone", ListPurpose.OFFER, ("RU",))
    lists.build_list(sqlite_instance.uow(), admin, "UA", draft, lists.RegistrySelection())
    built = lists.build_list(
        sqlite_instance.uow(), admin, "UA", draft, lists.RegistrySelection(side="UA")
    )
    with TestClient(create_app(sqlite_instance), raise_server_exceptions=False) as client:
        log_in(client, "admin", ADMIN_PASSWORD)
        yield Console(client, f"/lists/{built.stored.id}")


def _removed(html: str) -> list[str]:
    body = html.split('<table class="list removed">', 1)[1].split("</table>", 1)[0]
    return re.findall(r"</td><td>(\S+)</td><td>Богдан</td>", body)


def test_the_removed_entries_sort_page_and_search_on_the_server(second: Console) -> None:
    client, path = second.client, second.list_path
    first = client.get(path).text
    assert _removed(first) == REMOVED and _entries(first) == list(KEPT)
    assert "Removed since the previous version (2)" in first
    by_name = client.get(path, params={"removed_sort": "surname", "removed_order": "desc"}).text
    assert _removed(by_name) == sorted(REMOVED, reverse=True)
    assert _entries(by_name) == list(KEPT)  # the entries keep their own order
    youngest = client.get(path, params={"removed_sort": "born", "removed_order": "desc"}).text
    assert _removed(youngest) == list(reversed(REMOVED))
    found = client.get(path, params={"removed_q": "гнат", "q": "Вакул"}).text
    assert _removed(found) == ["Гнатюк"] and _entries(found) == ["Вакуленко"]
    assert 'name="removed_q" type="search" value="гнат"' in found
    # each table's links and forms keep the other's place, and return to it
    removed_part = found.split('id="removed"', 1)[1]
    assert "q=%D0%92%D0%B0%D0%BA%D1%83%D0%BB" in removed_part and "#removed" in removed_part
    assert '<input type="hidden" name="q" value="Вакул">' in removed_part
    entries_part = found.split('id="removed"', 1)[0].split('id="entries"', 1)[1]
    assert "removed_q=%D0%B3%D0%BD%D0%B0%D1%82" in entries_part
    assert '<input type="hidden" name="removed_q" value="гнат">' in entries_part
    nothing = client.get(path, params={"removed_q": "Шевченко"}).text
    assert _removed(nothing) == [] and "No entries match." in nothing


def test_the_removed_entries_show_a_second_page(second: Console) -> None:
    """Pages of 25 need 26 removed: two versions of a list of 30, the second keeping 4."""
    client, path = second.client, second.list_path
    instance = client.app.state.instance  # type: ignore[attr-defined]
    admin = Actor("admin", frozenset({Role.ADMIN}), "test", 1)
    for n in range(26):
        person = a_person(surname=f"Removed{n:02d}", born=f"{1960 + n}-01-01", side="RU")
        registry.register_person(instance.uow(), admin, person, missing_since())
    draft = lists.ListDraft("Many", ListPurpose.OFFER, ("RU",))
    lists.build_list(instance.uow(), admin, "UA", draft, lists.RegistrySelection())
    built = lists.build_list(instance.uow(), admin, "UA", draft, lists.RegistrySelection(side="UA"))
    path = f"/lists/{built.stored.id}"
    total = 26 + len(REMOVED)
    one = client.get(path, params={"removed_per_page": "25", "removed_sort": "surname"}).text
    assert len(_removed_rows(one)) == 25 and f"{total} rows" in one
    assert "removed_page=2" in one and 'rel="next"' in one.split('id="removed"', 1)[1]
    two = client.get(
        path, params={"removed_per_page": "25", "removed_sort": "surname", "removed_page": "2"}
    ).text
    assert len(_removed_rows(two)) == total - 25 and "Page 2 of 2" in two
    assert set(_removed_rows(one)).isdisjoint(_removed_rows(two))


def _removed_rows(html: str) -> list[str]:
    body = html.split('<table class="list removed">', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr><td>([^<]+)</td>", body)


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"removed_sort": "entry_key"}, "cannot sort by"),
        ({"removed_page": str(2**63)}, "too large"),
        ({"removed_page": "7"}, "past the last page"),
        ({"removed_per_page": "3"}, "removed_per_page"),
        ({"removed_order": "sideways"}, "removed_order"),
        ({"removed_page": "-1"}, "removed_page must be a whole number"),
    ],
)
def test_hostile_paging_of_the_removed_entries_is_a_named_400(
    second: Console, params: dict[str, str], named: str
) -> None:
    response = second.client.get(second.list_path, params=params)
    assert response.status_code == 400, response.text
    assert named in response.text


def test_the_removed_entries_speak_ukrainian(second: Console) -> None:
    page = second.client.get(second.list_path)
    second.client.post("/language", data={"language": "uk", "csrf_token": csrf_of(page.text)})
    html = second.client.get(second.list_path).text
    assert "Вилучено від попередньої версії (2)" in html and "Пошук у вилучених записах" in html
    removed_part = html.split('id="removed"', 1)[1]
    assert "Сторінка 1 з 1" in removed_part
    assert not re.search(r"\b\d{4}-\d{2}(-\d{2})?\b", visible_text(html))  # births as words


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
