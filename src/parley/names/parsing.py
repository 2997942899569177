"""Splitting a full name into surname, given name and patronymic, whatever the order.

Lists write `Шевченко Олександр Іванович`, `Олександр Іванович Шевченко`, `SHEVCHENKO
Oleksandr`, `Alexander Shevchenko`, `Шевченко О.І.`, `Shevchenko, Oleksandr`. The
patronymic is the strongest clue (it follows the given name), then capitals (an ALL CAPS
word among mixed-case ones is the surname), then the dictionaries (is the word a known
given name, a known surname?) and surname suffixes. With nothing to go on, the surname comes
first: that is how official lists on both sides are written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from parley.domain.registry.persons import Script
from parley.names.dictionaries import lookup_key, russian_to_ukrainian, ukrainian_to_russian
from parley.names.equivalents import language_of
from parley.names.lexicon import is_known
from parley.names.roles import NamePart
from parley.names.scripts import (
    RUSSIAN,
    UKRAINIAN,
    clean_part,
    is_cyrillic,
    letters_language,
    script_of,
)
from parley.names.skeletons import clean_latin, for_role, latin_readings

SURNAME, GIVEN, PATRONYMIC = NamePart.SURNAME, NamePart.GIVEN, NamePart.PATRONYMIC


@dataclass(frozen=True)
class ParsedName:
    surname: str
    given: str
    patronymic: str
    given_initial: str
    patronymic_initial: str
    script: Script
    language: str | None


_INITIAL = re.compile(r"^(?:[^\W\d_]{1,2}\.|[^\W\d_])$")
_PATRONYMIC_KEY = re.compile(r"(?:vich|vna|ichna)$")
_PATRONYMIC_CYRILLIC = re.compile(r"(?:вич|вна|ич|ична|інічна|инична)$")
_FEMALE_PATRONYMIC_CYRILLIC = re.compile(r"(?:[іїое]вна|ична)$")
"""No surname ends like a woman's patronymic; -ович and -евич surnames abound."""
# Endings of surnames that given names rarely have (not -in, -ina: Valentyn, Iryna; not -ич,
# which patronymics share).
_SURNAME_SUFFIX = re.compile(
    r"(?:enko|uk|ko|sk(?:yi|yy|iy|ii|ij|yj|y|i|a|aya|aia|aja)|ov|ova|ev|eva|ets|iv|ak|yk|ik)$"
)
_SURNAME_SUFFIX_CYRILLIC = re.compile(
    r"(?:енко|ук|юк|ко|ськ[ийа]|ск(?:ий|ая)|ов|ова|ев|ева|ець|ів|ак|як|ик)$"
)
_DIGITS = re.compile(r"\d")


def _is_patronymic(word: str, strict: bool = False) -> bool:
    """A patronymic by its ending (-ович, -івна, -ич; -ovych, -ivna and Latin -ich if known).

    `strict` asks for more, where a word without a surname beside it would otherwise be
    taken for a patronymic (Ярослав Зінкевич): a woman's patronymic, or a patronymic-dictionary
    entry that is not also a surname.
    """
    if is_cyrillic(word):
        key = lookup_key(word)
        if not _PATRONYMIC_CYRILLIC.search(key):
            return False
        return (
            not strict
            or _FEMALE_PATRONYMIC_CYRILLIC.search(key) is not None
            or (_is_known_cyrillic(key, PATRONYMIC) and not _is_known_cyrillic(key, SURNAME))
        )
    readings = [for_role(r, PATRONYMIC) for r in latin_readings(clean_latin(word))]
    by_suffix = any(_PATRONYMIC_KEY.search(r) for r in readings)
    known = is_known(word, PATRONYMIC)
    if strict:
        return by_suffix and known
    return by_suffix or (known and any(r.endswith("ich") for r in readings))


def _patronymic_score(word: str) -> int:
    """4 for -івна, 2 for -ович, 1 for a bare -ич (a surname ending too: Христич); +1 if sure."""
    if not _is_patronymic(word):
        return 0
    key = lookup_key(word) if is_cyrillic(word) else clean_latin(word)
    if re.search(r"(?:вна|ична|vna|[iy](?:t?s?ch|cz|č)na)$", key):
        score = 4  # no surname ends like a woman's patronymic
    elif re.search(r"(?:вич|v[iy]t?s?ch|vicz|vič)$", key):
        score = 2
    else:
        score = 1
    return score + (1 if _is_patronymic(word, strict=True) else 0)


def _is_known_cyrillic(key: str, role: NamePart) -> bool:
    return key in ukrainian_to_russian(role) or key in russian_to_ukrainian(role)


def _given_score(word: str) -> int:
    """Positive when the word looks like a given name, negative when like a surname."""
    if is_cyrillic(word):
        key = lookup_key(word)
        score = 2 if _is_known_cyrillic(key, GIVEN) else 0
        score -= 1 if _is_known_cyrillic(key, SURNAME) else 0
        return score - (1 if _SURNAME_SUFFIX_CYRILLIC.search(key) else 0)
    known = is_known(word, GIVEN)
    if _SURNAME_SUFFIX.search(clean_latin(word)):
        return 1 if known else -2  # Yakov and Liubov are given names, whatever their ending
    return 2 if known else 0


def _caps(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _surname_first(first: str, second: str) -> bool:
    """Which of two words is the surname: capitals, then dictionaries, then list order."""
    if _caps(first) != _caps(second):
        return _caps(first)
    return _given_score(first) <= _given_score(second)


def _display(word: str) -> str:
    """ALL CAPS words (SHEVCHENKO) in the case the rest of the registry uses."""
    if not _caps(word):
        return word
    return "-".join(piece.capitalize() for piece in word.split("-"))


def _initial(token: str) -> str:
    return token.rstrip(".").upper() if len(token.rstrip(".")) == 1 else token.rstrip(".")


def _order(words: list[str]) -> tuple[str, str, str]:
    """(surname, given, patronymic) from words that are not initials."""
    if not words:
        return "", "", ""
    if len(words) == 1:
        return words[0], "", ""
    if len(words) == 2:
        # Two words are a surname and a given name, not a given name and a man's patronymic:
        # a list names people by surname, and men's surnames end like patronymics (Петрович,
        # Shevkovych). Which word is which is a guess; matching does not depend on it.
        # Only a woman's patronymic (-івна, -ovna) cannot be a surname.
        first, second = words
        if _patronymic_score(second) >= 4 and not _caps(second) and _given_score(first) > 0:
            return "", first, second
        return (first, second, "") if _surname_first(first, second) else (second, first, "")
    caps = [word for word in words if _caps(word)]
    if len(caps) == 1:
        surname = caps[0]
        rest = [word for word in words if word is not surname]
        return surname, rest[0], " ".join(rest[1:])
    # Surname Given Patronymic, or Given Patronymic Surname: whichever reads better. Only one
    # of the two places ends like a patronymic: that decides it (Матяш Веніямин Давидович,
    # whatever the dictionaries think of Матяш).
    at_end, at_second = _patronymic_score(words[-1]), _patronymic_score(words[1])
    if (at_end > 0) != (at_second > 0):
        given_first_wins = at_second > 0
    else:
        surname_first = at_end + _given_score(words[-2]) - _given_score(words[0])
        given_first = at_second + _given_score(words[0]) - _given_score(words[-1])
        given_first_wins = given_first > surname_first
    if given_first_wins:
        return " ".join(words[2:]), words[0], words[1]
    return " ".join(words[:-2]), words[-2], words[-1]


def _tokens(text: str) -> list[str]:
    spaced = re.sub(r"\.(?=\S)", ". ", text.replace(",", " , "))
    return [token for token in spaced.split() if token and not _DIGITS.search(token)]


def _language(surname: str, given: str, patronymic: str, text: str) -> str | None:
    by_letters = letters_language(text)
    if by_letters is not None or not is_cyrillic(text):
        return by_letters
    parts = (
        (surname, SURNAME),
        (given, GIVEN),
        (patronymic, PATRONYMIC),
    )
    found = {language_of(lookup_key(part), role) for part, role in parts if part}
    if UKRAINIAN in found:
        return UKRAINIAN
    return RUSSIAN if RUSSIAN in found else None


@lru_cache(maxsize=1 << 16)
def parse_name(text: str) -> ParsedName:
    """Surname, given name, patronymic and initials of a full name in any common order."""
    cleaned = clean_part(text)
    tokens = _tokens(cleaned)
    surname_words: list[str] | None = None
    if "," in tokens:
        comma = tokens.index(",")
        surname_words = [t for t in tokens[:comma] if t != ","]
        tokens = [t for t in tokens[comma + 1 :] if t != ","]
    words = [t for t in tokens if not _INITIAL.match(t)]
    initials = [_initial(t) for t in tokens if _INITIAL.match(t)]
    if surname_words is not None:
        surname = " ".join(surname_words)
        given = words[0] if words else ""
        patronymic = " ".join(words[1:])
    elif initials and len(words) == 1:
        surname, given, patronymic = words[0], "", ""
    else:
        surname, given, patronymic = _order(words)
    given_initial = "" if given else (initials[0] if initials else "")
    patronymic_initial = ""
    if not patronymic:
        remaining = initials[1:] if not given else initials
        patronymic_initial = remaining[0] if remaining else ""
    surname, given, patronymic = (_display(p) for p in (surname, given, patronymic))
    return ParsedName(
        surname=surname,
        given=given,
        patronymic=patronymic,
        given_initial=given_initial,
        patronymic_initial=patronymic_initial,
        script=script_of(cleaned),
        language=_language(surname, given, patronymic, cleaned),
    )
