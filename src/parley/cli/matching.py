"""`parley match ...`: train the model, match a list, review, decide, export, find duplicates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from parley.cli._common import (
    InstanceOption,
    JsonOption,
    Session,
    UserOption,
    out,
    progress_bar,
    session,
)
from parley.domain.matching import DEFAULT_THRESHOLDS, Decision, Outcome, Thresholds
from parley.interchange.table_export import FORMATS, export_table
from parley.services import lists, matching
from parley.services.matching import export as match_export

match_app = typer.Typer(help="Match lists against the registry.", no_args_is_help=True)

AcceptOption = Annotated[float, typer.Option(help="Auto-accept at or above this probability.")]
ReviewOption = Annotated[float, typer.Option(help="Send to review at or above this probability.")]
KeepOption = Annotated[
    list[str] | None,
    typer.Option(
        "--keep-column",
        help="A column of the list Parley does not read, kept with each entry and given back "
        "in the export instead of refusing the list; repeatable.",
    ),
]


@match_app.command("train")
def train(
    file: Annotated[
        Path | None,
        typer.Argument(
            exists=True, dir_okay=False, help="A list to train on (default: recent runs)."
        ),
    ] = None,
    keep_column: KeepOption = None,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """(Re)train the model by EM on a list against this instance's registry."""
    with session(instance, user) as s, progress_bar() as progress:
        task = progress.add_task("training", total=None)
        note = lambda text: progress.update(task, description=text)  # noqa: E731
        if file is not None:
            entries = matching.read_entries(file.name, file.read_bytes(), keep_column or ())
            source = file.name
        else:
            entries = matching.training_entries_from_runs(s.instance.uow())
            source = "recent match runs"
        model = matching.train_model(s.instance.uow(), s.actor, entries, source, note)
    out.print(f"model {model.id} trained on {source} against {model.registry_size} persons")


@match_app.command("run")
def run(
    file: Annotated[
        Path | None,
        typer.Argument(exists=True, dir_okay=False, help="A CSV/XLSX list (or use --list)."),
    ] = None,
    list_id: Annotated[
        int | None, typer.Option("--list", help="A list already held here (`parley list all`).")
    ] = None,
    accept: AcceptOption = DEFAULT_THRESHOLDS.accept,
    review: ReviewOption = DEFAULT_THRESHOLDS.review,
    export: Annotated[
        Path | None,
        typer.Option("--export", "-o", help="Also write the results (.csv, .xlsx or .json)."),
    ] = None,
    keep_column: KeepOption = None,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Match every entry of a CSV/XLSX list, or of a held list: matched, review or no match."""
    if (file is None) == (list_id is None):
        raise typer.BadParameter("give a FILE or --list LIST_ID, not both")
    with session(instance, user) as s, progress_bar() as progress:
        task = progress.add_task("reading the list", total=None)
        note = lambda text: progress.update(task, description=text)  # noqa: E731

        def advance(n: int) -> None:
            progress.update(task, description="storing results")
            progress.advance(task, n)

        limits = Thresholds(accept, review)
        if file is not None:
            outcome = matching.run_match(
                s.instance.uow(),
                s.actor,
                file.name,
                file.read_bytes(),
                limits,
                note,
                advance,
                keep_column or (),
            )
        else:
            assert list_id is not None
            outcome = lists.match_list(s.instance.uow(), s.actor, list_id, limits, note, advance)
        run = outcome.run
        if export is not None:
            _write_export(s, run.id, export)
    counts = run.counts
    out.print(
        f"run {run.id}: {run.entries} entries — matched {counts.get('matched', 0)}, "
        f"review {counts.get('review', 0)}, no match {counts.get('no_match', 0)}"
        + (" (model trained on this list first)" if outcome.trained else "")
    )


def _write_export(s: Session, run_id: int, path: Path) -> None:
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise typer.BadParameter(f"export to .csv, .xlsx or .json, not '{path.suffix}'")
    table = match_export.export_rows(s.instance.uow(), s.actor, run_id)
    path.write_bytes(export_table(table.rows, table.columns, fmt))
    out.print(f"results written to {path}")


@match_app.command("export")
def export(
    run_id: int,
    output: Annotated[Path, typer.Option("--output", "-o")],
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Write a run's results as CSV, XLSX or JSON (by the file's suffix)."""
    with session(instance, user) as s:
        _write_export(s, run_id, output)


@match_app.command("runs")
def runs(
    as_json: JsonOption = False, instance: InstanceOption = None, user: UserOption = None
) -> None:
    """Recent match runs with their counts."""
    with session(instance, user) as s:
        if as_json:
            shown = matching.run_views(s.instance.uow(), s.actor)
            out.print_json(json.dumps([r.model_dump(mode="json") for r in shown]))
            return
        found, total = matching.list_runs(s.instance.uow(), s.actor)
    table = Table("run", "kind", "source", "entries", "matched", "review", "no match", "when")
    for r in found:
        table.add_row(
            str(r.id),
            r.kind,
            r.source_name,
            str(r.entries),
            str(r.counts.get("matched", 0)),
            str(r.counts.get("review", 0)),
            str(r.counts.get("no_match", 0)),
            f"{r.created_at:%Y-%m-%d %H:%M}",
        )
    out.print(table)
    out.print(f"{total} runs")


@match_app.command("results")
def results(
    run_id: int,
    outcome: Annotated[Outcome | None, typer.Option()] = None,
    offset: Annotated[int, typer.Option()] = 0,
    limit: Annotated[int, typer.Option()] = 50,
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Entries of a run with their candidates, scores and field-by-field comparison."""
    with session(instance, user) as s:
        page = matching.entries_page(s.instance.uow(), s.actor, run_id, outcome, offset, limit)
    if as_json:
        out.print_json(page.model_dump_json())
        return
    table = Table("entry", "row", "on the list", "outcome", "best candidate", "p")
    for e in page.items:
        best = e.candidates[0] if e.candidates else None
        table.add_row(
            str(e.entry_id),
            str(e.row),
            e.entry.get("full_name", str(e.entry)),
            e.outcome,
            str(best.person_id) if best else "",
            f"{best.probability:.3f}" if best else "",
        )
    out.print(table)
    out.print(f"{page.total} entries")


@match_app.command("decide")
def decide(
    entry_id: int,
    person_id: int,
    decision: Annotated[Decision, typer.Argument(help="confirmed or rejected")],
    note: Annotated[str, typer.Option()] = "",
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Confirm or reject a candidate pair; the decision holds for every later run."""
    with session(instance, user) as s:
        matching.decide(s.instance.uow(), s.actor, entry_id, person_id, decision, note)
    out.print(f"entry {entry_id} × person {person_id}: {decision.value}")


@match_app.command("duplicates")
def duplicates(
    review: ReviewOption = DEFAULT_THRESHOLDS.review,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Find persons in the registry that may be the same person; each pair goes to review."""
    with session(instance, user) as s, progress_bar() as progress:
        task = progress.add_task("scoring the registry against itself", total=None)
        note = lambda text: progress.update(task, description=text)  # noqa: E731
        run = matching.find_duplicates(
            s.instance.uow(), s.actor, Thresholds(max(review, 0.99), review), note
        )
    out.print(f"run {run.id}: {run.counts.get('review', 0)} possible duplicates to review")
