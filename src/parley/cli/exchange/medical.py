"""`parley medical ...`: Mixed Medical Commissions, their examinations, deadlines, certificates."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel
from rich.markup import escape
from rich.table import Table

from parley.cli._common import InstanceOption, JsonOption, UserOption, out, session
from parley.domain.accounts.need_to_know import MARKERS
from parley.domain.dates import parse_full_date
from parley.domain.exchange.commissions import Proposer
from parley.domain.exchange.examinations import (
    MEMBER_SYNTAX,
    ExaminationDraft,
    Step,
    parse_condition,
    parse_member,
    parse_vote,
)
from parley.services import exchange
from parley.services.exchange import ConditionView, ExaminationView

medical_app = typer.Typer(
    help="Mixed Medical Commissions (GC III Annex II): examinations, deadlines, certificates.",
    no_args_is_help=True,
)
commission_app = typer.Typer(help="The commissions that examine.", no_args_is_help=True)
medical_app.add_typer(commission_app, name="commission")

MEMBER_HELP = (
    f"A member as {MEMBER_SYNTAX}, e.g. 'Dr Anna Keller|CH|neutral|chair|surgeon'. "
    "ROLE is neutral or detaining_power. Give three: two neutral (one with 'chair') and one "
    "named by the detaining power."
)
DateOption = Annotated[str, typer.Option("--on", help="The day it happened (YYYY-MM-DD).")]


def _day(text: str | None) -> date | None:
    return parse_full_date(text) if text else None


def _print_json(value: BaseModel | Sequence[BaseModel]) -> None:
    data: Any = (
        value.model_dump(mode="json")
        if isinstance(value, BaseModel)
        else [v.model_dump(mode="json") for v in value]
    )
    out.print_json(json.dumps(data, ensure_ascii=False))


@commission_app.command("add")
def commission_add(
    name: Annotated[str, typer.Argument(help="A name unique on this instance, e.g. MMC-1.")],
    member: Annotated[list[str], typer.Option("--member", "-m", help=MEMBER_HELP)],
    deputy: Annotated[
        list[str] | None,
        typer.Option("--deputy", help=f"A deputy, as {MEMBER_SYNTAX} (no chair)."),
    ] = None,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Set up a commission; one not composed as Annex II requires is refused."""
    with session(instance, user) as s:
        members = [parse_member(m, "members") for m in member]
        deputies = [parse_member(d, "deputies") for d in deputy or []]
        view = exchange.add_commission(s.instance.uow(), s.actor, name, members, deputies)
    out.print(f"commission {view.id} '{view.name}' set up", highlight=False, soft_wrap=True)
    for m in view.members:
        out.print(f"  {m.description}", highlight=False, soft_wrap=True)
    for d in view.deputies:
        out.print(f"  deputy: {d.description}", highlight=False, soft_wrap=True)
    for note in view.advisories:
        out.print(f"note: {note}", highlight=False, soft_wrap=True)


@commission_app.command("list")
def commission_list(
    as_json: JsonOption = False, instance: InstanceOption = None, user: UserOption = None
) -> None:
    """Every commission, with its members and deputies."""
    with session(instance, user) as s:
        found = exchange.list_commissions(s.instance.uow(), s.actor)
    if as_json:
        _print_json(found)
        return
    table = Table("id", "name", "members", "deputies", "notes")
    for c in found:
        table.add_row(
            str(c.id),
            c.name,
            "\n".join(m.description for m in c.members),
            "\n".join(d.description for d in c.deputies) or "-",
            "\n".join(c.advisories),
        )
    out.print(table)


@medical_app.command("examine")
def examine(
    person_id: Annotated[int, typer.Argument(help="The registry id of the person examined.")],
    commission: Annotated[str, typer.Option(help="The commission's name.")],
    visited: Annotated[str, typer.Option(help="Day of the visit (YYYY-MM-DD).")],
    findings: Annotated[str, typer.Option(help="What the commission found, in words.")],
    vote: Annotated[
        list[str],
        typer.Option(
            "--vote",
            help="A member's vote as 'NAME=repatriate|reject|reexamine'; one per member.",
        ),
    ],
    condition: Annotated[
        str | None,
        typer.Option(help="The Annex I condition, e.g. 'A2: splinter in the lungs'."),
    ] = None,
    unquestionable: Annotated[
        bool, typer.Option(help="An unquestionable case (amputation, blindness...).")
    ] = False,
    predates_war: Annotated[
        bool,
        typer.Option(
            help="The condition predates the war and has not worsened (does not qualify)."
        ),
    ] = False,
    proposed_by: Annotated[
        Proposer, typer.Option(help="Who asked for the examination (art. 113).")
    ] = Proposer.OTHER,
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Record one visit: each member's vote; the majority decides."""
    with session(instance, user) as s:
        visited_on = parse_full_date(visited)
        named = parse_condition(condition, unquestionable, predates_war) if condition else None
        votes = dict(parse_vote(v) for v in vote)
        view = exchange.record_examination(
            s.instance.uow(),
            s.actor,
            ExaminationDraft(
                person_id, commission, visited_on, findings, named, votes, proposed_by
            ),
        )
    if as_json:
        _print_json(view)
        return
    out.print(
        f"examination {view.id}: person {view.person_id} {view.person_name}, "
        f"decision {view.decision} ({view.decision_reason})",
        highlight=False,
        soft_wrap=True,
    )
    _deadlines(view)


def _deadlines(view: ExaminationView) -> None:
    notified = view.notified_on.isoformat() if view.notified_on else "not yet"
    out.print(
        f"  notify by {view.notify_by.isoformat()} (notified: {notified})",
        highlight=False,
        soft_wrap=True,
    )
    if view.carry_out_by:
        done = view.carried_out_on.isoformat() if view.carried_out_on else "not yet"
        out.print(
            f"  carry out by {view.carry_out_by.isoformat()} (carried out: {done})",
            highlight=False,
            soft_wrap=True,
        )
    for late in view.overdue:
        out.print(
            f"  [bold red]OVERDUE[/]: {late.what} was due {late.due.isoformat()}, "
            f"{late.days_late} days late",
            highlight=False,
            soft_wrap=True,
        )


def _step(examination_id: int, step: Step, on: str, instance: str | None, user: str | None) -> None:
    with session(instance, user) as s:
        view = exchange.record_step(
            s.instance.uow(), s.actor, examination_id, step, parse_full_date(on)
        )
    out.print(
        f"examination {view.id}: {step.value.replace('_', ' ')} on {on}",
        highlight=False,
        soft_wrap=True,
    )
    _deadlines(view)


@medical_app.command("notify")
def notify(
    examination_id: int,
    on: DateOption,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Record that the decision was communicated (due within one month of the visit)."""
    _step(examination_id, Step.NOTIFIED, on, instance, user)


@medical_app.command("carried-out")
def carried_out(
    examination_id: int,
    on: DateOption,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Record that a repatriation was carried out (due within three months of notification)."""
    _step(examination_id, Step.CARRIED_OUT, on, instance, user)


@medical_app.command("list")
def list_(
    overdue: Annotated[bool, typer.Option("--overdue", help="Only those past a deadline.")] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="As things stood on this day (YYYY-MM-DD).")
    ] = None,
    person: Annotated[int | None, typer.Option(help="Only this person's examinations.")] = None,
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Examinations with their decisions and Annex II deadlines; late ones are marked."""
    with session(instance, user) as s:
        report = exchange.list_examinations(s.instance.uow(), s.actor, _day(as_of), overdue, person)
    if as_json:
        _print_json(report)
        return
    table = Table(
        "id", "person", "commission", "visited", "decision", "notify by", "notified",
        "carry out by", "carried out", "overdue",
    )  # fmt: skip
    for v in report.items:
        late = "; ".join(f"{o.what} {o.days_late}d" for o in v.overdue)
        table.add_row(
            str(v.id),
            f"{v.person_id} {v.person_name}",
            v.commission,
            v.visited_on.isoformat(),
            v.decision,
            v.notify_by.isoformat(),
            v.notified_on.isoformat() if v.notified_on else "-",
            v.carry_out_by.isoformat() if v.carry_out_by else "-",
            v.carried_out_on.isoformat() if v.carried_out_on else "-",
            f"[bold red]{late}[/]" if late else "",
        )
    out.print(table)
    out.print(
        f"{len(report.items)} examination{'' if len(report.items) == 1 else 's'} "
        f"as of {report.as_of.isoformat()}, "
        f"{report.overdue} overdue",
        highlight=False,
        soft_wrap=True,
    )


@medical_app.command("show")
def show(
    examination_id: int,
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """One examination: findings, condition, each vote, the decision and its deadlines."""
    with session(instance, user) as s:
        view = exchange.get_examination(s.instance.uow(), s.actor, examination_id)
    if as_json:
        _print_json(view)
        return
    condition = _condition(view.condition) or "none named"
    out.print(
        f"examination {view.id}: person {view.person_id} {view.person_name}\n"
        f"  {view.commission}, visited {view.visited_on.isoformat()}, "
        f"proposed by {view.proposed_by}\n"
        f"  findings: {view.findings}\n  condition: {condition}",
        highlight=False,
        soft_wrap=True,
        markup=False,
    )
    for name, cast in view.votes.items():
        out.print(f"  {name}: {cast}", highlight=False, soft_wrap=True)
    out.print(
        f"  decision: {view.decision} ({view.decision_reason})", highlight=False, soft_wrap=True
    )
    _deadlines(view)


def _condition(c: ConditionView | None) -> str:
    """`A2: splinter in the lungs`, or the restriction marker once for a reader who may not
    see medical details."""
    if c is None:
        return ""
    return c.category if c.category in MARKERS else f"{c.category}: {c.item}"


@medical_app.command("queue")
def queue(
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD.")] = None,
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Who awaits re-examination, in art. 113 order (entitled proposers, gravest, longest held)."""
    with session(instance, user) as s:
        found = exchange.examination_queue(s.instance.uow(), s.actor, _day(as_of))
    if as_json:
        _print_json(found)
        return
    table = Table("#", "person", "proposed by", "condition", "captured", "last visit")
    for q in found:
        table.add_row(
            str(q.position),
            f"{q.person_id} {q.person_name}",
            q.proposed_by + ("" if q.entitled else " (not art. 113)"),
            escape(_condition(q.condition) or "-"),
            q.captured_on.isoformat() if q.captured_on else "?",
            f"{q.last_visited_on.isoformat()} (examination {q.last_examination_id})",
        )
    out.print(table)


@medical_app.command("certificate")
def certificate(
    examination_id: int,
    output: Annotated[Path, typer.Option("--output", "-o", help="The PDF file to write.")],
    issued_on: Annotated[
        str | None, typer.Option(help="Date printed as issued (default today).")
    ] = None,
    language: Annotated[
        str, typer.Option("--language", "-l", help="en or uk: the certificate's printed words")
    ] = "en",
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Print the repatriation certificate (only a decision to repatriate has one)."""
    with session(instance, user) as s:
        config = s.instance.config
        made = exchange.certificate(
            s.instance.uow(),
            s.actor,
            examination_id,
            _day(issued_on),
            f"{config.party} · {config.name}",
            language,
        )
    output.write_bytes(made.content)
    out.print(
        f"certificate of examination {examination_id} written to {output}",
        highlight=False,
        soft_wrap=True,
    )
