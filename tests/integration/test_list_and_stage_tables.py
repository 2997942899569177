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


KEPT = ("Андрієнко", "Вакуленко")
REMOVED = [s for s in SURNAMES if s not in KEPT]


@pytest.fixture
def second_version(instance: Instance, admin: Actor) -> int:
    """Version 2 of a list of seven keeps the two on the UA side: five removed, one (Жук) with
    no known birth date."""
    for n, surname in enumerate(SURNAMES):
        side = "UA" if surname in KEPT else "RU"
        person = a_person(surname=surname, born=None if n == 6 else f"{1990 + n}-01-01", side=side)
        registry.register_person(instance.uow(), admin, person, missing_since())
    draft = lists.ListDraft("Everyone", ListPurpose.OFFER, ("RU",))
    lists.build_list(instance.uow(), admin, "UA", draft, lists.RegistrySelection())
    built = lists.build_list(instance.uow(), admin, "UA", draft, lists.RegistrySelection(side="UA"))
    assert built.stored.version == 2
    return built.stored.id


def _removed(**params: str) -> TableQuery:
    return table_query(
        params,
        sorts=lists.ENTRY_SORTS,
        filters=lists.ENTRY_FILTERS,
        default_sort="position",
        prefix="removed_",
    )


def _removed_surnames(
    instance: Instance, admin: Actor, list_id: int, removed: TableQuery
) -> list[str]:
    shown = lists.list_page(instance.uow(), admin, list_id, _entries(), removed)
    return [e.entry["surname"] for e in shown.removed.items]


def test_the_entries_a_version_removed_sort_page_and_filter_in_the_database(
    instance: Instance, admin: Actor, second_version: int
) -> None:
    shown = lists.list_page(instance.uow(), admin, second_version, _entries())
    assert shown.removed_count == shown.removed.total == 5
    assert [e.entry["surname"] for e in shown.removed.items] == REMOVED  # list order
    assert [e.entry["surname"] for e in shown.entries.items] == list(KEPT)
    by_name = _removed(removed_sort="surname", removed_order="desc")
    assert _removed_surnames(instance, admin, second_version, by_name) == sorted(
        REMOVED, reverse=True
    )
    youngest = _removed(removed_sort="born", removed_order="desc")
    assert _removed_surnames(instance, admin, second_version, youngest) == [
        *reversed(REMOVED[:4]),
        "Жук",  # no birth date: last whatever the order
    ]
    seen: list[str] = []
    for number in (1, 2, 3):
        table = TableQuery(page=number, per_page=2, sort="surname", prefix="removed_")
        seen += _removed_surnames(instance, admin, second_version, table)
    assert seen == sorted(REMOVED)
    for text in ("енко", "ЕНКО"):
        found = _removed_surnames(instance, admin, second_version, _removed(removed_q=text))
        assert found == ["Дорошенко", "Єременко"], text
    # the entries' own search does not reach the removed table, nor the other way round
    both = lists.list_page(
        instance.uow(), admin, second_version, _entries(q="Вакул"), _removed(removed_q="Жук")
    )
    assert [e.entry["surname"] for e in both.entries.items] == ["Вакуленко"]
    assert [e.entry["surname"] for e in both.removed.items] == ["Жук"]


def test_the_removed_entries_refuse_hostile_paging_by_their_own_names(
    instance: Instance, admin: Actor, second_version: int
) -> None:
    with pytest.raises(InvalidInput) as refused:
        lists.list_page(
            instance.uow(),
            admin,
            second_version,
            _entries(),
            TableQuery(page=4, per_page=2, prefix="removed_"),
        )
    assert refused.value.field == "removed_page"
    for params, field in (
        ({"removed_sort": "entry_key"}, "removed_sort"),
        ({"removed_page": "0"}, "removed_page"),
        ({"removed_per_page": "7"}, "removed_per_page"),
        ({"removed_order": "up"}, "removed_order"),
    ):
        with pytest.raises(InvalidInput) as refused:
            _removed(**params)
        assert refused.value.field == field
    # a first version removed nothing: its removed table is empty, whatever is asked
    first = lists.list_page(instance.uow(), admin, second_version - 1, _entries(), _removed())
    assert first.removed_count == first.removed.total == 0


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
