"""The names-translator dictionaries, loaded once per process, in both directions.

names-translator ships Ukrainian → Russian pools (given names, patronymics, surnames) and no
way back. Russian → Ukrainian is the inversion of the whole pool, which is noisy: it holds
every misspelling someone once registered (андрєй, сєргій, олєксандр), so Ukrainian forms
that Ukrainian spelling does not allow are dropped. Loading all pools as plain dicts takes a
few seconds and turns each lookup into a dict access instead of a 20 µs DAWG walk.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import cache

from names_translator.dicts import NameDicts

from parley.names import stored
from parley.names.roles import NamePart

_APOSTROPHES = str.maketrans({"ʼ": "'", "’": "'", "`": "'", "´": "'", "ё": "е"})

# Ukrainian spelling has no ы, э, ъ, ё, writes є and ї only after a vowel, an apostrophe or
# a soft sign (or at the start), and never ends a word in -ей or -ый.
_NOT_UKRAINIAN = re.compile(r"[ыэъё]|[бвгґджзклмнпрстфхцчшщ][єї]|[еы]й$")


def lookup_key(text: str) -> str:
    """The dictionaries' key form: NFC, lower case, ASCII apostrophe, ё as е."""
    return unicodedata.normalize("NFC", text).lower().translate(_APOSTROPHES)


def is_ukrainian_spelling(key: str) -> bool:
    return _NOT_UKRAINIAN.search(key) is None


@cache
def _dicts() -> NameDicts:
    return NameDicts()


GIVEN_NAME_PAIRS: Mapping[str, tuple[str, ...]] = {
    "опанас": ("афанасий",), "хома": ("фома",), "юхим": ("ефим",), "гнат": ("игнат",),
    "оксана": ("оксана", "ксения"), "левко": ("лев",), "прокіп": ("прокопий", "прокоп"),
    "олесь": ("олесь", "александр"), "христина": ("кристина",), "ярема": ("ерёма", "еремей"),
    "явдоха": ("евдокия",), "килина": ("акулина",), "одарка": ("дарья",), "мотря": ("матрёна",),
    "теодор": ("фёдор",), "тодось": ("феодосий",), "харитон": ("харитон",),
    "охрім": ("ефрем",), "овсій": ("евсей",), "яким": ("аким", "иоаким"), "гаврило": ("гавриил",),
    "устим": ("устин",), "панас": ("афанасий",), "ївга": ("евгения",), "ярина": ("ирина",),
}  # fmt: skip
"""Ukrainian given names whose Russian forms the names-translator pools lack: the
correspondences of the Ukrainian dictionaries of personal names (Скрипник, Дзятківська,
"Власні імена людей", 2005), as Russian-language lists render them."""


@cache
def ukrainian_to_russian(role: NamePart) -> Mapping[str, tuple[str, ...]]:
    """Ukrainian key → Russian forms, most frequent first (lower case)."""
    found = stored.table(f"ukrainian-to-russian-{role}", lambda: _ukrainian_to_russian(role))
    return {key: tuple(forms) for key, forms in found.items()}


def _ukrainian_to_russian(role: NamePart) -> stored.Table:
    pool = _dicts().as_dict(role.pool)
    found = {
        key: list(dict.fromkeys(form.lower() for form in forms)) for key, forms in pool.items()
    }
    if role is NamePart.GIVEN:
        for key, forms in GIVEN_NAME_PAIRS.items():
            added = (form.replace("ё", "е") for form in forms)
            found[key] = list(dict.fromkeys((*found.get(key, ()), *added)))
    return found


@cache
def russian_to_ukrainian(role: NamePart) -> Mapping[str, tuple[str, ...]]:
    """Russian form → Ukrainian keys that translate to it, filtered by Ukrainian spelling."""
    found = stored.table(f"russian-to-ukrainian-{role}", lambda: _russian_to_ukrainian(role))
    return {form: tuple(keys) for form, keys in found.items()}


def _russian_to_ukrainian(role: NamePart) -> stored.Table:
    inverted: dict[str, list[str]] = {}
    for key, forms in ukrainian_to_russian(role).items():
        if not is_ukrainian_spelling(key):
            continue
        for form in forms:
            inverted.setdefault(form, []).append(key)
    return inverted


def load() -> None:
    """Load every pool now (a server does this at start-up, not on its first request)."""
    for role in NamePart:
        russian_to_ukrainian(role)
