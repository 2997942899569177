"""The one paging and sorting helper every long table uses: checked input, stable sorting,
links that keep the filters."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from parley.domain.errors import InvalidInput
from parley.domain.paging import TableQuery, page_of, query_names, table_query

SORTS = ("name", "born")


def _query(**params: str) -> TableQuery:
    return table_query(params, sorts=SORTS, filters=("status",), default_sort="name")


def test_defaults_and_the_window() -> None:
    query = _query()
    assert (query.page, query.per_page, query.sort, query.order) == (1, 50, "name", "asc")
    assert _query(page="3", per_page="25").window.offset == 50


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"per_page": "7"}, "per_page"),
        ({"sort": "password"}, "sort"),
        ({"order": "sideways"}, "order"),
    ],
)
def test_a_value_the_table_does_not_offer_is_refused_by_name(
    params: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _query(**params)
    assert refused.value.field == field


def test_links_keep_the_filters_and_a_new_sort_starts_on_page_one() -> None:
    query = _query(status="held", page="4", sort="born", order="asc")
    link = parse_qs(urlparse(query.sort_href("/t", "born")).query)
    assert link == {
        "status": ["held"],
        "page": ["1"],
        "per_page": ["50"],
        "sort": ["born"],
        "order": ["desc"],
    }
    assert parse_qs(urlparse(query.href("/t", page=5)).query)["status"] == ["held"]


def test_sorting_keeps_missing_values_last_and_ties_in_order() -> None:
    rows = [("b", 2), ("a", None), ("c", 1), ("d", 2)]
    keys = {"name": lambda r: r[0], "born": lambda r: r[1]}
    ascending = page_of(rows, _query(sort="born"), keys)
    assert [r[0] for r in ascending.items] == ["c", "b", "d", "a"]
    descending = page_of(rows, _query(sort="born", order="desc"), keys)
    assert [r[0] for r in descending.items] == ["b", "d", "c", "a"]


def test_pages_count_and_a_page_past_the_end_is_refused() -> None:
    rows = list(range(60))
    page = page_of(rows, _query(page="2", per_page="25"), {})
    assert (page.items[0], page.number, page.pages, page.total) == (25, 2, 3, 60)
    with pytest.raises(InvalidInput):
        page_of(rows, _query(page="4", per_page="25"), {})
    assert page_of([], _query(page="1"), {}).pages == 1


def test_a_second_table_reads_its_own_names_and_each_keeps_the_others_place() -> None:
    """A list's removed entries page beside its entries: `removed_page` moves one table only."""
    params = {"status": "held", "page": "2", "removed_status": "free", "removed_page": "3"}
    first = table_query(
        params,
        sorts=SORTS,
        filters=("status",),
        keep=query_names(("status",), "removed_"),
    )
    second = table_query(
        params,
        sorts=SORTS,
        filters=("status",),
        prefix="removed_",
        keep=query_names(("status",)),
        anchor="removed",
    )
    assert (first.page, first.filter("status")) == (2, "held")
    assert (second.page, second.filter("status")) == (3, "free")
    moved = urlparse(second.href("/t", page=4))
    assert moved.fragment == "removed"
    assert parse_qs(moved.query) == {
        "status": ["held"],
        "page": ["2"],
        "removed_status": ["free"],
        "removed_page": ["4"],
        "removed_per_page": ["50"],
        "removed_order": ["asc"],
    }
    back = parse_qs(urlparse(first.sort_href("/t", "born")).query)
    assert back["removed_page"] == ["3"] and back["page"] == ["1"] and back["sort"] == ["born"]
    with pytest.raises(InvalidInput) as refused:
        table_query({"removed_page": "0"}, sorts=SORTS, prefix="removed_")
    assert refused.value.field == "removed_page"
