"""A list's entries and the stages held here page, sort and filter in the database: checked
through the services on SQLite (and PostgreSQL when CI provides one)."""

from __future__ import annotations

import pytest

from parley.domain.accounts.accounts import Actor
from parley.domain.errors import InvalidInput, ListNotFound
from parley.domain.lists import ListPurpose
from parley.domain.paging import TableQuery, table_query
from parley.instance import Instance
from parley.services import lists, registry
from tests.factories import a_person, missing_since

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
