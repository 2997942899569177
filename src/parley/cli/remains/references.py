"""`parley remains references|consent|screen-references|notify|release|death-list`: the
instance's reference families and the steps after a confirmed identification."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from parley.cli._common import InstanceOption, JsonOption, UserOption, out, session
from parley.cli.remains.remains import _day, _print_body, remains_app
from parley.domain.errors import InvalidInput
from parley.domain.remains.references import Consent
from parley.services import remains
from parley.services.remains import FamilyView

references_app = typer.Typer(
    help="Reference families: relatives of missing persons, their profiles and consent.",
    no_args_is_help=True,
)
remains_app.add_typer(references_app, name="references")


def _moment(text: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"'{text}' is not a date and time", "at") from exc


@references_app.command("import")
def import_references(
    case: Annotated[
        Path,
        typer.Option("--dir", exists=True, file_okay=False, help="A case in dvir's layout."),
    ],
    received_on: Annotated[str, typer.Option(help="Day the references came in, YYYY-MM-DD.")],
    consent_by: Annotated[
        str,
        typer.Option(help="Who attests that every typed relative consented (else none used)."),
    ] = "",
    batch: Annotated[
        int | None, typer.Option(help="Batch to register the case's bodies (PM) in.")
    ] = None,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Store a case's families, relatives' profiles and bodies' profiles; all or nothing."""
    with session(instance, user) as s:
        done = remains.import_references(
            s.instance.uow(),
            s.actor,
            case,
            received_on=_day(received_on),
            consent_by=consent_by,
            batch_id=batch,
        )
    out.print(
        f"{done.source}: {done.families} families, {done.missing} missing persons, "
        f"{done.donors} typed relatives, {len(done.bodies_profiled)} body profiles stored"
    )
    if done.donors_without_consent:
        out.print(
            f"{done.donors_without_consent} relatives have no consent recorded: their "
            "profiles are not used until it is (`parley remains consent`)"
        )
    out.print(
        f"screening uses {done.frequency_table} and its own mutation model; the case's "
        "freqs.csv and mutation.csv were checked, not kept"
    )


@references_app.command("list")
def list_references(
    as_json: JsonOption = False, instance: InstanceOption = None, user: UserOption = None
) -> None:
    """Every reference family: its missing persons and relatives."""
    with session(instance, user) as s:
        found = remains.reference_families(s.instance.uow(), s.actor)
    if as_json:
        typer.echo(json.dumps([f.model_dump(mode="json") for f in found], indent=2))
        return
    table = Table("family", "missing", "received", "relatives used", "source")
    for f in found:
        used = sum(d.used for d in f.donors)
        table.add_row(
            f.family, ", ".join(f.missing), f.received_on.isoformat(), str(used), f.source
        )
    out.print(table)


@references_app.command("show")
def show_family(
    family: Annotated[str, typer.Argument()],
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """A family's relatives: relationship, markers typed, consent."""
    with session(instance, user) as s:
        found = remains.reference_family(s.instance.uow(), s.actor, family)
    if as_json:
        typer.echo(found.model_dump_json(indent=2))
        return
    _print_family(found)


def _print_family(found: FamilyView) -> None:
    out.print(f"family {found.family}: missing {', '.join(found.missing)}")
    for d in found.donors:
        out.print(
            f"  {d.member}: {d.relationship}, {d.markers} markers, "
            f"consent {d.consent or 'none'}{'' if d.used else ' (not used)'}"
        )


@remains_app.command("consent")
def record_consent(
    family: Annotated[str, typer.Argument()],
    member: Annotated[str, typer.Argument()],
    state: Annotated[Consent, typer.Argument()],
    given_by: Annotated[str, typer.Option("--by", help="Who gave or withdrew it.")],
    on: Annotated[str, typer.Option("--on", help="Day of the decision, YYYY-MM-DD.")],
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Record a relative's consent given or withdrawn (withdrawn: the profile is not used)."""
    with session(instance, user) as s:
        found = remains.record_consent(
            s.instance.uow(), s.actor, family, member, state, given_by=given_by, on=_day(on)
        )
    _print_family(found)


@remains_app.command("screen-references")
def screen_references(
    as_json: JsonOption = False, instance: InstanceOption = None, user: UserOption = None
) -> None:
    """Screen every profiled body against every stored family; keep candidates for review."""
    with session(instance, user) as s:
        done = remains.screen_references(s.instance.uow(), s.actor)
    if as_json:
        typer.echo(done.model_dump_json(indent=2))
        return
    out.print(
        f"{done.bodies} bodies against {done.missing_persons} missing persons "
        f"(prior {done.prior:.3g}): {done.candidates} candidates stored, "
        f"{len(done.new_candidates)} bodies newly with a candidate"
    )
    if done.families_skipped:
        out.print(f"{done.families_skipped} families have no usable reference (consent, typing)")


@remains_app.command("notify")
def notify(
    tag: Annotated[str, typer.Argument()],
    whom: Annotated[str, typer.Option(help="The relative told.")],
    notified_by: Annotated[str, typer.Option("--by", help="Who told them.")],
    how: Annotated[str, typer.Option(help="In person, by telephone, by letter…")],
    at: Annotated[str, typer.Option(help="When, ISO 8601 with a time zone (now).")] = "",
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Record that the family of a confirmed identification was notified."""
    with session(instance, user) as s:
        done = remains.notify_family(
            s.instance.uow(),
            s.actor,
            tag,
            whom=whom,
            notified_by=notified_by,
            how=how,
            at=_moment(at),
        )
    _print_body(done)


@remains_app.command("release")
def release(
    tag: Annotated[str, typer.Argument()],
    to: Annotated[str, typer.Option(help="To whom the body is released for burial.")],
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Release a body for burial (after the family was notified)."""
    with session(instance, user) as s:
        done = remains.release_body(s.instance.uow(), s.actor, tag, to=to)
    _print_body(done)


@remains_app.command("death-list")
def death_list(
    to: Annotated[str, typer.Option("--to", help="The other party.")],
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Build our death list for the other side from confirmed identifications."""
    with session(instance, user) as s:
        built = remains.death_list(s.instance.uow(), s.actor, s.instance.config.party, to)
    stored = built.stored
    what = "unchanged" if built.unchanged else "stored"
    out.print(
        f"list {stored.id} '{stored.name}' v{stored.version} {what}: "
        f"{stored.entry_count} identified persons; sign it with `parley bundle export {stored.id}`"
    )


@remains_app.command("handover")
def export_handover(
    batch_id: Annotated[int, typer.Argument()],
    output: Annotated[Path, typer.Option("--out", help="Where to write the signed bundle.")],
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Sign one of our outgoing batches as a `remains_handover` bundle for the receiver."""
    with session(instance, user) as s:
        kept, raw = remains.export_handover(
            s.instance.uow(), s.actor, s.instance.keyring(), batch_id
        )
    output.write_bytes(raw)
    out.print(f"handover of batch {batch_id} signed for {kept.recipient}: {output} ({kept.sha256})")


@remains_app.command("batch-from-handover")
def batch_from_handover(
    bundle: Annotated[str, typer.Argument(help="The received handover bundle's SHA-256.")],
    received: Annotated[int, typer.Option(help="Our own count.")],
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Record our batch from the other side's signed handover (taken in with `bundle import`)."""
    with session(instance, user) as s:
        made = remains.record_handed_batch(
            s.instance.uow(), s.actor, s.instance.config.party, bundle, received
        )
    flag = f"  difference {made.difference:+d}" if made.flagged else ""
    out.print(f"batch {made.id}: declared {made.declared}, received {made.received}{flag}")
