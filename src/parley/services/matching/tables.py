"""The matching track's long tables as the console asks for them: runs and a run's entries,
filtered, sorted and paged by the database (`TableQuery`)."""

from __future__ import annotations

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import InvalidInput, MatchRunNotFound
from parley.domain.matching import Outcome
from parley.domain.paging import Page, TableQuery
from parley.services.accounts import log
from parley.services.matching.rows import CandidateRow, EntryRow, RunRow
from parley.services.uow import UnitOfWork

RUN_SORTS = ("id", "source", "entries", "created_by")
RUN_FILTERS = ("kind", "created_by")
RUN_KINDS = ("list", "duplicates")
ENTRY_SORTS = ("row", "outcome", "probability")
ENTRY_FILTERS = ("outcome",)


def run_table(uow: UnitOfWork, actor: Actor, table: TableQuery) -> Page[RunRow]:
    """Every match run, a page at a time; a kind the runs do not have is refused by name."""
    actor.require(Permission.REGISTRY_READ)
    kind = table.filter("kind")
    if kind and kind not in RUN_KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(RUN_KINDS)}", "kind")
    with uow:
        return uow.matches.run_table(table)


def entry_table(
    uow: UnitOfWork, actor: Actor, run_id: int, table: TableQuery
) -> Page[tuple[EntryRow, list[CandidateRow]]]:
    """A page of one run's entries with their candidates; reading them is audited."""
    actor.require(Permission.REGISTRY_READ)
    outcome = table.filter("outcome")
    if outcome and outcome not in {o.value for o in Outcome}:
        raise InvalidInput(f"'{outcome}' is not an outcome", "outcome")
    with uow:
        if uow.matches.get_run(run_id) is None:
            raise MatchRunNotFound(f"no match run {run_id}")
        page = uow.matches.entry_table(run_id, table)
        rows = [(row, uow.matches.candidates(row.id)) for row in page.items]
        window = table.window
        log(uow, actor, "match.results", "match_run", [run_id], offset=window.offset)
        uow.commit()
        return Page(rows, page.total, page.offset, page.limit)
