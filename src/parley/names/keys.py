"""Name keys: the small sets of skeletons that every spelling of one name shares.

A Cyrillic part is unambiguous: its keys are the skeletons of its Ukrainian and Russian
forms (from the dictionaries), each romanised once (Passport 2007 table). A Latin part is ambiguous
(which convention wrote it?), so its keys are its readings under every convention it could
belong to, widened through the lexicon of known given names and patronymics so that
Oleksandr and Aleksandr meet even when neither side is Cyrillic. Matching therefore asks
only that two key sets intersect. Keys and folds are cached per distinct (part, role): a
registry repeats the same names, and 10^6 rows hold ~10^5 distinct surnames.
"""

from __future__ import annotations

import re
from functools import lru_cache

from parley.names.dictionaries import lookup_key
from parley.names.equivalents import cyrillic_forms, russian_form
from parley.names.latin import romanise
from parley.names.lexicon import canonical_reading, form_keys, linked_readings
from parley.names.roles import NamePart
from parley.names.scripts import clean_part, is_cyrillic, split_words
from parley.names.skeletons import (
    clean_latin,
    english_reading,
    for_role,
    latin_readings,
    preferred_reading,
)

_VOWEL_INITIALS = frozenset("aeouy")
"""Initials that differ between the languages: О/А (Олександр), О/Е (Олена), Є/Е, Ю/Е."""


def _cyrillic_keys(word: str, role: NamePart) -> set[str]:
    keys: set[str] = set()
    for form in cyrillic_forms(lookup_key(word), role):
        keys.update(form_keys(form, role))
    return keys


_CZECH_FEMININE = re.compile(r"(?:ová|(?<=[oe]v)ova)$")


def czech_masculine(cleaned: str) -> tuple[str, ...]:
    """The forms a Czech feminine surname may have been made from.

    Czech adds its own ending to a woman's surname: Захарова is Zacharovová, Тимошенко is
    Tymošenková, Головчук is Holovčuková. The -ová (or a plain -ovova) is taken off and the
    surname read as the Russian or Ukrainian form it replaced: the stem, the stem + a, + o.
    """
    if not _CZECH_FEMININE.search(cleaned):
        return ()
    stem = cleaned[:-3]
    return (stem, stem + "a", stem + "o")


def _latin_keys(word: str, role: NamePart) -> set[str]:
    cleaned = clean_latin(word)
    keys: set[str] = set()
    for form in (cleaned, *czech_masculine(cleaned)):
        for reading in latin_readings(form):
            key = for_role(reading, role)
            if key:
                keys.add(key)
    for key in list(keys):
        keys.update(linked_readings(key, role))
    return keys


@lru_cache(maxsize=1 << 18)
def word_keys(word: str) -> frozenset[str]:
    """The keys of one word, whichever part of a name it is.

    A list may give two words in either order, a surname may end like a patronymic
    (Петрович, Shevkovych), a given name may be a surname (Роман): guessing the role first
    would give the same word different keys on the two sides. So a word's keys are its keys
    as a surname, a given name and a patronymic together.
    """
    keys: set[str] = set()
    for role in NamePart:
        keys |= _cyrillic_keys(word, role) if is_cyrillic(word) else _latin_keys(word, role)
    return frozenset(keys)


@lru_cache(maxsize=1 << 18)
def name_keys(part: str) -> frozenset[str]:
    """Canonical keys (lowercase ASCII) that every spelling of the same name shares, in any
    role: the keys of a word do not depend on which part of the name it was taken for.

    Compound parts (Петренко-Коваль, Анна Марія) get the keys of each of their names.
    """
    keys: set[str] = set()
    for word in split_words(clean_part(part)):
        keys |= word_keys(word)
    return frozenset(keys)


def _folded_word(word: str, role: NamePart) -> str:
    if is_cyrillic(word):
        keys = form_keys(russian_form(lookup_key(word), role), role)
        return keys[0] if keys else ""
    cleaned = clean_latin(word)
    preferred = for_role(preferred_reading(cleaned), role)
    for reading in (preferred, *(for_role(r, role) for r in latin_readings(cleaned))):
        canonical = canonical_reading(reading, role)
        if canonical is not None:
            return canonical
    return preferred


@lru_cache(maxsize=1 << 18)
def folded(part: str, role: NamePart) -> str:
    """One canonical Latin form for Jaro-Winkler: the skeleton of the Russian form.

    Russian because lists from the other side are written in it: a Ukrainian registry entry
    then folds exactly like the list's Cyrillic or romanised Russian spelling of it.
    """
    text = clean_part(part)
    return " ".join(filter(None, (_folded_word(word, role) for word in split_words(text))))


def initial_of(folded_given: str) -> str:
    """First letter of a folded given name, vowels as "a" (they differ between languages)."""
    if not folded_given:
        return ""
    first = folded_given[0]
    return "a" if first in _VOWEL_INITIALS else first


def initial_key(initial: str) -> str:
    """The initial of a name known only by its initial (О., O., Ю.)."""
    text = clean_part(initial).strip(".")
    if not text:
        return ""
    if is_cyrillic(text):
        return initial_of(english_reading(romanise(lookup_key(text))))
    return initial_of(english_reading(clean_latin(text)))
