"""`parley audit ...`: read and verify the hash-chained audit log."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from parley.cli._common import InstanceOption, UserOption, cli_errors, out, session
from parley.domain.errors import AuditLogRewritten, IntegrityBroken, InvalidInput
from parley.domain.paging import PageRequest
from parley.interchange.checkpoints import MAX_BYTES
from parley.services.accounts import audit, checkpoints

audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)


def _read(path: Path) -> bytes:
    """At most one byte more than a checkpoint may hold: a huge file is refused, not loaded."""
    with path.open("rb") as handle:
        return handle.read(MAX_BYTES + 1)


@audit_app.command("verify")
def verify(
    against: Annotated[
        list[Path] | None,
        typer.Option(
            "--against",
            exists=True,
            dir_okay=False,
            help="A checkpoint file (ours, held by another party) the log must still extend; "
            "may be repeated.",
        ),
    ] = None,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Walk the chain; name the first altered or missing entry; prove the log still extends
    every checkpoint given and every one this instance kept."""
    with session(instance, user) as s:
        files: list[tuple[str, bytes | Mapping[str, Any]]] = [
            (str(path), _read(path)) for path in against or []
        ]
        report = checkpoints.verify_log(
            s.instance.uow(), s.actor, s.instance.config.party, s.instance.own_keys(), files
        )
    if report.ok:
        out.print(
            f"audit log intact: {report.chain.checked} entries verified; it extends "
            f"{report.checkpoints} signed checkpoint{'s' if report.checkpoints != 1 else ''}"
        )
        return
    with cli_errors():  # exits with the error's code, as every other error does
        if not report.chain.ok:
            first = report.chain.breaks[0]
            raise IntegrityBroken(
                f"audit log broken at entry {first.entry_id}: {first.reason} "
                f"({report.chain.checked} entries read)"
            )
        raise AuditLogRewritten(
            "audit log does not extend its checkpoints: "
            + "; ".join(m.reason for m in report.mismatches)
        )


@audit_app.command("checkpoint")
def checkpoint(
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Sign the log's head now (entry count and last hash) and write it, for a third party to
    hold; a timer may run this hourly."""
    with session(instance, user) as s:
        if output.exists():
            raise InvalidInput(f"{output} exists; give the checkpoint a new file name", "output")
        keyring = s.instance.keyring()
        stored, signed = checkpoints.write_checkpoint(
            s.instance.uow(), s.actor, keyring.party, keyring.signing_key
        )
        output.write_bytes(signed.raw)
    out.print(
        f"checkpoint {stored.id}: {signed.entries} entries, head {signed.head[:16]}…, "
        f"signed with {signed.signer_fingerprint}; written to {output}",
        highlight=False,
    )


@audit_app.command("checkpoints")
def checkpoints_(
    party: Annotated[str | None, typer.Option(help="Only this party's checkpoints.")] = None,
    limit: Annotated[int, typer.Option()] = 20,
    offset: Annotated[int, typer.Option()] = 0,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """The checkpoints this instance holds: its own, and those other parties' bundles carried."""
    with session(instance, user) as s:
        rows, total = checkpoints.list_checkpoints(s.instance.uow(), s.actor, party, offset, limit)
    table = Table("id", "party", "entries", "head", "signed at", "key", "source")
    for c in rows:
        source = c.source + (f" (bundle {c.bundle_sha256[:12]}…)" if c.bundle_sha256 else "")
        table.add_row(
            str(c.id),
            c.party,
            str(c.entries),
            c.head[:16] + "…",
            c.created_at,
            c.signer_fingerprint,
            source,
        )
    out.print(table)
    out.print(f"{total} checkpoints in all")


@audit_app.command("keep")
def keep(
    checkpoint_file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Keep another party's checkpoint handed over as a file (its signature is checked against
    the trust store), to hold that party to it later."""
    with session(instance, user) as s:
        stored = checkpoints.keep_file(
            s.instance.uow(),
            s.actor,
            s.instance.trust_store.trusted(),
            str(checkpoint_file),
            _read(checkpoint_file),
        )
    out.print(f"kept {stored.party}'s checkpoint of {stored.entries} entries as {stored.id}")


@audit_app.command("checkpoint-file")
def checkpoint_file(
    checkpoint_id: int,
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Write a held checkpoint's exact signed bytes, for `parley audit verify --against` on
    the instance that signed it."""
    with session(instance, user) as s:
        if output.exists():
            raise InvalidInput(f"{output} exists; give the checkpoint a new file name", "output")
        stored, raw = checkpoints.checkpoint_content(s.instance.uow(), s.actor, checkpoint_id)
        output.write_bytes(raw)
    out.print(f"{stored.party}'s checkpoint of {stored.entries} entries written to {output}")


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
