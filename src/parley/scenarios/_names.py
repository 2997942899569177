"""Names as each party writes them, for the synthetic population.

The two parties write the same person differently (Олександр Іванович / Александр Иванович,
Ковальова / Ковалева): the generator reproduces those real differences, taken from the
names-translator dictionaries, instead of random noise, so that matching is measured on the
kind of disagreement it will meet in real lists.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from functools import lru_cache

import iuliia  # type: ignore[import-untyped]
import translitua
from faker.providers.person.ru_RU import Provider as RussianFaker
from faker.providers.person.uk_UA import Provider as UkrainianFaker
from names_translator.dicts import NameDicts

from parley.domain.registry.persons import PersonName, Script, Sex

UK = "uk"
RU = "ru"

FIRST = "first"
PATRONYMIC = "patronymic"
LAST = "last"

UK_APOSTROPHE = "ʼ"
"""U+02BC, the apostrophe of Ukrainian orthography (and of Faker's uk_UA data)."""

# fmt: off
# Given names of men born 1965-2007 and how often they occur, roughly: Faker's pools are
# alphabetical and archaic (Аарон, Автоном), so they only supply the tail.
UK_MALE: Mapping[str, int] = {
    "Олександр": 30, "Сергій": 20, "Андрій": 20, "Дмитро": 18, "Володимир": 16, "Віталій": 10,
    "Юрій": 12, "Віктор": 8, "Олег": 10, "Максим": 14, "Іван": 12, "Михайло": 11, "Богдан": 9,
    "Роман": 11, "Денис": 10, "Євген": 11, "Ігор": 10, "Артем": 11, "Василь": 8, "Микола": 10,
    "Руслан": 8, "Вадим": 6, "Владислав": 8, "Ярослав": 6, "Тарас": 6, "Павло": 8,
    "Анатолій": 4, "Валерій": 4, "Костянтин": 6, "Олексій": 9, "Назар": 5, "Станіслав": 4,
    "Петро": 5, "Антон": 6, "Едуард": 2, "Геннадій": 2, "Вʼячеслав": 6, "Степан": 3,
    "Григорій": 2, "Леонід": 2, "Артур": 3, "Ілля": 4, "Кирило": 4, "Святослав": 2, "Остап": 2,
    "Орест": 2, "Микита": 4, "Федір": 1, "Борис": 1, "Данило": 4, "Ростислав": 3, "Валентин": 2,
}
RU_MALE: Mapping[str, int] = {
    "Александр": 30, "Сергей": 20, "Андрей": 18, "Дмитрий": 20, "Алексей": 18, "Максим": 12,
    "Евгений": 12, "Иван": 12, "Михаил": 11, "Владимир": 14, "Николай": 9, "Артём": 10,
    "Роман": 9, "Денис": 10, "Игорь": 9, "Юрий": 9, "Павел": 9, "Виктор": 7, "Олег": 8,
    "Антон": 7, "Илья": 6, "Никита": 6, "Кирилл": 6, "Вадим": 5, "Виталий": 7, "Константин": 6,
    "Владислав": 6, "Руслан": 6, "Егор": 5, "Василий": 5, "Анатолий": 4, "Валерий": 4,
    "Станислав": 3, "Геннадий": 2, "Вячеслав": 5, "Артур": 3, "Тимур": 3, "Эдуард": 2,
    "Пётр": 2, "Григорий": 2, "Леонид": 2, "Фёдор": 2, "Даниил": 3, "Степан": 2, "Ярослав": 2,
    "Семён": 2, "Матвей": 2, "Георгий": 2, "Борис": 2,
}
UK_FEMALE: Mapping[str, int] = {
    "Олена": 10, "Наталія": 9, "Тетяна": 9, "Ірина": 9, "Світлана": 7, "Оксана": 8, "Юлія": 8,
    "Ганна": 6, "Марія": 7, "Ольга": 8, "Катерина": 6, "Людмила": 5, "Вікторія": 6,
    "Анастасія": 6, "Валентина": 3, "Галина": 4, "Надія": 4, "Алла": 2, "Інна": 3, "Лариса": 3,
    "Дарина": 3, "Яна": 3, "Христина": 3, "Софія": 2, "Марʼяна": 2,
}
RU_FEMALE: Mapping[str, int] = {
    "Елена": 10, "Наталья": 9, "Татьяна": 9, "Ирина": 9, "Светлана": 7, "Ольга": 8, "Юлия": 8,
    "Анна": 7, "Мария": 7, "Екатерина": 7, "Людмила": 5, "Виктория": 5, "Анастасия": 6,
    "Валентина": 3, "Галина": 4, "Надежда": 4, "Алла": 2, "Инна": 2, "Лариса": 3, "Дарья": 4,
    "Яна": 2, "Кристина": 3, "Ксения": 4, "Оксана": 3,
}
# Fathers were born about 1935-1985: the names of that generation, which set the patronymics.
UK_FATHERS: Mapping[str, int] = {
    "Іван": 10, "Микола": 10, "Василь": 9, "Петро": 7, "Олександр": 10, "Володимир": 10,
    "Віктор": 8, "Анатолій": 6, "Михайло": 7, "Сергій": 8, "Юрій": 7, "Григорій": 4, "Олег": 4,
    "Валерій": 4, "Леонід": 3, "Степан": 4, "Федір": 3, "Павло": 4, "Андрій": 5, "Ігор": 4,
    "Віталій": 3, "Богдан": 3, "Ярослав": 3, "Роман": 3, "Дмитро": 3, "Євген": 3, "Борис": 2,
    "Геннадій": 2, "Вʼячеслав": 3, "Яків": 1, "Ілля": 1, "Костянтин": 2, "Олексій": 3,
    "Станіслав": 2, "Аркадій": 1, "Вадим": 2,
}
RU_FATHERS: Mapping[str, int] = {
    "Александр": 10, "Сергей": 9, "Владимир": 10, "Николай": 9, "Виктор": 8, "Юрий": 8,
    "Иван": 7, "Михаил": 7, "Анатолий": 6, "Валерий": 5, "Василий": 6, "Геннадий": 4,
    "Алексей": 5, "Андрей": 5, "Игорь": 5, "Олег": 4, "Пётр": 4, "Григорий": 3, "Леонид": 3,
    "Евгений": 4, "Борис": 3, "Вячеслав": 3, "Дмитрий": 3, "Павел": 3, "Фёдор": 2, "Виталий": 3,
    "Константин": 2, "Степан": 2, "Илья": 1, "Яков": 1, "Аркадий": 1, "Вадим": 2,
    "Владислав": 1, "Роман": 2,
}
# fmt: on

_UK_PATRONYMIC_EXCEPTIONS: Mapping[str, tuple[str, str]] = {
    "Микола": ("Миколайович", "Миколаївна"),
    "Ілля": ("Ілліч", "Іллівна"),
    "Яків": ("Якович", "Яківна"),
    "Лев": ("Львович", "Львівна"),
    "Федір": ("Федорович", "Федорівна"),
    "Григорій": ("Григорович", "Григорівна"),
    "Лука": ("Лукич", "Луківна"),
    "Кузьма": ("Кузьмич", "Кузьмівна"),
    "Хома": ("Хомич", "Хомівна"),
    "Прохір": ("Прохорович", "Прохорівна"),
}
_RU_PATRONYMIC_EXCEPTIONS: Mapping[str, tuple[str, str]] = {
    "Илья": ("Ильич", "Ильинична"),
    "Лука": ("Лукич", "Лукинична"),
    "Никита": ("Никитич", "Никитична"),
    "Фома": ("Фомич", "Фоминична"),
    "Кузьма": ("Кузьмич", "Кузьминична"),
    "Лев": ("Львович", "Львовна"),
    "Павел": ("Павлович", "Павловна"),
    "Пётр": ("Петрович", "Петровна"),
    "Петр": ("Петрович", "Петровна"),
    "Яков": ("Яковлевич", "Яковлевна"),
    "Михаил": ("Михайлович", "Михайловна"),
    "Дмитрий": ("Дмитриевич", "Дмитриевна"),
    "Георгий": ("Георгиевич", "Георгиевна"),
    "Василий": ("Васильевич", "Васильевна"),
}

_RUSSIAN_WORD = re.compile(r"[а-яё]+(-[а-яё]+)?")
_UK_VOWELS = frozenset("аеєиіїоуюя")
_HUSHING = frozenset("жчшщц")
_TO_RU_LETTERS = str.maketrans(
    {
        "і": "и",
        "І": "И",
        "ї": "йи",
        "Ї": "Йи",
        "є": "е",
        "Є": "Е",
        "ґ": "г",
        "Ґ": "Г",
        "'": "ь",
        UK_APOSTROPHE: "ь",
        "’": "ь",
    }
)

UK_TABLES = (
    "UkrainianKMU",
    "UkrainianPassport2007",
    "UkrainianPassport2004Alt",
    "UkrainianNational1996",
)
"""Ukrainian romanisations found in passports and lists (KMU 2010 is the current one)."""
RU_SCHEMES = ("icao_doc_9303", "gost_52535", "mvd_310", "mvd_782")
"""Russian romanisations of passports since 1997 (ICAO since 2013)."""


def fold_yo(text: str) -> str:
    return text.replace("ё", "е").replace("Ё", "Е")


def key_of(name: str) -> str:
    """The dictionaries' key: NFC, lower case, one apostrophe."""
    text = unicodedata.normalize("NFC", name).lower()
    return text.replace(UK_APOSTROPHE, "'").replace("’", "'").replace("`", "'")


def _titled(key: str) -> str:
    parts = "-".join(p[:1].upper() + p[1:] for p in key.split("-"))
    return parts.replace("'", UK_APOSTROPHE)


# ---------------------------------------------------------------- dictionaries, loaded once


@lru_cache(maxsize=1)
def name_dicts() -> NameDicts:
    """The DAWG dictionaries: about 2.4 s to load every pool, so once per process."""
    return NameDicts()


def _pool(pool: str) -> dict[str, list[str]]:
    result: dict[str, list[str]] = name_dicts().as_dict(pool)
    return result


_UK_WORD = re.compile(r"[абвгґдеєжзиіїйклмнопрстуфхцчшщьюя']{2,}")
_NOT_UKRAINIAN = (
    r"^[иь']|ьй|[^аеєиіїоуюя'ь]ї|[аеєиіїоуюя]і|[аеєиіїоуюяь']ь|[аеєиіїоуюя]'"
    r"|(рь|ский|цкий|ской|ая|яя)$"
)
_NOT_UKRAINIAN_LENIENT = re.compile(_NOT_UKRAINIAN)
_NOT_UKRAINIAN_STRICT = re.compile(_NOT_UKRAINIAN + r"|[^аеєиіїоуюя'ь]є")


def _ukrainian_spelling(key: str, *, strict: bool) -> bool:
    """Whether a dictionary key follows Ukrainian orthography.

    The dictionaries hold many half-Russian keys (андрєй, моісеєв, пісковская); `strict`
    also refuses є after a consonant, which is right for native names but not for the
    Ukrainian spelling of Russian surnames (Медведєв).
    """
    if not _UK_WORD.fullmatch(key):
        return False
    bad = _NOT_UKRAINIAN_STRICT if strict else _NOT_UKRAINIAN_LENIENT
    return bad.search(key) is None


def _russian_spelling(name: str) -> bool:
    return _RUSSIAN_WORD.fullmatch(name.lower()) is not None


@lru_cache(maxsize=1)
def known_ukrainian() -> frozenset[str]:
    """Given names and patronymics a Ukrainian clerk would recognise as standard."""
    names = set(UK_MALE) | set(UK_FEMALE) | set(UK_FATHERS)
    for attr in (
        "first_names_male",
        "first_names_female",
        "middle_names_male",
        "middle_names_female",
    ):
        names.update(getattr(UkrainianFaker, attr))
    for father in UK_FATHERS:
        names.update(uk_patronymic(father, sex) for sex in (Sex.MALE, Sex.FEMALE))
    return frozenset(key_of(n.strip()) for n in names)


@lru_cache(maxsize=1)
def known_russian() -> frozenset[str]:
    """Given names and patronymics in their standard Russian form (Кирилл, not Кирило)."""
    names = set(RU_MALE) | set(RU_FEMALE) | set(RU_FATHERS)
    for attr in (
        "first_names_male",
        "first_names_female",
        "middle_names_male",
        "middle_names_female",
    ):
        names.update(getattr(RussianFaker, attr))
    for father in RU_FATHERS:
        names.update(ru_patronymic(father, sex) for sex in (Sex.MALE, Sex.FEMALE))
    return frozenset(key_of(fold_yo(n)) for n in names)


@lru_cache(maxsize=3)
def _russian_to_ukrainian(pool: str) -> Mapping[str, tuple[str, ...]]:
    """names-translator only goes uk→ru: invert it, keeping keys spelt the Ukrainian way."""
    inverse: defaultdict[str, list[str]] = defaultdict(list)
    entries = _pool(pool)
    for key in sorted(entries):
        if not _ukrainian_spelling(key, strict=False):
            continue
        for ru in entries[key]:
            target = inverse[ru.lower().replace("ё", "е")]
            if key not in target:
                target.append(key)
    return {ru: tuple(keys) for ru, keys in inverse.items()}


# Women's forms (Ковальова, Вишневська) and the Russian adjectival -ой, which Ukrainian
# surnames do not have: a man's base form must end otherwise.
_NOT_A_MANS_UKRAINIAN_SURNAME = (
    "ова", "ева", "єва", "іна", "ина", "їна", "ська", "цька", "зька", "ая", "яя", "их", "ых", "ой",
)  # fmt: skip


@lru_cache(maxsize=1)
def ukrainian_surnames() -> tuple[str, ...]:
    """Men's surnames from the 118,000-key dictionary that are spelt as Ukrainians spell them."""
    pool = _pool(LAST)
    result = []
    for key in sorted(pool):
        if key.endswith(_NOT_A_MANS_UKRAINIAN_SURNAME) or not _ukrainian_spelling(key, strict=True):
            continue
        russian = fold_yo(pool[key][0])
        if _russian_spelling(russian):
            result.append(_titled(key))
    return tuple(result)


_RUSSIAN_ENDINGS = ("ов", "ев", "ин", "ын", "ский", "цкий", "ых", "их", "ой")


@lru_cache(maxsize=1)
def russian_surnames() -> tuple[str, ...]:
    """Russian-type men's surnames among the dictionary's Russian forms."""
    found: set[str] = set()
    for ru in _russian_to_ukrainian(LAST):
        if ru.endswith(_RUSSIAN_ENDINGS) and _russian_spelling(ru) and len(ru) > 3:
            found.add(_titled(ru))
    return tuple(sorted(found))


@lru_cache(maxsize=1)
def male_given_tail(language: str) -> tuple[str, ...]:
    """Rarer men's names from the dictionary: those whose patronymic it also knows."""
    patronymics = _pool(PATRONYMIC)
    result = []
    for key in sorted(_pool(FIRST)):
        if key.endswith(("а", "я")) or len(key) < 4:
            continue  # women's names; men's names ending so (Микита, Ілля) are in the tables
        if language == UK:
            if not _ukrainian_spelling(key, strict=True):
                continue
            name = _titled(key)
            if (
                key_of(uk_patronymic(name, Sex.MALE)) in patronymics
                and key_of(uk_patronymic(name, Sex.FEMALE)) in patronymics
            ):
                result.append(name)
        else:
            russian = fold_yo(_pool(FIRST)[key][0])
            if not _russian_spelling(russian) or key_of(russian) not in _russian_patronymic_keys():
                continue
            result.append(russian)
    return tuple(sorted(set(result)))


@lru_cache(maxsize=1)
def _russian_patronymic_keys() -> frozenset[str]:
    """Given names whose Russian patronymic the dictionary holds, as lower-case names."""
    known = {key_of(fold_yo(ru)) for values in _pool(PATRONYMIC).values() for ru in values}
    names = set()
    for values in _pool(FIRST).values():
        for ru in values:
            name = fold_yo(ru)
            if key_of(ru_patronymic(name, Sex.MALE)) in known:
                names.add(key_of(name))
    return frozenset(names)


# ---------------------------------------------------------------- grammar


def uk_patronymic(father: str, sex: Sex) -> str:
    """Іван → Іванович / Іванівна; Сергій → Сергійович / Сергіївна; Микола → Миколайович."""
    if father in _UK_PATRONYMIC_EXCEPTIONS:
        male, female = _UK_PATRONYMIC_EXCEPTIONS[father]
    elif father.endswith("й"):  # Сергій, Миколай
        male, female = father + "ович", father[:-1] + "ївна"
    elif father.endswith("ь"):
        male, female = father + "ович", father[:-1] + "івна"
    elif father.endswith(("о", "а", "я")):
        male, female = father[:-1] + "ович", father[:-1] + "івна"
    else:
        male, female = father + "ович", father + "івна"
    return female if sex is Sex.FEMALE else male


def ru_patronymic(father: str, sex: Sex) -> str:
    """Иван → Иванович / Ивановна; Юрий → Юрьевич; Сергей → Сергеевич; Илья → Ильич."""
    if father in _RU_PATRONYMIC_EXCEPTIONS:
        male, female = _RU_PATRONYMIC_EXCEPTIONS[father]
    elif father.endswith("ий"):
        male, female = father[:-2] + "ьевич", father[:-2] + "ьевна"
    elif father.endswith(("ей", "ай", "ь")):
        male, female = father[:-1] + "евич", father[:-1] + "евна"
    elif father.endswith(("а", "я")):
        male, female = father[:-1] + "ович", father[:-1] + "овна"
    elif father[-1:] in _HUSHING:
        male, female = father + "евич", father + "евна"
    else:
        male, female = father + "ович", father + "овна"
    return female if sex is Sex.FEMALE else male


def patronymic(father: str, sex: Sex, language: str) -> str:
    return ru_patronymic(father, sex) if language == RU else uk_patronymic(father, sex)


def feminine(surname: str, language: str) -> str:
    """A woman's form of a man's surname: Ковальов → Ковальова, Иванов → Иванова,
    -ський → -ська, -ский → -ская; Шевченко, Мельник, Ковалів stay as they are."""
    low = surname.lower()
    if language == UK:
        if low.endswith(("ов", "ев", "єв", "ин", "ін", "їн")):
            return surname + "а"
        if low.endswith(("ий", "ой")):  # Білий → Біла; Толстой → Толста
            return surname[:-2] + "а"
        return surname
    if low.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    if low.endswith(("ий", "ый", "ой")):
        return surname[:-2] + "ая"
    return surname


# ---------------------------------------------------------------- one language into the other


def to_russian(name: str, category: str) -> str:
    """How a Russian clerk writes a Ukrainian name: the dictionary's Russian form."""
    if not name:
        return name
    found = _pool(category).get(key_of(name)) or name_dicts().lookup(name, category)
    candidates = [fold_yo(c) for c in found]
    valid = [c for c in candidates if _russian_spelling(c)]
    known = [c for c in valid if key_of(c) in known_russian()]
    if category != LAST and known:
        return known[0]
    if valid:
        return valid[0]
    return name.translate(_TO_RU_LETTERS)


def _same_ending(russian: str, ukrainian: str) -> bool:
    """Keep the declension class: Ковалев may become Ковальов, never Ковалів."""
    rules = (
        (("ов", "ев"), ("ов", "ев", "єв")),
        (("ин", "ын"), ("ин", "ін", "їн")),
        (("ский", "цкий"), ("ський", "цький")),
        (("ий", "ый"), ("ий", "ій")),
    )
    for ru_end, uk_end in rules:
        if russian.endswith(ru_end):
            return ukrainian.endswith(uk_end)
    return True


def to_ukrainian(name: str, category: str, rng: random.Random) -> str:
    """How a Ukrainian clerk writes a Russian name, from the inverted dictionary.

    Given names and patronymics take the standard Ukrainian form (Александр → Олександр,
    Николаевич → Миколайович); surnames take one of the spellings in use (Ковальов, Ковалев),
    as different clerks do.
    """
    if not name:
        return name
    key = key_of(fold_yo(name))
    candidates = _russian_to_ukrainian(category).get(key, ())
    if category == LAST:
        fitting = [c for c in candidates if _same_ending(key, c)]
        if fitting:
            return _titled(rng.choice(fitting))
        return _russian_letters_to_ukrainian(name)
    preferred = _preference(category)
    known = [c for c in candidates if c in preferred]
    if known:
        return _titled(min(known, key=lambda c: preferred[c]))
    if (
        key in candidates
        and _ukrainian_spelling(key, strict=True)
        and not key.endswith(_CHANGED_ENDINGS)
    ):
        return _titled(key)  # the same in both languages (Тимур, Вадим)
    native = [c for c in candidates if _ukrainian_spelling(c, strict=True)]
    if native:
        return _titled(native[0])
    return _russian_letters_to_ukrainian(name)


@lru_cache(maxsize=3)
def _preference(category: str) -> Mapping[str, int]:
    """Rank of the standard Ukrainian forms: our own tables first, then Faker's pools."""
    ordered: list[str] = []
    if category == FIRST:
        ordered += [*UK_MALE, *UK_FEMALE, *UK_FATHERS]
    else:
        for father in UK_FATHERS:
            ordered += [uk_patronymic(father, Sex.MALE), uk_patronymic(father, Sex.FEMALE)]
    rank: dict[str, int] = {}
    for i, name in enumerate(ordered):
        rank.setdefault(key_of(name.strip()), i)
    for name in sorted(known_ukrainian()):
        rank.setdefault(name, len(rank) + 1000)
    return rank


_CHANGED_ENDINGS = ("ей", "ий", "ия", "ья", "ьич")
"""Russian endings Ukrainian always changes (Матвей → Матвій, Мария → Марія)."""


def _russian_letters_to_ukrainian(name: str) -> str:
    """Letter-by-letter fallback when the dictionary has no entry."""
    out: list[str] = []
    for i, ch in enumerate(name):
        low = ch.lower()
        prev = name[i - 1].lower() if i else ""
        if low == "ы":
            rep = "и"
        elif low == "э":
            rep = "е"
        elif low == "ъ":
            rep = UK_APOSTROPHE
        elif low == "ё":
            rep = "о" if prev in _HUSHING else ("ьо" if prev and prev not in _UK_VOWELS else "йо")
        elif low == "и":
            rep = "и" if prev in _HUSHING else "і"
        elif low == "е" and (not prev or prev in _UK_VOWELS):
            rep = "є"
        else:
            rep = low
        out.append(rep.capitalize() if ch.isupper() else rep)
    return "".join(out)


# ---------------------------------------------------------------- Latin renderings


def romanise(name: PersonName, rng: random.Random, *, keep_patronymic: bool) -> PersonName:
    """The name as it appears in a Latin-script list: Ukrainian tables for Ukrainian text,
    Russian schemes for Russian text (applied across, they leave Cyrillic letters behind)."""
    if name.language == UK:
        table_name = rng.choice(UK_TABLES)
        table = getattr(translitua, table_name)

        def convert(text: str) -> str:
            return str(translitua.translit(text, table))

        scheme = f"translitua:{table_name}"
    else:
        schema_name = rng.choice(RU_SCHEMES)
        schema = iuliia.schemas.get(schema_name)

        def convert(text: str) -> str:
            return str(schema.translate(fold_yo(text)))

        scheme = f"iuliia:{schema_name}"
    return PersonName(
        surname=convert(name.surname),
        given=convert(name.given),
        patronymic=convert(name.patronymic) if keep_patronymic else "",
        script=Script.LATIN,
        language=name.language,
        scheme=scheme,
    )


def weighted(rng: random.Random, table: Mapping[str, int]) -> str:
    """A draw by frequency; sorted first, so it depends on the seed, not on the table's order."""
    names = sorted(table)
    return rng.choices(names, weights=[table[n] for n in names])[0]
