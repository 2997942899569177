"""Latin renderings of a Cyrillic name under the standards real documents were written in.

Ukrainian text goes through translitua's Ukrainian tables (passports of 1996, 2004, 2007 and
2010, BGN, ISO 9, DSTU 9112, the German and French press tables); Russian text through
iuliia's Russian schemes (ICAO, the MVD passport orders of 1997 and 2000, GOST 52535,
BGN/PCGN, GOST 7.79). Russian schemes never see Ukrainian text: they leave і, ї, є, ґ as
Cyrillic, so a Ukrainian part is rendered through its Russian equivalent instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import iuliia  # type: ignore[import-untyped]
import translitua
from translitua.translit import TransliterationTable

from parley.names.dictionaries import lookup_key
from parley.names.equivalents import display_form, language_of, russian_form
from parley.names.roles import NamePart
from parley.names.scripts import RUSSIAN, UKRAINIAN, clean_part, is_cyrillic, letters_language

UKRAINIAN_SCHEMES: Mapping[str, type[TransliterationTable]] = {
    "translitua:UkrainianKMU": translitua.UkrainianKMU,
    "translitua:Passport2007": translitua.UkrainianPassport2007,
    "translitua:Passport2004Alt": translitua.UkrainianPassport2004Alt,
    "translitua:National1996": translitua.UkrainianNational1996,
    "translitua:BGN": translitua.UkrainianBGN,
    "translitua:British": translitua.UkrainianBritish,
    "translitua:ISO9": translitua.UkrainianISO9,
    "translitua:GOST1971": translitua.UkrainianGOST1971,
    "translitua:GOST1986": translitua.UkrainianGOST1986,
    "translitua:DSTU9112A": translitua.UkrainianDSTU9112A,
    "translitua:DSTU9112B": translitua.UkrainianDSTU9112B,
    "translitua:WWS": translitua.UkrainianWWS,
    "translitua:ALALC": translitua.UkrainianALALC,
    "translitua:German": translitua.UkrainianGerman,
    "translitua:French": translitua.UkrainianFrench,
}
"""KMU is the 2010 national standard (= BGN/PCGN 2019 = UNGEGN); the rest are older passports,
library and scientific standards, and the German and French press conventions."""

RUSSIAN_SCHEMES: tuple[str, ...] = (
    "icao_doc_9303",
    "gost_52535",
    "mvd_310",
    "mvd_310_fr",
    "mvd_782",
    "bgn_pcgn",
    "gost_779_alt",
    "ala_lc",
    "bs_2979",
    "wikipedia",
)
"""Russian passports (ICAO since 2010, GOST 52535 2006-2010, MVD 310 and its French variant
1997, MVD 782 2000), the press (BGN/PCGN, Wikipedia), libraries and GOST 7.79 B. ISO 9 for
Russian (GOST 7.79 A) is left out: its h for х cannot be told from the h for г of Ukrainian
standards in words that also hold y, so its renderings would need junk keys to match."""


_RUSSIAN_ONLY = str.maketrans(
    {"ё": "е", "ъ": None, "ы": "и", "э": "е", "'": None, "ʼ": None, "ш": "š"}
)
"""ш is written š, which every convention reads as ш: Passport 2007's sh would run into a
preceding т or ц as ts + h (Ахметшин, Akhmetshyn) and no longer meet the Czech Achmetšin."""


def romanise(key: str) -> str:
    """The one romanisation keys are read from: Passport 2007, Russian-only letters mapped first.

    Its output reads unambiguously under the English convention (it writes г as g, so сг,
    кг, тг never become sh, kh, th as in KMU), and on the letters both alphabets share it
    agrees with ICAO once skeletonised.
    """
    return translitua.translit(key.translate(_RUSSIAN_ONLY), translitua.UkrainianPassport2007)


@cache
def _russian_schema(name: str) -> iuliia.Schema:
    return iuliia.schemas.get(name)


def render_russian(text: str, scheme: str) -> str:
    """One iuliia scheme; schemes that leave ё untouched get е instead."""
    rendered: str = _russian_schema(scheme).translate(text)
    if "ё" in rendered or "Ё" in rendered:
        rendered = _russian_schema(scheme).translate(text.replace("ё", "е").replace("Ё", "Е"))
    return rendered


def renderings(part: str, role: NamePart) -> dict[str, str]:
    """Latin renderings keyed "translitua:<table>" or "iuliia:<scheme>"; {} for Latin text."""
    text = clean_part(part)
    if not text or not is_cyrillic(text):
        return {}
    words = text.split(" ")
    languages = {letters_language(word) or language_of(lookup_key(word), role) for word in words}
    result: dict[str, str] = {}
    if RUSSIAN not in languages:
        for scheme, table in UKRAINIAN_SCHEMES.items():
            result[scheme] = translitua.translit(text, table)
    russian = text
    if UKRAINIAN in languages:
        forms = [russian_form(lookup_key(word), role) for word in words]
        if any(
            form == lookup_key(word) and language_of(form, role) == UKRAINIAN
            for form, word in zip(forms, words, strict=True)
        ):
            return result
        russian = " ".join(display_form(form) for form in forms)
    for scheme in RUSSIAN_SCHEMES:
        result[f"iuliia:{scheme}"] = render_russian(russian, scheme)
    return result
