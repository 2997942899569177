"""The bodies table pages, sorts and filters in the database (SQLite, and PostgreSQL when CI
provides one): every sort and filter gives what reading every body and sorting in Python
gives, and hostile paging is refused by name."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from parley.domain.accounts.accounts import Actor, Role
from parley.domain.errors import InvalidInput
from parley.domain.paging import TableQuery, page_of, table_query
from parley.domain.remains.batches import Batch
from parley.domain.remains.bodies import BODY_FILTERS, BODY_SORTS, ORDER, BodyStatus
from parley.instance import Instance
from parley.services import remains
from parley.services.remains import BodyView
from parley.store.remains import _body_sorts
from tests.conftest import make_account

# Tags and references in an order every collation agrees on (PostgreSQL may not sort by code
# point). tag -> (batch index, steps after "received", missing person named)
BODIES = {
    "UA-3": (0, [BodyStatus.SAMPLED, BodyStatus.PROFILED, BodyStatus.CANDIDATE], "P-9"),
    "UA-1": (1, [], ""),
    "UA-7": (0, [BodyStatus.SAMPLED], ""),
    "UA-2": (1, [BodyStatus.SAMPLED, BodyStatus.PROFILED, BodyStatus.CANDIDATE], "P-1"),
    "X_5": (0, [BodyStatus.SAMPLED, BodyStatus.PROFILED], ""),
    "UA-4": (1, [BodyStatus.SAMPLED, BodyStatus.PROFILED, BodyStatus.CANDIDATE], "P-10"),
}


@pytest.fixture
def stored(instance: Instance) -> tuple[Instance, Actor, list[int]]:
    ana = make_account(instance, "ana", Role.FORENSIC)
    batches = [
        remains.record_batch(
            instance.uow(), ana, Batch(date(2025, 6, d), "border", "RU", "UA", 9, 9, "ICRC")
        ).id
        for d in (11, 12)
    ]
    at = datetime(2025, 6, 12, 9, tzinfo=UTC)
    for tag, (batch, steps, ref) in BODIES.items():
        remains.receive_body(instance.uow(), ana, batches[batch], tag, bag=f"bag-{tag}", at=at)
        for step in steps:
            named = ref if step == BodyStatus.CANDIDATE else ""
            remains.record_step(instance.uow(), ana, tag, step, missing_ref=named, at=at)
    return instance, ana, batches


def _python_keys() -> dict[str, Callable[[BodyView], Any]]:
    """What the console did before, in memory: the reference the SQL must agree with."""
    statuses = [s.value for s in ORDER]
    return {
        "tag": lambda b: b.tag,
        "batch": lambda b: (b.batch_id, b.tag),
        "status": lambda b: (statuses.index(b.status), b.tag),
        "missing_ref": lambda b: b.missing_ref or None,
    }


def _table(**params: str) -> TableQuery:
    return table_query(params, sorts=BODY_SORTS, filters=BODY_FILTERS, default_sort="tag")


def test_the_store_offers_exactly_the_sorts_the_table_shows() -> None:
    assert tuple(_body_sorts(None, None)) == BODY_SORTS


@pytest.mark.parametrize("sort", BODY_SORTS)
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_every_sort_and_page_agrees_with_sorting_every_body(
    stored: tuple[Instance, Actor, list[int]], sort: str, order: str
) -> None:
    instance, ana, _ = stored
    everyone = remains.bodies(instance.uow(), ana)
    for page in (1, 2, 3):
        table = _table(sort=sort, order=order, per_page="25", page="1")
        table = TableQuery(page, 2, table.sort, table.order, table.filters)
        got = remains.body_table(instance.uow(), ana, table)
        want = page_of(everyone, table, _python_keys())
        assert [b.tag for b in got.items] == [b.tag for b in want.items], (sort, order, page)
        assert got.total == len(BODIES)
        assert [b.status for b in got.items] == [b.status for b in want.items]
        assert [b.missing_ref for b in got.items] == [b.missing_ref for b in want.items]


def test_filters_narrow_before_counting(stored: tuple[Instance, Actor, list[int]]) -> None:
    instance, ana, batches = stored
    table = _table()

    def tags(**how: Any) -> list[str]:
        return [b.tag for b in remains.body_table(instance.uow(), ana, table, **how).items]

    assert tags(status=BodyStatus.CANDIDATE) == ["UA-2", "UA-3", "UA-4"]
    assert tags(status=BodyStatus.RELEASED) == []
    assert tags(batch_id=batches[1]) == ["UA-1", "UA-2", "UA-4"]
    assert tags(text="ua-") == ["UA-1", "UA-2", "UA-3", "UA-4", "UA-7"]  # any case
    assert tags(text="p-1") == ["UA-2", "UA-4"]  # the missing person named
    assert tags(text="_") == ["X_5"]  # a LIKE wildcard is a plain character
    assert tags(text="%") == []
    counted = remains.body_table(instance.uow(), ana, table, batch_id=batches[0], text="UA")
    assert counted.total == 2


def test_a_page_past_the_last_and_an_unknown_sort_are_refused_by_name(
    stored: tuple[Instance, Actor, list[int]],
) -> None:
    instance, ana, _ = stored
    with pytest.raises(InvalidInput) as past:
        remains.body_table(instance.uow(), ana, _table(page="2"))
    assert past.value.field == "page" and "past the last page" in past.value.message
    with pytest.raises(InvalidInput) as sort:
        remains.body_table(instance.uow(), ana, TableQuery(sort="recorded_by"))
    assert sort.value.field == "sort"
    empty = remains.body_table(instance.uow(), ana, _table(), status=BodyStatus.RELEASED)
    assert empty.total == 0 and empty.items == []  # no rows is page 1 of 1, not a refusal
