"""A record as a line of text and back: the cache must hand the engine exactly what it built."""

from __future__ import annotations

import pytest

from parley.linkage.records import LinkRecord, from_lines, to_arrow, to_line


def a_record(uid: str, **changes: object) -> LinkRecord:
    values: dict[str, object] = {
        "unique_id": uid,
        "surname_keys": ["kovalchuk", "kovalchk"],
        "given_keys": ["bohdan"],
        "patronymic_keys": [],
        "surname_folded": "kovalchuk",
        "given_folded": "bohdan",
        "patronymic_folded": None,
        "given_initial": "b",
        "sex": "male",
        "dob_text": None,
        "dob_year": 1999,
        "dob_month": None,
        "dob_day": None,
        "service_number": "А123456",
        "passport": None,
        "tax_number": "0123456789",
    }
    values.update(changes)
    return LinkRecord(**values)  # type: ignore[arg-type]


def test_lines_read_back_as_the_table_the_records_make() -> None:
    records = [
        a_record("1"),
        a_record("2", dob_text="1990-02-03", dob_month=2, dob_day=3, surname_folded="o connor"),
        a_record("3", surname_keys=[], given_keys=[], sex=None, dob_year=None, tax_number=None),
    ]
    lines = [to_line(r) for r in records]
    table = from_lines(["\n".join(lines[:2]), lines[2]])
    assert table.equals(to_arrow(records))


def test_no_lines_make_an_empty_table() -> None:
    assert from_lines([]).num_rows == 0
    assert from_lines([]).schema == to_arrow([]).schema


@pytest.mark.parametrize(
    "changes",
    [{"surname_folded": "a\x1fb"}, {"passport": "12\n34"}, {"given_keys": ["two words"]}],
)
def test_a_value_that_would_break_the_line_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="of 9"):
        to_line(a_record("9", **changes))
