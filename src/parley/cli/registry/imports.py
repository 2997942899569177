"""`parley import persons FILE`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from parley.cli._common import InstanceOption, UserOption, cli_errors, out, session
from parley.services.registry import imports

import_app = typer.Typer(help="Load registry data from files.", no_args_is_help=True)


@import_app.command("persons")
def persons(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Import a CSV or XLSX file of persons: every row or none (see docs/import.md)."""
    with session(instance, user) as s, cli_errors(), Progress(transient=True) as progress:
        task = progress.add_task(f"importing {file.name}", total=None)
        outcome = imports.import_persons(
            s.instance.uow(),
            s.actor,
            file.name,
            file.read_bytes(),
            s.instance.config.party,
            s.instance.config.name_language,
            on_progress=lambda n: progress.advance(task, n),
        )
    out.print(outcome.message)
