"""How the press and mediators of other countries write Ukrainian and Russian names in Latin.

The registry writes its people in Ukrainian Cyrillic; a list that reaches it may come from the
other side (Russian Cyrillic), a mediator or the foreign press: English, German, French,
Polish or Czech conventions, from the Ukrainian form or from the Russian one (Жуков: Zhukov,
Schukow, Joukov, Żukow, Žukov). Each `write` call gives one such rendering and names its
convention, so a benchmark can report by language.

Sources of the tables (letter-for-letter, the common press practice, no diacritics dropped):

- Ukrainian → English, German, French: translitua's `UkrainianKMU`, `UkrainianBGN2019`,
  `UkrainianPassport2007`, `UkrainianGerman` and `UkrainianFrench`;
- Russian → English: iuliia's `bgn_pcgn`, `wikipedia`, `icao_doc_9303`; Russian → French:
  iuliia's `mvd_310_fr` (the French variant of the Soviet passport table, Joukov);
- Russian → German: the Duden transcription (Duden, *Die deutsche Rechtschreibung*, rules for
  Russian names: ж ш → sch, ч → tsch, щ → schtsch, в → w, з → s, с → s / ss between vowels,
  ц → z, х → ch, й → i / j, е → e / je, я → ja, ю → ju; Жуков → Schukow), written here;
- Polish (both sources): PN-ISO 9:2000's Polish practice as the Polish press writes eastern
  names: ш → sz, ч → cz, щ → szcz, ж → ż, х → ch, ц → c, л → ł (l before і/ь/я/ю/є and
  Russian е/и/ё), я ю є → ja ju je (ia iu ie after a consonant), й → j, и → y (Ukrainian; i
  in Russian but after ж ш ц), і → i, ї → ji, г → h (Ukrainian) / g (Russian); сь зь нь ць →
  ś ź ń ć; the press form of -ський/-ский is -ski (-ska), of -цький -cki;
- Czech (both sources): ČSN 01 0184's practice as the Czech press writes eastern names:
  ж → ž, ч → č, ш → š, щ → šč, х → ch, ц → c, й → j, я ю є → ja ju je, и → y (Ukrainian),
  г → h (Ukrainian) / g (Russian); women's surnames in -ova/-eva take the Czech -ová
  (Петрова → Petrovová) and -ська -ská.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import iuliia  # type: ignore[import-untyped]
import translitua

from parley.scenarios import _names

UK, RU = _names.UK, _names.RU
LATIN_LANGUAGES = ("en", "de", "fr", "pl", "cs")
LANGUAGES = (UK, RU, *LATIN_LANGUAGES)

_UK_TABLES = {
    "en": ("UkrainianKMU", "UkrainianBGN2019", "UkrainianPassport2007"),
    "de": ("UkrainianGerman",),
    "fr": ("UkrainianFrench",),
}
_RU_SCHEMAS = {
    "en": ("bgn_pcgn", "wikipedia", "icao_doc_9303"),
    "fr": ("mvd_310_fr",),
}

_VOWELS = frozenset("аеєиіїоуюяыэё")
_SOFT_SIGNS = frozenset("ьʼ'’")

# ---------------------------------------------------------------- Polish

_PL_COMMON = {
    "а": "a", "б": "b", "в": "w", "ґ": "g", "д": "d", "ж": "ż", "з": "z", "й": "j", "к": "k",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "ch", "ц": "c", "ч": "cz", "ш": "sz", "щ": "szcz", "і": "i", "ї": "ji", "ы": "y",
    "э": "e", "ъ": "",
}  # fmt: skip
_PL_SOFT = {"с": "ś", "з": "ź", "н": "ń", "ц": "ć"}
_PL_IOTATED = {"я": "a", "ю": "u", "є": "e", "ё": "o"}
"""Iotated vowels: j + vowel at the start or after a vowel, i + vowel after a consonant."""

# ---------------------------------------------------------------- Czech

_CS_COMMON = {
    "а": "a", "б": "b", "в": "v", "ґ": "g", "д": "d", "ж": "ž", "з": "z", "й": "j", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "ch", "ц": "c", "ч": "č", "ш": "š", "щ": "šč", "і": "i", "ї": "ji",
    "ы": "y", "э": "e", "ъ": "", "ь": "", "ʼ": "", "'": "", "’": "", "я": "ja", "ю": "ju",
    "є": "je", "ё": "jo",
}  # fmt: skip

# ---------------------------------------------------------------- German (Duden), Russian only

_DE_RU = {
    "а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "ж": "sch", "з": "s", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "т": "t", "у": "u", "ф": "f", "х": "ch",
    "ц": "z", "ч": "tsch", "ш": "sch", "щ": "schtsch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "ju", "я": "ja", "ё": "jo", "и": "i",
}  # fmt: skip


def _cased(text: str, like: str) -> str:
    return text[:1].upper() + text[1:] if like[:1].isupper() else text


def _polish(word: str, language: str) -> str:
    low = word.lower()
    out: list[str] = []
    for i, ch in enumerate(low):
        prev = low[i - 1] if i else ""
        nxt = low[i + 1] if i + 1 < len(low) else ""
        after_consonant = bool(prev) and prev not in _VOWELS and prev not in _SOFT_SIGNS
        if ch in _SOFT_SIGNS:
            if nxt in {"и", "і"}:
                out.append("j")  # Ильин → Iljin; before я ю є the vowel brings its j
            continue
        if ch == "л":
            soft = nxt in {"і", "ь", "я", "ю", "є", "ё"} or (language == RU and nxt in {"е", "и"})
            out.append("l" if soft else "ł")
        elif ch in _PL_SOFT and nxt == "ь":
            out.append(_PL_SOFT[ch])
        elif ch == "г":
            out.append("h" if language == UK else "g")
        elif ch == "и":
            out.append("y" if language == UK or prev in {"ж", "ш", "ц"} else "i")
        elif ch == "е":
            if language == UK or prev in {"ж", "ш", "ч", "щ", "ц"}:
                out.append("e")
            elif after_consonant:
                out.append("ie" if prev != "л" else "e")
            else:
                out.append("je")
        elif ch in _PL_IOTATED:
            if prev == "л":
                out.append(_PL_IOTATED[ch])
            else:
                out.append(("i" if after_consonant else "j") + _PL_IOTATED[ch])
        else:
            out.append(_PL_COMMON.get(ch, ch))
    return _cased("".join(out), word)


_PL_PRESS_ENDINGS = (
    ("ський", "ski"), ("цький", "cki"), ("зький", "ski"), ("ська", "ska"), ("цька", "cka"),
    ("ский", "ski"), ("цкий", "cki"), ("ская", "ska"), ("цкая", "cka"),
)  # fmt: skip


def polish(word: str, language: str, press: bool = True) -> str:
    """Вишневський → Wiszniewski (press) or Wysznewśkyj (letter for letter); Ковальчук →
    Kowalczuk; Лашко → Łaszko; Жуков → Żukow."""
    low = word.lower()
    if press:
        for ending, written in _PL_PRESS_ENDINGS:
            if low.endswith(ending) and len(low) > len(ending):
                return _cased(_polish(word[: -len(ending)], language).lower() + written, word)
    return _polish(word, language)


def czech(word: str, language: str, surname: bool = False) -> str:
    """Жуков → Žukov; Петрова → Petrovová; Вишневська → Vyšnevská; Щербак → Ščerbak."""
    low = word.lower()
    suffix = ""
    if surname and low.endswith(("ова", "ева", "єва", "ёва")) and len(low) > 4:
        low, suffix = low[:-1], "ová"
    elif surname and low.endswith(("ська", "цька", "ская", "цкая")):
        low, suffix = low[:-2], "á"
    out: list[str] = []
    for i, ch in enumerate(low):
        prev = low[i - 1] if i else ""
        if ch == "г":
            out.append("h" if language == UK else "g")
        elif ch == "и":
            out.append("y" if language == UK or prev in {"ж", "ш", "ц"} else "i")
        elif ch == "е":
            first = not prev or prev in _VOWELS or prev in _SOFT_SIGNS
            out.append("je" if language == RU and first else "e")
        else:
            out.append(_CS_COMMON.get(ch, ch))
    return _cased("".join(out) + suffix, word)


def german_from_russian(word: str) -> str:
    """Duden: Жуков → Schukow, Щербаков → Schtscherbakow, Юрий → Juri, Сергей → Sergej."""
    low = _names.fold_yo(word).lower()
    for ending, written in (("ский", "ski"), ("цкий", "zki"), ("ий", "i"), ("ый", "y")):
        if low.endswith(ending) and len(low) > len(ending):
            return _cased(german_from_russian(low[: -len(ending)]).lower() + written, word)
    out: list[str] = []
    for i, ch in enumerate(low):
        prev = low[i - 1] if i else ""
        nxt = low[i + 1] if i + 1 < len(low) else ""
        if ch == "с":
            out.append("ss" if prev in _VOWELS and nxt in _VOWELS else "s")
        elif ch == "е":
            out.append("je" if not prev or prev in _VOWELS or prev in {"ь", "ъ"} else "e")
        elif ch == "й":
            out.append("j" if nxt in _VOWELS or not nxt else "i")
        else:
            out.append(_DE_RU.get(ch, ch))
    return _cased("".join(out), word)


Writer = Callable[[str, bool], str]
"""(name part, is the surname) → the part written under one convention."""


def writer(language: str, source: str, rng: random.Random) -> tuple[Writer, str]:
    """A rendering of `source`-language Cyrillic (uk or ru) under `language`'s convention,
    and the convention's name (the scheme reported with the entry)."""
    if language in (UK, RU):
        return (lambda part, _surname: part), f"{language} Cyrillic"
    if language == "pl":
        press = rng.random() < 0.8
        return (
            lambda part, surname: polish(part, source, press and surname)
        ), f"pl ({'press' if press else 'letter for letter'}) from {source}"
    if language == "cs":
        return (lambda part, surname: czech(part, source, surname)), f"cs from {source}"
    if source == UK:
        table_name = rng.choice(_UK_TABLES[language])
        table = getattr(translitua, table_name)
        return (
            lambda part, _surname: str(translitua.translit(part, table))
        ), f"translitua:{table_name}"
    if language == "de":
        return (lambda part, _surname: german_from_russian(part)), "Duden from ru"
    schema_name = rng.choice(_RU_SCHEMAS[language])
    schema = iuliia.schemas.get(schema_name)
    return (
        lambda part, _surname: str(schema.translate(_names.fold_yo(part)))
    ), f"iuliia:{schema_name}"
