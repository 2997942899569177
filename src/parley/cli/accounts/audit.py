"""`parley audit ...`: read and verify the hash-chained audit log."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from parley.cli._common import InstanceOption, UserOption, cli_errors, out, session
from parley.domain.errors import IntegrityBroken
from parley.domain.paging import PageRequest
from parley.services.accounts import audit

audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)


@audit_app.command("verify")
def verify(instance: InstanceOption = None, user: UserOption = None) -> None:
    """Walk the chain; name the first altered or missing entry."""
    with session(instance, user) as s:
        report = audit.verify(s.instance.uow(), s.actor)
    if report.ok:
        out.print(f"audit log intact: {report.checked} entries verified")
        return
    first = report.breaks[0]
    with cli_errors():  # exits with audit_chain_broken's code, as every other error does
        raise IntegrityBroken(
            f"audit log broken at entry {first.entry_id}: {first.reason} "
            f"({report.checked} entries read)"
        )


@audit_app.command("log")
def log(
    limit: Annotated[int, typer.Option()] = 20,
    offset: Annotated[int, typer.Option()] = 0,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """The most recent entries, newest first."""
    with session(instance, user) as s:
        page = audit.recent_entries(s.instance.uow(), s.actor, PageRequest(offset, limit))
    table = Table("seq", "at", "actor", "action", "record", "detail")
    for e in page.items:
        record = f"{e.record_type} {', '.join(e.record_ids[:5])}" if e.record_type else ""
        if len(e.record_ids) > 5:
            record += f" (+{len(e.record_ids) - 5})"
        table.add_row(
            str(e.seq),
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            e.actor,
            e.action,
            record,
            ", ".join(f"{k}={v}" for k, v in e.detail.items()),
        )
    out.print(table)
    out.print(f"{page.total} entries in all")
