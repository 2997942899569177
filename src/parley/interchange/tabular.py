"""Reading CSV and XLSX files typed by hand into rows of text.

Row numbers are the ones a spreadsheet shows: the header is row 1, the first entry row 2, so a
report can say "row 7" and the user finds it.

A file is read to its end, row by row, whatever it claims about itself: an XLSX `<dimension>`
is ignored (it may say `A1:B2` over 300,001 rows, or `A1:XFD1048576` over two cells), nothing is
ever cut short, and a file too big, too wide or with a cell too long is refused, naming the row
and the field, never read in part. A damaged file is refused with a message, never a crash.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import chain
from pathlib import PurePath
from typing import Any

from parley.domain.errors import ImportRejected, ParleyError, Problem

ENCODINGS = ("utf-8-sig", "utf-8", "cp1251")

MAX_ROWS = 200_000
"""Entry rows in one file (the header not counted); split a bigger file."""
MAX_COLUMNS = 200
"""Columns holding a value; the widest known file has about 30."""
MAX_CELL_CHARS = 32_767
"""Characters in one cell: Excel's own limit."""
MAX_XLSX_UNPACKED = 512 * 1024 * 1024
"""Bytes of an XLSX once unzipped: a few kilobytes must not unpack to gigabytes."""
MAX_XLSX_RATIO = 200
"""How much more an XLSX part may hold unzipped than zipped (zip bombs compress ~1000:1)."""
_SHEET_ROWS_SCANNED = 1_048_576
"""Excel's last row: blank rows past it are not read either."""


@dataclass(frozen=True)
class Sheet:
    file: str
    encoding: str
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]
    problems: list[Problem]


@dataclass(frozen=True)
class SheetStream:
    """A sheet read one row at a time, so a big file is never held as rows all at once.

    `headers` are read at once; `rows` yields the entry rows (each read once, to its end, with
    the same caps as `Sheet`), and `problems` fills as they are read: look at it after."""

    file: str
    encoding: str
    headers: list[str]
    rows: Iterator[tuple[int, dict[str, str]]]
    problems: list[Problem]


def decode(file: str, content: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) when it decodes cleanly, Windows-1251 otherwise."""
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _refused(
                file, f"byte {exc.start + 3} is not UTF-8; save the file as UTF-8"
            ) from exc
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1251"), "cp1251"
    except UnicodeDecodeError as exc:
        raise _refused(
            file, f"byte {exc.start} is neither UTF-8 nor Windows-1251; save the file as UTF-8"
        ) from exc


def _refused(file: str, message: str, row: int = 0, field: str = "(file)") -> ImportRejected:
    return ImportRejected(file, [Problem(row, field, message, file)])


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def read_csv(file: str, content: bytes) -> Sheet:
    return _collected(stream_csv(file, content))


def stream_csv(file: str, content: bytes) -> SheetStream:
    """Decoded as it is read: the file's text is never held whole beside its bytes."""
    encoding = _encoding_of(file, content)
    text = io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline="")
    first_line = text.readline()
    reader = csv.reader(chain([first_line], text), delimiter=_delimiter(first_line))
    return _stream(file, encoding, _csv_lines(file, reader))


def _encoding_of(file: str, content: bytes) -> str:
    """`decode`'s choice, checked piece by piece so the text is not built to be thrown away."""
    if content.startswith(b"\xef\xbb\xbf"):
        if _first_bad(content, "utf-8", 3) is None:
            return "utf-8-sig"
        decode(file, content)  # raises with the byte named
    if _first_bad(content, "utf-8") is None:
        return "utf-8"
    if _first_bad(content, "cp1251") is None:
        return "cp1251"
    decode(file, content)  # raises with the byte named
    raise AssertionError("unreachable")  # pragma: no cover


def _first_bad(content: bytes, encoding: str, start: int = 0) -> int | None:
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(content)
    step = 1024 * 1024
    for offset in range(start, max(len(content), start + 1), step):
        try:
            decoder.decode(view[offset : offset + step], final=offset + step >= len(content))
        except UnicodeDecodeError as exc:
            return offset + exc.start
    return None


def _csv_lines(file: str, reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """Rows numbered as a spreadsheet shows them (a quoted line break does not add a row)."""
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # a field over the csv module's limit, a stray quote
            message = str(exc)
            if "field larger than field limit" in message:
                message = f"a cell holds more than {MAX_CELL_CHARS} characters"
            raise _refused(file, f"cannot be read: {message}", number, "(row)") from exc
        yield number, cells


def read_xlsx(file: str, content: bytes) -> Sheet:
    """The first sheet, streamed row by row; `<dimension>` is not trusted."""
    _check_archive(file, content)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _refused(file, f"not a readable XLSX file: {_describe(exc)}") from exc
    try:
        if not workbook.worksheets:
            raise _refused(file, "the workbook has no sheet")
        sheet = workbook.worksheets[0]
        return _collected(_stream(file, "xlsx", _xlsx_lines(file, _xlsx_rows(workbook, sheet))))
    except ParleyError:
        raise
    except Exception as exc:  # a damaged part found while reading (zip method, XML, sizes)
        raise _refused(file, f"not a readable XLSX file: {_describe(exc)}") from exc
    finally:
        workbook.close()


def _check_archive(file: str, content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        ValueError,
        OSError,
    ) as exc:
        raise _refused(file, f"not a readable XLSX file: {_describe(exc)}") from exc
    unpacked = sum(part.file_size for part in parts)
    bomb = [
        part.filename
        for part in parts
        if part.file_size > 10 * 1024 * 1024
        and part.file_size > MAX_XLSX_RATIO * max(part.compress_size, 1)
    ]
    if unpacked > MAX_XLSX_UNPACKED or bomb:
        raise _refused(
            file,
            f"unzips to {unpacked:,} bytes{' (' + bomb[0] + ')' if bomb else ''}; at most "
            f"{MAX_XLSX_UNPACKED:,} bytes and {MAX_XLSX_RATIO}:1 are read: save the sheet as "
            "CSV or split it",
        )


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _xlsx_rows(workbook: Any, sheet: Any) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """The rows as the sheet's XML holds them, to its end: `<dimension>` plays no part.

    openpyxl's own iteration trusts `<dimension>` (and drops a row numbered twice), so the
    parser it uses is driven here directly, one row at a time.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        yield from parser.parse()


def _xlsx_lines(
    file: str, rows: Iterator[tuple[int, list[dict[str, Any]]]]
) -> Iterator[tuple[int, list[str]]]:
    """Row numbers as the sheet gives them, the blank rows between filled in; a row numbered
    twice or out of order, or a cell given twice, refuses the file rather than lose a value."""
    last = 0
    while True:
        try:
            item = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # a damaged sheet: bad XML, a missing shared string, ...
            raise _refused(
                file, f"row {last + 1} cannot be read: {_describe(exc)}", last + 1, "(row)"
            ) from exc
        number, cells = item
        if number <= last:
            raise _refused(
                file, f"the sheet gives row {number} again after row {last}", number, "(row)"
            )
        if number > _SHEET_ROWS_SCANNED:
            raise _refused(file, "more rows than Excel allows", number, "(row)")
        for blank in range(last + 1, number):
            yield blank, []
        last = number
        values: dict[int, str] = {}
        for cell in cells:
            column, text = cell["column"], _cell(cell["value"])
            if not text:
                continue
            if column in values:
                raise _refused(
                    file, "the sheet gives this cell twice", number, f"(column {column})"
                )
            if column > MAX_COLUMNS:
                raise _refused(
                    file,
                    f"a value in column {column}; at most {MAX_COLUMNS} columns are read",
                    number,
                    f"(column {column})",
                )
            values[column] = text
        width = max(values, default=0)
        yield number, [values.get(c, "") for c in range(1, width + 1)]


def _cell(value: object) -> str:
    """Excel turns `1234567` into 1234567.0 and dates into datetimes; give back what was typed."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time.min else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _collected(stream: SheetStream) -> Sheet:
    rows = list(stream.rows)
    return Sheet(stream.file, stream.encoding, stream.headers, rows, stream.problems)


def _stream(file: str, encoding: str, lines: Iterable[tuple[int, list[str]]]) -> SheetStream:
    """Every row is read and counted; caps refuse the file rather than cut it short."""
    numbered = iter(lines)
    problems: list[Problem] = []
    first = next(numbered, None)
    if first is None:
        raise _refused(file, "the file is empty", 1, "(header)")
    _check_size(file, first[0], first[1], None)
    headers = [h.strip() for h in first[1]]  # the first line, as a spreadsheet's row 1
    rows = _entry_rows(file, headers, numbered, problems)
    return SheetStream(file, encoding, headers, rows, problems)


def _entry_rows(
    file: str,
    headers: list[str],
    lines: Iterator[tuple[int, list[str]]],
    problems: list[Problem],
) -> Iterator[tuple[int, dict[str, str]]]:
    unnamed = {i for i, h in enumerate(headers) if not h}
    count = 0
    for number, cells in lines:
        _check_size(file, number, cells, headers)
        if not any(c.strip() for c in cells):
            continue
        if count >= MAX_ROWS:
            raise _refused(
                file,
                f"more than {MAX_ROWS:,} entry rows; split the file (nothing was read in part)",
                number,
                "(row)",
            )
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
        count += 1
        yield number, {h: c.strip() for h, c in zip(headers, padded, strict=False) if h}
    if not (any(headers) or count or problems):
        raise _refused(file, "the file is empty", 1, "(header)")


def _check_size(file: str, number: int, cells: list[str], headers: list[str] | None) -> None:
    if len(cells) > MAX_COLUMNS and any(c.strip() for c in cells[MAX_COLUMNS:]):
        last = max(i for i, c in enumerate(cells) if c.strip()) + 1
        raise _refused(
            file,
            f"a value in column {last}; at most {MAX_COLUMNS} columns are read",
            number,
            f"(column {last})",
        )
    for i, cell in enumerate(cells):
        if len(cell) > MAX_CELL_CHARS:
            field = (
                headers[i] if headers and i < len(headers) and headers[i] else f"(column {i + 1})"
            )
            raise _refused(
                file,
                f"the cell holds {len(cell):,} characters; at most {MAX_CELL_CHARS:,}",
                number,
                field,
            )


def read_sheet(file: str, content: bytes) -> Sheet:
    suffix = PurePath(file).suffix.lower()
    if suffix == ".xlsx" or content.startswith(b"PK\x03\x04"):
        return read_xlsx(file, content)
    if suffix in {".csv", ".txt", ".tsv", ""}:
        return read_csv(file, content)
    raise _unsupported(file, suffix)


def stream_sheet(file: str, content: bytes) -> SheetStream:
    """`read_sheet` one row at a time for CSV; an XLSX (capped at its unzipped size, streamed
    by openpyxl already) is read as a whole and handed out row by row."""
    suffix = PurePath(file).suffix.lower()
    if suffix == ".xlsx" or content.startswith(b"PK\x03\x04"):
        sheet = read_xlsx(file, content)
        return SheetStream(file, sheet.encoding, sheet.headers, iter(sheet.rows), sheet.problems)
    if suffix in {".csv", ".txt", ".tsv", ""}:
        return stream_csv(file, content)
    raise _unsupported(file, suffix)


def _unsupported(file: str, suffix: str) -> ImportRejected:
    return ImportRejected(
        file, [Problem(0, "(file)", (f"'{suffix}' files are not supported; use CSV or XLSX"), file)]
    )
