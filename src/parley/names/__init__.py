"""Names across scripts, languages and standards: parsing, equivalents and matching keys.

The humanitarian track matches lists of captured soldiers against a registry. The same man
is `Шевченко Олександр Іванович` in the Ukrainian registry, `Шевченко Александр Иванович`
on a Russian list, `SHEVCHENKO OLEKSANDR` in his passport, `Alexander Shevchenko` in the
press. This package turns any of these into the same keys, so that linkage compares names
rather than spellings:

- `parse_name` splits a full name in any order into surname, given name, patronymic.
- `equivalents` gives the Ukrainian and Russian Cyrillic forms of a name (names-translator).
- `renderings` gives its Latin forms under the standards documents use (translitua, iuliia).
- `name_keys` gives the small set of keys every spelling of the name shares; `folded` one
  canonical Latin form for string similarity; `keys_for_name` / `keys_for_text` both, per
  part, with the sex the name implies (`infer_sex`).

The dictionaries load once per process, on first use (a few seconds); call
`load_dictionaries()` at start-up to pay that before the first request.
"""

from parley.names.equivalents import equivalents
from parley.names.fullnames import NameKeys, keys_for_name, keys_for_text
from parley.names.gender import infer_sex
from parley.names.keys import folded, name_keys
from parley.names.latin import RUSSIAN_SCHEMES, UKRAINIAN_SCHEMES, renderings
from parley.names.lexicon import load as load_dictionaries
from parley.names.parsing import ParsedName, parse_name
from parley.names.roles import NamePart

__all__ = [
    "RUSSIAN_SCHEMES",
    "UKRAINIAN_SCHEMES",
    "NameKeys",
    "NamePart",
    "ParsedName",
    "equivalents",
    "folded",
    "infer_sex",
    "keys_for_name",
    "keys_for_text",
    "load_dictionaries",
    "name_keys",
    "parse_name",
    "renderings",
]
