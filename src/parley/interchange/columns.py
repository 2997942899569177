"""The one table of column names every door reads: persons files and lists to match.

Files come typed by hand in three languages, so a header is known by any of its aliases,
whatever its case, spacing, underscores, dots, hyphens, apostrophes or trailing colon. A header
that is not in the table is refused by name: a list whose `date_of_birth` column was dropped
without a word lost every date on it. A list may keep a column Parley does not read on purpose
(`keep`, or a header starting `x_`); it then comes back in the export.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

from parley.domain.errors import Problem

ALIASES: dict[str, tuple[str, ...]] = {
    "surname": ("last name", "family name", "прізвище", "фамилия"),
    "given_name": ("first name", "given name", "forename", "імʼя", "ім'я", "имя"),
    "patronymic": ("middle name", "father's name", "по батькові", "отчество"),
    "full_name": (
        "full name",
        "name",
        "піб",
        "пiб",
        "п.і.б.",
        "фио",
        "ф.и.о.",
        "прізвище ім'я по батькові",
        "фамилия имя отчество",
    ),
    "sex": ("gender", "стать", "пол"),
    "birth_date": (
        "date of birth",
        "dob",
        "birthdate",
        "born",
        "birthday",
        "дата народження",
        "дата рождения",
        "д.н.",
        "д.р.",
        "рік народження",
        "год рождения",
    ),
    "category": ("категорія", "категория"),
    "side": ("party", "сторона"),
    "service_number": ("service no", "personal number", "особистий номер", "личный номер"),
    "military_id": ("military id card", "військовий квиток", "военный билет"),
    "passport": ("passport number", "passport no", "паспорт", "номер паспорта"),
    "tax_number": ("tax id", "tin", "рнокпп", "іпн", "ипн", "инн"),
    "unit": (
        "military unit",
        "військова частина",
        "воинская часть",
        "частина",
        "часть",
        "в/ч",
    ),
    "rank": ("military rank", "звання", "звание"),
    "incident_place": ("місце зникнення", "место пропажи", "місце", "место"),
    "incident_date": ("дата зникнення", "дата пропажи", "дата полону", "дата пленения"),
    "status": ("статус",),
    "status_date": ("дата статусу", "дата статуса"),
    "source": ("джерело", "источник"),
    "health": ("стан здоровʼя", "стан здоров'я", "состояние здоровья"),
    "notes": (
        "note",
        "comment",
        "comments",
        "remarks",
        "примітки",
        "примітка",
        "примечания",
        "примечание",
        "коментар",
        "комментарий",
    ),
    "record_id": (
        "id",
        "record id",
        "external id",
        "our id",
        "list id",
        "row id",
        "ref",
        "reference",
        "номер справи",
        "номер дела",
        "ідентифікатор",
        "идентификатор",
    ),
    "row_number": ("no", "nr", "№", "#", "n", "row", "№ п/п", "номер", "номер п/п"),
    "category_evidence": ("category note", "підстава категорії", "основание категории"),
}
"""Field → the other names its column goes by. `docs/import.md` lists every one."""

KEEP_PREFIX = "x_"
"""A list's header starting with this is kept as written and given back in the export."""

_NOISE = re.compile(r"[\s_.\-:/]+")
_APOSTROPHES = str.maketrans({"ʼ": None, "'": None, "’": None, "`": None, "ё": "е"})


def header_key(header: str) -> str:
    """`Date of Birth:`, `date_of_birth`, `DATE-OF-BIRTH` and `\\ufeffdate of birth` are one key."""
    text = unicodedata.normalize("NFKC", header.replace("\ufeff", "")).casefold()
    return _NOISE.sub("", text.translate(_APOSTROPHES))


def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for field, aliases in ALIASES.items():
        for alias in (field, *aliases):
            key = header_key(alias)
            if table.setdefault(key, field) != field:
                raise AssertionError(f"alias '{alias}' names both {table[key]} and {field}")
    return table


KNOWN = _table()


class Door(StrEnum):
    """What is being read: a door reads some of the table's fields, not all."""

    PERSONS = "persons file"
    LIST = "list"


PERSONS_FIELDS = frozenset(ALIASES) - {"full_name", "row_number", "category_evidence"}
_NOT_FOR_PERSONS = {
    "full_name": "a persons file takes surname and given_name columns",
    "row_number": "a row number is not kept with a person; if it is your own record's id, "
    "name the column record_id",
    "category_evidence": "a person's category is the category column",
}


@dataclass(frozen=True)
class Columns:
    """How a file's headers were read."""

    fields: dict[str, str]
    """Header as written → field."""
    kept: tuple[str, ...]
    """Headers kept as written (a list's own columns Parley does not read)."""
    problems: list[Problem]


def map_columns(
    file: str, headers: Sequence[str], door: Door, keep: Collection[str] = ()
) -> Columns:
    """Every header to a field, or a problem on row 1 naming the header as written."""
    wanted = {header_key(k): k for k in keep if k.strip()}
    fields: dict[str, str] = {}
    by_field: dict[str, list[str]] = {}
    kept: list[str] = []
    problems: list[Problem] = []
    for header in headers:
        if not header.strip():
            continue  # an empty header over values is refused when the sheet is read
        key = header_key(header)
        field = KNOWN.get(key)
        by_prefix = header.strip().casefold().startswith(KEEP_PREFIX)
        if door is Door.LIST and (key in wanted or by_prefix):
            wanted.pop(key, None)
            if field is None and header in kept:
                problems.append(Problem(1, header, "this column appears twice", file))
            if field is None:
                kept.append(header)
                continue
        if field is None:
            problems.append(Problem(1, header, _unknown(header, door), file))
        elif door is Door.PERSONS and field not in PERSONS_FIELDS:
            problems.append(
                Problem(1, header, f"not read from a persons file: {_NOT_FOR_PERSONS[field]}", file)
            )
        else:
            fields[header] = field
            by_field.setdefault(field, []).append(header)
    problems += [
        Problem(1, name, "--keep-column names no column of this file", file)
        for name in wanted.values()
    ]
    for field, named in by_field.items():
        if len(named) > 1:
            quoted = " and ".join(f"'{h}'" for h in named)
            problems.append(
                Problem(1, named[-1], f"columns {quoted} are both {field}; keep one", file)
            )
    return Columns(fields, tuple(kept), problems)


def _unknown(header: str, door: Door) -> str:
    message = f"unknown column '{header}'."
    close = difflib.get_close_matches(header_key(header), KNOWN, n=1, cutoff=0.6)
    if close:
        message = (
            f"unknown column '{header}': did you mean {_spelled(close[0])} ({KNOWN[close[0]]})?"
        )
    if door is Door.LIST:
        return (
            f"{message} To keep it with each entry and get it back in the export, pass "
            f"--keep-column '{header}' (API: keep_column) or start the header with "
            f"{KEEP_PREFIX}; see docs/import.md for the columns Parley reads"
        )
    return f"{message} See docs/import.md for the columns Parley reads"


def _spelled(key: str) -> str:
    """An alias as the docs write it, for a key."""
    for field, aliases in ALIASES.items():
        for alias in (field, *aliases):
            if header_key(alias) == key:
                return f"'{alias}'"
    return f"'{key}'"


def alias_table() -> str:
    """The Markdown table `docs/import.md` embeds between its `columns` markers (a test checks
    that the two agree; `python -m parley.interchange.columns` prints it)."""
    lines = ["| field | also accepted as | read from |", "|---|---|---|"]
    for field, aliases in ALIASES.items():
        doors = "persons file, list" if field in PERSONS_FIELDS else "list"
        lines.append(f"| `{field}` | {', '.join(aliases)} | {doors} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(alias_table(), end="")
