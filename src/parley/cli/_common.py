"""What every command shares: finding the instance, acting as an account, printing errors."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from parley.domain.accounts.accounts import Actor
from parley.domain.errors import ImportRejected, ParleyError
from parley.instance import Instance, open_instance, resolve_directory
from parley.services import accounts

err = Console(stderr=True, soft_wrap=True)
out = Console()

InstanceOption = Annotated[
    str | None,
    typer.Option(
        "--instance",
        "-i",
        envvar="PARLEY_INSTANCE",
        help="Instance folder (or set PARLEY_INSTANCE).",
    ),
]
UserOption = Annotated[
    str | None,
    typer.Option(
        "--user",
        "-u",
        envvar="PARLEY_USER",
        help="Account to act as (default: the instance's cli_user).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]

EXIT_CODES = {
    "import_rejected": 3,
    "permission_denied": 4,
    "authentication_failed": 4,
    "too_many_attempts": 4,
    "audit_chain_broken": 5,
    "person_not_found": 6,
    "account_not_found": 6,
    "instance_not_found": 6,
    "schema_outdated": 7,
    "bundle_refused": 8,
}


def exit_code(error: type[ParleyError]) -> int:
    """The exit code of the error's own code, else of the nearest family that has one."""
    for cls in error.__mro__:
        code = getattr(cls, "code", None)
        if code in EXIT_CODES:
            return EXIT_CODES[code]
    return 1


def print_error(exc: ParleyError) -> None:
    err.print(Text.assemble(("error", "bold red"), f"[{exc.code}]: {exc.message}"))


@contextmanager
def cli_errors() -> Iterator[None]:
    """Print `error[code]: message` (and every problem of a refused import), exit non-zero."""
    try:
        yield
    except ImportRejected as exc:
        print_error(exc)
        for problem in exc.problems:
            err.print(Text(f"  {problem}"))
        raise typer.Exit(exit_code(type(exc))) from exc
    except ParleyError as exc:
        print_error(exc)
        raise typer.Exit(exit_code(type(exc))) from exc


@dataclass
class Session:
    instance: Instance
    actor: Actor


@contextmanager
def session(instance: str | None, user: str | None) -> Iterator[Session]:
    with cli_errors():
        opened = open_instance(resolve_directory(instance))
        try:
            name = user or os.environ.get("PARLEY_USER") or opened.config.cli_user
            actor = accounts.actor_for_username(opened.uow(), name, "cli")
            yield Session(opened, actor)
        finally:
            opened.close()


def progress_bar() -> Progress:
    """The bar for anything a user waits on: what is happening, how far, for how long."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    )
