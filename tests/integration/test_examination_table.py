"""The medical examinations table: a filter or sort on a stored column is done by the database
and gives exactly what the in-memory pass over every examination's Annex II state gives
(SQLite, and PostgreSQL when CI provides one); filters on that state stay in memory."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from parley.domain.errors import InvalidInput
from parley.domain.exchange.commissions import Decision, Proposer
from parley.domain.exchange.examinations import ExaminationDraft, parse_member
from parley.domain.paging import TableQuery, table_query
from parley.instance import Instance
from parley.services import exchange
from parley.services.exchange import examination_pages
from parley.services.exchange.examination_pages import EXAMINATION_SQL_SORTS
from parley.store.exchange import SqlExchangeRepository, _examination_sorts
from tests.integration.test_commissions_service import ADMIN, MEMBERS, SPLINTER, _prisoner

R, J, X = Decision.REPATRIATE, Decision.REJECT, Decision.REEXAMINE
# (commission, visited, votes): two share a day, so ties must break by number alike
VISITS = [
    ("MMC-2", date(2025, 1, 12), (R, R, J)),
    ("MMC-1", date(2025, 1, 10), (J, J, R)),
    ("MMC-1", date(2025, 1, 12), (R, R, R)),
    ("MMC-2", date(2025, 1, 9), (X, X, R)),
    ("MMC-1", date(2025, 2, 1), (R, J, J)),
]


@pytest.fixture
def examined(instance: Instance) -> Instance:
    for name in ("MMC-2", "MMC-1"):
        exchange.add_commission(instance.uow(), ADMIN, name, [parse_member(m) for m in MEMBERS], [])
    members = [m.split("|")[0] for m in MEMBERS]
    for n, (name, visited, votes) in enumerate(VISITS):
        person = _prisoner(instance, f"Сорокин{n}")
        draft = ExaminationDraft(
            person,
            name,
            visited,
            "metal fragment",
            SPLINTER,
            dict(zip(members, votes, strict=True)),
            Proposer.DETAINING_POWER_DOCTORS,
        )
        exchange.record_examination(instance.uow(), ADMIN, draft)
    return instance


def _ids(instance: Instance, table: TableQuery, on: date, in_sql: bool, monkeypatch: Any) -> Any:
    calls: list[int] = []
    real = SqlExchangeRepository.examination_table

    def spy(self: SqlExchangeRepository, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(self, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(SqlExchangeRepository, "examination_table", spy)
        if not in_sql:
            patch.setattr(examination_pages, "_stored_only", lambda table: False)
        page = exchange.examinations_page(instance.uow(), ADMIN, table, on)
    assert bool(calls) == in_sql
    return [e.id for e in page.items], page.total, page.overdue


def test_the_store_sorts_exactly_the_stored_columns() -> None:
    assert tuple(_examination_sorts()) == EXAMINATION_SQL_SORTS


@pytest.mark.parametrize("sort", ["", *EXAMINATION_SQL_SORTS])
@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("commission", ["", "MMC-1", "MMC-2"])
def test_stored_sorts_and_the_commission_filter_agree_with_the_state_in_memory(
    examined: Instance, monkeypatch: Any, sort: str, order: str, commission: str
) -> None:
    on = date(2025, 1, 31)  # the February visit is not there yet
    for page in (1, 2):
        table = TableQuery(page, 2, sort, order, (("by_commission", commission),))
        try:
            want = _ids(examined, table, on, False, monkeypatch)
        except InvalidInput:
            with pytest.raises(InvalidInput):
                _ids(examined, table, on, True, monkeypatch)
            continue
        assert _ids(examined, table, on, True, monkeypatch) == want, (sort, order, page)


def test_a_filter_on_the_annex_state_stays_on_the_cached_state(
    examined: Instance, monkeypatch: Any
) -> None:
    params = {"decision": "repatriate", "sort": "visited_on"}
    table = table_query(params, sorts=exchange.EXAMINATION_SORTS, filters=("decision",))
    ids, total, _ = _ids(examined, table, date(2025, 3, 1), False, monkeypatch)
    assert 0 < total < len(VISITS) and len(ids) == total  # narrowed, by the votes' decision
    by_notify = TableQuery(sort="notify_by")
    assert _ids(examined, by_notify, date(2025, 3, 1), False, monkeypatch)[1] == 5


def test_a_page_past_the_last_and_an_unknown_commission(examined: Instance) -> None:
    past = TableQuery(page=9, per_page=25, sort="id")
    with pytest.raises(InvalidInput) as refused:
        exchange.examinations_page(examined.uow(), ADMIN, past, date(2025, 3, 1))
    assert refused.value.field == "page"
    nobody = TableQuery(sort="id", filters=(("by_commission", "MMC-9"),))
    page = exchange.examinations_page(examined.uow(), ADMIN, nobody, date(2025, 3, 1))
    assert page.total == 0 and page.items == []
