"""Rows out as CSV (UTF-8 with BOM, so Excel reads Cyrillic), XLSX or JSON.

CSV and XLSX cells are data, never formulas: see `parley.interchange.cells`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from parley.domain.errors import InvalidInput
from parley.interchange.cells import append_row, safe_row

FORMATS = ("csv", "xlsx", "json")


def export_table(rows: list[dict[str, Any]], columns: Sequence[str], fmt: str) -> bytes:
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(safe_row(row) for row in rows)
        return ("\ufeff" + text.getvalue()).encode("utf-8")
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        append_row(sheet, columns)
        for row in rows:
            append_row(sheet, [row.get(c) for c in columns])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    raise InvalidInput(f"format '{fmt}' is not one of {', '.join(FORMATS)}")
