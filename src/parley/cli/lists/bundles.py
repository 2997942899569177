"""`parley bundle ...`: sign a list for the other side, take in, relay and acknowledge bundles."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from parley.cli._common import EXIT_CODES, InstanceOption, UserOption, err, out, session
from parley.interchange.bundles import Verification
from parley.services.lists import bundles

bundle_app = typer.Typer(help="Signed bundles between parties.", no_args_is_help=True)


@bundle_app.command("export")
def export(
    list_id: int,
    output: Annotated[Path, typer.Option("--output", "-o", help="The bundle file (.json).")],
    to: Annotated[
        str | None, typer.Option("--to", help="Recipient, if the list has several.")
    ] = None,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Sign one of our lists for its recipient; the bytes written are what we can prove we sent."""
    with session(instance, user) as s:
        bundle, raw = bundles.export_bundle(
            s.instance.uow(), s.actor, s.instance.keyring(), list_id, to
        )
    output.write_bytes(raw)
    out.print(
        f"{output}: list {list_id} signed for {bundle.recipient}\n  bundle sha256 {bundle.sha256}",
        highlight=False,
    )


def print_checks(verification: Verification) -> None:
    for result in verification.results:
        mark = ("✔", "green") if result.passed else ("✘", "bold red")
        err.print(Text.assemble((mark[0], mark[1]), f" {result.check.value}: {result.detail}"))


def _receipt_path(file: Path, receipt: Path | None) -> Path:
    return receipt or file.with_name(f"{file.stem}.receipt.json")


@bundle_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    receipt: Annotated[
        Path | None,
        typer.Option(help="Where to write our signed receipt (default: FILE.receipt.json)."),
    ] = None,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Verify a bundle addressed to us, keep it and act on it; refuse it if any check fails."""
    _take(file, receipt, None, instance, user)


@bundle_app.command("relay")
def relay(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The unchanged bundle, to forward.")
    ],
    receipt: Annotated[
        Path | None,
        typer.Option(help="Where to write our relay receipt (default: FILE.receipt.json)."),
    ] = None,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """As a mediator: verify a bundle between the parties and forward it byte for byte."""
    _take(file, receipt, output, instance, user)


def _take(
    file: Path,
    receipt: Path | None,
    forward: Path | None,
    instance: str | None,
    user: str | None,
) -> None:
    raw = file.read_bytes()
    with session(instance, user) as s:
        outcome = bundles.import_bundle(
            s.instance.uow(),
            s.actor,
            s.instance.keyring(),
            file.name,
            raw,
            relay=forward is not None,
        )
    if outcome.already:
        assert outcome.bundle is not None
        out.print(
            f"{file}: already received on {outcome.bundle.stored_at:%Y-%m-%d %H:%M} UTC "
            f"(bundle {outcome.bundle.id}); nothing changed",
            highlight=False,
        )
        if forward is not None:
            forward.write_bytes(raw)
        return
    print_checks(outcome.verification)
    if outcome.refused:
        failed = outcome.verification.failed
        err.print(
            Text.assemble(
                ("error", "bold red"),
                f"[bundle_refused]: {file}: {failed.check.value if failed else '?'} check failed; "
                "nothing was stored",
            )
        )
        raise typer.Exit(EXIT_CODES.get("bundle_refused", 8))
    assert outcome.bundle is not None
    bundle = outcome.bundle
    if outcome.forward_to:
        target = forward or file.with_name(f"{file.stem}.to-{outcome.forward_to}.json")
        target.write_bytes(raw)
        out.print(
            f"relayed {bundle.kind} from {bundle.sender}: forward {target} to "
            f"{outcome.forward_to} unchanged",
            highlight=False,
        )
    elif outcome.stored is not None:
        listed = outcome.stored
        out.print(
            f"received list {listed.id}: {listed.sender} '{listed.name}' version "
            f"{listed.version}, {listed.entry_count} entries; reconcile with "
            f"`parley list reconcile {listed.id}`",
            highlight=False,
        )
    elif bundle.kind == "receipt":
        ours = outcome.acknowledged
        out.print(
            f"receipt from {bundle.sender} recorded"
            + (
                f" for our bundle {ours.id} ({ours.kind})"
                if ours
                else " — it acknowledges a bundle we have no record of"
            ),
            highlight=False,
        )
    elif bundle.kind == "agreement":
        out.print(
            f"statement of {bundle.sender} recorded, signed with its key; see "
            "`parley agreement memoranda`, `proposals` or `commitments`",
            highlight=False,
        )
    elif outcome.announced is not None:
        out.print(
            f"{outcome.announced.party} announced a new key {outcome.announced.fingerprint}: "
            "now trusted (the old one stays trusted for what it signed)",
            highlight=False,
        )
    if outcome.receipt is not None:
        path = _receipt_path(file, receipt)
        path.write_bytes(outcome.receipt)
        out.print(f"our signed receipt: {path} (send it back to {bundle.sender})", highlight=False)


@bundle_app.command("verify")
def verify(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    relay: Annotated[bool, typer.Option(help="Check as a mediator would.")] = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Run every check on a bundle without storing anything."""
    with session(instance, user) as s:
        verification = bundles.outcome_verification(file.read_bytes(), s.instance.keyring(), relay)
    print_checks(verification)
    if not verification.accepted:
        raise typer.Exit(EXIT_CODES.get("bundle_refused", 8))
    out.print(f"{file}: every check passed (sha256 {verification.sha256})", highlight=False)


@bundle_app.command("all")
def all_(
    offset: Annotated[int, typer.Option()] = 0,
    limit: Annotated[int, typer.Option()] = 50,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Every bundle sent, received or relayed here, newest first."""
    with session(instance, user) as s:
        found, total = bundles.list_bundles(s.instance.uow(), s.actor, offset, limit)
    table = Table("id", "direction", "kind", "from", "to", "created", "bytes", "sha256")
    for b in found:
        table.add_row(
            str(b.id),
            b.direction,
            b.kind,
            b.sender,
            b.recipient,
            b.created_at,
            str(b.size),
            b.sha256[:16] + "…",
        )
    out.print(table)
    out.print(f"{total} bundles")


@bundle_app.command("acks")
def acks(instance: InstanceOption = None, user: UserOption = None) -> None:
    """Which of our lists were acknowledged, by whom and when."""
    with session(instance, user) as s:
        found, total = bundles.acknowledgments(s.instance.uow(), s.actor)
    table = Table("bundle", "list", "to", "sent", "receipts")
    for ack in found:
        table.add_row(
            str(ack.bundle.id),
            ack.bundle.provenance.get("list", ""),
            ack.bundle.recipient,
            ack.bundle.created_at,
            "; ".join(f"{r.acknowledged_by} ({r.role}) {r.received_at}" for r in ack.receipts)
            or "not acknowledged yet",
        )
    out.print(table)
    out.print(f"{total} list bundles sent")
