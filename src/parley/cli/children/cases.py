"""`parley child ...`: deported children's cases, lists, answers, progress and exports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from parley.cli._common import InstanceOption, JsonOption, UserOption, out, session
from parley.domain.children import ChildStatus, EventKind, Identity, Relative
from parley.domain.dates import parse_full_date
from parley.services import children
from parley.services.children.views import AnswersIn

child_app = typer.Typer(
    help="Deported children (ombudsman only): cases, lists to the other side, answers.",
    no_args_is_help=True,
)
OnOption = Annotated[str, typer.Option("--on", help="The day it happened (YYYY-MM-DD).")]
SourceOption = Annotated[str, typer.Option("--source", help="Who or what says so.")]


@child_app.command("open")
def open_case(
    reference: Annotated[str, typer.Argument(help="Our reference for the case, e.g. C-0001.")],
    surname: Annotated[str, typer.Option("--surname")],
    given: Annotated[str, typer.Option("--given")],
    on: OnOption,
    source: SourceOption,
    born: Annotated[str | None, typer.Option("--born", help="YYYY-MM-DD")] = None,
    place_of_birth: Annotated[str, typer.Option("--place-of-birth")] = "",
    relative: Annotated[
        list[str] | None,
        typer.Option("--relative", help="NAME|RELATIONSHIP|PROOF|VERIFIED_BY, repeatable."),
    ] = None,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Open a child's case with the identity at the time of deportation."""
    identity = Identity(
        given, surname, born=parse_full_date(born) if born else None, place_of_birth=place_of_birth
    )
    relatives = [Relative(*[*r.split("|"), "", "", ""][:4]) for r in relative or []]
    with session(instance, user) as s:
        case = children.open_case(
            s.instance.uow(), s.actor, reference, identity, on=parse_full_date(on), source=source,
            relatives=relatives,
        )  # fmt: skip
    out.print(f"case {case.id} ({case.reference}) opened")


@child_app.command("show")
def show(case_id: int, instance: InstanceOption = None, user: UserOption = None) -> None:
    """A child's record: every identity, relatives and proof, events (JSON)."""
    with session(instance, user) as s:
        case = children.case_view(s.instance.uow(), s.actor, case_id)
    out.print_json(case.model_dump_json())


@child_app.command("cases")
def cases_(
    as_json: JsonOption = False, instance: InstanceOption = None, user: UserOption = None
) -> None:
    """Every child's case with its status (the ombudsman's and admins' only)."""
    with session(instance, user) as s:
        found = children.case_views(s.instance.uow(), s.actor)
    if as_json:
        out.print_json(json.dumps([c.model_dump(mode="json") for c in found]))
        return
    table = Table("id", "reference", "name", "born", "status", "lists")
    for case in found:
        first = case.identities[0] if case.identities else None
        table.add_row(
            str(case.id),
            case.reference,
            f"{first.family_name} {first.given_name}" if first else "",
            str(first.born or "") if first else "",
            case.status,
            ", ".join(case.lists),
        )
    out.print(table)
    out.print(f"{len(found)} case{'' if len(found) == 1 else 's'}")


@child_app.command("identity")
def identity(
    case_id: int,
    surname: Annotated[str, typer.Option("--surname")],
    given: Annotated[str, typer.Option("--given")],
    on: OnOption,
    source: SourceOption,
    born: Annotated[str | None, typer.Option("--born", help="YYYY-MM-DD")] = None,
    place_of_birth: Annotated[str, typer.Option("--place-of-birth")] = "",
    note: Annotated[str, typer.Option("--note", help="e.g. 'after adoption'")] = "",
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Add a later identity (a new name or date of birth); the earlier ones are kept."""
    found = Identity(
        given, surname, "", parse_full_date(born) if born else None, place_of_birth, note
    )
    with session(instance, user) as s:
        children.record(
            s.instance.uow(), s.actor, case_id, EventKind.IDENTITY, children.identity_data(found),
            on=parse_full_date(on), source=source,
        )  # fmt: skip
    out.print(f"case {case_id}: identity added")


@child_app.command("status")
def status(
    case_id: int,
    new: Annotated[ChildStatus, typer.Argument(help="The status the case moves to.")],
    on: OnOption,
    source: SourceOption,
    reason: Annotated[str, typer.Option("--reason", help="Why a case is closed.")] = "",
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Move a case forward (reported → … → reunited), or close it with a reason."""
    with session(instance, user) as s:
        case = children.set_status(
            s.instance.uow(), s.actor, case_id, new, on=parse_full_date(on), source=source,
            reason=reason,
        )  # fmt: skip
    out.print(f"case {case_id}: {case.status}")


@child_app.command("send")
def send(
    list_ref: Annotated[str, typer.Argument(help="The list's reference.")],
    case: Annotated[list[int], typer.Option("--case", help="A case on the list, repeatable.")],
    to: Annotated[str, typer.Option("--to", help="The other side, e.g. RU.")],
    mediator: Annotated[str, typer.Option("--mediator", help="e.g. QA.")],
    on: OnOption,
    source: SourceOption,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Put children on a list to the other side's ombudsman, through a mediator."""
    with session(instance, user) as s:
        n = children.send_list(
            s.instance.uow(), s.actor, list_ref, case, addressee=to, mediator=mediator,
            on=parse_full_date(on), source=source,
        )  # fmt: skip
    out.print(f"{n} children on list {list_ref}")


@child_app.command("answers")
def answers(
    list_ref: Annotated[str, typer.Argument(help="The list answered.")],
    file: Annotated[Path, typer.Argument(help='JSON: {"on", "source", "answers": [...]}.')],
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Take in the other side's answers and match them to the cases on the list."""
    try:
        body = AnswersIn.model_validate_json(file.read_bytes())
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    given = [children.ChildAnswer(**a.model_dump()) for a in body.answers]
    with session(instance, user) as s:
        shown = children.record_answers_view(
            s.instance.uow(), s.actor, list_ref, given, on=body.on, source=body.source
        )
    out.print(f"{shown.answers} answers, {shown.matched} matched to cases")


@child_app.command("progress")
def progress(
    list_ref: str,
    as_of: Annotated[str | None, typer.Option("--as-of")] = None,
    overdue_days: Annotated[int, typer.Option("--overdue-days")] = 30,
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Answered, located, returned, reunited, and no answer after N days, as of a date."""
    with session(instance, user) as s:
        found = children.progress_view(
            s.instance.uow(), s.actor, list_ref, parse_full_date(as_of) if as_of else None,
            overdue_days,
        )  # fmt: skip
    if as_json:
        out.print_json(found.model_dump_json())
        return
    table = Table("list", "as of", "listed", "answered", "located", "returned", "reunited",
                  f"no answer after {overdue_days} days")  # fmt: skip
    table.add_row(
        list_ref, str(found.as_of), *(str(n) for n in (
            found.listed, found.answered, found.located, found.returned, found.reunited,
            found.no_answer_after,
        ))
    )  # fmt: skip
    out.print(table)


@child_app.command("counts")
def counts(instance: InstanceOption = None, user: UserOption = None) -> None:
    """How many cases stand at each status (what roles other than the ombudsman see)."""
    with session(instance, user) as s:
        found = children.counts(s.instance.uow(), s.actor)
    out.print_json(json.dumps(found))


@child_app.command("export-request")
def export_request(
    list_ref: str,
    reason: Annotated[str, typer.Option("--reason")],
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Ask to export a list's children; a second ombudsman must approve."""
    with session(instance, user) as s:
        row = children.request_export(s.instance.uow(), s.actor, list_ref, reason)
    out.print(f"export request {row.id}: waiting for a second ombudsman's approval")


@child_app.command("export-approve")
def export_approve(
    export_id: int,
    hours: Annotated[int, typer.Option("--hours", help="How long the approval holds.")] = 24,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Approve another ombudsman's export request, for a number of hours."""
    with session(instance, user) as s:
        row = children.approve_export(s.instance.uow(), s.actor, export_id, hours)
    out.print(f"export {export_id} approved until {row.expires_at}")


@child_app.command("export")
def export(
    export_id: int,
    output: Annotated[Path, typer.Option("--output", "-o")],
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Write the approved export's cases as JSON (logged; refused once the approval expires)."""
    with session(instance, user) as s:
        cases = children.export_case_views(s.instance.uow(), s.actor, export_id)
    if output.exists():
        raise typer.BadParameter(f"{output} exists", param_hint="--output")
    output.write_text(json.dumps([c.model_dump(mode="json") for c in cases], ensure_ascii=False))
    out.print(f"{len(cases)} cases written to {output}")
