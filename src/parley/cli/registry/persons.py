"""`parley person ...` and `parley event ...`: the registry from the shell."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from parley.cli._common import InstanceOption, JsonOption, UserOption, err, out, session
from parley.domain.dates import PartialDate, parse_full_date
from parley.domain.exchange.categories import HoldKind
from parley.domain.paging import PageRequest
from parley.domain.registry.events import EventDraft, EventType, Source
from parley.domain.registry.persons import (
    Identifier,
    IdentifierKind,
    Person,
    PersonCategory,
    PersonName,
    PersonQuery,
    Sex,
    detect_script,
)
from parley.interchange.cells import safe_row
from parley.interchange.person_rows import language_of
from parley.services import registry
from parley.services.exchange import condition_of
from parley.services.registry import pfif
from parley.services.registry.views import PersonSummaryView, PersonView

person_app = typer.Typer(help="Add, show, list and search persons.", no_args_is_help=True)
event_app = typer.Typer(help="Record what happened to a person.", no_args_is_help=True)


def _date(value: str | None) -> date | None:
    return parse_full_date(value) if value else None


@person_app.command("add")
def add(
    surname: Annotated[str, typer.Option(help="Surname as written.")],
    given: Annotated[str, typer.Option(help="Given name.")],
    patronymic: Annotated[str, typer.Option(help="Patronymic, if known.")] = "",
    sex: Annotated[Sex, typer.Option()] = Sex.UNKNOWN,
    birth_date: Annotated[str | None, typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    category: Annotated[PersonCategory, typer.Option()] = PersonCategory.MILITARY,
    side: Annotated[str | None, typer.Option(help="Party the person belongs to.")] = None,
    alias: Annotated[
        list[str] | None,
        typer.Option(help="Another spelling, 'Surname Given [Patronymic]'; repeatable."),
    ] = None,
    service_number: Annotated[str | None, typer.Option()] = None,
    passport: Annotated[str | None, typer.Option()] = None,
    tax_number: Annotated[str | None, typer.Option()] = None,
    record_id: Annotated[str, typer.Option(help="Our own record's id (a case number).")] = "",
    unit: Annotated[str, typer.Option()] = "",
    rank: Annotated[str, typer.Option()] = "",
    incident_place: Annotated[str, typer.Option(help="Place of capture/disappearance.")] = "",
    incident_date: Annotated[str | None, typer.Option()] = None,
    status: Annotated[
        EventType | None, typer.Option(help="First event, e.g. reported_missing.")
    ] = None,
    status_date: Annotated[str | None, typer.Option()] = None,
    source: Annotated[Source, typer.Option()] = Source.OWN_INFORMATION,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Register a person, optionally with a first event."""
    with session(instance, user) as s:
        default_language = s.instance.config.name_language
        full = f"{surname} {given} {patronymic}"
        names = [
            PersonName(
                surname,
                given,
                patronymic,
                detect_script(full),
                language_of(full, default_language),
                primary=True,
            )
        ]
        for text in alias or []:
            parts = text.split()
            if len(parts) < 2:
                raise typer.BadParameter(f"alias '{text}' needs at least a surname and a name")
            names.append(
                PersonName(
                    parts[0],
                    parts[1],
                    " ".join(parts[2:]),
                    detect_script(text),
                    language_of(text, "en"),
                )
            )
        identifiers = [
            Identifier(kind, value)
            for kind, value in (
                (IdentifierKind.SERVICE_NUMBER, service_number),
                (IdentifierKind.PASSPORT, passport),
                (IdentifierKind.TAX_NUMBER, tax_number),
            )
            if value
        ]
        person = Person(
            side=(side or s.instance.config.party).upper(),
            category=category,
            sex=sex,
            names=names,
            birth_date=PartialDate.parse(birth_date) if birth_date else None,
            identifiers=identifiers,
            unit=unit,
            rank=rank,
            incident_place=incident_place,
            incident_date=_date(incident_date),
            record_id=record_id,
        )
        drafts = []
        if status is not None:
            when = _date(status_date) or person.incident_date or registry.today()
            drafts.append(EventDraft(status, when, source))
        record = registry.register_person(s.instance.uow(), s.actor, person, drafts)
        out.print(f"person {record.id} registered: {person.display_name} ({record.status})")


@person_app.command("show")
def show(
    person_id: int,
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """A person's names, identifiers and full event history."""
    with session(instance, user) as s:
        # health and contacts as this account may see them
        view = registry.person_view(s.instance.uow(), s.actor, person_id)
        if as_json:
            out.print_json(view.model_dump_json())
            return
        _print_person(view)


def _print_person(p: PersonView) -> None:
    primary = next(n for n in p.names if n.primary)
    out.print(
        f"[bold]{primary.full}[/bold]  #{p.id}  {p.side} {p.category} "
        f"{p.sex}  born {p.birth_date or '?'}  status: [bold]{p.status}[/bold]"
    )
    for name in p.names:
        out.print(
            f"  name: {name.full}  [{name.script}/{name.language}"
            f"{'/' + name.scheme if name.scheme else ''}]"
            f"{' primary' if name.primary else ''}"
        )
    if p.record_id:
        out.print(f"  our record id: {p.record_id}", highlight=False)
    for ident in p.identifiers:
        out.print(f"  {ident.kind}: {ident.value}")
    if p.unit or p.rank:
        out.print(f"  unit: {p.unit}  rank: {p.rank}")
    if p.incident_date or p.incident_place:
        out.print(f"  incident: {p.incident_date or '?'} {p.incident_place}")
    if p.health:
        out.print(f"  health: {p.health}", markup=False, highlight=False)
    for r in p.relatives:
        contact = f" · {r.contact}" if r.contact else ""
        line = f"  relative: {r.name} — {r.relationship}{contact}"
        out.print(line, markup=False, highlight=False)
    table = Table("id", "date", "type", "source", "recorded by", "note", title="History")
    for e in p.events:
        kind = f"[strike]{e.type}[/strike]" if e.retracted else e.type
        if e.retracts:
            kind += f" of #{e.retracts}"
        table.add_row(
            str(e.id), str(e.effective_date), kind, e.source, escape(e.recorded_by), escape(e.note)
        )
    out.print(table)


@person_app.command("list")
def list_(
    status: Annotated[str | None, typer.Option()] = None,
    category: Annotated[PersonCategory | None, typer.Option()] = None,
    side: Annotated[str | None, typer.Option()] = None,
    q: Annotated[str, typer.Option("--q", help="Name or identifier text.")] = "",
    born_from: Annotated[str | None, typer.Option()] = None,
    born_to: Annotated[str | None, typer.Option()] = None,
    incident_from: Annotated[str | None, typer.Option()] = None,
    incident_to: Annotated[str | None, typer.Option()] = None,
    offset: Annotated[int, typer.Option()] = 0,
    limit: Annotated[int, typer.Option()] = 50,
    all_: Annotated[
        bool,
        typer.Option(
            "--all", help="Every person the filters find, by id, written as read (no paging)."
        ),
    ] = False,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="csv or json (default: a table; --json is json)."),
    ] = None,
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """List persons with filters (status, category, side, date ranges, text)."""
    fmt = "json" if as_json and fmt is None else fmt
    if fmt not in (None, "csv", "json"):
        raise typer.BadParameter("--format is csv or json")
    with session(instance, user) as s:
        query = PersonQuery(
            text=q,
            status=status,
            category=category,
            side=side.upper() if side else None,
            born_from=_date(born_from),
            born_to=_date(born_to),
            incident_from=_date(incident_from),
            incident_to=_date(incident_to),
        )
        if all_:
            found = registry.walk_person_views(s.instance.uow(), s.actor, query)
            _write_all(found, fmt or "json")
        elif fmt == "csv":
            page = registry.persons_view(
                s.instance.uow(), s.actor, query, PageRequest(offset, limit)
            )
            _write_all(iter(page.items), "csv")
        else:
            _print_page(s, query, PageRequest(offset, limit), fmt == "json")


@person_app.command("search")
def search(
    text: str,
    limit: Annotated[int, typer.Option()] = 20,
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Find persons by name in any script or spelling; a 4-digit number is a birth year."""
    with session(instance, user) as s:
        hits = registry.search_view(s.instance.uow(), s.actor, text, limit)
    if as_json:
        out.print_json(json.dumps([h.model_dump(mode="json") for h in hits], ensure_ascii=False))
        return
    table = Table("id", "name", "born", "side", "status", "score", "why")
    for h in hits:
        p = h.person
        table.add_row(
            str(p.id),
            p.name,
            str(p.birth_date or ""),
            p.side,
            p.status,
            f"{h.score:.2f}",
            "; ".join(h.reasons),
        )
    out.print(table)


DomainOption = Annotated[
    str | None,
    typer.Option(
        "--domain",
        envvar=pfif.DOMAIN_ENV,
        help="Domain of this registry's PFIF record ids (default: <party>.parley.invalid).",
    ),
]


@person_app.command("export-pfif")
def export_pfif(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", dir_okay=False, help="File to write (default: stdout)."),
    ] = None,
    status: Annotated[str | None, typer.Option()] = None,
    category: Annotated[PersonCategory | None, typer.Option()] = None,
    side: Annotated[str | None, typer.Option()] = None,
    domain: DomainOption = None,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Write persons as PFIF 1.4 XML: names, sex, birth date, category, side and status notes
    only (see docs/import.md, "PFIF")."""
    with session(instance, user) as s:
        query = PersonQuery(status=status, category=category, side=side.upper() if side else None)
        content = pfif.export_pfif(
            s.instance.uow(),
            s.actor,
            query,
            domain=pfif.domain_for(s.instance.config.party, domain),
        )
    if output is None:
        typer.echo(content.decode("utf-8"), nl=False)
        return
    output.write_bytes(content)
    err.print(f"{output}: PFIF 1.4, {len(content)} bytes")


@person_app.command("import-pfif")
def import_pfif(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    source: Annotated[
        Source, typer.Option(help="Source of the events the file's notes become.")
    ] = Source.MEDIATOR,
    as_json: JsonOption = False,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Import a PFIF 1.4 file: every new person or none; records already held are skipped."""
    with session(instance, user) as s:
        outcome = registry.import_pfif_view(
            s.instance.uow(),
            s.actor,
            file.name,
            file.read_bytes(),
            default_side=s.instance.config.party,
            default_language=s.instance.config.name_language,
            source=source,
        )
    if as_json:
        out.print_json(outcome.model_dump_json())
        return
    out.print(outcome.message)
    for present in outcome.already_present:
        out.print(
            f"  record {present.row} ({present.record_id}): already present "
            f"as person {present.person_id}",
            highlight=False,
        )


SUMMARY_COLUMNS = tuple(PersonSummaryView.model_fields)


def _write_all(people: Iterator[PersonSummaryView], fmt: str) -> None:
    """One row at a time to stdout: a JSON array, or CSV with a header (UTF-8, as read)."""
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=SUMMARY_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for person in people:
            writer.writerow(safe_row(person.model_dump(mode="json")))
        return
    sys.stdout.write("[")
    for n, person in enumerate(people):
        sys.stdout.write(",\n" if n else "\n")
        sys.stdout.write(person.model_dump_json())
    sys.stdout.write("\n]\n")


def _print_page(s: Any, query: PersonQuery, page: PageRequest, as_json: bool) -> None:
    if as_json:
        view = registry.persons_view(s.instance.uow(), s.actor, query, page)
        out.print_json(view.model_dump_json())
        return
    result = registry.find_persons(s.instance.uow(), s.actor, query, page)
    table = Table("id", "name", "born", "side", "category", "status", "since", "unit")
    for p in result.items:
        table.add_row(
            str(p.id),
            p.name,
            str(p.birth_date or ""),
            p.side,
            p.category,
            p.status,
            str(p.status_since or ""),
            p.unit,
        )
    out.print(table)
    shown = f"{result.offset + 1}–{result.offset + len(result.items)}" if result.items else "0"
    out.print(f"{shown} of {result.total}")


@event_app.command("add")
def add_event(
    person_id: int,
    type: Annotated[EventType, typer.Option("--type")],
    effective_date: Annotated[str, typer.Option("--date", help="YYYY-MM-DD")],
    source: Annotated[Source, typer.Option()],
    note: Annotated[str, typer.Option()] = "",
    retracts: Annotated[int | None, typer.Option(help="Event id this retracts.")] = None,
    detail: Annotated[
        list[str] | None,
        typer.Option(
            "--detail",
            help="KEY=VALUE, repeatable; dotted keys nest: kind=serving_sentence (legal_hold), "
            "condition.category=A1 condition.item=... (manifest_certified).",
        ),
    ] = None,
    instance: InstanceOption = None,
    user: UserOption = None,
) -> None:
    """Append an event to a person's history (a retraction corrects an earlier one)."""
    with session(instance, user) as s:
        event = registry.record_event(
            s.instance.uow(),
            s.actor,
            person_id,
            type,
            parse_full_date(effective_date),
            source,
            note,
            retracts,
            _details(type, detail or []),
        )
        out.print(
            f"event {event.id} recorded for person {person_id}: {event.type} "
            f"on {event.effective_date}"
        )


def _details(type: EventType, pairs: list[str]) -> dict[str, Any]:
    """`--detail` pairs as an event's details, checked now: events are never edited later.

    Dotted keys nest (`condition.item=...`); `true` and `false` are booleans.
    """
    details: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        parts = key.strip().split(".")
        if not sep or not all(parts):
            raise typer.BadParameter(f"--detail wants KEY=VALUE, not '{pair}'")
        place = details
        for part in parts[:-1]:
            inner = place.setdefault(part, {})
            if not isinstance(inner, dict):
                raise typer.BadParameter(f"--detail {key}: {part} already has a value")
            place = inner
        place[parts[-1]] = {"true": True, "false": False}.get(value.strip(), value.strip())
    kinds = [k.value for k in HoldKind]
    if type is EventType.LEGAL_HOLD and details.get("kind", kinds[0]) not in kinds:
        raise typer.BadParameter(f"--detail kind= is one of {', '.join(kinds)}")
    wanted = "condition.category=A1|A2|A3 and condition.item=..."
    if type is EventType.MANIFEST_CERTIFIED and "condition" in details:
        try:
            condition_of(details["condition"])
        except (KeyError, ValueError, TypeError) as exc:
            raise typer.BadParameter(f"--detail: a condition takes {wanted} ({exc})") from exc
    return details
