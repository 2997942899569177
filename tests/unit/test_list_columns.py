"""The one column table: every alias is read however it is typed, anything else is refused."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from parley.domain.dates import PartialDate
from parley.domain.errors import ImportRejected
from parley.domain.matching import ListEntry
from parley.interchange.columns import ALIASES, KNOWN, Door, header_key, map_columns
from parley.interchange.list_rows import read_list, refuse_uncarried
from parley.services.matching import split_full_name

EVERY_ALIAS = [(field, alias) for field, aliases in ALIASES.items() for alias in (field, *aliases)]


@st.composite
def typed_as(draw: st.DrawFn, alias: str) -> str:
    """An alias as a person might type it: any case, spaces as `_`/NBSP, a colon, a BOM."""
    words = alias.split(" ")
    glue = draw(st.sampled_from([" ", "_", "  ", "\u00a0", " _ "]))
    text = glue.join(words)
    text = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in text)
    if draw(st.booleans()):
        text += draw(st.sampled_from([":", " :", " "]))
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text


@given(st.sampled_from(EVERY_ALIAS).flatmap(lambda fa: st.tuples(st.just(fa[0]), typed_as(fa[1]))))
def test_any_known_alias_in_any_case_or_spacing_is_read_as_its_field(pair: tuple[str, str]) -> None:
    field, header = pair
    columns = map_columns("list.csv", [header], Door.LIST)
    assert columns.problems == []
    assert columns.fields == {header: field}


@given(st.text(min_size=1, max_size=30))
def test_any_other_header_is_refused_naming_it(header: str) -> None:
    assume(header.strip() and header_key(header) not in KNOWN)
    assume(not header.strip().casefold().startswith("x_"))
    for door in Door:
        problems = map_columns("list.csv", ["surname", header], door).problems
        assert [(p.row, p.field) for p in problems] == [(1, header)]
        assert f"unknown column '{header}'" in problems[0].message


def test_an_unknown_column_suggests_the_nearest_name_and_how_to_keep_it() -> None:
    (problem,) = map_columns("list.csv", ["date_birth"], Door.LIST).problems
    assert "did you mean 'date of birth' (birth_date)?" in problem.message
    assert "--keep-column 'date_birth'" in problem.message and "x_" in problem.message


def test_two_columns_for_one_field_are_refused_naming_both() -> None:
    (problem,) = map_columns("l.csv", ["dob", "Date of birth"], Door.LIST).problems
    assert problem.field == "Date of birth"
    assert "'dob' and 'Date of birth' are both birth_date" in problem.message


def test_a_persons_file_takes_no_full_name_or_row_number() -> None:
    problems = map_columns("p.csv", ["ПІБ", "№", "surname"], Door.PERSONS).problems
    assert [p.field for p in problems] == ["ПІБ", "№"]


def test_a_list_keeps_a_named_or_x_prefixed_column_and_no_other() -> None:
    columns = map_columns("l.csv", ["surname", "Camp", "x_barrack"], Door.LIST, ["camp"])
    assert columns.problems == [] and columns.kept == ("Camp", "x_barrack")
    (problem,) = map_columns("l.csv", ["surname"], Door.LIST, ["camp"]).problems
    assert problem.field == "camp" and "names no column" in problem.message


def _read(text: str, keep: tuple[str, ...] = ()) -> list[ListEntry]:
    return read_list("list.csv", text.encode(), split_full_name, keep)


def test_a_list_with_date_of_birth_is_read_with_its_dates() -> None:
    (entry,) = _read("id;прізвище;ім'я;date_of_birth\nA-7;Коваль;Іван;10.06.1999\n")
    assert entry.birth_date == PartialDate(1999, 6, 10)
    assert entry.extra == {"record_id": "A-7"}
    assert entry.written == "Коваль Іван"


def test_a_list_with_an_unknown_column_is_refused_naming_it() -> None:
    with pytest.raises(ImportRejected) as caught:
        _read("full_name,nickname\nКоваль Іван,Ваня\n")
    assert [(p.row, p.field) for p in caught.value.problems] == [(1, "nickname")]
    (entry,) = _read("full_name,nickname\nКоваль Іван,Ваня\n", ("nickname",))
    assert entry.extra == {"nickname": "Ваня"}


def test_the_name_as_written_is_kept_beside_the_parsed_one() -> None:
    (entry,) = _read("ПІБ,№\nKOVAL  Ivan Petrovych,1\n")
    assert entry.written == "KOVAL  Ivan Petrovych"
    assert entry.extra == {"row_number": "1"}


def test_a_value_under_an_empty_header_is_refused_an_empty_column_is_not() -> None:
    assert len(_read("full_name,\nКоваль Іван,\n")) == 1
    with pytest.raises(ImportRejected) as caught:
        _read("full_name,,\nКоваль Іван,,\nБондар Петро,,7\n")
    assert [(p.row, p.field) for p in caught.value.problems] == [(3, "(column 3)")]


def test_a_list_to_share_refuses_a_column_it_cannot_carry() -> None:
    entries = _read("ref;full_name;rank;x_camp\nE1;Коваль Іван;сержант;north\n")
    with pytest.raises(ImportRejected) as caught:
        refuse_uncarried("list.csv", entries, ("record_id", "unit"))
    assert [(p.row, p.field) for p in caught.value.problems] == [(1, "rank"), (1, "x_camp")]


def test_a_full_name_beside_name_cells_is_kept_as_written() -> None:
    (entry,) = _read("surname;given_name;full_name\nКоваль;Іван;Іван Коваль-Старший\n")
    assert (entry.surname, entry.given, entry.written) == ("Коваль", "Іван", "Іван Коваль-Старший")
