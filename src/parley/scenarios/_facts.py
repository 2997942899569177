"""The facts a synthetic record is made of, in the words each party uses for them.

Places, ranks, wounds and documents are written differently by the two parties (Мар'їнка /
Марьинка, головний сержант / главный сержант, ампутація / ампутация); keeping both forms
side by side lets each registry be written in its own language.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from parley.domain.registry.persons import IdentifierKind, Sex, normalise_identifier

UK = "uk"
RU = "ru"
WAR_START = date(2022, 2, 24)


@dataclass(frozen=True)
class Place:
    """A place people went missing or were captured, and when fighting went on there."""

    uk: str
    ru: str
    kind: str  # "city", "smt" (urban settlement) or "village"
    oblast_uk: str
    oblast_ru: str
    start: date
    end: date | None  # None: still contested
    weight_ua: float  # how many Ukrainians were lost there, relatively
    weight_ru: float
    civilians: str = ""  # "UA" or "RU": civilians of that side were detained there
    ru_official: str = ""  # the name Russian documents use (Артемовск for Бахмут)

    def written(self, language: str, rng: random.Random) -> str:
        if language == UK:
            prefix = {"city": "м.", "smt": "смт", "village": "с."}[self.kind]
            return f"{prefix} {self.uk}, {self.oblast_uk} обл."
        prefix = {"city": "г.", "smt": "пгт", "village": "с."}[self.kind]
        name = self.ru_official if self.ru_official and rng.random() < 0.4 else self.ru
        region = f"{self.oblast_ru} обл."
        if self.oblast_ru in ("Донецкая", "Луганская") and rng.random() < 0.4:
            region = "ДНР" if self.oblast_ru == "Донецкая" else "ЛНР"
        return f"{prefix} {name}, {region}"


def _d(text: str) -> date:
    return date.fromisoformat(text)


_DON = ("Донецька", "Донецкая")
_LUH = ("Луганська", "Луганская")
_KHA = ("Харківська", "Харьковская")
_ZAP = ("Запорізька", "Запорожская")
_KHE = ("Херсонська", "Херсонская")
_KYI = ("Київська", "Киевская")
_KUR = ("Курська", "Курская")
_CHE = ("Чернігівська", "Черниговская")
_SUM = ("Сумська", "Сумская")
_MYK = ("Миколаївська", "Николаевская")


def _p(
    uk: str,
    ru: str,
    kind: str,
    oblast: tuple[str, str],
    start: str,
    end: str | None,
    ua: float,
    rus: float,
    civilians: str = "",
    official: str = "",
) -> Place:
    return Place(
        uk,
        ru,
        kind,
        oblast[0],
        oblast[1],
        _d(start),
        _d(end) if end else None,
        ua,
        rus,
        civilians,
        official,
    )


PLACES: tuple[Place, ...] = (
    _p("Маріуполь", "Мариуполь", "city", _DON, "2022-02-24", "2022-05-20", 12, 1, "UA"),
    _p("Бахмут", "Бахмут", "city", _DON, "2022-08-01", "2023-06-01", 4, 4, "", "Артемовск"),
    _p("Соледар", "Соледар", "city", _DON, "2022-08-01", "2023-01-31", 2, 1),
    _p("Авдіївка", "Авдеевка", "city", _DON, "2022-02-24", "2024-02-29", 3, 2),
    _p("Марʼїнка", "Марьинка", "city", _DON, "2022-02-24", "2024-01-15", 1, 1),
    _p("Вугледар", "Угледар", "city", _DON, "2022-10-01", "2024-10-15", 1, 2),
    _p("Часів Яр", "Часов Яр", "city", _DON, "2024-03-01", None, 1, 2),
    _p("Торецьк", "Торецк", "city", _DON, "2024-06-01", None, 1, 1, "", "Дзержинск"),
    _p("Покровськ", "Покровск", "city", _DON, "2024-08-01", None, 3, 2, "", "Красноармейск"),
    _p("Курахове", "Курахово", "city", _DON, "2024-09-01", "2025-01-31", 1, 1),
    _p("Лиман", "Лиман", "city", _DON, "2022-05-01", None, 2, 2),
    _p("Волноваха", "Волноваха", "city", _DON, "2022-02-24", "2022-03-15", 1, 0.5),
    _p("Костянтинівка", "Константиновка", "city", _DON, "2024-10-01", None, 1, 1),
    _p("Велика Новосілка", "Великая Новоселка", "smt", _DON, "2023-01-01", "2025-01-31", 1, 1),
    _p("Сєвєродонецьк", "Северодонецк", "city", _LUH, "2022-03-01", "2022-06-25", 3, 1),
    _p("Лисичанськ", "Лисичанск", "city", _LUH, "2022-05-01", "2022-07-03", 2, 0.5),
    _p("Рубіжне", "Рубежное", "city", _LUH, "2022-03-01", "2022-05-15", 1, 1),
    _p("Попасна", "Попасная", "city", _LUH, "2022-03-01", "2022-05-10", 2, 1),
    _p("Кремінна", "Кременная", "city", _LUH, "2022-10-01", None, 1, 2),
    _p("Сватове", "Сватово", "city", _LUH, "2022-10-01", None, 1, 1),
    _p("Ізюм", "Изюм", "city", _KHA, "2022-03-01", "2022-09-15", 2, 3, "UA"),
    _p("Балаклія", "Балаклея", "city", _KHA, "2022-03-01", "2022-09-10", 1, 3),
    _p("Купʼянськ", "Купянск", "city", _KHA, "2022-09-01", None, 1, 2, "UA"),
    _p("Вовчанськ", "Волчанск", "city", _KHA, "2024-05-10", None, 1, 2),
    _p("Липці", "Липцы", "village", _KHA, "2024-05-10", None, 1, 1),
    _p("Оріхів", "Орехов", "city", _ZAP, "2022-03-01", None, 1, 2),
    _p("Роботине", "Работино", "village", _ZAP, "2023-06-04", "2024-06-30", 1, 2),
    _p("Гуляйполе", "Гуляйполе", "city", _ZAP, "2022-03-01", None, 1, 1),
    _p("Вербове", "Вербовое", "village", _ZAP, "2023-08-01", "2024-03-01", 0.5, 1),
    _p("Енергодар", "Энергодар", "city", _ZAP, "2022-03-04", None, 0.5, 0.2, "UA"),
    _p("Мелітополь", "Мелитополь", "city", _ZAP, "2022-02-25", None, 0.5, 0.2, "UA"),
    _p("Херсон", "Херсон", "city", _KHE, "2022-03-01", None, 1, 2, "UA"),
    _p("Кринки", "Крынки", "village", _KHE, "2023-10-01", "2024-07-31", 1, 1),
    _p("Нова Каховка", "Новая Каховка", "city", _KHE, "2022-02-24", "2022-11-11", 1, 0.5, "UA"),
    _p("Давидів Брід", "Давыдов Брод", "village", _KHE, "2022-05-01", "2022-11-11", 0.5, 1),
    _p("Гостомель", "Гостомель", "smt", _KYI, "2022-02-24", "2022-03-31", 0.5, 2, "UA"),
    _p("Буча", "Буча", "city", _KYI, "2022-02-27", "2022-03-31", 0.3, 1, "UA"),
    _p("Ірпінь", "Ирпень", "city", _KYI, "2022-02-27", "2022-03-28", 0.3, 1),
    _p("Бородянка", "Бородянка", "smt", _KYI, "2022-02-27", "2022-04-01", 0.3, 1, "UA"),
    _p("Чернігів", "Чернигов", "city", _CHE, "2022-02-24", "2022-04-01", 0.5, 2),
    _p("Тростянець", "Тростянец", "city", _SUM, "2022-02-24", "2022-03-26", 0.3, 1),
    _p("Миколаїв", "Николаев", "city", _MYK, "2022-03-01", "2022-11-11", 0.5, 1),
    _p("Суджа", "Суджа", "city", _KUR, "2024-08-06", "2025-03-20", 1.5, 4, "RU"),
    _p("Коренево", "Коренево", "smt", _KUR, "2024-08-06", "2025-03-20", 0.5, 2, "RU"),
    _p("Плехово", "Плехово", "village", _KUR, "2024-08-06", "2025-03-20", 0.5, 1, "RU"),
)


@dataclass(frozen=True)
class Rank:
    uk: str
    ru: str
    weight: float
    min_age: int

    def written(self, language: str) -> str:
        return self.uk if language == UK else self.ru


RANKS: dict[str, tuple[Rank, ...]] = {
    "UA": (
        Rank("солдат", "солдат", 40, 18),
        Rank("старший солдат", "старший солдат", 18, 18),
        Rank("матрос", "матрос", 3, 18),
        Rank("молодший сержант", "младший сержант", 8, 19),
        Rank("сержант", "сержант", 8, 19),
        Rank("старший сержант", "старший сержант", 7, 20),
        Rank("головний сержант", "главный сержант", 3, 22),
        Rank("штаб-сержант", "штаб-сержант", 2, 24),
        Rank("молодший лейтенант", "младший лейтенант", 2, 21),
        Rank("лейтенант", "лейтенант", 3, 21),
        Rank("старший лейтенант", "старший лейтенант", 3, 23),
        Rank("капітан", "капитан", 2, 25),
        Rank("майор", "майор", 1, 28),
        Rank("підполковник", "подполковник", 0.4, 32),
        Rank("полковник", "полковник", 0.15, 36),
    ),
    "RU": (
        Rank("рядовий", "рядовой", 45, 18),
        Rank("єфрейтор", "ефрейтор", 15, 18),
        Rank("матрос", "матрос", 2, 18),
        Rank("молодший сержант", "младший сержант", 7, 19),
        Rank("сержант", "сержант", 7, 19),
        Rank("старший сержант", "старший сержант", 5, 20),
        Rank("старшина", "старшина", 2, 22),
        Rank("прапорщик", "прапорщик", 3, 21),
        Rank("старший прапорщик", "старший прапорщик", 1, 25),
        Rank("молодший лейтенант", "младший лейтенант", 1.5, 21),
        Rank("лейтенант", "лейтенант", 3, 21),
        Rank("старший лейтенант", "старший лейтенант", 3, 23),
        Rank("капітан", "капитан", 2, 25),
        Rank("майор", "майор", 1, 28),
        Rank("підполковник", "подполковник", 0.4, 32),
        Rank("полковник", "полковник", 0.15, 36),
    ),
}


@dataclass(frozen=True)
class Condition:
    """A wound or illness; chronic ones are known to the family before any capture."""

    uk: str
    ru: str
    weight: float
    chronic: bool = False

    def written(self, language: str) -> str:
        return self.uk if language == UK else self.ru


CONDITIONS: tuple[Condition, ...] = (
    Condition("осколкове поранення", "осколочное ранение", 10),
    Condition("кульове поранення стегна", "пулевое ранение бедра", 4),
    Condition("ампутація лівої ноги", "ампутация левой ноги", 2),
    Condition("ампутація правої руки", "ампутация правой руки", 1),
    Condition("контузія", "контузия", 5),
    Condition("черепно-мозкова травма", "черепно-мозговая травма", 3),
    Condition("опіки обличчя та рук", "ожоги лица и рук", 2),
    Condition("перелом хребта", "перелом позвоночника", 1),
    Condition("втрата зору на одне око", "потеря зрения на один глаз", 1),
    Condition("туберкульоз", "туберкулез", 2),
    Condition("пневмонія", "пневмония", 2),
    Condition("цукровий діабет", "сахарный диабет", 1.5, chronic=True),
    Condition("гіпертонія", "гипертония", 1.5, chronic=True),
    Condition("гепатит C", "гепатит C", 1, chronic=True),
    Condition("ВІЛ-інфекція", "ВИЧ-инфекция", 0.7, chronic=True),
    Condition("бронхіальна астма", "бронхиальная астма", 0.8, chronic=True),
)

RELATIONSHIPS: dict[str, dict[str, str]] = {
    UK: {
        "mother": "мати",
        "father": "батько",
        "wife": "дружина",
        "husband": "чоловік",
        "sister": "сестра",
        "brother": "брат",
        "son": "син",
        "daughter": "донька",
    },
    RU: {
        "mother": "мать",
        "father": "отец",
        "wife": "жена",
        "husband": "муж",
        "sister": "сестра",
        "brother": "брат",
        "son": "сын",
        "daughter": "дочь",
    },
}

HOLDER_NOTES: dict[str, tuple[str, ...]] = {
    RU: (
        "Переведен в СИЗО-{n}",
        "Содержится в ИК-{n}",
        "Нуждается в медицинской помощи",
        "Просит сообщить родственникам",
        "Отказался от дачи показаний",
        "Этапирован, место содержания уточняется",
    ),
    UK: (
        "Переведений до табору для військовополонених №{n}",
        "Утримується в установі №{n}",
        "Потребує медичної допомоги",
        "Просить повідомити рідних",
        "Написав листа рідним через МКЧХ",
        "Етапований, місце утримання уточнюється",
    ),
}
FAMILY_NOTES: dict[str, tuple[str, ...]] = {
    UK: (
        "Родина здала зразок ДНК",
        "Останній звʼязок з рідними {date}",
        "Родина впізнала на відео з полону",
    ),
    RU: (
        "Семья сдала образец ДНК",
        "Последняя связь с родными {date}",
        "Родные опознали на видео из плена",
    ),
}
DIED_IN_CAPTIVITY = {RU: "Умер в местах содержания", UK: "Помер під час утримання"}
IDENTIFIED_BY_DNA = {UK: "Ідентифіковано за ДНК", RU: "Опознан по ДНК"}
UNIT_WORDS = {UK: "військова частина", RU: "войсковая часть"}


# ---------------------------------------------------------------- documents


_UK_LETTERS = "АБВГДЕЖКМНОПРСТХ"
_RU_LETTERS = "АБВГДЕЖКМНОПРСТХ"
_RU_PASSPORT_REGIONS = (45, 46, 40, 60, 3, 52, 61, 65, 71, 80, 92, 36, 18, 53, 75, 20)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def _rnokpp(born: date, sex: Sex, rng: random.Random) -> str:
    """Ukrainian tax number: days since 31.12.1899, serial, sex parity, check digit."""
    body = f"{(born - date(1899, 12, 31)).days:05d}{_digits(rng, 3)}"
    parity = rng.choice("13579" if sex is Sex.MALE else "02468")
    digits = [int(c) for c in body + parity]
    check = sum(d * w for d, w in zip(digits, (-1, 5, 7, 9, 4, 6, 10, 5, 7), strict=True)) % 11
    return body + parity + str(check % 10)


def _inn(rng: random.Random) -> str:
    """Russian personal tax number: 10 digits and two check digits."""
    digits = [int(c) for c in f"{rng.choice(_RU_PASSPORT_REGIONS):02d}{_digits(rng, 8)}"]
    for weights in ((7, 2, 4, 10, 3, 5, 9, 4, 6, 8), (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)):
        digits.append(sum(d * w for d, w in zip(digits, weights, strict=True)) % 11 % 10)
    return "".join(map(str, digits))


def document_number(
    kind: IdentifierKind, side: str, born: date, sex: Sex, rng: random.Random
) -> str:
    """A number in the format the side's authorities issue."""
    letters = _UK_LETTERS if side == "UA" else _RU_LETTERS
    pair = rng.choice(letters) + rng.choice(letters)
    if kind is IdentifierKind.TAX_NUMBER:
        return _rnokpp(born, sex, rng) if side == "UA" else _inn(rng)
    if kind is IdentifierKind.SERVICE_NUMBER:
        return (
            f"{rng.choice(letters)}-{_digits(rng, 6)}"
            if side == "UA"
            else (f"{pair}-{_digits(rng, 6)}")
        )
    if kind is IdentifierKind.MILITARY_ID:
        return f"{pair} {_digits(rng, 6 if side == 'UA' else 7)}"
    if side == "UA":  # ID card since 2016, the booklet before
        return f"00{_digits(rng, 7)}" if rng.random() < 0.6 else f"{pair} {_digits(rng, 6)}"
    issued = min(born.year + rng.choice((14, 20, 45)), 2024) % 100
    return f"{rng.choice(_RU_PASSPORT_REGIONS):02d} {issued:02d} {_digits(rng, 6)}"


def unique_number(
    kind: IdentifierKind, side: str, born: date, sex: Sex, rng: random.Random, issued: set[str]
) -> str:
    """A document number no one else in the world holds (compared normalised)."""
    while True:
        value = document_number(kind, side, born, sex, rng)
        key = normalise_identifier(value)
        if key not in issued:
            issued.add(key)
            return value


def unit_code(side: str, rng: random.Random) -> str:
    """Military unit numbers: А1234 (Armed Forces) or 3057 (National Guard); 12345 in Russia."""
    if side == "UA":
        return f"А{rng.randrange(10000):04d}" if rng.random() < 0.85 else f"3{_digits(rng, 3)}"
    return f"{rng.randrange(10000, 100000)}"


def phone(side: str, rng: random.Random) -> str:
    """A mobile number in the national format (synthetic: drawn at random)."""
    if side == "UA":
        code = rng.choice(("50", "63", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99"))
        return f"+380 {code} {_digits(rng, 3)} {_digits(rng, 2)} {_digits(rng, 2)}"
    return f"+7 9{_digits(rng, 2)} {_digits(rng, 3)}-{_digits(rng, 2)}-{_digits(rng, 2)}"
