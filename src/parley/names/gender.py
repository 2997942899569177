"""The sex a name implies, when it implies one.

The patronymic says it best (-ович / -івна, -ovych / -ivna, -ovich / -ovna); then the
surname, but only its gendered endings (-ов / -ова, -ський / -ська, -ий / -ая): Ukrainian
-енко, -ук, -ів and -ин surnames say nothing (a woman can be Гаврилишин). Given names come
last, from Faker's male and female pools (a name in both says nothing). Anything else is
UNKNOWN: a wrong guess would block the right person out of a search filtered by sex.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache

from faker.providers.person.ru_RU import Provider as RussianNames
from faker.providers.person.uk_UA import Provider as UkrainianNames

from parley.domain.registry.persons import Sex
from parley.names.dictionaries import lookup_key, ukrainian_to_russian
from parley.names.keys import folded
from parley.names.latin import romanise
from parley.names.parsing import ParsedName
from parley.names.roles import NamePart
from parley.names.scripts import clean_part, is_cyrillic, split_words
from parley.names.skeletons import clean_latin

_MALE_PATRONYMIC = re.compile(r"(?:vich|ich)$")
_FEMALE_PATRONYMIC = re.compile(r"(?:vna|chna)$")

_FEMALE_SURNAME = re.compile(
    r"(?:\w{3}(?:[oe]va|owa|ewa)|[iy]ova|ieva|yeva|jeva|jova|ska|zka|skaya|skaia|skaja|aya|aia|aja)$"
)
"""-ova/-eva need a three-letter stem: Sova and Reva are men's surnames as they stand."""
_MALE_SURNAME = re.compile(
    r"(?:[oe]v|[iy]ov|iev|yev|jov|jev|ow|ew|sk(?:yi|yy|iy|ii|ij|yj|y|i|oi|oy|oj)|"
    r"[^aeiou](?:yi|yy|iy|yj|ij|oi|oy|oj))$"
)


@lru_cache(maxsize=1 << 16)
def _surname_sex(surname: str) -> Sex:
    sexes: set[Sex] = set()
    for word in split_words(clean_part(surname)):
        cyrillic = is_cyrillic(word)
        latin = romanise(lookup_key(word)).lower() if cyrillic else clean_latin(word)
        if latin.endswith(("ina", "yna")):
            # Kuzmina is a woman, Kalyna may be a man: trust -ina only when the -in form exists.
            known = cyrillic and lookup_key(word)[:-1] in ukrainian_to_russian(NamePart.SURNAME)
            sexes.add(Sex.FEMALE if known else Sex.UNKNOWN)
        elif _FEMALE_SURNAME.search(latin):
            sexes.add(Sex.FEMALE)
        elif _MALE_SURNAME.search(latin):
            sexes.add(Sex.MALE)
    return sexes.pop() if len(sexes) == 1 else Sex.UNKNOWN


@cache
def _given_sexes() -> Mapping[str, Sex]:
    def pool(names: Iterable[str]) -> set[str]:
        return {folded(name, NamePart.GIVEN) for name in names}

    male = pool(UkrainianNames.first_names_male) | pool(RussianNames.first_names_male)
    female = pool(UkrainianNames.first_names_female) | pool(RussianNames.first_names_female)
    return {
        **dict.fromkeys(male - female, Sex.MALE),
        **dict.fromkeys(female - male, Sex.FEMALE),
    }


def infer_sex(parsed: ParsedName) -> Sex:
    """MALE or FEMALE from the patronymic, else the surname, else the given name; else UNKNOWN."""
    if parsed.patronymic:
        patronymic = folded(parsed.patronymic, NamePart.PATRONYMIC)
        if _FEMALE_PATRONYMIC.search(patronymic):
            return Sex.FEMALE
        if _MALE_PATRONYMIC.search(patronymic):
            return Sex.MALE
    if parsed.surname:
        by_surname = _surname_sex(parsed.surname)
        if by_surname is not Sex.UNKNOWN:
            return by_surname
    if parsed.given:
        return _given_sexes().get(folded(parsed.given, NamePart.GIVEN), Sex.UNKNOWN)
    return Sex.UNKNOWN
