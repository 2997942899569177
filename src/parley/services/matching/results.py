"""Reading match runs and their entries, as rows for the console and as the views every door
shows (`RunOut`, `EntriesOut`), so the CLI's `--json` and the API give the same thing."""

from __future__ import annotations

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import MatchRunNotFound
from parley.domain.matching import Outcome
from parley.services.accounts import log
from parley.services.matching.rows import CandidateRow, EntryRow, RunRow
from parley.services.matching.views import EntriesOut, RunOut
from parley.services.uow import UnitOfWork


def get_run(uow: UnitOfWork, actor: Actor, run_id: int) -> RunRow:
    actor.require(Permission.REGISTRY_READ)
    with uow:
        run = uow.matches.get_run(run_id)
        if run is None:
            raise MatchRunNotFound(f"no match run {run_id}")
        return run


def list_runs(
    uow: UnitOfWork, actor: Actor, offset: int = 0, limit: int = 50
) -> tuple[list[RunRow], int]:
    actor.require(Permission.REGISTRY_READ)
    with uow:
        return uow.matches.runs(offset, limit)


def run_view(uow: UnitOfWork, actor: Actor, run_id: int) -> RunOut:
    """`get_run` as the API returns it and `parley match show --json` prints it."""
    return RunOut.of(get_run(uow, actor, run_id))


def run_views(uow: UnitOfWork, actor: Actor, offset: int = 0, limit: int = 50) -> list[RunOut]:
    """`list_runs` as the API returns it and `parley match runs --json` prints it."""
    return [RunOut.of(r) for r in list_runs(uow, actor, offset, limit)[0]]


def run_entries(
    uow: UnitOfWork,
    actor: Actor,
    run_id: int,
    outcome: Outcome | None,
    offset: int,
    limit: int,
) -> tuple[list[tuple[EntryRow, list[CandidateRow]]], int]:
    actor.require(Permission.REGISTRY_READ)
    with uow:
        if uow.matches.get_run(run_id) is None:
            raise MatchRunNotFound(f"no match run {run_id}")
        rows, total = uow.matches.entries(run_id, outcome, offset, limit)
        result = [(row, uow.matches.candidates(row.id)) for row in rows]
        log(uow, actor, "match.results", "match_run", [run_id], offset=offset, limit=limit)
        uow.commit()
        return result, total


def entries_page(
    uow: UnitOfWork,
    actor: Actor,
    run_id: int,
    outcome: Outcome | None,
    offset: int,
    limit: int,
) -> EntriesOut:
    """A page of `run_entries` as its view: the one shape the API and the CLI give."""
    rows, total = run_entries(uow, actor, run_id, outcome, offset, limit)
    return EntriesOut.of(rows, total, offset, limit)
