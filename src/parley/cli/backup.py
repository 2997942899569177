"""`parley backup DIR FILE` and `parley restore FILE DIR`: an instance folder in one file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from parley.backup import backup_instance, restore_instance
from parley.cli._common import cli_errors, out


def backup(
    directory: Annotated[Path, typer.Argument(help="The instance folder.")],
    file: Annotated[Path, typer.Argument(help="The backup to write (.tar.gz).")],
) -> None:
    """A consistent copy of a SQLite instance, running or not, with a manifest of digests."""
    with cli_errors():
        report = backup_instance(directory.expanduser().resolve(), file.expanduser().resolve())
    out.print(
        f"backup written to {report.file}: {report.files} files, "
        f"audit log of {report.audit_entries} entries",
        highlight=False,
    )
    out.print(f"sha256 {report.sha256} (keep it apart from the backup)", highlight=False)


def restore(
    file: Annotated[Path, typer.Argument(help="A backup written by `parley backup`.")],
    directory: Annotated[Path, typer.Argument(help="A new folder for the instance.")],
) -> None:
    """Unpack into a new folder, check every file and the whole audit chain, then use it."""
    with cli_errors():
        report = restore_instance(file.expanduser().resolve(), directory.expanduser().resolve())
    out.print(
        f"restored to {report.directory}: {report.files} files verified, audit log intact "
        f"({report.audit_entries} entries)",
        highlight=False,
    )
