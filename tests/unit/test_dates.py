from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parley.domain.dates import PartialDate, parse_full_date
from parley.domain.errors import InvalidDate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990", PartialDate(1990)),
        ("1990-03", PartialDate(1990, 3)),
        ("1990-03-14", PartialDate(1990, 3, 14)),
        ("14.03.1990", PartialDate(1990, 3, 14)),
        ("03.1990", PartialDate(1990, 3)),
        (" 4/3/1990 ", PartialDate(1990, 3, 4)),
    ],
)
def test_partial_dates_parse_from_the_forms_lists_use(text: str, expected: PartialDate) -> None:
    assert PartialDate.parse(text) == expected


@pytest.mark.parametrize("text", ["1990-02-30", "1990-13", "31.02.2001", "yesterday", "", "90"])
def test_impossible_dates_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(InvalidDate):
        PartialDate.parse(text)


def test_a_year_only_date_spans_the_whole_year() -> None:
    born = PartialDate(1999)
    assert born.earliest() == date(1999, 1, 1)
    assert born.latest() == date(1999, 12, 31)
    assert born.precision == "year"


def test_an_event_date_must_be_a_whole_day() -> None:
    with pytest.raises(InvalidDate):
        parse_full_date("2024-05")


@given(
    st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 12, 31)),
    st.sampled_from(["day", "month", "year"]),
)
def test_printing_and_parsing_a_partial_date_gives_it_back(day: date, precision: str) -> None:
    partial = PartialDate(
        day.year,
        day.month if precision != "year" else None,
        day.day if precision == "day" else None,
    )
    assert PartialDate.parse(str(partial)) == partial
    assert partial.earliest() <= day <= partial.latest() or precision == "day"
