"""Equivalent Cyrillic forms and Latin renderings of a name part.

All names are common name parts, used as invented examples; no real person is meant.
"""

from __future__ import annotations

import re

import pytest

from parley.names import RUSSIAN_SCHEMES, UKRAINIAN_SCHEMES, NamePart, equivalents, renderings

SURNAME, GIVEN, PATRONYMIC = NamePart.SURNAME, NamePart.GIVEN, NamePart.PATRONYMIC
CYRILLIC = re.compile(r"[а-яёіїєґА-ЯЁІЇЄҐ]")


@pytest.mark.parametrize(
    ("part", "role", "expected"),
    [
        ("Олександр", GIVEN, {"Олександр", "Александр"}),
        ("Александр", GIVEN, {"Олександр", "Александр"}),
        ("Дмитро", GIVEN, {"Дмитро", "Дмитрий"}),
        ("Микола", GIVEN, {"Микола", "Николай"}),
        ("Іванович", PATRONYMIC, {"Іванович", "Иванович"}),
        ("Ковальов", SURNAME, {"Ковальов", "Ковалев"}),
        ("Зеленська", SURNAME, {"Зеленська", "Зеленская"}),
    ],
)
def test_equivalents_go_both_ways(part: str, role: NamePart, expected: set[str]) -> None:
    assert expected <= equivalents(part, role)


def test_the_inversion_drops_forms_ukrainian_spelling_does_not_allow() -> None:
    forms = equivalents("Андрей", GIVEN)
    assert "Андрій" in forms
    assert "Андрєй" not in forms
    assert all("ы" not in form and "э" not in form for form in equivalents("Сергей", GIVEN))


def test_equivalents_use_the_ukrainian_apostrophe_and_keep_the_input() -> None:
    assert "Вʼячеслав" in equivalents("В'ячеслав", GIVEN)
    assert equivalents("Shevchenko", SURNAME) == frozenset({"Shevchenko"})
    assert equivalents("", SURNAME) == frozenset()


def test_ukrainian_text_gets_ukrainian_tables_and_its_russian_form_the_russian_schemes() -> None:
    result = renderings("Олександр", GIVEN)
    assert result["translitua:UkrainianKMU"] == "Oleksandr"
    assert result["translitua:German"] == "Oleksandr"
    assert result["iuliia:icao_doc_9303"] == "Aleksandr"
    assert set(result) == set(UKRAINIAN_SCHEMES) | {f"iuliia:{s}" for s in RUSSIAN_SCHEMES}


def test_the_problem_statement_spellings_are_renderings() -> None:
    assert renderings("Шевченко", SURNAME)["translitua:German"] == "Schewtschenko"
    assert renderings("Шевченко", SURNAME)["translitua:French"] == "Chevtchenko"
    assert renderings("Іванович", PATRONYMIC)["translitua:UkrainianKMU"] == "Ivanovych"
    assert renderings("Іванович", PATRONYMIC)["iuliia:icao_doc_9303"] == "Ivanovich"


def test_russian_text_gets_only_russian_schemes() -> None:
    result = renderings("Александр", GIVEN)
    assert set(result) == {f"iuliia:{s}" for s in RUSSIAN_SCHEMES}
    assert result["iuliia:mvd_310_fr"] == "Alexandr"


def test_no_rendering_keeps_cyrillic_letters() -> None:
    for part, role in [("Пётр", GIVEN), ("Щёлкин", SURNAME), ("Їжак", SURNAME), ("Ґонта", SURNAME)]:
        for scheme, latin in renderings(part, role).items():
            assert not CYRILLIC.search(latin), (scheme, latin)


def test_latin_text_has_no_renderings() -> None:
    assert renderings("Shevchenko", SURNAME) == {}
