"""The keys of a whole name, the record a linkage model compares field by field.

Each part gets its key set (for blocking and array intersection) and its fold (for
Jaro-Winkler); the given name also gets an initial, for lists that only have initials
(Шевченко О.І.), and the name as a whole gets the sex it implies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from parley.domain.registry.persons import Script, Sex
from parley.names.gender import infer_sex
from parley.names.keys import folded, initial_key, initial_of, name_keys
from parley.names.parsing import ParsedName, parse_name
from parley.names.roles import NamePart
from parley.names.scripts import clean_part, is_cyrillic, letters_language

_INITIAL_ONLY = re.compile(r"^(?:[^\W\d_]{1,2}\.|[^\W\d_]|(?i:zh|kh|ch|sh|ts|ya|yu|ye|yi))$")
"""О., Zh., a lone letter or a Latin digraph initial; Ян, a two-letter name, is not one."""


@dataclass(frozen=True)
class NameKeys:
    surname: frozenset[str]
    given: frozenset[str]
    patronymic: frozenset[str]
    surname_folded: str
    given_folded: str
    patronymic_folded: str
    given_initial: str
    """First letter of the folded given name; vowels (and y) all read "a", because the
    Ukrainian and Russian forms of one name start with different vowels (Олександр /
    Александр, Олена / Елена, Євген / Евгений, Юхим / Ефим)."""
    sex: Sex


@lru_cache(maxsize=1 << 16)
def keys_for_name(surname: str, given: str, patronymic: str = "") -> NameKeys:
    """Keys of a name whose parts are already known; a given name of one letter is an initial."""
    surname, given, patronymic = clean_part(surname), clean_part(given), clean_part(patronymic)
    initial = ""
    if _INITIAL_ONLY.match(given):
        initial, given = initial_key(given), ""
    if _INITIAL_ONLY.match(patronymic):
        patronymic = ""
    given_folded = folded(given, NamePart.GIVEN)
    text = " ".join(p for p in (surname, given, patronymic) if p)
    script = Script.CYRILLIC if is_cyrillic(text) else Script.LATIN  # detect_script is slow
    parsed = ParsedName(surname, given, patronymic, "", "", script, letters_language(text))
    return NameKeys(
        surname=name_keys(surname),
        given=name_keys(given),
        patronymic=name_keys(patronymic),
        surname_folded=folded(surname, NamePart.SURNAME),
        given_folded=given_folded,
        patronymic_folded=folded(patronymic, NamePart.PATRONYMIC),
        given_initial=initial_of(given_folded) if given else initial,
        sex=infer_sex(parsed),
    )


def keys_for_text(full_name: str) -> NameKeys:
    """parse_name, then keys_for_name; a name with initials only gets a given_initial only."""
    parsed = parse_name(full_name)
    keys = keys_for_name(parsed.surname, parsed.given, parsed.patronymic)
    if parsed.given or not parsed.given_initial:
        return keys
    return replace(keys, given_initial=initial_key(parsed.given_initial))
