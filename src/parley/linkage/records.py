"""The row the engine compares: name keys, folded names, date of birth parts, identifiers.

Callers build these from whatever they hold (a registry person, a list entry); the engine never
sees names in their original scripts, only the canonical forms `parley.names` produced.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv


@dataclass(frozen=True)
class LinkRecord:
    unique_id: str
    surname_keys: list[str]
    given_keys: list[str]
    patronymic_keys: list[str]
    surname_folded: str | None
    given_folded: str | None
    patronymic_folded: str | None
    given_initial: str | None
    sex: str | None
    dob_text: str | None
    """The full date as YYYY-MM-DD when the day is known, else None."""
    dob_year: int | None
    dob_month: int | None
    dob_day: int | None
    service_number: str | None = None
    passport: str | None = None
    tax_number: str | None = None


_TYPES: dict[str, pa.DataType] = {
    "unique_id": pa.string(),
    "surname_keys": pa.list_(pa.string()),
    "given_keys": pa.list_(pa.string()),
    "patronymic_keys": pa.list_(pa.string()),
    "dob_year": pa.int32(),
    "dob_month": pa.int32(),
    "dob_day": pa.int32(),
}
SCHEMA = pa.schema([(f.name, _TYPES.get(f.name, pa.string())) for f in fields(LinkRecord)])


_KEY_LISTS = ("surname_keys", "given_keys", "patronymic_keys")


def to_arrow(records: Iterable[LinkRecord]) -> pa.Table:
    """Column by column: a million records convert in seconds, not the minute row dicts take."""
    rows = list(records)
    columns = {}
    for name in SCHEMA.names:
        values = [getattr(r, name) for r in rows]
        if name in _KEY_LISTS:
            # An empty key list means "unknown", not "agrees with nothing".
            values = [v or None for v in values]
        columns[name] = values
    return pa.table(columns, schema=SCHEMA)


def as_table(records: Sequence[LinkRecord] | pa.Table) -> pa.Table:
    """The engine takes a registry either way: records built here, or a table read from a cache."""
    if isinstance(records, pa.Table):
        return records if records.schema.equals(SCHEMA) else records.cast(SCHEMA)
    return to_arrow(records)


def count(records: Sequence[LinkRecord] | pa.Table) -> int:
    return records.num_rows if isinstance(records, pa.Table) else len(records)


# One record as one line of text, so a database can hand a million of them over as a few long
# strings that Arrow's CSV reader parses in C: fetching the same values as sixteen columns costs
# a Python object per value (about 8 s per million records on SQLite, against about 1 s).
FIELD_SEPARATOR = "\x1f"
"""ASCII unit separator: no name key, folded form, date or normalised identifier contains it."""
KEY_SEPARATOR = " "
_FORBIDDEN = (FIELD_SEPARATOR, "\n", "\r")
_INT_FIELDS = {name for name, kind in _TYPES.items() if kind == pa.int32()}


def to_line(record: LinkRecord) -> str:
    """`unique_id`, then every other field in SCHEMA order; key lists space-separated; an empty
    field is None (an empty key list included, as in `to_arrow`)."""
    parts = []
    for name in SCHEMA.names:
        value = getattr(record, name)
        if name in _KEY_LISTS:
            if any(KEY_SEPARATOR in key for key in value):
                raise ValueError(f"{name} of {record.unique_id}: a key contains a space")
            value = KEY_SEPARATOR.join(value)
        text = "" if value is None else str(value)
        if any(c in text for c in _FORBIDDEN):
            raise ValueError(f"{name} of {record.unique_id} holds a separator: {text!r}")
        parts.append(text)
    return FIELD_SEPARATOR.join(parts)


def from_lines(chunks: Iterable[str]) -> pa.Table:
    """Lines of `to_line`, joined by newlines in any number of chunks, as one table in SCHEMA."""
    read = pa_csv.ReadOptions(column_names=SCHEMA.names, block_size=1 << 24)
    parse = pa_csv.ParseOptions(delimiter=FIELD_SEPARATOR, quote_char=False, escape_char=False)
    text_types = {n: pa.int32() if n in _INT_FIELDS else pa.string() for n in SCHEMA.names}
    convert = pa_csv.ConvertOptions(
        column_types=text_types, null_values=[""], strings_can_be_null=True
    )
    tables = [
        pa_csv.read_csv(pa.py_buffer(chunk.encode()), read, parse, convert)
        for chunk in chunks
        if chunk
    ]
    if not tables:
        return SCHEMA.empty_table()
    table = pa.concat_tables(tables)
    columns = [
        pc.split_pattern(table[name], KEY_SEPARATOR) if name in _KEY_LISTS else table[name]
        for name in SCHEMA.names
    ]
    return pa.Table.from_arrays(columns, schema=SCHEMA)
