"""Rows of a list to match → entries, with every problem found.

Lists come from the other side, a mediator or a family association, typed by hand: a name may be
one `full_name` cell in any order, and only what matching needs is validated. Headers follow the
one table of `columns`: a column Parley does not know is refused by name unless the caller keeps
it on purpose; the columns matching does not read (the list's own id, unit, kept columns) stay
with the entry, are shown to reviewers and come back in the export.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from parley.domain.dates import PartialDate
from parley.domain.errors import ImportRejected, ParleyError, Problem
from parley.domain.matching import ListEntry
from parley.domain.registry.persons import Identifier, IdentifierKind, Sex, fold
from parley.interchange.columns import Door, map_columns
from parley.interchange.person_rows import SEX_WORDS
from parley.interchange.tabular import read_sheet

_NAME_FIELDS = ("surname", "given_name", "patronymic")
_IDENTIFIERS = {
    "service_number": IdentifierKind.SERVICE_NUMBER,
    "military_id": IdentifierKind.MILITARY_ID,
    "passport": IdentifierKind.PASSPORT,
    "tax_number": IdentifierKind.TAX_NUMBER,
}
_READ = {"full_name", *_NAME_FIELDS, "birth_date", "sex", *_IDENTIFIERS}
"""Fields matching reads; every other known field is kept with the entry under its name."""


def read_list(
    file: str,
    content: bytes,
    parse_full_name: Callable[[str], tuple[str, str, str]],
    keep: Collection[str] = (),
) -> list[ListEntry]:
    """`parse_full_name` splits one cell into surname, given name and patronymic; `keep` names
    columns Parley does not read that the caller wants kept rather than refused."""
    sheet = read_sheet(file, content)
    columns = map_columns(file, sheet.headers, Door.LIST, keep)
    problems = list(sheet.problems) + columns.problems
    mapping = columns.fields
    fields = set(mapping.values())
    if "full_name" not in fields and not {"surname", "given_name"} <= fields:
        problems.append(
            Problem(
                1,
                "(header)",
                "a list needs a full_name column, or surname and given_name columns",
                file,
            )
        )
    if problems:
        raise ImportRejected(file, problems)
    entries: list[ListEntry] = []
    for number, raw in sheet.rows:
        values = {mapping[h]: v for h, v in raw.items() if h in mapping}
        extra = {h: raw[h] for h in columns.kept if raw.get(h)}
        entry, found = _entry(file, number, values, extra, parse_full_name)
        problems += found
        if entry is not None:
            entries.append(entry)
    if problems:
        raise ImportRejected(file, problems)
    if not entries:
        raise ImportRejected(file, [Problem(2, "(row)", "the list has no entries", file)])
    return entries


def _entry(
    file: str,
    row: int,
    values: dict[str, str],
    extra: dict[str, str],
    parse_full_name: Callable[[str], tuple[str, str, str]],
) -> tuple[ListEntry | None, list[Problem]]:
    problems: list[Problem] = []
    surname, given, patronymic = (values.get(k, "").strip() for k in _NAME_FIELDS)
    whole = values.get("full_name", "").strip()
    written = whole or " ".join(p for p in (surname, given, patronymic) if p)
    if not surname and whole:
        surname, given, patronymic = parse_full_name(whole)
    if not surname and not given:
        # A name the parser cannot split is still matched, as words in any order; only a
        # row with no name at all (or initials alone) cannot be.
        field = "full_name" if whole else "surname"
        reason = (
            f"'{whole}' holds no name to match (initials or digits only)"
            if whole
            else "no name on this row: give full_name, or surname and given_name"
        )
        problems.append(Problem(row, field, reason, file))
    birth = None
    if values.get("birth_date", "").strip():
        try:
            birth = PartialDate.parse(values["birth_date"])
        except ParleyError as exc:
            problems.append(Problem(row, "birth_date", exc.message, file))
    sex = SEX_WORDS.get(fold(values.get("sex", "")), None)
    if sex is None:
        problems.append(Problem(row, "sex", f"'{values['sex']}' is not male or female", file))
    identifiers = []
    for column, kind in _IDENTIFIERS.items():
        if values.get(column, "").strip():
            try:
                identifiers.append(Identifier(kind, values[column]))
            except ParleyError as exc:
                problems.append(Problem(row, column, exc.message, file))
    kept = {f: v for f, v in values.items() if f not in _READ and v}
    if problems:
        return None, problems
    return ListEntry(
        row,
        surname,
        given,
        patronymic,
        birth,
        sex or Sex.UNKNOWN,
        tuple(identifiers),
        {**kept, **extra},
        written,
    ), []


def refuse_uncarried(file: str, entries: list[ListEntry], carried: Collection[str]) -> None:
    """A list that will be signed and sent holds only what its entries can carry: refuse a
    column that would be dropped on the way, rather than lose it without a word."""
    dropped = dict.fromkeys(k for e in entries for k in e.extra if k not in carried)
    if dropped:
        raise ImportRejected(
            file,
            [
                Problem(1, key, "a shared list does not carry this column; remove it", file)
                for key in dropped
            ],
        )
