"""Reading CSV and XLSX files typed by hand into rows of text.

Row numbers are the ones a spreadsheet shows: the header is row 1, the first entry row 2, so a
report can say "row 7" and the user finds it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

from parley.domain.errors import ImportRejected, Problem

ENCODINGS = ("utf-8-sig", "utf-8", "cp1251")


@dataclass(frozen=True)
class Sheet:
    file: str
    encoding: str
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]
    problems: list[Problem]


def decode(file: str, content: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) when it decodes cleanly, Windows-1251 otherwise."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8"), "utf-8-sig"
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1251"), "cp1251"
    except UnicodeDecodeError as exc:
        raise ImportRejected(
            file,
            [
                Problem(
                    0,
                    "(file)",
                    (f"byte {exc.start} is neither UTF-8 nor Windows-1251; save the file as UTF-8"),
                    file,
                )
            ],
        ) from exc


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def read_csv(file: str, content: bytes) -> Sheet:
    text, encoding = decode(file, content)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    lines = list(reader)
    return _sheet(file, encoding, lines)


def read_xlsx(file: str, content: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportRejected(
            file, [Problem(0, "(file)", f"not a readable XLSX file: {exc}", file)]
        ) from exc
    sheet = workbook.worksheets[0]
    lines = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return _sheet(file, "xlsx", lines)


def _cell(value: object) -> str:
    """Excel turns `1234567` into 1234567.0 and dates into datetimes; give back what was typed."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sheet(file: str, encoding: str, lines: list[list[str]]) -> Sheet:
    while lines and not any(c.strip() for c in lines[-1]):
        lines.pop()
    if not lines:
        raise ImportRejected(file, [Problem(1, "(header)", "the file is empty", file)])
    headers = [h.strip() for h in lines[0]]
    problems: list[Problem] = []
    rows: list[tuple[int, dict[str, str]]] = []
    unnamed = {i for i, h in enumerate(headers) if not h}
    for number, cells in enumerate(lines[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        for i in sorted(j for j in unnamed if j < len(cells) and cells[j].strip()):
            unnamed.discard(i)  # one problem per column, at its first value
            problems.append(
                Problem(
                    number,
                    f"(column {i + 1})",
                    "a value in a column without a header; name the column or empty it",
                    file,
                )
            )
        if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers) :]):
            problems.append(
                Problem(
                    number,
                    "(row)",
                    (f"{len(cells)} cells but only {len(headers)} headers; a value has no column"),
                    file,
                )
            )
            continue
        padded = [*cells, *([""] * (len(headers) - len(cells)))]
        rows.append((number, {h: c.strip() for h, c in zip(headers, padded, strict=False) if h}))
    return Sheet(file, encoding, headers, rows, problems)


def read_sheet(file: str, content: bytes) -> Sheet:
    suffix = PurePath(file).suffix.lower()
    if suffix == ".xlsx" or content.startswith(b"PK\x03\x04"):
        return read_xlsx(file, content)
    if suffix in {".csv", ".txt", ".tsv", ""}:
        return read_csv(file, content)
    raise ImportRejected(
        file, [Problem(0, "(file)", (f"'{suffix}' files are not supported; use CSV or XLSX"), file)]
    )
