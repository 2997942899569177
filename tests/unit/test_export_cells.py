"""Exports are data, not formulas: every CSV and XLSX writer neutralises a text that would start
a formula (OWASP CSV injection), keeps it readable, and leaves numbers as numbers."""

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from parley.interchange.cells import FORMULA_STARTS, neutralise
from parley.interchange.table_export import export_table

EVIL = '=HYPERLINK("http://x","y")'
STARTS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "＝1", "＋1", "－1", "＠1"]


@pytest.mark.parametrize("text", [EVIL, *STARTS])
def test_a_formula_start_is_quoted_and_stays_readable(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Мельник", "", "O'Brien", "1-2", "2024-05-01", " =x"])
def test_plain_text_is_unchanged(text: str) -> None:
    assert neutralise(text) == text


def test_every_start_is_covered() -> None:
    assert {s[0] for s in STARTS} == FORMULA_STARTS


ROWS = [
    {"name": EVIL, "probability": -0.5, "count": 3, "note": "@cmd|' /C calc'!A0"},
    {"name": "Мельник", "probability": 0.25, "count": -1, "note": None},
]
COLUMNS = ["name", "probability", "count", "note"]


def test_csv_export_holds_text_not_formulas() -> None:
    content = export_table(ROWS, COLUMNS, "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert rows[0]["name"] == "'" + EVIL
    assert rows[0]["note"] == "'@cmd|' /C calc'!A0"
    assert rows[0]["probability"] == "-0.5" and rows[1]["count"] == "-1"
    assert rows[1]["name"] == "Мельник"


def test_xlsx_export_holds_strings_and_numbers_never_formulas() -> None:
    book = load_workbook(io.BytesIO(export_table(ROWS, COLUMNS, "xlsx")))
    sheet = book.active
    assert sheet is not None
    types = {cell.data_type for row in sheet.iter_rows() for cell in row}
    assert "f" not in types
    assert sheet["A2"].value == "'" + EVIL and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -0.5 and sheet["B2"].data_type == "n"
    assert sheet["C3"].value == -1 and sheet["C3"].data_type == "n"
    assert sheet["D2"].data_type == "s"


def test_json_export_is_unchanged() -> None:
    assert EVIL.replace('"', '\\"') in export_table(ROWS, COLUMNS, "json").decode()


def test_no_spreadsheet_writer_bypasses_the_neutraliser() -> None:
    """A new CSV or XLSX writer must go through `parley.interchange.cells`."""
    src = Path(__file__).parents[2] / "src" / "parley"
    allowed = {"interchange/table_export.py", "interchange/cells.py", "cli/registry/persons.py"}
    # The demo writes input files for import, made up here, not data from elsewhere.
    allowed.add("scenarios/demo.py")
    allowed.add("scenarios/remains.py")  # the demo's simulated DNA reference files
    writers = re.compile(r"csv\.(writer|DictWriter)\(|Workbook\(|\.append_row\(")
    found = {
        str(path.relative_to(src))
        for path in src.rglob("*.py")
        if writers.search(path.read_text(encoding="utf-8"))
    }
    assert found <= allowed, found - allowed
