"""Which script and which language a name part is written in, and cleaning it for lookups.

Lists mix Latin look-alikes into Cyrillic words (a Latin i in Іван, a Latin o in Олег) and
use any of four apostrophes; both are repaired before anything else looks at the text.
Ukrainian and Russian share most letters, so a part like Шевченко or Олег belongs to both
languages (language None) until a letter or the dictionaries say otherwise.
"""

from __future__ import annotations

import re
from functools import lru_cache

from names_translator.name_utils import try_to_fix_mixed_charset

from parley.domain.registry.persons import Script, clean_text, detect_script

UKRAINIAN = "uk"
RUSSIAN = "ru"

UK_APOSTROPHE = "ʼ"
"""U+02BC, the apostrophe of Ukrainian orthography."""

_APOSTROPHES = "'’‘`´ʹ′"
_TO_UK_APOSTROPHE = str.maketrans(dict.fromkeys(_APOSTROPHES, UK_APOSTROPHE))
_UKRAINIAN_LETTERS = re.compile(r"[іїєґІЇЄҐ]|[а-яА-Я]ʼ[а-яА-Я]")
_RUSSIAN_LETTERS = re.compile(r"[ыэъёЫЭЪЁ]")
_CYRILLIC = re.compile(r"[а-яёіїєґА-ЯЁІЇЄҐ]")
_WORDS = re.compile(r"[\s\-‐‑–—]+")
_STRESS = "\u0301"
"""The acute some lists put on a stressed vowel."""


@lru_cache(maxsize=1 << 18)
def clean_part(text: str) -> str:
    """NFC, single spaces, one apostrophe (ʼ), Latin look-alikes inside Cyrillic repaired."""
    text = clean_text(text)
    if not text:
        return ""
    words = [try_to_fix_mixed_charset(word) for word in text.split(" ")]
    return " ".join(words).translate(_TO_UK_APOSTROPHE).replace(_STRESS, "")


def split_words(part: str) -> list[str]:
    """The words of a part: Петренко-Коваль and Анна Марія are two names each."""
    return [word for word in _WORDS.split(part) if word.strip(UK_APOSTROPHE + ".")]


def is_cyrillic(text: str) -> bool:
    return _CYRILLIC.search(text) is not None


def script_of(text: str) -> Script:
    return detect_script(text) if text else Script.LATIN


def letters_language(text: str) -> str | None:
    """ "uk" or "ru" when a letter only one of the two alphabets has decides it, else None."""
    if _UKRAINIAN_LETTERS.search(text):
        return UKRAINIAN
    if _RUSSIAN_LETTERS.search(text):
        return RUSSIAN
    return None
