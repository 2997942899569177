"""`parley remains ...`: batches with their counts and custody, bodies and their steps."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from parley.cli._common import InstanceOption, JsonOption, UserOption, out, session
from parley.domain.errors import InvalidInput
from parley.domain.remains.batches import Batch, Handoff
from parley.domain.remains.bodies import BodyStatus
from parley.services import remains
from parley.services.remains import BodyView

remains_app = typer.Typer(
    help="Repatriated remains: batches, custody, bodies, identification.", no_args_is_help=True
)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"'{text}' is not a date YYYY-MM-DD") from exc


@remains_app.command("batch")
def add_batch(
    on: Annotated[str, typer.Option("--on", help="Date handed over, YYYY-MM-DD.")],
    place: Annotated[str, typer.Option()],
    from_party: Annotated[str, typer.Option("--from", help="The side handing over.")],
    to_party: Annotated[str, typer.Option("--to", help="The side receiving.")],
    received: Annotated[int, typer.Option(help="Our own count.")],
    declared: Annotated[
        int | None, typer.Option(help="The other side's count, if not from its signed list.")
    ] = None,
    declared_list: Annotated[
        int | None,
        typer.Option(help="The other side's death list (received, signed): its entry count."),
    ] = None,
    intermediary: Annotated[str, typer.Option()] = "",
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Record a batch; a difference between declared and received is flagged."""
    if (declared is None) == (declared_list is None):
        raise InvalidInput("give the declared count or the death list it comes from, not both")
    with session(instance, user) as s:
        count = declared if declared is not None else 0
        batch = Batch(_day(on), place, from_party, to_party, count, received, intermediary)
        if declared_list is not None:
            made = remains.record_declared_batch(
                s.instance.uow(), s.actor, s.instance.config.party, batch, declared_list
            )
        else:
            made = remains.record_batch(s.instance.uow(), s.actor, batch)
    flag = f"  difference {made.difference:+d}" if made.flagged else ""
    out.print(f"batch {made.id}: declared {made.declared}, received {made.received}{flag}")


@remains_app.command("batches")
def list_batches(
    as_json: JsonOption = False, instance: InstanceOption = None, user: UserOption = None
) -> None:
    """Every batch, declared against received."""
    with session(instance, user) as s:
        found = remains.batches(s.instance.uow(), s.actor)
    if as_json:
        typer.echo(json.dumps([b.model_dump(mode="json") for b in found], indent=2))
        return
    table = Table("#", "date", "place", "from", "to", "declared", "received", "difference")
    for b in found:
        table.add_row(
            str(b.id),
            b.handed_over_on.isoformat(),
            b.place,
            b.from_party,
            b.to_party,
            str(b.declared),
            str(b.received),
            f"{b.difference:+d}" if b.flagged else "",
        )
    out.print(table)


@remains_app.command("custody")
def add_handoff(
    batch_id: Annotated[int, typer.Argument()],
    bag: Annotated[str, typer.Option()],
    received_by: Annotated[str, typer.Option()],
    at: Annotated[str, typer.Option(help="When, ISO 8601 with a time zone.")],
    place: Annotated[str, typer.Option()],
    seal: Annotated[str, typer.Option(help="The seal number.")],
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Add one handoff to a bag's chain of custody."""
    with session(instance, user) as s:
        try:
            when = datetime.fromisoformat(at)
        except ValueError as exc:
            raise InvalidInput(f"'{at}' is not a date and time") from exc
        shown = remains.record_handoff(
            s.instance.uow(), s.actor, batch_id, Handoff(bag, received_by, when, place, seal)
        )
    out.print(f"batch {shown.id}: {len(shown.custody)} handoffs recorded")


@remains_app.command("body")
def add_body(
    batch_id: Annotated[int, typer.Argument()],
    tag: Annotated[str, typer.Argument()],
    bag: Annotated[str, typer.Option()] = "",
    condition: Annotated[str, typer.Option()] = "",
    effects: Annotated[str, typer.Option()] = "",
    documents: Annotated[str, typer.Option()] = "",
    disc_halves: Annotated[int, typer.Option(min=0, max=2)] = 0,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Register a body received in a batch."""
    with session(instance, user) as s:
        made = remains.receive_body(
            s.instance.uow(),
            s.actor,
            batch_id,
            tag,
            bag=bag,
            condition=condition,
            effects=effects,
            documents=documents,
            disc_halves=disc_halves,
        )
    _print_body(made)


@remains_app.command("step")
def add_step(
    tag: Annotated[str, typer.Argument()],
    status: Annotated[BodyStatus, typer.Argument()],
    missing: Annotated[str, typer.Option(help="The missing person proposed or identified.")] = "",
    note: Annotated[str, typer.Option()] = "",
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """A body's next step; `confirmed` must come from another account than `preliminary`."""
    with session(instance, user) as s:
        done = remains.record_step(
            s.instance.uow(), s.actor, tag, status, missing_ref=missing, note=note
        )
    _print_body(done)


@remains_app.command("screen")
def screen_into(
    batch_id: Annotated[int, typer.Argument()],
    case: Annotated[
        Path,
        typer.Option("--dir", exists=True, file_okay=False, help="A case in dvir's layout."),
    ],
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Screen a case's bodies against its families; keep each body's candidates for review."""
    with session(instance, user) as s:
        screened = remains.screen_into(s.instance.uow(), s.actor, batch_id, case)
    for found in screened:
        best = found.candidates[0] if found.candidates else None
        out.print(
            f"{found.tag}: {found.status}"
            + (f" {best.missing_ref} posterior {best.posterior:.6g}" if best else "")
        )


@remains_app.command("show")
def show_body(
    tag: Annotated[str, typer.Argument()],
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """A body with its steps."""
    with session(instance, user) as s:
        found = remains.body(s.instance.uow(), s.actor, tag)
    if as_json:
        typer.echo(found.model_dump_json(indent=2))
        return
    _print_body(found)


def _print_body(body: BodyView) -> None:
    for c in body.candidates:
        out.print(
            f"  candidate {c.missing_ref}: LR {'Inf' if c.lr is None else f'{c.lr:.6g}'}, "
            f"exclusions {c.exclusions}, "
            f"posterior {c.posterior:.6g} (prior {c.prior:.3g}, {c.source})"
        )
    out.print(f"body {body.tag} (batch {body.batch_id}): {body.status} {body.missing_ref}".strip())
    if body.profile:
        out.print(f"  profile: {len(body.profile)} markers")
    for step in body.steps:
        out.print(
            f"  {step.occurred_at:%Y-%m-%d %H:%M} {step.status} {step.missing_ref} "
            f"by {step.recorded_by}"
        )
    for n in body.notifications:
        out.print(f"  notified {n.whom} by {n.notified_by} ({n.how}) {n.notified_at:%Y-%m-%d}")
