"""`parley stage ...`: plan a stage, sign its manifests, record the day, compare, count."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.table import Table
from rich.text import Text

from parley.cli._common import InstanceOption, JsonOption, UserOption, out, session
from parley.domain.errors import InvalidInput
from parley.domain.exchange.handover import StageOutcome
from parley.domain.exchange.stages import DEFAULT_PRIORITY, Parity, PriorityKey
from parley.services import exchange
from parley.services.exchange import progress_chart_svg

stage_app = typer.Typer(
    help="Exchange stages: plan, sign, record, reconcile.", no_args_is_help=True
)

CategoryOption = Annotated[
    list[str] | None,
    typer.Option("--category", "-c", help="An agreed category, in agreed order (repeatable)."),
]


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"{option}: '{text}' is not a date YYYY-MM-DD", option) from exc


def _json(model: BaseModel) -> None:
    out.print_json(model.model_dump_json())


def _print_plan(detail: exchange.StageDetail, every_exclusion: bool) -> None:
    s = detail.summary
    out.print(
        f"stage {s.id}: '{s.name}' on {s.on.isoformat()}, {s.release_side} → {s.return_side}, "
        f"parity {s.parity.replace('_', ' ')}, capacity {s.capacity:,} per side",
        highlight=False,
    )
    table = Table("category", f"released ({s.release_side})", f"expected back ({s.return_side})")
    for count in detail.counts:
        table.add_row(count.category, str(count.released), str(count.expected))
    table.add_row(Text("total", style="bold"), str(s.released), str(s.expected))
    out.print(table)
    out.print(
        Text("balanced: yes", style="bold green")
        if s.balanced
        else Text("balanced: NO", style="bold red")
    )
    for tally in detail.carried:
        out.print(
            f"carried from stage {s.previous_id}: {tally.count} owed in {tally.category}, "
            f"{tally.side}",
            highlight=False,
        )
    for tally in detail.deficits:
        out.print(
            f"still owed after this stage: {tally.count} in {tally.category}, {tally.side}",
            highlight=False,
        )
    for overlap in detail.overlaps:
        out.print(
            Text(
                f"warning: {overlap.persons} of these persons are also on stage "
                f"{overlap.stage_id} '{overlap.stage_name}', whose outcomes are not recorded",
                style="yellow",
            )
        )
    if detail.exclusion_counts:
        by_code = Table("left out because", "persons")
        for code, n in detail.exclusion_counts.items():
            by_code.add_row(code.replace("_", " "), str(n))
        out.print(by_code)
    if every_exclusion and detail.exclusions:
        listed = Table("person", "side", "code", "reason")
        for e in detail.exclusions:
            listed.add_row(Text(f"{e.person_id} {e.name}"), e.side, e.code, Text(e.reason))
        out.print(listed)
    elif detail.exclusions:
        out.print(f"every reason: `parley stage show {s.id} --exclusions`")


@stage_app.command("plan")
def plan(
    name: Annotated[str, typer.Option("--name", help="The stage's name, e.g. 'Stage 1'.")],
    on: Annotated[str, typer.Option("--on", help="The stage date, YYYY-MM-DD.")],
    capacity: Annotated[int, typer.Option(help="Most persons per side.")],
    categories: CategoryOption = None,
    parity: Annotated[Parity, typer.Option(help="Equal totals or equal per category.")] = (
        Parity.EQUAL_PER_CATEGORY
    ),
    priority: Annotated[
        list[PriorityKey] | None,
        typer.Option(help="Draw order, most important first (repeatable)."),
    ] = None,
    previous: Annotated[
        int | None, typer.Option(help="The previous stage: its deficits come first.")
    ] = None,
    release_side: Annotated[
        str | None, typer.Option(help="Whose people we release, if we hold several sides'.")
    ] = None,
    exclusions: Annotated[
        bool, typer.Option("--exclusions", help="List every exclusion with its reason.")
    ] = False,
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Plan a stage from the registry: two equal manifests, and why everyone else stays."""
    with session(instance, user) as s, out.status("planning…") as status:
        day = _day(on, "on")
        assert day is not None
        detail = exchange.plan(
            s.instance.uow(),
            s.actor,
            s.instance.config.party,
            name,
            day,
            categories or [],
            capacity,
            parity,
            priority or DEFAULT_PRIORITY,
            previous,
            release_side=release_side,
            known=s.instance.categories(),
            note=lambda text: status.update(text),
        )
    if as_json:
        _json(detail)
        return
    _print_plan(detail, exclusions)
    out.print(f"send the manifests with `parley stage export {detail.summary.id} -o DIR`")


@stage_app.command("list")
def list_(
    as_json: JsonOption = False, instance: InstanceOption = None, user: UserOption = None
) -> None:
    """Every stage, by date, with its counts."""
    with session(instance, user) as s:
        found = exchange.list_stages(s.instance.uow(), s.actor)
    if as_json:
        out.print_json(json.dumps([f.model_dump(mode="json") for f in found]))
        return
    table = Table("id", "date", "name", "released", "expected", "balanced", "left out", "recorded")
    for f in found:
        table.add_row(
            str(f.id),
            f.on.isoformat(),
            Text(f.name),
            str(f.released),
            str(f.expected),
            "yes" if f.balanced else "NO",
            str(f.excluded),
            str(f.recorded),
        )
    out.print(table)


@stage_app.command("show")
def show(
    stage_id: int,
    exclusions: Annotated[
        bool, typer.Option("--exclusions", help="List every exclusion with its reason.")
    ] = False,
    code: Annotated[
        str | None, typer.Option(help="Only exclusions with this code (implies --exclusions).")
    ] = None,
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """A stage's plan: counts, both manifests with outcomes, exclusions, documents, claims."""
    with session(instance, user) as s:
        detail = exchange.show_stage(s.instance.uow(), s.actor, stage_id)
    if as_json:
        _json(detail)
        return
    if code:
        detail = detail.model_copy(
            update={"exclusions": [e for e in detail.exclusions if e.code == code]}
        )
    _print_plan(detail, exclusions or bool(code))
    for title, lines in (("released", detail.release), ("expected back", detail.expect)):
        table = Table("ref", "person", "category", "why", "outcome", title=title)
        for line in lines:
            table.add_row(
                line.ref,
                Text(f"{line.person_id} {line.name}"),
                line.category,
                Text("; ".join(line.reasons)),
                Text(f"{line.outcome or ''} {line.outcome_note}".strip()),
            )
        out.print(table)
    for d in detail.documents:
        out.print(
            f"{d.role.replace('_', ' ')}: list {d.list_id or '-'}, bundle {d.bundle_id or '-'}",
            highlight=False,
        )
    for c in detail.claims:
        out.print(
            Text(f"claim by {c.party} ({c.claimed_on}): {c.count} in {c.category} — {c.source}")
        )


@stage_app.command("export")
def export(
    stage_id: int,
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the bundles.")],
    record: Annotated[
        bool,
        typer.Option("--record", help="Sign the executed stage (every outcome) instead."),
    ] = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Sign the two manifests (or, with --record, the executed stage) for the other side."""
    output.mkdir(parents=True, exist_ok=True)
    with session(instance, user) as s:
        keyring = s.instance.keyring()
        if record:
            bundle, raw = exchange.export_record(s.instance.uow(), s.actor, keyring, stage_id)
            written = [("record", bundle, raw)]
        else:
            written = [
                (role.value, bundle, raw)
                for role, bundle, raw in exchange.export_manifests(
                    s.instance.uow(), s.actor, keyring, stage_id
                )
            ]
    for role, bundle, raw in written:
        path = output / f"stage-{stage_id}-{role.replace('_', '-')}-to-{bundle.recipient}.json"
        path.write_bytes(raw)
        out.print(f"{path}: bundle sha256 {bundle.sha256}", highlight=False)
    if record:
        out.print(
            "send it through the mediator; its relay receipt is the countersignature: "
            f"`parley stage countersign {stage_id} RECEIPT.json`"
        )


_SET = re.compile(r"\s*(\d+)\s*=\s*([a-z_]+)\s*(?::(.*))?", re.DOTALL)


@stage_app.command("outcome")
def outcome(
    stage_id: int,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set", help="PERSON_ID=transferred|refused|absent|died[:note] (repeatable)."
        ),
    ] = None,
    everyone_else: Annotated[
        StageOutcome | None,
        typer.Option("--all", help="This outcome for everyone on the manifests not named."),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Day of the handover (default: the stage date).")
    ] = None,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Record the handover: each person's outcome, appended to their history as an event."""
    wanted: dict[int, tuple[str, str]] = {}
    for text in set_ or []:
        found = _SET.fullmatch(text)
        if not found:
            raise typer.BadParameter(f"--set wants PERSON_ID=OUTCOME[:note], not '{text}'")
        wanted[int(found[1])] = (found[2], (found[3] or "").strip())
    with session(instance, user) as s:
        done = exchange.record_outcomes(
            s.instance.uow(),
            s.actor,
            stage_id,
            wanted,
            _day(on, "on"),
            everyone_else=everyone_else,
        )
    counts = ", ".join(f"{n} {o}" for o, n in sorted(done.counts.items()))
    out.print(f"stage {stage_id}: {done.recorded} outcomes recorded ({counts})", highlight=False)


@stage_app.command("claim")
def claim(
    stage_id: int,
    party: Annotated[str, typer.Option(help="Who said it: UA, RU, TR …")],
    count: Annotated[int, typer.Option(help="How many of its own people it says came home.")],
    source: Annotated[str, typer.Option(help="Where it was said (statement, press report).")],
    category: Annotated[str, typer.Option(help="One of the stage's categories, or total.")] = (
        exchange.TOTAL
    ),
    on: Annotated[
        str | None, typer.Option("--on", help="When it was said (default: the stage date).")
    ] = None,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Keep a party's public figure for a stage, beside (never merged with) our records."""
    with session(instance, user) as s:
        kept = exchange.record_claim(
            s.instance.uow(), s.actor, stage_id, party, category, count, _day(on, "on"), source
        )
    out.print(
        Text(
            f"claim {kept.id}: {kept.party} says {kept.count} in {kept.category} "
            f"({kept.claimed_on}, {kept.source})"
        )
    )


@stage_app.command("countersign")
def countersign(
    stage_id: int,
    receipt: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Keep the mediator's relay receipt of our stage record as the stage's countersignature."""
    with session(instance, user) as s:
        signed = exchange.record_countersignature(
            s.instance.uow(),
            s.actor,
            s.instance.keyring(),
            stage_id,
            receipt.read_bytes(),
            receipt.name,
        )
    out.print(
        f"stage {stage_id} countersigned by {signed.by} on {signed.received_at} "
        f"(bundle {signed.bundle_id})",
        highlight=False,
    )


@stage_app.command("link")
def link(
    stage_id: int,
    list_id: int,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Attach the other side's manifest or record (a received list) to compare with ours."""
    with session(instance, user) as s:
        exchange.link_counterpart(s.instance.uow(), s.actor, stage_id, list_id)
    out.print(
        f"list {list_id} attached to stage {stage_id}; reconcile the list "
        f"(`parley list reconcile {list_id}`), then `parley stage reconcile {stage_id}`"
    )


@stage_app.command("reconcile")
def reconcile(
    stage_id: int,
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Where plan, outcomes, claims and the other side's lists disagree."""
    with session(instance, user) as s:
        found = exchange.reconcile_stage(s.instance.uow(), s.actor, stage_id)
    if as_json:
        _json(found)
        return
    table = Table(
        "manifest",
        "side",
        "category",
        "planned",
        "transferred",
        "refused",
        "absent",
        "died",
        "not recorded",
    )
    for t in found.tallies:
        table.add_row(
            t.manifest,
            t.side,
            t.category,
            *(
                str(n)
                for n in (t.planned, t.transferred, t.refused, t.absent, t.died, t.unrecorded)
            ),
        )
    out.print(table)
    if found.shortfalls:
        short = Table(
            "manifest",
            "ref",
            "person",
            "category",
            "outcome",
            "note",
            title="planned but not transferred",
        )
        for x in found.shortfalls:
            short.add_row(
                x.manifest,
                x.ref,
                Text(f"{x.person_id} {x.name}"),
                x.category,
                x.outcome or "not recorded",
                Text(x.note),
            )
        out.print(short)
    if found.claims:
        claims = Table(
            "party",
            "category",
            "claimed",
            "recorded",
            "difference",
            "said on",
            "source",
            title="claims (each party's own people home)",
        )
        for c in found.claims:
            claims.add_row(
                c.party,
                c.category,
                str(c.claimed),
                "-" if c.recorded is None else str(c.recorded),
                "-" if c.difference is None else f"{c.difference:+d}",
                c.claimed_on.isoformat(),
                Text(c.source),
            )
        out.print(claims)
    by_finding: defaultdict[str, int] = defaultdict(int)
    for line in found.counterpart:
        by_finding[line.finding] += 1
    if found.counterpart_lists:
        out.print(
            f"the other side's lists {', '.join(map(str, found.counterpart_lists))}: "
            + (", ".join(f"{n} {k.replace('_', ' ')}" for k, n in by_finding.items()) or "-"),
            highlight=False,
        )
    for list_id in found.unreconciled_lists:
        out.print(f"list {list_id} is not reconciled yet: `parley list reconcile {list_id}`")
    out.print(
        Text("everything agrees", style="bold green")
        if found.agrees
        else Text("differences above", style="bold yellow")
    )


@stage_app.command("progress")
def progress(
    on: Annotated[str | None, typer.Option("--on", help="As of this day (default: today).")] = None,
    categories: CategoryOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Also write the chart as SVG.")
    ] = None,
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """All for all, per category and side: eligible, planned, returned, remaining."""
    with session(instance, user) as s:
        day = _day(on, "on") or date.today()
        report = exchange.progress(
            s.instance.uow(),
            s.actor,
            s.instance.config.party,
            day,
            categories or None,
            s.instance.categories(),
        )
    if output is not None:
        output.write_text(progress_chart_svg(report.rows), encoding="utf-8")
    if as_json:
        _json(report)
        return
    table = Table("category", "side", "eligible", "planned", "returned", "remaining")
    for row in report.rows:
        table.add_row(
            row.category,
            row.side,
            *(str(n) for n in (row.eligible, row.planned, row.returned, row.remaining)),
        )
    out.print(f"all for all on {report.on.isoformat()}, {report.stages} stages so far:")
    out.print(table)
    if output is not None:
        out.print(f"{output}: chart written", highlight=False)
