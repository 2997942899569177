"""How Latin letters are read back into sounds, one table per spelling convention.

A Latin name does not say which convention wrote it: `ch` is ч in a Ukrainian passport, х in
German, Polish or Czech, ш in French; `h` is г in Ukrainian standards and х in ISO 9; `x` is
кс in the press and х in GOST 7.79 B; `j` is й almost everywhere and ж in French. Each
convention below reads a word one way; a word gets one reading per convention it could
belong to, and its keys are the set of those readings. These tables do not romanise
anything (translitua and iuliia do that): they map letters to the sound classes of the
key alphabet (see `skeletons`), which is why they are short and why they may merge.

Sound tokens: consonants b v g d zh z s k l m n p r t f kh ts ch sh shch; vowels a e o u;
`I` for the i/y family, whose value (vowel, glide or nothing) depends on its neighbours, and
`J` for j, which is the same except after a consonant, where DSTU 9112 uses it for ь.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

Tokens = tuple[str, ...]

# Letters every convention reads alike, including the diacritics of ISO 9, the Czech and
# Polish alphabets, DSTU 9112 and the British standard.
_COMMON: dict[str, Tokens] = {
    "a": ("a",), "e": ("e",), "o": ("o",), "u": ("u",), "i": ("I",), "y": ("I",),
    "b": ("b",), "d": ("d",), "f": ("f",), "k": ("k",), "l": ("l",), "m": ("m",),
    "n": ("n",), "p": ("p",), "r": ("r",), "t": ("t",), "v": ("v",), "w": ("v",),
    "q": ("k",), "g": ("g",), "z": ("z",), "s": ("s",), "h": ("g",), "j": ("J",),
    "c": ("k",), "x": ("k", "s"),
    "č": ("ch",), "ć": ("ch",), "š": ("sh",), "ś": ("s",), "ž": ("zh",), "ż": ("zh",),
    "ź": ("z",), "ŝ": ("shch",), "ł": ("l",), "ľ": ("l", "J"), "ń": ("n", "J"),
    "ř": ("r",), "ť": ("t", "J"), "ď": ("d", "J"), "ß": ("s",), "ň": ("n", "J"),
    "á": ("a",), "à": ("a",), "ä": ("a",), "ā": ("a",), "ą": ("o",),
    "é": ("e",), "è": ("e",), "ė": ("e",), "ē": ("e",), "ę": ("e",), "ě": ("I", "e"),
    "ë": ("I", "o"), "ê": ("I", "e"), "â": ("I", "a"), "û": ("I", "u"),
    "í": ("I",), "ì": ("I",), "ī": ("I",), "ï": ("I",), "ĭ": ("I",), "î": ("I",),
    "ý": ("I",), "ȳ": ("I",), "ó": ("o",), "ò": ("o",), "ö": ("o",), "ō": ("o",), "ô": ("o",),
    "ú": ("u",), "ù": ("u",), "ü": ("u",), "ū": ("u",), "ů": ("u",), "ŭ": ("u",),
    "ğ": ("g",), "ǵ": ("g",), "ǧ": ("g",), "ĝ": ("g",),
}  # fmt: skip

# Ukrainian 2010, ICAO, BGN/PCGN and the English-language press.
_ENGLISH: dict[str, Tokens] = {
    "zh": ("zh",), "kh": ("kh",), "ch": ("ch",), "sh": ("sh",), "shch": ("shch",),
    "sch": ("shch",), "shh": ("shch",), "ts": ("ts",), "tz": ("ts",), "tc": ("ts",),
    "tch": ("t", "ch"), "gh": ("g",), "zgh": ("z", "g"), "ck": ("k",), "ph": ("f",),
    "tsh": ("t", "sh"),
}  # fmt: skip
"""No `ou` (KMU writes оу as ou: Belousov) and no `th` (тг in KMU); `tch` is тч, not ч, and
`tsh` тш (Akhmetshin), not цг."""

_GERMAN: dict[str, Tokens] = {
    "schtsch": ("shch",), "tsch": ("ch",), "sch": ("sh",), "sh": ("zh",), "ch": ("kh",),
    "z": ("ts",), "tz": ("ts",), "ck": ("k",),
}  # fmt: skip

_GERMAN_ZH: dict[str, Tokens] = {**_GERMAN, "sch": ("zh",)}
"""German has no letters for ж: the Duden transcription writes it, like ш, as sch (Schukow,
Breschnew, Nadeschda), so a German sch is read both ways."""

_POLISH: dict[str, Tokens] = {
    "szcz": ("shch",), "sz": ("sh",), "cz": ("ch",), "ch": ("kh",), "c": ("ts",),
}  # fmt: skip
"""No rz for ж: transcriptions write ж as ż, so an rz is р + з (Arzamascew)."""

_FRENCH: dict[str, Tokens] = {
    "chtch": ("shch",), "tch": ("ch",), "ch": ("sh",), "kh": ("kh",), "j": ("zh",),
    "zh": ("z", "g"), "sh": ("s", "g"), "ou": ("u",), "ts": ("ts",),
    "gue": ("g", "e"), "gui": ("g", "I"), "guy": ("g", "I"),
}  # fmt: skip

# Czech, and the scientific tables that write х as ch and ц as c.
_CZECH: dict[str, Tokens] = {"ch": ("kh",), "c": ("ts",)}

# GOST 7.79 B, GOST 7034, WWS, DSTU 9112 A: x for х, c or cz for ц, shh for щ.
_GOST_B: dict[str, Tokens] = {
    **_ENGLISH,
    "x": ("kh",),
    "c": ("ts",),
    "cz": ("ts",),
    "ck": ("ts", "k"),
}

# ISO 9 and GOST 1986 / 7.79 A: h for х, c for ц.
_ISO: dict[str, Tokens] = {"h": ("kh",), "c": ("ts",)}

# Ukrainian passports of 2004 (and telegraph style): English, but j for ж and c for к.
_PASSPORT_2004: dict[str, Tokens] = {**_ENGLISH, "j": ("zh",), "c": ("k",), "tc": ("t", "k")}


LETTERS: frozenset[str] = frozenset(_COMMON)
"""Every single letter some convention reads, diacritics included."""


def _lacks(*letters: str) -> Callable[[str], bool]:
    return lambda word: not any(letter in word for letter in letters)


def _french(word: str) -> bool:
    """French writes у as ou (and г as gu before e, i), so a bare u or a w rule it out.

    ж is j and ш is ch in French, so its zh and sh can only be зг and сг (Louzhan); without
    an ou to vouch for French they are read as English (Zhanna, Shevchenko).
    """
    if "w" in word or "u" in word.replace("ou", "").replace("gu", ""):
        return False
    if word.endswith(("yj", "ij")):
        return False  # the -ий of German, Polish and Czech (Selenskyj); French writes -yi
    return "ou" in word or "tch" in word or ("sh" not in word and "zh" not in word)


def _polish(word: str) -> bool:
    """Polish has no v, kh, sh, x or q; a zh is з + г (Wozhreczko) when the word shows
    Polish letters elsewhere, and English ж otherwise."""
    if not _lacks("v", "kh", "sh", "x", "q")(word):
        return False
    return "zh" not in word or re.search(r"cz|sz|rz|ł|w", word) is not None


def _passport_2004(word: str) -> bool:
    """A c outside ch, or a j not after a vowel at the end (Janna, Juc, Khadj).

    A final j after a vowel is the й of German, Polish and Czech (Selenskyj, Sergej).
    """
    return re.search(r"c(?!h)|j(?!$)|(?<![aeiouy])j$", word) is not None


def _french_ending(word: str) -> str:
    """French passports write a final -ин as -ine (Vasine, Valentine)."""
    return word[:-1] if word.endswith("ine") else word


@dataclass(frozen=True)
class Convention:
    """One way of reading Latin letters back into sounds."""

    name: str
    table: Mapping[str, Tokens]
    applies: Callable[[str], bool]
    pattern: re.Pattern[str]
    prepare: Callable[[str], str] | None = None

    def read(self, word: str) -> Tokens:
        table = self.table
        if self.prepare is not None:
            word = self.prepare(word)
        tokens: list[str] = []
        for grapheme in self.pattern.findall(word):
            tokens.extend(table.get(grapheme, ()))
        return tuple(tokens)


def _convention(
    name: str,
    extra: Mapping[str, Tokens],
    applies: Callable[[str], bool],
    prepare: Callable[[str], str] | None = None,
) -> Convention:
    table = {**_COMMON, **extra}
    graphemes = sorted(table, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(g) for g in graphemes) + "|.")
    return Convention(name, table, applies, pattern, prepare)


ENGLISH = _convention("en", _ENGLISH, lambda word: True)

CONVENTIONS: tuple[Convention, ...] = (
    ENGLISH,
    _convention("de", _GERMAN, _lacks("v", "kh", "zh")),
    _convention("de_zh", _GERMAN_ZH, lambda word: "sch" in word and _lacks("v", "kh", "zh")(word)),
    _convention("pl", _POLISH, _polish),
    _convention("fr", _FRENCH, _french, _french_ending),
    _convention("cs", _CZECH, _lacks("kh", "zh", "sh", "w", "x", "q")),  # ts: т+с (Novochatskij)
    _convention("gost_b", _GOST_B, _lacks("ts", "w")),
    _convention("iso", _ISO, _lacks("y", "kh", "zh", "sh", "ch", "ts", "x", "w", "q")),
    _convention("ua2004", _PASSPORT_2004, _passport_2004),
)
"""English first: its reading is the one `folded` shows when nothing says otherwise."""
