"""Every console string has a Ukrainian translation, and every coded label an English one.

The messages are extracted the way Babel would for a translator: from the templates with the
Jinja2 extractor and from the console's Python with Babel's own, contexts (`pgettext`) and
plurals (`ngettext`) included. A missing entry, an empty or partly empty translation and an
entry still marked fuzzy all fail.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from parley.web.console import i18n, sentences

CONSOLE = Path(i18n.__file__).parent
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}
CODED = [f"{kind}:{code}" for kind, codes in i18n.LABELS.items() for code in codes]
Key = tuple[str | None, str]


def _read(language: str) -> Catalog:
    with (i18n.LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def _translated(catalog: Catalog) -> dict[Key, bool]:
    """Each entry, and whether it is usable: not fuzzy and no form of it empty."""
    found = {}
    for m in catalog:
        if not m.id:
            continue
        forms = m.string if isinstance(m.string, tuple | list) else (m.string,)
        msgid = m.id if isinstance(m.id, str) else m.id[0]
        found[(m.context, msgid)] = not m.fuzzy and all(forms)
    return found


def _extracted() -> dict[Key, str]:
    """Every message the console asks for, with where it is asked."""
    found: dict[Key, str] = {}
    sources = [
        ("**.html", "jinja2", {"extensions": "jinja2.ext.i18n"}),
        ("**.py", "python", {}),
    ]
    for pattern, method, options in sources:
        for path, line, message, _comments, context in extract_from_dir(
            str(CONSOLE),
            method_map=[(pattern, method)],
            options_map={pattern: options},
            keywords=KEYWORDS,
        ):
            msgid = message if isinstance(message, str) else message[0]
            if msgid:
                found.setdefault((context, msgid), f"{path}:{line}")
    return found


def test_the_extraction_sees_templates_python_contexts_and_plurals() -> None:
    found = _extracted()
    assert (None, "Registry") in found  # a template string
    assert (None, "Day") in found  # a string in the console's Python
    assert ("person", "Name") in found and ("title", "Name") in found
    assert (None, "%(num)d person") in found


def test_every_console_string_and_coded_label_has_a_ukrainian_translation() -> None:
    ukrainian = _translated(_read("uk"))
    wanted = {
        **_extracted(),
        **{(None, key): "i18n.LABELS" for key in CODED},
        **{(None, text): "i18n.WORDS" for text in i18n.WORDS},
        **{(None, text): "sentences.TEMPLATES" for text in sentences.TEMPLATES},
    }
    missing = sorted(f"{where}: {key}" for key, where in wanted.items() if key not in ukrainian)
    assert missing == []


def test_no_ukrainian_entry_is_fuzzy_or_empty() -> None:
    ukrainian = _translated(_read("uk"))
    assert sorted(str(key) for key, usable in ukrainian.items() if not usable) == []


def test_every_coded_label_reads_as_words_in_english() -> None:
    english = _translated(_read("en"))
    assert sorted(key for key in CODED if not english.get((None, key))) == []


def test_ukrainian_has_three_plural_forms() -> None:
    catalog = _read("uk")
    assert catalog.num_plurals == 3
    assert "n%10==1&&n%100!=11?0" in catalog.plural_expr.replace(" ", "")


def test_translations_reach_the_templates() -> None:
    token = i18n.current_language.set("uk")
    try:
        assert i18n.gettext("Registry") == "Реєстр"
        assert [i18n.ngettext("%(num)d person", "%(num)d persons", n) for n in (1, 3, 5, 11)] == [
            "%(num)d особа",
            "%(num)d особи",
            "%(num)d осіб",
            "%(num)d осіб",
        ]
        assert i18n.pgettext("verb", "Record") != i18n.pgettext("noun", "Record")
        assert i18n.label("status", "in_captivity") == "у полоні"
    finally:
        i18n.current_language.reset(token)


def test_every_sentence_template_keeps_its_fields_in_both_languages() -> None:
    """A Ukrainian template that lost or renamed a `{field}` would drop a value silently."""
    fields = re.compile(r"\{(\w+)\}")
    wrong = []
    for language in ("en", "uk"):
        catalog = _read(language)
        for template in sentences.TEMPLATES:
            said = catalog.get(template)
            if said is None or sorted(fields.findall(str(said.string))) != sorted(
                fields.findall(template)
            ):
                wrong.append(f"{language}: {template}")
    assert wrong == []
