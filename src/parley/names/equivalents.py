"""The Ukrainian and Russian Cyrillic forms of one name (Олександр / Александр).

The two parties write the same man in their own language, and the forms differ in more than
letters (Дмитро / Дмитрий, Микола / Николай, Ганна / Анна), so no letter rule can find one
from the other: the names-translator dictionaries do, Ukrainian → Russian as shipped and
Russian → Ukrainian through their filtered inversion.
"""

from __future__ import annotations

from functools import lru_cache

from parley.names.dictionaries import (
    is_ukrainian_spelling,
    lookup_key,
    russian_to_ukrainian,
    ukrainian_to_russian,
)
from parley.names.roles import NamePart
from parley.names.scripts import (
    RUSSIAN,
    UK_APOSTROPHE,
    UKRAINIAN,
    clean_part,
    is_cyrillic,
    letters_language,
)


def language_of(key: str, role: NamePart) -> str | None:
    """ "uk", "ru" or None (both, or unknown) for one Cyrillic word in dictionary key form."""
    by_letters = letters_language(key.replace("'", UK_APOSTROPHE))
    if by_letters is not None:
        return by_letters
    russian = ukrainian_to_russian(role).get(key)
    if russian and russian[0] != key:
        return UKRAINIAN
    if not is_ukrainian_spelling(key):
        return RUSSIAN
    if any(ukrainian != key for ukrainian in russian_to_ukrainian(role).get(key, ())):
        return RUSSIAN
    return None


@lru_cache(maxsize=65536)
def cyrillic_forms(key: str, role: NamePart) -> tuple[str, ...]:
    """The key itself, then its Russian forms, then its Ukrainian forms (dictionary key form)."""
    forms = [key]
    for russian in ukrainian_to_russian(role).get(key, ()):
        if russian not in forms:
            forms.append(russian)
    for ukrainian in russian_to_ukrainian(role).get(key, ()):
        if ukrainian not in forms:
            forms.append(ukrainian)
    return tuple(forms)


def russian_form(key: str, role: NamePart) -> str:
    """The Russian form most documents would show: the key itself unless it is Ukrainian."""
    if language_of(key, role) != UKRAINIAN:
        return key
    russian = ukrainian_to_russian(role).get(key)
    return russian[0] if russian else key


def display_form(key: str) -> str:
    """A dictionary key as a name is written: capitalised, with the Ukrainian apostrophe."""
    return "-".join(piece.capitalize() for piece in key.split("-")).replace("'", UK_APOSTROPHE)


def equivalents(part: str, role: NamePart) -> frozenset[str]:
    """Cyrillic forms of the same name in Ukrainian and Russian, the input included.

    A Latin part has no dictionary forms and comes back alone.
    """
    text = clean_part(part)
    if not text or not is_cyrillic(text):
        return frozenset({text}) if text else frozenset()
    key = lookup_key(text)
    forms = {text}
    forms.update(display_form(form) for form in cyrillic_forms(key, role)[1:] if form != key)
    return frozenset(forms)
