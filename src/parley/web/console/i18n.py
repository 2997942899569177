"""English and Ukrainian for every console screen, from Babel catalogues.

The `.po` files are read at start-up and compiled in memory, so there is no build step and no
compiled file to forget. The language of the request being rendered sits in a context variable,
so one Jinja environment serves every request.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from functools import cache
from gettext import NullTranslations
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = {"en": "English", "uk": "Українська"}
DEFAULT_LANGUAGE = "en"

current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT_LANGUAGE)


@cache
def translations(language: str) -> NullTranslations:
    po_file = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if not po_file.exists():
        return NullTranslations()
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def gettext(message: str) -> str:
    return translations(current_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language.get()).ngettext(singular, plural, n)
