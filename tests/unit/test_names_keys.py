"""Name keys: every spelling of a name shares a key, different names do not.

All names are synthetic: Faker's uk_UA / ru_RU pools, or invented combinations of common
name parts. No test refers to a real person.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import pytest
from faker.providers.person.ru_RU import Provider as RussianNames
from faker.providers.person.uk_UA import Provider as UkrainianNames
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.names import NamePart, equivalents, folded, keys_for_name, name_keys, renderings

SURNAME, GIVEN, PATRONYMIC = NamePart.SURNAME, NamePart.GIVEN, NamePart.PATRONYMIC


def _pool(*pools: Iterable[str]) -> list[str]:
    return sorted({name for pool in pools for name in pool})


UK_GIVEN = _pool(UkrainianNames.first_names_male, UkrainianNames.first_names_female)
RU_GIVEN = _pool(RussianNames.first_names_male, RussianNames.first_names_female)
UK_SURNAMES = _pool(UkrainianNames.last_names_male, UkrainianNames.last_names_female)
RU_SURNAMES = _pool(RussianNames.last_names_male, RussianNames.last_names_female)
UK_PATRONYMICS = _pool(UkrainianNames.middle_names_male, UkrainianNames.middle_names_female)
RU_PATRONYMICS = _pool(RussianNames.middle_names_male, RussianNames.middle_names_female)

PARTS = st.one_of(
    st.tuples(st.sampled_from(UK_GIVEN + RU_GIVEN), st.just(GIVEN)),
    st.tuples(st.sampled_from(UK_SURNAMES + RU_SURNAMES), st.just(SURNAME)),
    st.tuples(st.sampled_from(UK_PATRONYMICS + RU_PATRONYMICS), st.just(PATRONYMIC)),
)
UKRAINIAN_PARTS = st.one_of(
    st.tuples(st.sampled_from(UK_GIVEN), st.just(GIVEN)),
    st.tuples(st.sampled_from(UK_SURNAMES), st.just(SURNAME)),
    st.tuples(st.sampled_from(UK_PATRONYMICS), st.just(PATRONYMIC)),
)


def shares_key(a: str, b: str, role: NamePart) -> bool:
    return bool(name_keys(a) & name_keys(b))


# --- properties over Faker's pools ------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(PARTS)
def test_every_standard_rendering_shares_a_key_with_the_cyrillic(
    part: tuple[str, NamePart],
) -> None:
    name, role = part
    for scheme, latin in renderings(name, role).items():
        assert shares_key(name, latin, role), (scheme, name, latin)


@settings(max_examples=200, deadline=None)
@given(UKRAINIAN_PARTS)
def test_russian_equivalents_share_a_key_with_the_ukrainian(part: tuple[str, NamePart]) -> None:
    name, role = part
    for form in equivalents(name, role):
        assert shares_key(name, form, role), (name, form)


@settings(max_examples=200, deadline=None)
@given(PARTS)
def test_case_apostrophe_and_yo_do_not_change_keys(part: tuple[str, NamePart]) -> None:
    name, _role = part
    keys = name_keys(name)
    variants = {name.upper(), name.lower(), f"  {name} ", name.replace("ё", "е")}
    variants |= {name.replace("ʼ", mark) for mark in ("'", "’", "`")}
    for variant in variants:
        assert name_keys(variant) == keys, variant


@settings(max_examples=200, deadline=None)
@given(PARTS)
def test_the_fold_is_one_of_the_keys(part: tuple[str, NamePart]) -> None:
    name, role = part
    for text in (name, *renderings(name, role).values()):
        # A compound part (Гоголь-Яновська) folds to its words' folds, space-separated.
        assert set(folded(text, role).split()) <= name_keys(text), text


def _feminine(surname: str) -> str | None:
    """The feminine form of a masculine surname, for the endings that have one."""
    for masculine, feminine in (
        ("ський", "ська"), ("цький", "цька"), ("ский", "ская"), ("цкий", "цкая"),
        ("ий", "а"), ("ой", "ая"), ("ов", "ова"), ("ев", "ева"), ("ьов", "ьова"),
        ("ін", "іна"), ("ин", "ина"), ("ёв", "ёва"),
    ):  # fmt: skip
        if surname.endswith(masculine):
            return surname[: -len(masculine)] + feminine
    return None


GENDERED = [
    s for s in _pool(UkrainianNames.last_names_male, RussianNames.last_names_male) if _feminine(s)
]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(GENDERED))
def test_feminine_and_masculine_surnames_share_a_key(masculine: str) -> None:
    feminine = _feminine(masculine)
    assert feminine is not None
    assert shares_key(masculine, feminine, SURNAME)
    male_latin, female_latin = renderings(masculine, SURNAME), renderings(feminine, SURNAME)
    for scheme in male_latin.keys() & female_latin.keys():
        assert shares_key(male_latin[scheme], female_latin[scheme], SURNAME), scheme
        assert shares_key(masculine, female_latin[scheme], SURNAME), scheme


# --- the examples of the problem statement -----------------------------------------------


@pytest.mark.parametrize(
    ("role", "original", "spellings"),
    [
        (
            SURNAME,
            "Шевченко",
            ["SHEVCHENKO", "Shevchenko", "Schewtschenko", "Chevtchenko", "Szewczenko", "Ševčenko"],
        ),
        (
            GIVEN,
            "Олександр",
            ["Александр", "OLEKSANDR", "Aleksandr", "Alexander", "Olexandr", "Ołeksandr"],
        ),
        (PATRONYMIC, "Іванович", ["Иванович", "Ivanovych", "Ivanovich", "Iwanowytsch"]),
        (PATRONYMIC, "Іванівна", ["Ивановна", "Ivanivna", "Ivanovna"]),
    ],
)
def test_every_spelling_of_one_man_shares_keys(
    role: NamePart, original: str, spellings: list[str]
) -> None:
    for spelling in spellings:
        assert shares_key(original, spelling, role), spelling


@pytest.mark.parametrize(
    ("latin", "cyrillic", "role"),
    [
        ("Wolodymyr", "Володимир", GIVEN),
        ("Selenskyj", "Зеленський", SURNAME),
        ("Zelenska", "Зеленський", SURNAME),
        ("Zelenskaya", "Зеленська", SURNAME),
        ("Ołeksandr", "Олександр", GIVEN),
        ("Turczynow", "Турчинов", SURNAME),
        ("Tourtchynov", "Турчинов", SURNAME),
        ("Turčynov", "Турчинов", SURNAME),
        ("Alexander", "Олександр", GIVEN),
        ("Alexander", "Александр", GIVEN),
        ("Michael", "Михайло", GIVEN),
        ("Michael", "Михаил", GIVEN),
        ("Sergey", "Сергій", GIVEN),
        ("Sergey", "Сергей", GIVEN),
        ("Serhii", "Сергій", GIVEN),
        ("Yuri", "Юрій", GIVEN),
        ("Iurii", "Юрій", GIVEN),
        ("Yuri", "Юрий", GIVEN),
        ("Dmitry", "Дмитро", GIVEN),
        ("Dmitry", "Дмитрий", GIVEN),
        ("Dmytro", "Дмитро", GIVEN),
        ("Pyotr", "Петро", GIVEN),
        ("Artyom", "Артем", GIVEN),
        ("Kovalyov", "Ковальов", SURNAME),
        ("Kovalova", "Ковалева", SURNAME),
        ("Kowaljowa", "Ковальов", SURNAME),
    ],
)
def test_press_and_foreign_conventions_meet_the_cyrillic(
    latin: str, cyrillic: str, role: NamePart
) -> None:
    assert shares_key(latin, cyrillic, role)


@pytest.mark.parametrize(
    ("a", "b", "role"),
    [
        ("Oleksandr", "Aleksandr", GIVEN),
        ("Serhii", "Sergei", GIVEN),
        ("Mykola", "Nikolai", GIVEN),
        ("Olena", "Yelena", GIVEN),
        ("Oleksandrovych", "Aleksandrovich", PATRONYMIC),
    ],
)
def test_two_latin_lists_meet_across_languages(a: str, b: str, role: NamePart) -> None:
    """Ukrainian- and Russian-derived Latin forms meet through the dictionaries."""
    assert shares_key(a, b, role)


@pytest.mark.parametrize(
    ("variants", "role"),
    [
        (["Вʼячеслав", "В'ячеслав", "В’ячеслав", "Вячеслав"], GIVEN),
        (["Пётр", "Петр", "Петро"], GIVEN),
        (["Фёдорович", "Федорович", "Федорович"], PATRONYMIC),
        (["Ковалёв", "Ковалев", "Ковальов", "Ковальова", "Ковалёва"], SURNAME),
        (["Зеленський", "Зеленська", "Зеленский", "Зеленская"], SURNAME),
        (["Петренко-Коваль", "Коваль"], SURNAME),
    ],
)
def test_spelling_variants_share_a_key(variants: list[str], role: NamePart) -> None:
    first = variants[0]
    for variant in variants[1:]:
        assert shares_key(first, variant, role), variant


# --- discrimination ----------------------------------------------------------------------

DISTINCT_GIVEN = [
    "Олександр", "Олексій", "Іван", "Іванна", "Андрій", "Анатолій", "Олег", "Ольга", "Ігор",
    "Єгор", "Ян", "Яна", "Юрій", "Юлій", "Марина", "Марʼяна", "Віталій", "Віктор",
    "Валентин", "Валентина", "Станіслав", "Святослав", "Олена", "Альона", "Богдан",
    "Богдана", "Євген", "Євгенія", "Роман", "Денис", "Данило", "Сергій", "Михайло",
    "Микола", "Максим", "Петро", "Павло", "Василь", "Тарас", "Остап", "Орест",
]  # fmt: skip
DISTINCT_SURNAMES = [
    "Петренко", "Петрук", "Ковальов", "Коваленко", "Ковальчук", "Шевченко", "Шевчук",
    "Мельник", "Мельничук", "Бойко", "Бойченко", "Зайченко", "Саченко", "Гоменко", "Хоменко",
    "Голод", "Холод", "Лисенко", "Лисенков", "Сергієнко", "Бондар", "Бондаренко",
]  # fmt: skip


MASCULINE_AND_FEMININE = {
    ("Іван", "Іванна"), ("Ян", "Яна"), ("Валентин", "Валентина"), ("Богдан", "Богдана"),
    ("Євген", "Євгенія"),
}  # fmt: skip
"""A word's keys include its keys as a surname, which loses its gender ending: the masculine
and feminine forms of one given name share a key, and the sex comparison tells them apart."""


@pytest.mark.parametrize(("names", "role"), [(DISTINCT_GIVEN, GIVEN), (DISTINCT_SURNAMES, SURNAME)])
def test_different_names_do_not_share_keys(names: list[str], role: NamePart) -> None:
    for a, b in itertools.combinations(names, 2):
        assert shares_key(a, b, role) == ((a, b) in MASCULINE_AND_FEMININE), (a, b)


@pytest.mark.parametrize(
    ("word", "other"),
    [("Петрович", "Petrovych"), ("Шевкович", "Shevkovych"), ("Роман", "Roman")],
)
def test_a_words_keys_do_not_depend_on_its_role(word: str, other: str) -> None:
    """Two-word names come in either order and surnames may end like patronymics: the same
    word gets the same keys whichever part of the name it was taken for."""
    assert name_keys(word) & name_keys(other)
    assert keys_for_name(word, "Іван").surname == keys_for_name("Іван", word).given
    assert keys_for_name("Іван", "", word).patronymic == keys_for_name(word, "Іван").surname


def test_a_given_name_and_a_surname_built_on_it_do_not_meet() -> None:
    assert not name_keys("Сергій") & name_keys("Сергієнко")


def _collision_rate(names: list[str], role: NamePart) -> float:
    keys = {name: name_keys(name) for name in names}
    pairs = list(itertools.combinations(names, 2))
    return sum(1 for a, b in pairs if keys[a] & keys[b]) / len(pairs)


def test_faker_male_given_names_almost_never_collide() -> None:
    """Measured 0 of 7,260 pairs over uk_UA's 121 male given names."""
    assert _collision_rate(_pool(UkrainianNames.first_names_male), GIVEN) < 0.001


def test_faker_male_surnames_almost_never_collide() -> None:
    """Measured 9 of 137,026 pairs (0.007%) over uk_UA's 524 masculine surnames; all nine are
    spellings of one surname (Єременко / Єрьоменко, Бараник / Баранник, double surnames)."""
    assert _collision_rate(_pool(UkrainianNames.last_names_male), SURNAME) < 0.0005


def test_keys_are_small_lowercase_ascii() -> None:
    for name in ("Шевченко", "Alexander", "Іванович"):
        keys = name_keys(name)
        assert 1 <= len(keys) <= 6
        assert all(key.isascii() and key.islower() and key.isalpha() for key in keys)


def test_empty_parts_have_no_keys() -> None:
    assert name_keys("") == frozenset()
    assert folded("  ", SURNAME) == ""
