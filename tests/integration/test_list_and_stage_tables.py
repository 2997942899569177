"""A list's entries and the stages held here page, sort and filter in the database: checked
through the services on SQLite (and PostgreSQL when CI provides one)."""

from __future__ import annotations

import pytest

from parley.domain.accounts.accounts import Actor
from parley.domain.errors import InvalidInput, ListNotFound
from parley.domain.exchange.stages import Parity
from parley.domain.lists import ListPurpose
from parley.domain.paging import TableQuery, table_query
from parley.instance import Instance
from parley.services import exchange, lists, registry
from tests.factories import a_person, missing_since
from tests.integration.test_stages_service import ADMIN, _plan, populate

SURNAMES = ["Бойко", "Андрієнко", "Гнатюк", "Вакуленко", "Дорошенко", "Єременко", "Жук"]


@pytest.fixture
def list_id(instance: Instance, admin: Actor) -> int:
    """A list of seven persons born a year apart, the last with no known birth date."""
    for n, surname in enumerate(SURNAMES):
        person = a_person(surname=surname, born=None if n == 6 else f"{1990 + n}-01-01")
        registry.register_person(instance.uow(), admin, person, missing_since())
    built = lists.build_list(
        instance.uow(),
        admin,
        "UA",
        lists.ListDraft("Everyone", ListPurpose.OFFER, ("RU",)),
        lists.RegistrySelection(),
    )
    return built.stored.id


def _entries(**params: str) -> TableQuery:
    return table_query(
        params, sorts=lists.ENTRY_SORTS, filters=lists.ENTRY_FILTERS, default_sort="position"
    )


def _surnames(instance: Instance, admin: Actor, list_id: int, table: TableQuery) -> list[str]:
    shown = lists.list_page(instance.uow(), admin, list_id, table)
    return [e.entry["surname"] for e in shown.entries.items]


def test_a_lists_entries_sort_in_the_database_with_missing_births_last(
    instance: Instance, admin: Actor, list_id: int
) -> None:
    by_name = _surnames(instance, admin, list_id, _entries(sort="surname"))
    assert by_name == sorted(SURNAMES)
    assert _surnames(instance, admin, list_id, _entries(sort="surname", order="desc")) == sorted(
        SURNAMES, reverse=True
    )
    youngest_first = _surnames(instance, admin, list_id, _entries(sort="born", order="desc"))
    assert youngest_first == [*reversed(SURNAMES[:6]), "Жук"]
    oldest_first = _surnames(instance, admin, list_id, _entries(sort="born"))
    assert oldest_first == SURNAMES


def test_a_lists_entries_page_without_overlap_and_filter_before_counting(
    instance: Instance, admin: Actor, list_id: int
) -> None:
    seen: list[str] = []
    for number in (1, 2, 3):
        table = TableQuery(page=number, per_page=3, sort="surname")
        shown = lists.list_page(instance.uow(), admin, list_id, table)
        assert shown.entries.total == 7 and shown.stored.entry_count == 7
        seen += [e.entry["surname"] for e in shown.entries.items]
    assert seen == sorted(SURNAMES)
    # any case of a Cyrillic name, and a ref, is found; LIKE's wildcards are only text
    for text in ("енко", "ЕНКО", "Енко"):
        found = _surnames(instance, admin, list_id, _entries(q=text, sort="surname"))
        assert found == sorted(["Вакуленко", "Дорошенко", "Єременко"]), text
    assert _surnames(instance, admin, list_id, _entries(q="андрієнко")) == ["Андрієнко"]
    page = lists.list_page(instance.uow(), admin, list_id, _entries(q="енко"))
    assert page.entries.total == 3
    assert _surnames(instance, admin, list_id, _entries(q="%")) == []
    first_ref = lists.list_page(instance.uow(), admin, list_id, _entries()).entries.items[0].ref
    assert _surnames(instance, admin, list_id, _entries(q=first_ref)) == [SURNAMES[0]]


def test_a_lists_entries_refuse_hostile_paging_by_name(
    instance: Instance, admin: Actor, list_id: int
) -> None:
    with pytest.raises(InvalidInput) as refused:
        lists.list_page(instance.uow(), admin, list_id, TableQuery(page=3, per_page=25))
    assert refused.value.field == "page"
    with pytest.raises(InvalidInput) as refused:
        lists.list_page(instance.uow(), admin, list_id, TableQuery(sort="entry"))
    assert refused.value.field == "sort"
    with pytest.raises(InvalidInput) as refused:
        _entries(sort="entry_key")
    assert refused.value.field == "sort"
    with pytest.raises(ListNotFound):
        lists.list_page(instance.uow(), admin, 10**6, TableQuery(sort="position"))


@pytest.fixture
def three_stages(instance: Instance) -> list[int]:
    """Three stages of different sizes and parities over the stages tests' registry."""
    populate(instance)
    return [
        _plan(instance, "Stage 1", capacity=10).summary.id,
        _plan(instance, "Etap druhyi", capacity=1, parity=Parity.EQUAL_TOTALS).summary.id,
        _plan(instance, "stage 3", capacity=2).summary.id,
    ]


def _stages(**params: str) -> TableQuery:
    return table_query(
        params, sorts=exchange.STAGE_SORTS, filters=exchange.STAGE_FILTERS, default_sort="on"
    )


@pytest.mark.parametrize("sort", ["id", "name", "parity", "released", "expected", "recorded"])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_the_stages_sort_in_the_database_as_their_summaries_do(
    instance: Instance, three_stages: list[int], sort: str, order: str
) -> None:
    every = exchange.list_stages(instance.uow(), ADMIN)
    assert sorted(s.id for s in every) == sorted(three_stages)
    field = {"on": "on", "id": "id"}.get(sort, sort)
    # the tiebreak is date then id, whatever the order: sort stably on it first
    expected = sorted(every, key=lambda s: (s.on, s.id))
    expected.sort(key=lambda s: getattr(s, field), reverse=order == "desc")
    page = exchange.stage_table(instance.uow(), ADMIN, _stages(sort=sort, order=order))
    assert [s.id for s in page.items] == [s.id for s in expected]
    assert page.items == expected  # the same summaries, computed from the page's rows


def test_the_stages_page_and_filter_before_counting(
    instance: Instance, three_stages: list[int]
) -> None:
    first = exchange.stage_table(instance.uow(), ADMIN, TableQuery(per_page=2, sort="id"))
    second = exchange.stage_table(instance.uow(), ADMIN, TableQuery(page=2, per_page=2, sort="id"))
    assert (first.total, second.total) == (3, 3)
    assert [s.id for s in first.items + second.items] == sorted(three_stages)
    named = exchange.stage_table(instance.uow(), ADMIN, _stages(q="STAGE", sort="id"))
    assert [s.name for s in named.items] == ["Stage 1", "stage 3"]
    totals = exchange.stage_table(instance.uow(), ADMIN, _stages(parity="equal_totals"))
    assert [s.name for s in totals.items] == ["Etap druhyi"] and totals.total == 1
    with pytest.raises(InvalidInput) as refused:
        exchange.stage_table(instance.uow(), ADMIN, _stages(parity="roughly"))
    assert refused.value.field == "parity"
    with pytest.raises(InvalidInput) as refused:
        exchange.stage_table(instance.uow(), ADMIN, TableQuery(page=2, per_page=25))
    assert refused.value.field == "page"
    with pytest.raises(InvalidInput) as refused:
        exchange.stage_table(instance.uow(), ADMIN, TableQuery(sort="plan"))
    assert refused.value.field == "sort"
