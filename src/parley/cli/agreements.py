"""`parley agreement ...` and `parley report round N`: rounds, memoranda side by side,
proposals and their fate, commitments computed from the records, the round report."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from rich.table import Table
from rich.text import Text

from parley.cli._common import InstanceOption, JsonOption, UserOption, out, session
from parley.domain.errors import InvalidInput
from parley.services import agreements
from parley.services.agreements.drafts import (
    ClaimIn,
    CommitmentIn,
    MemorandumIn,
    ProposalIn,
    ResponseIn,
    RoundIn,
)
from parley.services.agreements.report import LANGUAGES

agreement_app = typer.Typer(
    help="Agreements: rounds, memoranda, proposals, commitments and their fulfilment.",
    no_args_is_help=True,
)
report_app = typer.Typer(help="Reports built from the records.", no_args_is_help=True)

AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="Compute as of this day (YYYY-MM-DD; default today).")
]


def _day(text: str | None, option: str = "as-of") -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"{option}: '{text}' is not a date YYYY-MM-DD", option) from exc


M = TypeVar("M", bound=BaseModel)


def _read(model: type[M], path: Path) -> M:
    try:
        return model.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise InvalidInput(f"{path.name}: {where}: {first['msg']}", where) from exc


def _json(items: Any) -> None:
    if isinstance(items, list):
        out.print_json(json.dumps([i.model_dump(mode="json") for i in items]))
    else:
        out.print_json(items.model_dump_json())


FileArgument = Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A JSON file.")]


@agreement_app.command("rounds")
def rounds(
    as_json: JsonOption = False, instance: InstanceOption = None, user: UserOption = None
) -> None:
    """Every round of talks."""
    with session(instance, user) as s:
        found = agreements.list_rounds(s.instance.uow(), s.actor)
    if as_json:
        return _json(found)
    table = Table("round", "date", "place", "host", "outcome")
    for r in found:
        table.add_row(str(r.number), r.held_on.isoformat(), r.place, r.host, r.outcome)
    out.print(table)


@agreement_app.command("add-round")
def add_round(file: FileArgument, instance: InstanceOption = None, user: UserOption = None) -> None:
    """Record a round from a JSON file (number, held_on, place, host, delegations, outcome)."""
    with session(instance, user) as s:
        kept = agreements.record_round(s.instance.uow(), s.actor, _read(RoundIn, file).row())
    out.print(Text(f"round {kept.number} recorded ({kept.held_on}, {kept.place})"))


@agreement_app.command("memoranda")
def memoranda(
    as_json: JsonOption = False, instance: InstanceOption = None, user: UserOption = None
) -> None:
    """Every memorandum with its sections and points."""
    with session(instance, user) as s:
        found = agreements.list_memoranda(s.instance.uow(), s.actor)
    if as_json:
        return _json(found)
    for m in found:
        out.print(Text(f"{m.id}. {m.party}: {m.title} ({m.presented_on})", style="bold"))
        for section in m.sections:
            out.print(Text(f"  {section.number}. {section.title}"))
            for point in section.points:
                option = f" [{point.option}]" if point.option else ""
                out.print(
                    Text(
                        f"    {point.ref}{option} {point.text}  "
                        f"({', '.join(point.topics)}; {point.stance})"
                    )
                )


@agreement_app.command("add-memorandum")
def add_memorandum(
    file: FileArgument, instance: InstanceOption = None, user: UserOption = None
) -> None:
    """Record a memorandum from a JSON file: party, round, title, sections, points."""
    draft = _read(MemorandumIn, file)
    with session(instance, user) as s:
        kept = agreements.record_memorandum(
            s.instance.uow(), s.actor, draft.row(), draft.point_rows()
        )
    points = sum(len(x.points) for x in kept.sections)
    out.print(Text(f"memorandum {kept.id} recorded: {kept.party}, {points} points"))


@agreement_app.command("compare")
def compare(
    topic: Annotated[
        list[str] | None, typer.Option("--topic", "-t", help="Repeatable; default all.")
    ] = None,
    memorandum: Annotated[
        list[int] | None,
        typer.Option("--memorandum", "-m", help="Repeatable; default each party's latest."),
    ] = None,
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """The memoranda side by side by topic: each party's points, where they meet or exclude."""
    with session(instance, user) as s:
        view = agreements.side_by_side(s.instance.uow(), s.actor, topic or [], memorandum or [])
    if as_json:
        return _json(view)
    for t in view.topics:
        table = Table(*view.parties, title=t.topic.replace("_", " "), show_lines=True)
        columns = [
            "\n".join(
                f"{p.ref}{' [' + p.option + ']' if p.option else ''} {p.text} ({p.stance})"
                for p in t.points.get(party, [])
            )
            for party in view.parties
        ]
        table.add_row(*[Text(c) for c in columns])
        out.print(table)
        for position in t.positions:
            if position.overlap != "one_sided":
                out.print(Text(f"  {position.position}: {position.overlap}"))


@agreement_app.command("proposals")
def proposals(
    kind: Annotated[str | None, typer.Option(help="ceasefire, meeting, sequence, other")] = None,
    round_number: Annotated[int | None, typer.Option("--round")] = None,
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Proposals with their terms and their fate."""
    with session(instance, user) as s:
        found = agreements.list_proposals(s.instance.uow(), s.actor, kind, round_number)
    if as_json:
        return _json(found)
    table = Table("id", "kind", "party", "round", "title", "option", "fate")
    for p in found:
        table.add_row(
            str(p.id), p.kind, p.party, str(p.round_number or ""), p.title, p.option, p.fate
        )
    out.print(table)


@agreement_app.command("add-proposal")
def add_proposal(
    file: FileArgument, instance: InstanceOption = None, user: UserOption = None
) -> None:
    """Record a proposal from a JSON file (kind, party, title, proposed_on, terms, source)."""
    with session(instance, user) as s:
        kept = agreements.record_proposal(s.instance.uow(), s.actor, _read(ProposalIn, file).row())
    out.print(Text(f"proposal {kept.id} recorded: {kept.kind} by {kept.party}"))


@agreement_app.command("respond")
def respond(
    proposal_id: int,
    party: Annotated[str, typer.Option()],
    response: Annotated[str, typer.Option(help="accepted, rejected, counter_proposal, pending")],
    on: Annotated[str, typer.Option("--on")],
    source: Annotated[str, typer.Option()],
    note: Annotated[str, typer.Option()] = "",
    counter: Annotated[int | None, typer.Option(help="The counter-proposal's id.")] = None,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Record a party's response to a proposal."""
    with session(instance, user) as s:
        day = _day(on, "on") or date.today()
        kept = agreements.record_response(
            s.instance.uow(),
            s.actor,
            ResponseIn(
                party=party,
                response=response,
                responded_on=day,
                source=source,
                note=note,
                counter_proposal_id=counter,
            ).row(proposal_id),
        )
    out.print(Text(f"proposal {kept.id}: {kept.fate}"))


def _commitment_table(found: list[agreements.views.CommitmentView]) -> Table:
    table = Table("id", "round", "commitment", "target", "computed", "status", "claims")
    for c in found:
        computed = "n/a" if c.value is None else f"{c.value:,}"
        if c.by_side:
            computed += " (" + ", ".join(f"{k} {v:,}" for k, v in sorted(c.by_side.items())) + ")"
        claims = "\n".join(
            f"{x.party} {x.value:,}" + ("" if x.gap is None else f" (gap {x.gap:+,})")
            for x in c.claims
        )
        table.add_row(
            str(c.id),
            str(c.round_number or ""),
            c.label,
            c.target.description,
            computed,
            c.status,
            claims,
        )
    return table


@agreement_app.command("commitments")
def commitments(
    as_of: AsOfOption = None,
    round_number: Annotated[int | None, typer.Option("--round")] = None,
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Commitments with the figure computed from the records as of a day, and the claims."""
    with session(instance, user) as s:
        found = agreements.list_commitments(s.instance.uow(), s.actor, _day(as_of), round_number)
    if as_json:
        return _json(found)
    out.print(_commitment_table(found))


@agreement_app.command("commitment")
def commitment(
    commitment_id: int,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """One commitment as of a day, with its series over time."""
    with session(instance, user) as s:
        found = agreements.show_commitment(s.instance.uow(), s.actor, commitment_id, _day(as_of))
    if as_json:
        return _json(found)
    out.print(_commitment_table([found]))
    for point in found.series:
        out.print(Text(f"  {point.on}: {point.value:,}"))


@agreement_app.command("add-commitment")
def add_commitment(
    file: FileArgument, instance: InstanceOption = None, user: UserOption = None
) -> None:
    """Record a commitment from a JSON file: text, round, parties, metric, target, deadline."""
    with session(instance, user) as s:
        kept = agreements.record_commitment(
            s.instance.uow(), s.actor, _read(CommitmentIn, file).row()
        )
    out.print(Text(f"commitment {kept.id} recorded: {kept.label} ({kept.target.description})"))


@agreement_app.command("claim")
def claim(
    commitment_id: int,
    party: Annotated[str, typer.Option()],
    value: Annotated[int, typer.Option()],
    on: Annotated[str, typer.Option("--on", help="When it was said.")],
    source: Annotated[str, typer.Option()],
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Keep what a party says it delivered on a commitment, beside the computed figure."""
    with session(instance, user) as s:
        day = _day(on, "on") or date.today()
        kept = agreements.record_claim(
            s.instance.uow(),
            s.actor,
            ClaimIn(party=party, value=value, claimed_on=day, source=source).row(commitment_id),
        )
    out.print(_commitment_table([kept]))


@agreement_app.command("export")
def export(
    statement: Annotated[str, typer.Argument(help="memorandum, proposal, response or claim")],
    record_id: int,
    to: Annotated[str, typer.Option("--to", help="The recipient party (the mediator, say).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the bundle.")],
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Sign one of our party's statements as a bundle; the other side takes it in with
    `parley bundle import`."""
    from parley.services.agreements.exchange import export_statement

    with session(instance, user) as s:
        kept, raw = export_statement(
            s.instance.uow(), s.actor, s.instance.keyring(), statement, record_id, to
        )
    output.write_bytes(raw)
    out.print(Text(f"{statement} {record_id} signed for {to.upper()}: {output} ({kept.sha256})"))


@report_app.command("round")
def report_round(
    number: int,
    output: Annotated[Path, typer.Option("--output", "-o", help="FILE.pdf or FILE.md")],
    as_of: AsOfOption = None,
    language: Annotated[str, typer.Option("--language", "-l", help="en or uk")] = "en",
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """What the parties agreed at a round, and what happened since: Markdown or PDF."""
    if language not in LANGUAGES:
        raise typer.BadParameter(f"language must be one of {', '.join(LANGUAGES)}")
    if output.suffix.lower() not in (".pdf", ".md"):
        raise typer.BadParameter("the output file ends in .pdf or .md")
    with session(instance, user) as s:
        report = agreements.round_report(s.instance.uow(), s.actor, number, _day(as_of))
        if output.suffix.lower() == ".pdf":
            output.write_bytes(agreements.render_pdf(report, language))
        else:
            output.write_text(agreements.render_markdown(report, language), encoding="utf-8")
    out.print(Text(f"round {number} report ({language}, as of {report.as_of}) → {output}"))
