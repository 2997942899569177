"""Phonetic skeletons: the lowercase ASCII strings that name keys are made of.

A skeleton keeps what every standard preserves and drops what they disagree on: consonants
are kept (г and ґ and Latin g/h fold together, з and с fold together because German writes
both as s), vowels are kept as a, e, i, o, u (и, і, ї, ы and y are one i), and the
i/y/j family is resolved by position: before a or u it is the glide y (я, ю), before e it
disappears (є, е, ye), after a consonant before o it stands for ё/ьо and reads e (Pyotr,
Kovalyov, Aliona), after a vowel it is y again (й in -ай, -ей, -ой). Doubled letters and
vowel runs collapse. Then the role trims what a name's form changes: a surname's gender
ending, a patronymic's linking vowel, the English -er of Alexander and Peter.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

from parley.names.conventions import CONVENTIONS, ENGLISH, LETTERS, Tokens
from parley.names.roles import NamePart

_VOWELS = frozenset("aeiou")
_VOWELS_I = frozenset("aeiouI")
_GLIDE_VOWELS = frozenset("au")
_OUTPUT = {"z": "s", "I": "i"}
"""з and с share a class: German writes both as s (Selenskyj, Sosnjuk)."""

_APOSTROPHES = "'ʼ’‘`´ʹ′″”\"ʺˮʻ"
_DROP_APOSTROPHES = str.maketrans("", "", _APOSTROPHES)
_NOT_LETTER = re.compile(r"[^a-zß-ɏ]+")


def clean_latin(word: str) -> str:
    """Lower case, no apostrophes, no diacritics the conventions do not read."""
    word = unicodedata.normalize("NFC", word).lower().translate(_DROP_APOSTROPHES)
    if not word.isascii():
        kept = []
        for char in word:
            if char.isascii() or char in LETTERS:
                kept.append(char)
            else:
                base = unicodedata.normalize("NFD", char)
                kept.append("".join(c for c in base if not unicodedata.combining(c)))
        word = "".join(kept)
    return _NOT_LETTER.sub("", word)


def skeleton(tokens: Tokens) -> str:
    """Resolve the i/y/j family, collapse repeats, and spell the sounds in ASCII."""
    vowels = _VOWELS
    deduped: list[str] = []
    previous = ""
    last = len(tokens) - 1
    for position, token in enumerate(tokens):
        if token == "J":
            if (
                previous
                and previous not in _VOWELS_I
                and (position == last or tokens[position + 1] not in vowels)
            ):
                continue  # DSTU 9112 soft sign: Lesj, Oljga
            token = "I"
        if token != previous:
            deduped.append(token)
            previous = token
    resolved: list[str] = []
    before = ""
    count = len(deduped)
    index = 0
    while index < count:
        token = deduped[index]
        index += 1
        if token == "I":
            after = deduped[index] if index < count else ""
            if after in vowels:
                if after == "o" and before and before not in vowels and before != "y":
                    token = "e"  # ё, ьо after a consonant: Pyotr, Aliona
                    index += 1
                elif after == "e":
                    continue  # є, ye, ie: the e carries it
                else:
                    token = "y"
            else:
                token = "y" if before in vowels else "i"
        elif token in vowels and before in vowels:
            continue
        token = _OUTPUT.get(token, token)
        if token in ("ch", "shch") and before in ("s", "sh"):
            # сч and шч are щ (счастье, Бесчасна): the Czech Besčasna and the English
            # Beshchasna spell the same sounds.
            resolved[-1] = before = "shch"
            continue
        if token != before:
            resolved.append(token)
            before = token
    return "".join(resolved)


def _german_mixtures(word: str) -> list[str]:
    """A German word with two or three sch, each read as ш or ж (Scheljuschenko is Шелюженко):
    the word with some of them written ž, which every convention reads as ж."""
    pieces = word.split("sch")
    if not 3 <= len(pieces) <= 4:
        return []
    found = []
    for mask in itertools.product(("sch", "ž"), repeat=len(pieces) - 1):
        if len(set(mask)) > 1:
            mixed = pieces[0] + "".join(m + p for m, p in zip(mask, pieces[1:], strict=True))
            found.append(mixed)
    return found


@lru_cache(maxsize=1 << 16)
def latin_readings(word: str) -> tuple[str, ...]:
    """The skeleton of a cleaned Latin word under every convention it could be written in."""
    seen: set[Tokens] = set()
    readings: list[str] = []
    for form in (word, *_german_mixtures(word)):
        for convention in CONVENTIONS:
            if convention.applies(form):
                tokens = convention.read(form)
                if tokens in seen:
                    continue
                seen.add(tokens)
                reading = skeleton(tokens)
                if reading and reading not in readings:
                    readings.append(reading)
    return tuple(readings)


def english_reading(word: str) -> str:
    """The reading under the English-style convention of KMU 2010 and ICAO."""
    return skeleton(ENGLISH.read(word))


_SURNAME_ENDING = re.compile(r"(?<=[a-z]{2})(?:aya|ya|a|i|oy)$")
_PATRONYMIC_MALE = re.compile(r"[oei]vit?s?ch$")
"""-ovich, and -ovitch / -ovitsch when a French or German ending is read as English."""
_PATRONYMIC_FEMALE = re.compile(r"[oei]vna$")
_GIVEN_ER = re.compile(r"(?<=[bcdfgklmnprstvz])er$")


def for_role(reading: str, role: NamePart) -> str:
    """Trim what the form of a name changes without changing the name."""
    if role is NamePart.SURNAME:
        stem = _SURNAME_ENDING.sub("", reading)
        if stem.endswith("ev"):
            stem = stem[:-2] + "ov"
        return stem
    if role is NamePart.PATRONYMIC:
        return _PATRONYMIC_FEMALE.sub("vna", _PATRONYMIC_MALE.sub("vich", reading))
    if len(reading) > 4:
        return _GIVEN_ER.sub("r", reading)
    return reading


_PREFERENCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pl", ("cz", "sz", "rz", "ł", "ż")),
    ("de", ("sch", "w")),
    ("fr", ("ou", "tch")),
    ("cs", ("č", "š", "ž")),
    ("iso", ("â", "û", "ê", "ì", "ï")),
)
"""Letter groups that give a Latin word's convention away (Schewtschenko, Turczynow)."""


def preferred_reading(word: str) -> str:
    """The single most likely reading of a cleaned Latin word, for `folded`."""
    for name, markers in _PREFERENCES:
        if any(marker in word for marker in markers):
            for convention in CONVENTIONS:
                if convention.name == name and convention.applies(word):
                    return skeleton(convention.read(word))
    return english_reading(word)
