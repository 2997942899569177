"""`parley list ...`: build, import, show and export lists; reconcile and answer received ones."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from parley.cli._common import InstanceOption, JsonOption, UserOption, out, progress_bar, session
from parley.domain.errors import InvalidInput
from parley.domain.exchange.categories import Answer
from parley.domain.lists import EntryResponse, ListPurpose, Verdict, parse_age_band
from parley.domain.registry.events import Status
from parley.domain.registry.persons import PersonCategory
from parley.services import lists
from parley.services.exchange import category_check
from parley.services.lists import documents as list_documents
from parley.services.lists.rows import StoredList

list_app = typer.Typer(help="Lists that cross between parties.", no_args_is_help=True)

ToOption = Annotated[list[str], typer.Option("--to", help="Recipient party (repeat for several).")]
NameOption = Annotated[
    str, typer.Option("--name", help="The list's name; same name = new version.")
]
PurposeOption = Annotated[ListPurpose, typer.Option(help="What the list is for.")]


def _ages(text: str | None) -> tuple[int, int] | None:
    try:
        return parse_age_band(text or "")
    except InvalidInput as exc:
        raise typer.BadParameter(f"--ages: {exc.message}") from exc


def _describe(stored: StoredList) -> str:
    changes = stored.changes
    since = (
        f" ({len(changes.get('added', []))} added, {len(changes.get('removed', []))} removed "
        "since the previous version)"
        if stored.previous_id
        else ""
    )
    return (
        f"list {stored.id}: {stored.sender} '{stored.name}' version {stored.version}, "
        f"{stored.purpose.replace('_', ' ')} to {', '.join(stored.recipients)}, "
        f"{stored.entry_count} entries{since}\n  sha256 {stored.list_sha256}"
    )


@list_app.command("build")
def build(
    name: NameOption,
    to: ToOption,
    purpose: PurposeOption = ListPurpose.OFFER,
    status: Annotated[Status | None, typer.Option(help="Registry status, e.g. held.")] = None,
    category: Annotated[PersonCategory | None, typer.Option()] = None,
    side: Annotated[str | None, typer.Option(help="Whose people: UA, RU ...")] = None,
    ages: Annotated[str | None, typer.Option(help="Age band on --as-of, e.g. 18-25.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Status and age on this day (YYYY-MM-DD).")
    ] = None,
    label: Annotated[str, typer.Option(help="The agreed category, in words.")] = "",
    reference: Annotated[str, typer.Option(help="Round or stage reference.")] = "",
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Snapshot the persons of a registry query as a list (a new version if the name exists)."""
    with session(instance, user) as s, progress_bar() as progress:
        try:
            on = date.fromisoformat(as_of) if as_of else None
        except ValueError as exc:
            raise InvalidInput(f"--as-of: '{as_of}' is not a date YYYY-MM-DD", "as_of") from exc
        task = progress.add_task("selecting", total=None)
        result = lists.build_list(
            s.instance.uow(),
            s.actor,
            s.instance.config.party,
            lists.ListDraft(name, purpose, tuple(to), label, reference),
            lists.RegistrySelection(
                status, category, side.upper() if side else None, _ages(ages), on
            ),
            lambda text: progress.update(task, description=text),
            lambda n: progress.advance(task, n),
        )
    out.print(_describe(result.stored), highlight=False)
    if result.unchanged:
        out.print("nothing changed since that version: no new version made")
    if result.uncertain:
        out.print(
            f"{result.uncertain} persons left out: their partial birth date may or may not fall "
            "in the age band"
        )


@list_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    name: NameOption,
    to: ToOption,
    purpose: PurposeOption = ListPurpose.OFFER,
    label: Annotated[str, typer.Option(help="The agreed category, in words.")] = "",
    reference: Annotated[str, typer.Option()] = "",
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Take a list typed elsewhere (CSV or XLSX) as a version of one of our lists."""
    with session(instance, user) as s:
        result = lists.import_list(
            s.instance.uow(),
            s.actor,
            s.instance.config.party,
            lists.ListDraft(name, purpose, tuple(to), label, reference),
            file.name,
            file.read_bytes(),
        )
    out.print(_describe(result.stored), highlight=False)
    if result.unchanged:
        out.print("nothing changed since that version: no new version made")


@list_app.command("all")
def all_(
    offset: Annotated[int, typer.Option()] = 0,
    limit: Annotated[int, typer.Option()] = 50,
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Every list version held here: ours and those received."""
    with session(instance, user) as s:
        if as_json:
            out.print_json(
                lists.lists_view(s.instance.uow(), s.actor, offset, limit).model_dump_json()
            )
            return
        found, total = lists.list_lists(s.instance.uow(), s.actor, offset, limit)
    table = Table("id", "sender", "name", "v", "purpose", "to", "entries", "origin", "created")
    for item in found:
        table.add_row(
            str(item.id),
            item.sender,
            item.name,
            str(item.version),
            item.purpose.replace("_", " "),
            ", ".join(item.recipients),
            str(item.entry_count),
            item.origin,
            item.created_at,
        )
    out.print(table)
    out.print(f"{total} list versions")


@list_app.command("show")
def show(
    list_id: int,
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """A list's entries, and what changed since its previous version."""
    with session(instance, user) as s:
        detail = lists.get_list(s.instance.uow(), s.actor, list_id)
    if as_json:
        out.print_json(
            json.dumps(
                {"list": detail.party_list().to_payload(), "sha256": detail.stored.list_sha256},
                ensure_ascii=False,
            )
        )
        return
    out.print(_describe(detail.stored), highlight=False)
    table = Table(*lists.EXPORT_COLUMNS[:-2])
    for row in lists.export_rows(detail):
        table.add_row(*(row[c] for c in lists.EXPORT_COLUMNS[:-2]))
    out.print(table)
    added = {e.ref for e in detail.added}
    if detail.previous:
        out.print(
            f"since version {detail.previous.version}: added {', '.join(sorted(added)) or '-'}; "
            f"removed {', '.join(e['ref'] for e in detail.removed) or '-'}"
        )


@list_app.command("versions")
def versions(list_id: int, instance: InstanceOption = None, user: UserOption = None) -> None:
    """Every version of the list, with what each added and removed."""
    with session(instance, user) as s:
        found = lists.versions(s.instance.uow(), s.actor, list_id)
    table = Table("id", "version", "created", "entries", "added", "removed", "sha256")
    for item in found:
        table.add_row(
            str(item.id),
            str(item.version),
            item.created_at,
            str(item.entry_count),
            str(len(item.changes.get("added", []))),
            str(len(item.changes.get("removed", []))),
            item.list_sha256[:16] + "…",
        )
    out.print(table)


@list_app.command("export")
def export(
    list_id: int,
    output: Annotated[Path, typer.Option("--output", "-o", help=".csv, .xlsx or .pdf")],
    language: Annotated[
        str, typer.Option("--language", "-l", help="en or uk: the PDF's headings and labels")
    ] = "en",
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Write a list as CSV, XLSX or a printable PDF carrying its digest on every page."""
    fmt = output.suffix.lstrip(".").lower()
    with session(instance, user) as s:
        document = list_documents.render(
            s.instance.uow(), s.actor, s.instance.keyring(), list_id, fmt, language
        )
    output.write_bytes(document.content)
    out.print(f"{output}: {document.description}", highlight=False)


@list_app.command("reconcile")
def reconcile(list_id: int, instance: InstanceOption = None, user: UserOption = None) -> None:
    """Match a received list against our registry: what is each entry to us?"""
    with session(instance, user) as s, progress_bar() as progress:
        task = progress.add_task("matching", total=None)
        report = lists.reconcile(
            s.instance.uow(),
            s.actor,
            list_id,
            lambda text: progress.update(task, description=text),
            lambda n: progress.advance(task, n),
        )
    _print_counts(report)
    out.print(f"see `parley list report {list_id}`; answer with `parley list respond {list_id}`")


def _print_counts(report: lists.Reconciliation) -> None:
    table = Table("finding", "entries")
    for finding, count in report.counts.items():
        table.add_row(finding.replace("_", " "), str(count))
    out.print(f"list {report.stored.id} reconciled (match run {report.run_id}):")
    out.print(table)


@list_app.command("report")
def report(
    list_id: int,
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """The reconciliation: each entry's finding, our candidate and score, the proposed answer."""
    with session(instance, user) as s:
        if as_json:
            shown = lists.reconciliation_view(s.instance.uow(), s.actor, list_id)
            out.print_json(shown.model_dump_json())
            return
        found = lists.reconciliation(s.instance.uow(), s.actor, list_id)
    _print_counts(found)
    table = Table("ref", "entry", "finding", "our person", "score", "answer")
    for e in found.entries:
        table.add_row(
            e.ref,
            " ".join(str(e.entry.get(k, "")) for k in ("surname", "given_name", "birth_date")),
            e.finding.label,
            f"{e.person_id} {e.person_name}" if e.person_id else "",
            f"{e.probability:.3f}" if e.probability is not None else "",
            f"{e.response.verdict.value}: {e.response.reason}",
        )
    out.print(table)


def _override(text: str) -> EntryResponse:
    found = re.fullmatch(r"([^=]+)=(confirm|dispute|unknown)(?::(.*))?", text.strip())
    if not found:
        raise typer.BadParameter(f"--set wants REF=confirm|dispute|unknown[:reason], not '{text}'")
    return EntryResponse(found[1].strip(), Verdict(found[2]), (found[3] or "").strip())


@list_app.command("respond")
def respond(
    list_id: int,
    overrides: Annotated[
        list[str] | None,
        typer.Option("--set", help="Change one answer: REF=dispute:reason (repeatable)."),
    ] = None,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Make the response list (confirm / dispute with a reason / unknown) to a received list."""
    with session(instance, user) as s:
        answers = [_override(o) for o in overrides or []]
        result = lists.respond(
            s.instance.uow(),
            s.actor,
            s.instance.config.party,
            list_id,
            {a.in_reply_to: a for a in answers},
        )
    out.print(_describe(result.stored), highlight=False)
    out.print(f"send it with `parley bundle export {result.stored.id} -o FILE.json`")


_ANSWER_STYLES = {Answer.YES: "green", Answer.NO: "red", Answer.UNCERTAIN: "yellow"}


@list_app.command("check")
def check(
    list_id: int,
    categories: Annotated[
        list[str] | None,
        typer.Option("--category", help="An agreed category by name (repeatable)."),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="The stage date, YYYY-MM-DD (default: today).")
    ] = None,
    only_failing: Annotated[
        bool, typer.Option("--only-failing", help="Show only entries no category fits.")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Also write .csv, .xlsx or .json.")
    ] = None,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Check every entry against the agreed categories, with the reason for each answer."""
    with session(instance, user) as s:
        try:
            day = date.fromisoformat(on) if on else date.today()
        except ValueError as exc:
            raise InvalidInput(f"--on: '{on}' is not a date YYYY-MM-DD", "on") from exc
        found = category_check.check_list(
            s.instance.uow(),
            s.actor,
            list_id,
            categories or [],
            day,
            s.instance.own_categories(),
        )
        if output is not None:
            made = category_check.report_file(found, output.suffix.lstrip("."), only_failing)
            output.write_bytes(made.content)
    _print_check(found, only_failing)
    if output is not None:
        out.print(f"{output}: {len(found.shown(only_failing))} entries", highlight=False)


def _print_check(found: category_check.CategoryCheck, only_failing: bool) -> None:
    out.print(_describe(found.stored), highlight=False)
    out.print(f"checked on {found.on.isoformat()} against:", highlight=False)
    for category in found.categories:
        out.print(Text(f"  {category.name}: {category.description}"))
    for note in found.notes:
        out.print(Text(f"note: {note}", style="yellow"))
    names = [c.name for c in found.categories]
    table = Table("ref", "entry", "our person", *names, "standing", "manifest checks")
    for entry in found.shown(only_failing):
        x = entry.entry
        cells = [
            Text(f"{a.answer.value}: {a.reason}", style=_ANSWER_STYLES[a.answer])
            for a in entry.answers
        ]
        table.add_row(
            entry.ref,
            Text(
                f"{x.get('surname', '')} {x.get('given_name', '')} ({x.get('birth_date') or '?'})"
            ),
            Text(f"{entry.person_id} {entry.person_name}" if entry.person_id else ""),
            *cells,
            entry.standing.value,
            Text(
                "; ".join([*(f"{m.code.value}: {m.reason}" for m in entry.manifest), *entry.notes])
            ),
        )
    out.print(table)
    counts = Table("category", *(a.value for a in Answer))
    for name, by_answer in found.counts.items():
        counts.add_row(name, *(str(by_answer[a.value]) for a in Answer))
    out.print(counts)
    standings = found.standings
    out.print(
        f"{len(found.entries)} entries; satisfying at least one agreed category: "
        f"{found.satisfying}; failing them: {found.failing} (uncertain: "
        f"{standings['uncertain']}, no to every category: {standings['fails']})",
        highlight=False,
    )
    if found.flagged:
        flags = ", ".join(f"{code} {n}" for code, n in sorted(found.flagged.items()))
        out.print(f"manifest checks: {flags}", highlight=False)
