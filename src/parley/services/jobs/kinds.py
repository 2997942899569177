"""What a job can be: each kind names the permission to start it and the use case it runs.

A kind's runner calls the same use case the CLI calls, through its track's package, with the
progress callbacks that use case already takes (`note` for what it is doing, `on_progress` for
each row stored), so a job does exactly what the synchronous command does.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import InvalidInput
from parley.domain.matching import Thresholds
from parley.interchange.tabular import read_sheet
from parley.services import agreements, lists, matching, registry
from parley.services.jobs.rows import JobResult, JobRow
from parley.services.uow import UnitOfWork


@dataclass(frozen=True)
class JobContext:
    """What runners need of the instance, handed in by the composition root."""

    uow: Callable[[], UnitOfWork]
    party: str
    name_language: str
    keyring: Callable[[], lists.Keyring]


class Reporter:
    """How a runner says how far it is; the worker reads it (see `worker.LiveJob`)."""

    def note(self, message: str) -> None: ...
    def total(self, total: int) -> None: ...
    def advance(self, steps: int) -> None: ...


Runner = Callable[[JobContext, Actor, JobRow, "bytes | None", Reporter], JobResult]


@dataclass(frozen=True)
class Kind:
    permission: Permission
    run: Runner
    needs_input: bool = False


def _thresholds(params: dict[str, Any]) -> Thresholds:
    return Thresholds(float(params["accept"]), float(params["review"]))


def _match_file(
    ctx: JobContext, actor: Actor, job: JobRow, content: bytes | None, report: Reporter
) -> JobResult:
    assert content is not None
    name = str(job.params["file"])
    report.note("reading the list")
    entries = matching.read_entries(name, content, job.params.get("keep", []))
    report.total(len(entries))
    digest = hashlib.sha256(content).hexdigest()
    outcome = matching.match_entries(
        ctx.uow(),
        actor,
        name,
        digest,
        entries,
        _thresholds(job.params),
        report.note,
        report.advance,
    )
    return JobResult(ref=f"match_run/{outcome.run.id}", summary=_run_summary(outcome))


def _run_summary(outcome: matching.RunOutcome) -> str:
    counts = outcome.run.counts
    return (
        f"match run {outcome.run.id}: {outcome.run.entries} entries — "
        f"{counts.get('matched', 0)} matched, {counts.get('review', 0)} to review, "
        f"{counts.get('no_match', 0)} no match"
    )


def _list_size(ctx: JobContext, actor: Actor, list_id: int) -> int:
    """How many entries the list holds, as stored with it: not every entry read to count."""
    return lists.stored_list(ctx.uow(), actor, list_id).entry_count


def _match_list(
    ctx: JobContext, actor: Actor, job: JobRow, _content: bytes | None, report: Reporter
) -> JobResult:
    list_id = int(job.params["list_id"])
    report.total(_list_size(ctx, actor, list_id))
    outcome = lists.match_list(ctx.uow(), actor, list_id, None, report.note, report.advance)
    return JobResult(ref=f"match_run/{outcome.run.id}", summary=_run_summary(outcome))


def _reconcile(
    ctx: JobContext, actor: Actor, job: JobRow, _content: bytes | None, report: Reporter
) -> JobResult:
    list_id = int(job.params["list_id"])
    report.total(_list_size(ctx, actor, list_id))
    lists.reconcile(ctx.uow(), actor, list_id, report.note, report.advance)
    return JobResult(ref=f"reconciliation/{list_id}")


def _import_persons(
    ctx: JobContext, actor: Actor, job: JobRow, content: bytes | None, report: Reporter
) -> JobResult:
    assert content is not None
    name = str(job.params["file"])
    report.note("reading the file")
    with contextlib.suppress(Exception):  # the import itself names what is wrong with it
        report.total(len(read_sheet(name, content).rows))
    report.note("checking and storing the persons")
    outcome = registry.import_persons(
        ctx.uow(), actor, name, content, ctx.party, ctx.name_language, report.advance
    )
    record = outcome.record or outcome.already_imported
    return JobResult(ref=f"import/{record.id}" if record else "", summary=outcome.message)


def _list_document(
    ctx: JobContext, actor: Actor, job: JobRow, _content: bytes | None, report: Reporter
) -> JobResult:
    report.note("writing the document")
    made = lists.render(
        ctx.uow(), actor, ctx.keyring(), int(job.params["list_id"]), str(job.params["format"])
    )
    return JobResult("", made.filename, made.media_type, made.content)


def _round_report(
    ctx: JobContext, actor: Actor, job: JobRow, _content: bytes | None, report: Reporter
) -> JobResult:
    number, language = int(job.params["round"]), str(job.params.get("language", "en"))
    extension = str(job.params.get("format", "pdf"))
    as_of = job.params.get("as_of")
    report.note("gathering the round's figures")
    made = agreements.round_report(
        ctx.uow(), actor, number, date.fromisoformat(as_of) if as_of else None
    )
    report.note("writing the report")
    name = f"round-{number}-{language}.{extension}"
    if extension == "pdf":
        return JobResult("", name, "application/pdf", agreements.render_pdf(made, language))
    if extension == "md":
        content = agreements.render_markdown(made, language).encode()
        return JobResult("", name, "text/markdown", content)
    raise InvalidInput("the report is .pdf or .md", "format")


KINDS: dict[str, Kind] = {
    "match.file": Kind(Permission.MATCH_RUN, _match_file, needs_input=True),
    "match.list": Kind(Permission.LISTS_READ, _match_list),
    "lists.reconcile": Kind(Permission.LISTS_WRITE, _reconcile),
    "lists.document": Kind(Permission.LISTS_READ, _list_document),
    "registry.import": Kind(Permission.IMPORT_RUN, _import_persons, needs_input=True),
    "agreements.report": Kind(Permission.AGREEMENTS_READ, _round_report),
}
"""Every kind a job may be; a door starts one by name (`jobs.start(..., "match.file", ...)`)."""
