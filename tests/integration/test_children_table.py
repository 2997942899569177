"""The children's cases table: by reference alone the database chooses and cuts the page,
the same page the in-memory pass over the folded cases gives (SQLite, and PostgreSQL when CI
provides one); status and answers stay on the cases kept per data version."""

from __future__ import annotations

import pytest

from parley.domain.accounts.accounts import Actor
from parley.domain.errors import InvalidInput
from parley.domain.paging import TableQuery, page_of
from parley.instance import Instance
from parley.services import children
from tests.integration.test_children_service import _open_many
from tests.integration.test_children_service import ombudsman as ombudsman  # a fixture


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_pages_by_reference_agree_with_sorting_the_folded_cases(
    instance: Instance, ombudsman: Actor, order: str
) -> None:
    _open_many(instance, ombudsman, 7)
    everyone = children.list_cases(instance.uow(), ombudsman)
    for page in (1, 2, 3):
        table = TableQuery(page, 3, "reference", order)
        got = children.case_table(instance.uow(), ombudsman, table)
        want = page_of(everyone, table, {"reference": lambda c: c.reference})
        assert [c.reference for c in got.items] == [c.reference for c in want.items]
        assert got.total == 7 and [c.status for c in got.items] == [c.status for c in want.items]


def test_a_page_past_the_last_and_an_unknown_sort_are_refused_by_name(
    instance: Instance, ombudsman: Actor
) -> None:
    _open_many(instance, ombudsman, 2)
    with pytest.raises(InvalidInput) as past:
        children.case_table(instance.uow(), ombudsman, TableQuery(page=2, per_page=25))
    assert past.value.field == "page"
    with pytest.raises(InvalidInput) as sort:
        children.case_table(instance.uow(), ombudsman, TableQuery(sort="status"))
    assert sort.value.field == "sort"  # a folded value: never asked of the database
