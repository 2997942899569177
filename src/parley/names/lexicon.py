"""The known given names and patronymics, in key space.

Two Latin lists can spell one man Oleksandr (from Ukrainian) and Aleksandr (from Russian):
no reading rule joins them, the dictionaries do. The lexicon is every dictionary entry's
Ukrainian and Russian forms, reduced to keys and grouped, so a Latin reading that is a
known name brings the keys of its other-language forms along, and folds to the skeleton of
its Russian form exactly as the Cyrillic name does. Surnames are left out: 118,000 entries
would cost seconds at start-up, and their two forms rarely differ beyond what keys absorb.

A few press forms translate a name instead of transliterating it (Paul, Andrew, George);
no library covers them, so they are listed here, each mapped to its Russian form.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from functools import cache, lru_cache

from parley.names import dictionaries, stored
from parley.names.dictionaries import is_ukrainian_spelling, ukrainian_to_russian
from parley.names.latin import romanise
from parley.names.roles import NamePart
from parley.names.skeletons import clean_latin, english_reading, for_role, preferred_reading

EXONYMS: Mapping[str, str] = {
    "paul": "павел", "pawel": "павел", "andrew": "андрей", "andrzej": "андрей",
    "andre": "андрей", "nicholas": "николай", "nicolas": "николай", "nikolaus": "николай",
    "mikolaj": "николай", "george": "георгий", "georg": "георгий", "georges": "георгий",
    "jerzy": "юрий", "gregory": "григорий", "grzegorz": "григорий", "eugene": "евгений",
    "eugen": "евгений", "joseph": "иосиф", "josef": "иосиф", "jozef": "иосиф",
    "jacob": "яков", "jakob": "яков", "jakub": "яков", "stephen": "степан",
    "steven": "степан", "stefan": "степан", "matthew": "матвей", "mateusz": "матвей",
    "michael": "михаил", "michel": "михаил", "pierre": "петр", "catherine": "екатерина",
    "katharina": "екатерина", "katarzyna": "екатерина", "helen": "елена", "helena": "елена",
    "mary": "мария", "marie": "мария", "anne": "анна", "ann": "анна", "natalie": "наталья",
    "nathalie": "наталья", "julie": "юлия", "sophie": "софья", "elizabeth": "елизавета",
}  # fmt: skip
"""English, German, French and Polish forms that are translations (Paul for Павло/Павел)."""


_CLUSTERS: Mapping[str, tuple[str, ...]] = {
    "ьо": ("е",), "зг": ("ж",), "сг": ("ш", "ж"), "сх": ("ш",), "зх": ("ж",), "цх": ("ч",),
    "кг": ("х",), "ъ": ("іе",),
}  # fmt: skip
"""Clusters some standard spells like one other letter. Ukrainian ьо is Russian ё (Alona in
KMU, Aliona or Aljona elsewhere, Alyona for Алёна); KMU, BGN and German write зг and сг as
zh and sh (KMU has zgh for зг, but not for сг; German reads its sh as ж), ISO 9 writes сх,
зх, цх as sh, zh, ch, and ICAO writes ъ as ie."""


@lru_cache(maxsize=1 << 18)
def form_keys(form: str, role: NamePart) -> tuple[str, ...]:
    """Keys of one Cyrillic form in dictionary key form (lower case, ё as е).

    A form holding one of `_CLUSTERS` gets a second key read as if it held the letter instead.
    """
    variants = [form]
    for cluster, letters in _CLUSTERS.items():
        if cluster in form:
            variants.extend([v.replace(cluster, letter) for v in variants for letter in letters])
    keys: list[str] = []
    for variant in variants:
        romanised = romanise(variant)
        key = for_role(english_reading(romanised), role)
        if key and key not in keys:
            keys.append(key)
    return tuple(keys)


@cache
def _lexicon(role: NamePart) -> tuple[Mapping[str, frozenset[str]], Mapping[str, str]]:
    """Each key's linked keys, and the canonical key it folds to (read from disk if built)."""
    built: list[tuple[Mapping[str, frozenset[str]], Mapping[str, str]]] = []

    def links() -> stored.Table:
        built.append(_build_lexicon(role))
        return {key: sorted(group) for key, group in built[0][0].items()}

    def canonicals() -> stored.Table:
        made = built[0] if built else _build_lexicon(role)
        return {key: [canonical] for key, canonical in made[1].items()}

    linked = stored.table(f"lexicon-links-{role}", links)
    canonical = stored.table(f"lexicon-canonical-{role}", canonicals)
    return (
        {key: frozenset(group) for key, group in linked.items()},
        {key: found[0] for key, found in canonical.items() if found},
    )


def _build_lexicon(role: NamePart) -> tuple[Mapping[str, frozenset[str]], Mapping[str, str]]:
    links: dict[str, set[str]] = {}
    votes: dict[str, Counter[str]] = {}
    canonicals: set[str] = set()

    def add(group: set[str], canonical: str) -> None:
        canonicals.add(canonical)
        for key in group:
            links.setdefault(key, set()).update(group)
            votes.setdefault(key, Counter())[canonical] += 1

    for ukrainian, russian in ukrainian_to_russian(role).items():
        if not russian or not is_ukrainian_spelling(ukrainian):
            continue
        canonicals_of_entry = form_keys(russian[0], role)
        group = set(form_keys(ukrainian, role))
        for form in russian:
            group.update(form_keys(form, role))
        if canonicals_of_entry:
            add(group, canonicals_of_entry[0])
    if role is NamePart.GIVEN:
        for latin, russian_name in EXONYMS.items():
            # One way only: Paul brings Павел's keys, Павел does not bring Paul's.
            keys = form_keys(russian_name, role)
            exonym = for_role(english_reading(latin), role)
            links.setdefault(exonym, set()).update(keys, links.get(keys[0], ()))
            votes.setdefault(exonym, Counter())[keys[0]] += 1
    frozen = {key: frozenset(group) for key, group in links.items()}
    canonical_of = {
        key: key if key in canonicals else counter.most_common(1)[0][0]
        for key, counter in votes.items()
    }
    return frozen, canonical_of


def _covered(role: NamePart) -> bool:
    return role is not NamePart.SURNAME


def linked_readings(key: str, role: NamePart) -> frozenset[str]:
    """Keys of the other-language forms of a known name (empty when unknown)."""
    if not _covered(role):
        return frozenset()
    return _lexicon(role)[0].get(key, frozenset())


def canonical_reading(key: str, role: NamePart) -> str | None:
    """The key of the Russian form of a known name, None when the name is not known."""
    if not _covered(role):
        return None
    return _lexicon(role)[1].get(key)


def is_known(word: str, role: NamePart) -> bool:
    """Whether a Latin word reads as a known given name or patronymic.

    Only its likeliest readings count: a far-fetched one (Chmil read as French, shmil) can
    hit some rare name in 11,000.
    """
    cleaned = clean_latin(word)
    readings = {preferred_reading(cleaned), english_reading(cleaned)}
    return any(canonical_reading(for_role(reading, role), role) is not None for reading in readings)


def load() -> None:
    """Load the dictionaries and build the lexicon now, not on the first request."""
    dictionaries.load()
    for role in NamePart:
        if _covered(role):
            _lexicon(role)
