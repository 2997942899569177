"""Spreadsheets that lie or explode: the readers read to the end whatever the file claims,
refuse what is too big with a row and a field, and turn a damaged file into a refusal."""

import csv
import io
import time
import zipfile
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from parley.domain.errors import ImportRejected, Problem
from parley.interchange import tabular
from parley.interchange.tabular import MAX_CELL_CHARS, MAX_COLUMNS, read_sheet

SHEET = "xl/worksheets/sheet1.xml"


def _template() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["surname", "given_name"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


TEMPLATE = _template()


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx(rows: str, dimension: str = "A1:B2", replace: dict[str, bytes] | None = None) -> bytes:
    """The template workbook with its sheet's XML replaced: `<dimension>` says what we like."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    ).encode()
    parts = {SHEET: sheet, **(replace or {})}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(TEMPLATE)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = parts.pop(info.filename, None)
            target.writestr(info, data if data is not None else source.read(info.filename))
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def header_and(n: int, start: int = 2) -> str:
    rows = [f'<row r="1">{_cell("A1", "surname")}{_cell("B1", "given_name")}</row>']
    rows += [
        f'<row r="{r}">{_cell(f"A{r}", f"S{r}")}{_cell(f"B{r}", "G")}</row>'
        for r in range(start, start + n)
    ]
    return "".join(rows)


def refusal(content: bytes, file: str = "f.xlsx") -> tuple[int, str, str]:
    with pytest.raises(ImportRejected) as caught:
        read_sheet(file, content)
    problem = caught.value.problems[0]
    return problem.row, problem.field, problem.message


def test_a_dimension_that_says_two_rows_over_many_loses_none() -> None:
    sheet = read_sheet("f.xlsx", xlsx(header_and(500), dimension="A1:B2"))
    assert len(sheet.rows) == 500
    assert sheet.rows[-1] == (501, {"surname": "S501", "given_name": "G"})


def test_more_rows_than_the_cap_are_refused_not_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tabular, "MAX_ROWS", 100)
    row, field, message = refusal(xlsx(header_and(101), dimension="A1:B2"))
    assert (row, field) == (102, "(row)") and "more than 100 entry rows" in message
    csv_rows = "surname,given_name\n" + "S,G\n" * 101
    row, field, _ = refusal(csv_rows.encode(), "f.csv")
    assert (row, field) == (102, "(row)")


def test_a_dimension_of_the_whole_sheet_is_not_believed() -> None:
    started = time.monotonic()
    sheet = read_sheet("f.xlsx", xlsx(header_and(1), dimension="A1:XFD1048576"))
    assert len(sheet.rows) == 1 and time.monotonic() - started < 5


def test_blank_rows_between_keep_their_numbers() -> None:
    rows = header_and(1) + f'<row r="9">{_cell("A9", "S9")}{_cell("B9", "G")}</row>'
    assert [n for n, _ in read_sheet("f.xlsx", xlsx(rows)).rows] == [2, 9]


def test_a_row_given_twice_is_refused() -> None:
    rows = header_and(1) + f'<row r="2">{_cell("A2", "again")}</row>'
    row, field, message = refusal(xlsx(rows))
    assert (row, field) == (2, "(row)") and "again" in message


def test_a_cell_given_twice_is_refused() -> None:
    rows = header_and(0) + f'<row r="2">{_cell("A2", "one")}{_cell("A2", "two")}</row>'
    assert refusal(xlsx(rows))[:2] == (2, "(column 1)")


def test_a_value_past_the_last_column_is_refused() -> None:
    far = f"XFD{2}"
    rows = header_and(0) + f'<row r="2">{_cell("A2", "S")}{_cell(far, "x")}</row>'
    row, field, message = refusal(xlsx(rows))
    assert (row, field) == (2, "(column 16384)") and str(MAX_COLUMNS) in message
    wide = ",".join(["h"] * (MAX_COLUMNS + 1))
    assert refusal(wide.encode(), "f.csv")[:2] == (1, f"(column {MAX_COLUMNS + 1})")


def test_a_cell_too_long_is_refused_naming_its_column() -> None:
    long = "x" * (MAX_CELL_CHARS + 1)
    rows = header_and(0) + f'<row r="2">{_cell("A2", long)}</row>'
    assert refusal(xlsx(rows))[:2] == (2, "surname")
    assert refusal(f"surname,given_name\n{long},G\n".encode(), "f.csv")[:2] == (2, "surname")


def test_a_csv_field_over_the_csv_modules_limit_is_a_row_problem() -> None:
    huge = '"' + "x" * (csv.field_size_limit() + 10) + '"'
    row, field, message = refusal(f"surname,given_name\nS,G\n{huge},G\n".encode(), "f.csv")
    assert (row, field) == (3, "(row)") and str(MAX_CELL_CHARS) in message


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04 not really a zip",
        TEMPLATE[: len(TEMPLATE) // 2],
        xlsx("<row r='1'><c r='A1'><v>1</v></row>"),  # unclosed element
        xlsx('<row r="1"><c r="A1" t="s"><v>99</v></c></row>'),  # no such shared string
        xlsx("", replace={"xl/workbook.xml": b"<broken"}),
    ],
    ids=["not-zip", "truncated", "bad-xml", "shared-string", "bad-workbook"],
)
def test_a_damaged_xlsx_is_refused_with_a_message(content: bytes) -> None:
    _row, field, message = refusal(content)
    assert field in {"(file)", "(row)"} and message


def test_a_zip_bomb_is_refused_before_it_is_unpacked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tabular, "MAX_XLSX_UNPACKED", 10_000)
    padding = "<!--" + " " * 20_000 + "-->"
    _, field, message = refusal(xlsx(header_and(1) + padding))
    assert field == "(file)" and "unzips to" in message


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _refusal_problems(call: Callable[[], object]) -> list[Problem]:
    try:
        call()
    except ImportRejected as rejected:
        return rejected.problems or [Problem(-1, "", "a refusal without problems")]
    return []


def _assert_named(problems: list[Problem]) -> None:
    for problem in problems:
        assert isinstance(problem.row, int) and problem.row >= 0
        assert problem.field and problem.message


def _only_refusals(file: str, content: bytes) -> None:
    _assert_named(_refusal_problems(lambda: read_sheet(file, content)))
    try:
        sheet = read_sheet(file, content)
    except ImportRejected:
        return
    _assert_named(sheet.problems)


@SETTINGS
@given(st.binary(max_size=2000))
def test_any_bytes_as_csv_are_read_or_refused(content: bytes) -> None:
    _only_refusals("f.csv", content)


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list(',;\t"\n\r x=+-@ЖЁ\x00')), max_size=400))
def test_any_text_as_csv_is_read_or_refused(text: str) -> None:
    _only_refusals("f.csv", text.encode())


@SETTINGS
@given(st.binary(max_size=300), st.integers(min_value=0, max_value=len(TEMPLATE) - 1))
def test_any_damage_to_an_xlsx_is_read_or_refused(patch: bytes, at: int) -> None:
    _only_refusals("f.xlsx", TEMPLATE[:at] + patch + TEMPLATE[at + len(patch) :])


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list('<>/="rcvt AB12 sheetDataisow')), max_size=200))
def test_any_sheet_xml_is_read_or_refused(rows: str) -> None:
    _only_refusals("f.xlsx", xlsx(rows))


PFIF_ALPHABET = list('<>/="? xmlnspfif:personnote_record_idfull_name1.4ЖЁ&;#\x00')


@SETTINGS
@given(
    st.one_of(
        st.binary(max_size=600), st.text(alphabet=st.sampled_from(PFIF_ALPHABET)).map(str.encode)
    )
)
def test_any_bytes_as_pfif_are_read_or_refused(content: bytes) -> None:
    from parley.interchange.pfif_read import read_pfif

    _assert_named(_refusal_problems(lambda: read_pfif("f.xml", content, default_side="UA")))
