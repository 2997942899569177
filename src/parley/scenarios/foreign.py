"""How the foreign press writes Ukrainian and Russian names: German, Polish, Czech, French.

Mediators and newspapers abroad do not use the passport standards; each language transcribes
by its own spelling rules, and the lists they pass on keep those spellings (Жуков is
*Schukow* in German, *Żukow* in Polish, *Žukov* in Czech, *Joukov* in French). These
renderers produce such spellings for synthetic people, so the matcher's tests and
benchmarks can check that every convention's spelling shares a key with the Cyrillic.

They follow the usual transcription rules of each language:

- German: the Duden transcription of Russian (as in the press; DIN 1460 is a
  transliteration, not used by newspapers), applied to Ukrainian letters as the German
  press does (translitua's `UkrainianGerman` table is used for Ukrainian where it applies).
- Polish: the PWN rules for transcribing Russian and Ukrainian (Słownik ortograficzny PWN,
  "Zasady transkrypcji"), with ł before back vowels and consonants, l before і/и/є/я/ю.
- Czech: the Czech transcription of Russian and Ukrainian (Pravidla českého pravopisu),
  with the feminine surname forms the Czech press adds (-ová, -ská).
- French: the French press transcription (ou for у, ch for ш, j for ж, ï after a vowel).

They are scenario tools: they write plausible foreign spellings, they are not standards that
Parley reads names by (reading is `parley.names.conventions`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Final

Renderer = Callable[[str], str]

_VOWELS_CYR: Final = set("аеєиіїоуюяыэё")
_SOFTENING: Final = set("єіїюяеё")


def _render(word: str, table: Mapping[str, str], iotated: Mapping[str, str]) -> str:
    """Letter by letter; `iotated` holds the spellings of я, ю, є, е, ё, ї at the start of
    a word and after a vowel, ь or ъ (where they begin with a j sound)."""
    lower = word.lower()
    out: list[str] = []
    for index, char in enumerate(lower):
        previous = lower[index - 1] if index else ""
        start = index == 0 or previous in _VOWELS_CYR or previous in "ьъ'ʼ’"
        if start and char in iotated:
            out.append(iotated[char])
        else:
            out.append(table.get(char, char if char.isalpha() else ""))
    text = "".join(out)
    return _restore_case(word, text)


def _restore_case(original: str, text: str) -> str:
    if not text:
        return text
    if original.isupper() and len(original) > 1:
        return text.upper()
    if original[:1].isupper():
        return text[:1].upper() + text[1:]
    return text


_GERMAN: Final = {
    "а": "a", "б": "b", "в": "w", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "je",
    "ё": "jo", "ж": "sch", "з": "s", "и": "i", "і": "i", "ї": "ji", "й": "j", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch", "щ": "schtsch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja", "'": "", "ʼ": "",
}  # fmt: skip
_GERMAN_IOTATED: Final = {"е": "je", "ё": "jo", "є": "je", "ї": "ji", "ю": "ju", "я": "ja"}
_GERMAN_UK: Final = {**_GERMAN, "г": "h", "и": "y", "і": "i"}

_POLISH: Final = {
    "а": "a", "б": "b", "в": "w", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ё": "io", "ж": "ż", "з": "z", "и": "i", "і": "i", "ї": "ji", "й": "j", "к": "k",
    "л": "ł", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "ch", "ц": "c", "ч": "cz", "ш": "sz", "щ": "szcz",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia", "'": "", "ʼ": "",
    "ℓ": "l", "ℒ": "l",
}  # fmt: skip
_POLISH_IOTATED: Final = {"е": "je", "ё": "jo", "є": "je", "ї": "ji", "ю": "ju", "я": "ja"}
_POLISH_UK: Final = {**_POLISH, "г": "h", "и": "y", "і": "i"}

_CZECH: Final = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "je",
    "ё": "jo", "ж": "ž", "з": "z", "и": "i", "і": "i", "ї": "ji", "й": "j", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "ch", "ц": "c", "ч": "č", "ш": "š", "щ": "šč",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja", "'": "", "ʼ": "",
}  # fmt: skip
_CZECH_IOTATED: Final = {"е": "je", "ё": "jo", "є": "je", "ї": "ji", "ю": "ju", "я": "ja"}
_CZECH_UK: Final = {**_CZECH, "г": "h", "и": "y", "і": "i"}

_FRENCH: Final = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ё": "io", "ж": "j", "з": "z", "и": "i", "і": "i", "ї": "ï", "й": "ï", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "ou", "ф": "f", "х": "kh", "ц": "ts", "ч": "tch", "ш": "ch", "щ": "chtch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iou", "я": "ia", "'": "", "ʼ": "",
}  # fmt: skip
_FRENCH_IOTATED: Final = {"е": "ie", "ё": "io", "є": "ie", "ї": "ï", "ю": "iou", "я": "ia"}
_FRENCH_UK: Final = {**_FRENCH, "г": "h", "и": "y", "і": "i"}


_SOFT_L: Final = re.compile(r"л(?=л*[ьяюєіїеёи])", re.IGNORECASE)


def _polish_soft_l(cyrillic: str) -> str:
    """Polish writes a hard л as ł and a soft one (before ь, я, ю, є, і, е, и) as l:
    Łaszko, but Lubow, Kowalska, Illia. The soft ones are marked before rendering."""
    return _SOFT_L.sub(lambda m: "ℓ" if m.group(0).islower() else "ℒ", cyrillic)


def _french_s(word: str) -> str:
    """French doubles an s between vowels so it is not read as z (Vassili, Moussa)."""
    return re.sub(r"(?<=[aeiouy])s(?=[aeiouy])", "ss", word)


_TABLES: Final = {
    ("de", "ru"): (_GERMAN, _GERMAN_IOTATED, None),
    ("de", "uk"): (_GERMAN_UK, _GERMAN_IOTATED, None),
    ("pl", "ru"): (_POLISH, _POLISH_IOTATED, None),
    ("pl", "uk"): (_POLISH_UK, _POLISH_IOTATED, None),
    ("cs", "ru"): (_CZECH, _CZECH_IOTATED, None),
    ("cs", "uk"): (_CZECH_UK, _CZECH_IOTATED, None),
    ("fr", "ru"): (_FRENCH, _FRENCH_IOTATED, _french_s),
    ("fr", "uk"): (_FRENCH_UK, _FRENCH_IOTATED, _french_s),
}
LANGUAGES: Final = ("de", "pl", "cs", "fr")


def transcribe(text: str, language: str, source: str) -> str:
    """`text` (Cyrillic, one or more words) as `language`'s press writes it; `source` is the
    language of the Cyrillic ("uk" or "ru"), whose letters read differently (г, и)."""
    table, iotated, after = _TABLES[(language, source)]
    words = []
    for word in re.split(r"(\s+|-)", text):
        if not word or word.isspace() or word == "-":
            words.append(word)
            continue
        if language == "pl":
            word = _polish_soft_l(word)
        rendered = _render(word, table, iotated)
        if language == "fr":
            rendered = re.sub(r"(?i)(i|y)ï$", "i", rendered)
        if after is not None:
            rendered = after(rendered)
        if _SHORT_ENDING.get((language, source)):
            rendered = re.sub(r"(ij|yj|ïï|iï|yï)$", "i", rendered)
        words.append(rendered)
    return "".join(words)


_SHORT_ENDING: Final = {("pl", "ru"): True, ("pl", "uk"): True, ("de", "ru"): True}
"""Where the press shortens -ий/-ій to -i (Zełenski, Dostojewski); Czech keeps -yj/-ij and
German keeps Ukrainian -yj (Selenskyj)."""


_CZECH_ADJECTIVAL: Final = re.compile(r"(?i)(sk|ck)(ij|yj|ý|a|á|aja)$")


def feminine_surname(rendered: str, language: str, cyrillic: str) -> str:
    """A woman's surname as that language's press writes it.

    Czech adds its own feminine ending: Захарова → Zacharovová, Тимошенко → Tymošenková,
    Ковальська → Kovalská. Polish writes -ska for -ська/-ская and keeps -owa (Iwanowa);
    German and French keep the Russian ending as transcribed.
    """
    if language == "cs":
        lower = cyrillic.lower()
        if lower.endswith(("ська", "ская", "цька", "цкая")):
            return _CZECH_ADJECTIVAL.sub(lambda m: m.group(1) + "á", rendered)
        if lower.endswith(("о", "а", "я")):
            return rendered[:-1] + "ová"
        return rendered + "ová"
    if language == "pl" and cyrillic.lower().endswith(("ська", "ская", "цька", "цкая")):
        return re.sub(r"(?i)(ia|aja|a)$", "a", rendered)
    return rendered
