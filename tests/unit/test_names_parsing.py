"""Parsing full names in any order, the sex they imply, and the keys of a whole name.

All names are synthetic combinations of common name parts; no real person is meant.
"""

from __future__ import annotations

import pytest
from faker.providers.person.uk_UA import Provider as UkrainianNames
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.domain.registry.persons import Script, Sex
from parley.names import ParsedName, infer_sex, keys_for_name, keys_for_text, parse_name


@pytest.mark.parametrize(
    ("text", "surname", "given", "patronymic"),
    [
        ("Шевченко Олександр Іванович", "Шевченко", "Олександр", "Іванович"),
        ("Олександр Іванович Шевченко", "Шевченко", "Олександр", "Іванович"),
        ("Шевченко Александр Иванович", "Шевченко", "Александр", "Иванович"),
        ("SHEVCHENKO OLEKSANDR", "Shevchenko", "Oleksandr", ""),
        ("Shevchenko Aleksandr", "Shevchenko", "Aleksandr", ""),
        ("Alexander Shevchenko", "Shevchenko", "Alexander", ""),
        ("Oleksandr SHEVCHENKO", "Shevchenko", "Oleksandr", ""),
        ("Shevchenko, Oleksandr Ivanovych", "Shevchenko", "Oleksandr", "Ivanovych"),
        ("Шевченко, Олександр", "Шевченко", "Олександр", ""),
        ("Oleksandr Ivanovych SHEVCHENKO", "Shevchenko", "Oleksandr", "Ivanovych"),
        ("Бондар Олег", "Бондар", "Олег", ""),
        ("Олег Бондар", "Бондар", "Олег", ""),
        ("Мельничук Ірина Петрівна", "Мельничук", "Ірина", "Петрівна"),
        ("Ірина Петрівна Мельничук", "Мельничук", "Ірина", "Петрівна"),
        ("Wolodymyr Selenskyj", "Selenskyj", "Wolodymyr", ""),
        ("Ołeksandr Turczynow", "Turczynow", "Ołeksandr", ""),
        ("Oleksandr Tourtchynov", "Tourtchynov", "Oleksandr", ""),
        ("Петренко-Коваль Марія Іванівна", "Петренко-Коваль", "Марія", "Іванівна"),
        ("Олена Петрівна", "", "Олена", "Петрівна"),
        ("Іван Іванович", "Іванович", "Іван", ""),  # Іванович is also a surname
        ("Шевченко", "Шевченко", "", ""),
    ],
)
def test_parse_name_finds_the_parts_in_any_order(
    text: str, surname: str, given: str, patronymic: str
) -> None:
    parsed = parse_name(text)
    assert (parsed.surname, parsed.given, parsed.patronymic) == (surname, given, patronymic)


@pytest.mark.parametrize(
    ("text", "surname", "given_initial", "patronymic_initial"),
    [
        ("Shevchenko O.I.", "Shevchenko", "O", "I"),
        ("Shevchenko O. I.", "Shevchenko", "O", "I"),
        ("Шевченко О. І.", "Шевченко", "О", "І"),
        ("О.І. Шевченко", "Шевченко", "О", "І"),
        ("О.І.Шевченко", "Шевченко", "О", "І"),
        ("Шевченко, О.І.", "Шевченко", "О", "І"),
        ("Shevchenko O.", "Shevchenko", "O", ""),
    ],
)
def test_parse_name_reads_initials(
    text: str, surname: str, given_initial: str, patronymic_initial: str
) -> None:
    parsed = parse_name(text)
    assert parsed.surname == surname
    assert (parsed.given, parsed.patronymic) == ("", "")
    assert (parsed.given_initial, parsed.patronymic_initial) == (given_initial, patronymic_initial)


def test_a_full_given_name_with_a_patronymic_initial() -> None:
    parsed = parse_name("Шевченко Олександр І.")
    assert (parsed.surname, parsed.given, parsed.given_initial) == ("Шевченко", "Олександр", "")
    assert parsed.patronymic_initial == "І"


@pytest.mark.parametrize(
    ("text", "script", "language"),
    [
        ("Шевченко Олександр Іванович", Script.CYRILLIC, "uk"),
        ("Шевченко Александр Иванович", Script.CYRILLIC, "ru"),
        ("Ковалёв Пётр", Script.CYRILLIC, "ru"),
        ("Шевченко Микола", Script.CYRILLIC, "uk"),
        ("Shevchenko Oleksandr", Script.LATIN, None),
    ],
)
def test_parse_name_tells_script_and_language(
    text: str, script: Script, language: str | None
) -> None:
    parsed = parse_name(text)
    assert (parsed.script, parsed.language) == (script, language)


def test_parse_name_repairs_latin_look_alikes_and_apostrophes() -> None:
    parsed = parse_name("Пaвлюк Вʼячеслав Iванович")  # Latin a and I inside Cyrillic words
    assert (parsed.surname, parsed.given, parsed.patronymic) == ("Павлюк", "Вʼячеслав", "Іванович")
    assert parse_name("Пaвлюк В'ячеслав").given == "Вʼячеслав"


# Surnames shaped like a patronymic (Андрійович, Петрович) make "given patronymic surname"
# genuinely ambiguous; no parser can order them from the words alone.
UNAMBIGUOUS_SURNAMES = sorted(
    n for n in UkrainianNames.last_names_male if not n.endswith(("вич", "ич"))
)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(UNAMBIGUOUS_SURNAMES),
    st.sampled_from(sorted(UkrainianNames.first_names_male)),
    st.sampled_from(sorted(UkrainianNames.middle_names_male)),
)
def test_surname_given_patronymic_in_either_order(
    surname: str, given_name: str, patronymic: str
) -> None:
    for text in (f"{surname} {given_name} {patronymic}", f"{given_name} {patronymic} {surname}"):
        parsed = parse_name(text)
        assert (parsed.surname, parsed.given, parsed.patronymic) == (
            surname,
            given_name,
            patronymic,
        )


def _parsed(surname: str = "", given: str = "", patronymic: str = "") -> ParsedName:
    return ParsedName(surname, given, patronymic, "", "", Script.CYRILLIC, None)


@pytest.mark.parametrize(
    ("parsed", "sex"),
    [
        (_parsed("Шевченко", "Олександр", "Іванович"), Sex.MALE),
        (_parsed("Шевченко", "Олена", "Іванівна"), Sex.FEMALE),
        (_parsed("Shevchenko", "Olena", "Ivanivna"), Sex.FEMALE),
        (_parsed("Ivanova", "", "Sergeevna"), Sex.FEMALE),
        (_parsed("Petrov", "", "Ilyich"), Sex.MALE),
        (_parsed("Ковальова"), Sex.FEMALE),
        (_parsed("Ковальов"), Sex.MALE),
        (_parsed("Зеленська"), Sex.FEMALE),
        (_parsed("Zelenskyi"), Sex.MALE),
        (_parsed("Zelenskaya"), Sex.FEMALE),
        (_parsed("Kovalyova"), Sex.FEMALE),
        (_parsed("Білий"), Sex.MALE),
        (_parsed("Шевченко"), Sex.UNKNOWN),
        (_parsed("Ковалів"), Sex.UNKNOWN),
        (_parsed("Рева"), Sex.UNKNOWN),
        (_parsed("Шевченко", "Олександр"), Sex.MALE),
        (_parsed("Шевченко", "Ірина"), Sex.FEMALE),
        (_parsed("Shevchenko", "Iryna"), Sex.FEMALE),
        (_parsed("Шевченко", "Женя"), Sex.UNKNOWN),
    ],
)
def test_infer_sex(parsed: ParsedName, sex: Sex) -> None:
    assert infer_sex(parsed) is sex


def test_the_patronymic_outweighs_the_surname() -> None:
    assert infer_sex(_parsed("Ковальова", "Олена", "Іванович")) is Sex.MALE


def test_keys_for_text_agrees_with_keys_for_name() -> None:
    by_text = keys_for_text("Шевченко Олександр Іванович")
    by_name = keys_for_name("Шевченко", "Олександр", "Іванович")
    assert by_text == by_name
    assert by_text.sex is Sex.MALE
    assert by_text.given_folded == "aleksandr"
    assert by_text.given_initial == "a"


def test_one_man_in_four_lists_gets_the_same_folds() -> None:
    texts = [
        "Шевченко Олександр Іванович",
        "Шевченко Александр Иванович",
        "SHEVCHENKO OLEKSANDR",
        "Alexander Shevchenko",
    ]
    keys = [keys_for_text(text) for text in texts]
    assert {k.surname_folded for k in keys} == {"shevchenko"}
    assert {k.given_folded for k in keys} == {"aleksandr"}
    assert all(k.surname & keys[0].surname and k.given & keys[0].given for k in keys)


def test_initials_only_give_an_initial() -> None:
    keys = keys_for_text("Шевченко О.І.")
    assert keys.given == frozenset()
    assert keys.given_folded == ""
    # О. and А. are both the initial of Олександр / Александр: vowels share one class.
    assert keys.given_initial == keys_for_text("Шевченко А.И.").given_initial
    assert keys.given_initial == keys_for_text("Shevchenko Oleksandr").given_initial
    assert keys_for_text("Шевченко М.").given_initial == "m"


def test_keys_for_name_takes_an_initial_as_given_name() -> None:
    keys = keys_for_name("Шевченко", "О.")
    assert (keys.given, keys.given_initial) == (frozenset(), "a")
    assert keys_for_name("Шевченко", "Ян").given_folded == "yan"
