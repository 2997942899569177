"""Long tables page, sort and filter in the database: checked through the services on SQLite
(and PostgreSQL when CI provides one), with hostile paging input refused by name."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from parley.domain.accounts.accounts import Actor
from parley.domain.errors import InvalidInput, MatchRunNotFound
from parley.domain.paging import MAX_OFFSET, PageRequest, TableQuery, table_query
from parley.domain.registry.persons import PERSON_SORTS, PersonCategory, PersonQuery
from parley.instance import Instance
from parley.services import accounts, matching, registry
from parley.services.accounts.audit import AUDIT_FILTERS, AUDIT_SORTS
from parley.store import tables as t
from parley.store._sql import count, order_by
from parley.store.registry.persons import _person_sorts
from tests.factories import a_person, missing_since

SURNAMES = ["Бойко", "Андрієнко", "Гнатюк", "Вакуленко", "Дорошенко", "Єременко", "Жук"]


@pytest.fixture
def seven(instance: Instance, admin: Actor) -> Instance:
    """Seven persons: births one year apart (the last unknown), two sides, two categories."""
    for n, surname in enumerate(SURNAMES):
        person = a_person(
            surname=surname,
            born=None if n == 6 else f"{1990 + n}-01-01",
            side="RU" if n % 3 == 0 else "UA",
            category=PersonCategory.CIVILIAN if n % 2 else PersonCategory.MILITARY,
        )
        registry.register_person(instance.uow(), admin, person, missing_since())
    return instance


def _table(**params: str) -> TableQuery:
    return table_query(params, sorts=PERSON_SORTS, filters=("side",), per_page=25)


def _surnames(instance: Instance, admin: Actor, query: PersonQuery, table: TableQuery) -> list[str]:
    page = registry.person_table(instance.uow(), admin, query, table)
    return [p.name.split()[0] for p in page.items]


def test_the_store_offers_exactly_the_sorts_the_list_shows() -> None:
    assert tuple(_person_sorts()) == PERSON_SORTS


def test_sorting_is_done_by_the_database_with_missing_values_last(
    seven: Instance, admin: Actor
) -> None:
    everyone = PersonQuery()
    assert _surnames(seven, admin, everyone, _table()) == sorted(SURNAMES)  # name by default
    assert _surnames(seven, admin, everyone, _table(sort="born")) == SURNAMES
    newest_first = _surnames(seven, admin, everyone, _table(sort="born", order="desc"))
    assert newest_first == [*reversed(SURNAMES[:6]), "Жук"]  # unknown birth still last


def test_pages_neither_overlap_nor_skip_and_filters_narrow_before_counting(
    seven: Instance, admin: Actor
) -> None:
    first = TableQuery(page=1, per_page=25, sort="side")
    rows = registry.person_table(seven.uow(), admin, PersonQuery(), first)
    assert rows.total == 7
    by_three = [
        registry.person_table(
            seven.uow(), admin, PersonQuery(), TableQuery(page=n, per_page=3, sort="side")
        )
        for n in (1, 2, 3)
    ]
    assert [p.id for page in by_three for p in page.items] == [p.id for p in rows.items]
    assert [len(p.items) for p in by_three] == [3, 3, 1]
    ru = registry.person_table(seven.uow(), admin, PersonQuery(side="RU"), first)
    assert ru.total == 3 and {p.side for p in ru.items} == {"RU"}
    civilians = PersonQuery(category=PersonCategory.CIVILIAN, born_from=date(1992, 1, 1))
    assert _surnames(seven, admin, civilians, _table(sort="born")) == ["Вакуленко", "Єременко"]


def test_a_page_past_the_last_is_refused_by_name(seven: Instance, admin: Actor) -> None:
    with pytest.raises(InvalidInput) as refused:
        registry.person_table(seven.uow(), admin, PersonQuery(), TableQuery(page=9, per_page=25))
    assert refused.value.field == "page" and "past the last page" in refused.value.message
    # an empty table is one empty page, not an error
    nobody = registry.person_table(seven.uow(), admin, PersonQuery(side="XX"), _table())
    assert nobody.total == 0 and nobody.items == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "password"}, "sort"),
        ({"sort": "name; DROP TABLE persons"}, "sort"),
        ({"page": str(2**63)}, "page"),
        ({"page": "9" * 5000}, "page"),
        ({"page": "²"}, "page"),
        ({"page": str(MAX_OFFSET)}, "page"),
        ({"per_page": "100000"}, "per_page"),
        ({"order": "desc, id"}, "order"),
    ],
)
def test_hostile_paging_input_is_refused_by_name(params: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        _table(**params)
    assert refused.value.field == field


def test_an_offset_past_a_64_bit_integer_is_refused_before_any_sql() -> None:
    with pytest.raises(InvalidInput) as refused:
        PageRequest(2**63, 50)
    assert refused.value.field == "offset"


def test_the_store_refuses_a_sort_it_does_not_offer(seven: Instance) -> None:
    with pytest.raises(InvalidInput) as refused:
        order_by(TableQuery(sort="password"), _person_sorts(), ())
    assert refused.value.field == "sort"
    with seven.uow() as uow:
        assert count(uow.session, select(t.persons.c.id)) == 7


def test_the_audit_log_filters_and_sorts_in_the_database(seven: Instance, admin: Actor) -> None:
    table = table_query(
        {"action": "person.", "per_page": "25"},
        sorts=AUDIT_SORTS,
        filters=AUDIT_FILTERS,
        default_sort="seq",
        default_order="desc",
    )
    page = accounts.audit_table(seven.uow(), admin, table)
    assert page.total >= 7 and all(e.action.startswith("person.") for e in page.items)
    seqs = [e.seq for e in page.items]
    assert seqs == sorted(seqs, reverse=True)
    # a LIKE wildcard is a character to look for, not a pattern
    wild = TableQuery(per_page=25, sort="seq", filters=(("action", "%"),))
    assert accounts.audit_table(seven.uow(), admin, wild).total == 0
    nobody = TableQuery(per_page=25, sort="seq", filters=(("actor", "test:nobody"),))
    assert accounts.audit_table(seven.uow(), admin, nobody).items == []


def test_the_match_tables_check_their_filters_before_any_sql(
    instance: Instance, admin: Actor
) -> None:
    odd = TableQuery(sort="row", filters=(("outcome", "maybe"),))
    with pytest.raises(InvalidInput) as refused:
        matching.entry_table(instance.uow(), admin, 1, odd)
    assert refused.value.field == "outcome"
    with pytest.raises(InvalidInput) as refused:
        matching.run_table(instance.uow(), admin, TableQuery(filters=(("kind", "all"),)))
    assert refused.value.field == "kind"
    with pytest.raises(MatchRunNotFound):
        matching.entry_table(instance.uow(), admin, 2**31 - 1, TableQuery(sort="row"))
    empty = matching.run_table(instance.uow(), admin, TableQuery(sort="entries", order="desc"))
    assert (empty.total, empty.items) == (0, [])
