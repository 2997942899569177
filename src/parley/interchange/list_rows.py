"""Rows of a list to match → entries, with every problem found.

Lists come from the other side, a mediator or a family association, typed by hand: a name may be
one `full_name` cell in any order, columns Parley does not read are kept with the entry (shown
to reviewers, never dropped), and only what matching needs is validated.
"""

from __future__ import annotations

from collections.abc import Callable

from parley.domain.dates import PartialDate
from parley.domain.errors import ImportRejected, ParleyError, Problem
from parley.domain.matching import ListEntry
from parley.domain.persons import Identifier, IdentifierKind, Sex, fold
from parley.interchange.person_rows import COLUMNS, SEX_WORDS
from parley.interchange.tabular import read_sheet

FULL_NAME_ALIASES = ("full_name", "full name", "name", "піб", "пiб", "фио", "ф.и.о.", "п.і.б.")
_IDENTIFIERS = {
    "service_number": IdentifierKind.SERVICE_NUMBER,
    "military_id": IdentifierKind.MILITARY_ID,
    "passport": IdentifierKind.PASSPORT,
    "tax_number": IdentifierKind.TAX_NUMBER,
}
_ALIASES = {fold(a).replace(" ", "_"): f for f, aliases in COLUMNS.items() for a in (f, *aliases)}
_ALIASES.update({fold(a).replace(" ", "_"): "full_name" for a in FULL_NAME_ALIASES})


def read_list(
    file: str, content: bytes, parse_full_name: Callable[[str], tuple[str, str, str]]
) -> list[ListEntry]:
    """`parse_full_name` splits one cell into surname, given name and patronymic."""
    sheet = read_sheet(file, content)
    problems = list(sheet.problems)
    mapping = {h: _ALIASES.get(fold(h).replace(" ", "_"), "") for h in sheet.headers if h}
    fields = set(mapping.values())
    if "full_name" not in fields and not {"surname", "given_name"} <= fields:
        problems.append(
            Problem(
                1,
                "(header)",
                ("a list needs a full_name column, or surname and given_name columns"),
                file,
            )
        )
        raise ImportRejected(file, problems)
    entries: list[ListEntry] = []
    for number, raw in sheet.rows:
        values = {mapping[h]: v for h, v in raw.items() if mapping.get(h)}
        extra = {h: v for h, v in raw.items() if not mapping.get(h) and v}
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
    surname, given, patronymic = (
        values.get(k, "").strip() for k in ("surname", "given_name", "patronymic")
    )
    written = values.get("full_name", "").strip()
    if not surname and written:
        surname, given, patronymic = parse_full_name(written)
    if not surname and not given:
        # A name the parser cannot split is still matched, as words in any order; only a
        # row with no name at all (or initials alone) cannot be.
        field = "full_name" if written else "surname"
        reason = (
            f"'{written}' holds no name to match (initials or digits only)"
            if written
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
    for column in (
        "unit",
        "rank",
        "incident_place",
        "incident_date",
        "notes",
        "health",
        "category",
        "side",
        "status",
        "status_date",
        "source",
    ):
        if values.get(column):
            extra[column] = values[column]
    if problems:
        return None, problems
    return ListEntry(
        row, surname, given, patronymic, birth, sex or Sex.UNKNOWN, tuple(identifiers), extra
    ), []
