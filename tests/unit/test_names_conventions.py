"""The foreign press's spellings share a key with the Cyrillic they were made from.

For each convention (German, Polish, Czech, French), over names drawn from the Ukrainian and
Russian dictionaries, masculine and feminine: the keys of the transcription meet the keys of
the Cyrillic, as they do for the national standards (test_names_keys). The transcriptions come
from `parley.scenarios.foreign`, which follows each language's published rules.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.names import name_keys
from parley.scenarios import _names
from parley.scenarios.foreign import LANGUAGES, feminine_surname, transcribe

UK_SURNAMES = st.sampled_from(_names.ukrainian_surnames())
RU_SURNAMES = st.sampled_from(_names.russian_surnames())
UK_GIVEN = st.sampled_from(sorted({*_names.UK_MALE, *_names.UK_FEMALE}))
RU_GIVEN = st.sampled_from(sorted({*_names.RU_MALE, *_names.RU_FEMALE}))


def _meets(cyrillic: str, latin: str) -> bool:
    return bool(name_keys(cyrillic) & name_keys(latin))


@pytest.mark.parametrize("language", LANGUAGES)
@given(data=st.data())
@settings(max_examples=150, deadline=None)
def test_surnames_in_every_convention_share_a_key(language: str, data: st.DataObject) -> None:
    source = data.draw(st.sampled_from(["uk", "ru"]))
    surname = data.draw(UK_SURNAMES if source == "uk" else RU_SURNAMES)
    written = transcribe(surname, language, source)
    assert _meets(surname, written), (surname, written)
    woman = _names.feminine(surname, source)
    written = feminine_surname(transcribe(woman, language, source), language, woman)
    assert _meets(woman, written), (woman, written)


@pytest.mark.parametrize("language", LANGUAGES)
@given(data=st.data())
@settings(max_examples=100, deadline=None)
def test_given_names_in_every_convention_share_a_key(language: str, data: st.DataObject) -> None:
    source = data.draw(st.sampled_from(["uk", "ru"]))
    name = data.draw(UK_GIVEN if source == "uk" else RU_GIVEN)
    written = transcribe(name, language, source)
    assert _meets(name, written), (name, written)


@pytest.mark.parametrize(
    ("cyrillic", "written"),
    [
        ("Жуков", "Schukow"),  # German: ж is sch, в is w
        ("Брежнєв", "Breschnew"),
        ("Шелюженко", "Scheljuschenko"),  # ш and ж both sch in one word
        ("Лашко", "Łaszko"),  # Polish: ł, sz
        ("Шевченко", "Szewczenko"),
        ("Возгречко", "Wozhreczko"),  # зг as zh beside Polish letters
        ("Захарова", "Zacharovová"),  # Czech feminine -ová on a Russian feminine
        ("Тимошенко", "Tymošenková"),
        ("Ковальська", "Kovalská"),
        ("Яценюк", "Jaceňuk"),  # Czech ň before a vowel
        ("Шойгу", "Choïgou"),  # French: ch, ou, ï
        ("Ющенко", "Iouchtchenko"),
        ("Зеленський", "Selenskyj"),
    ],
)
def test_press_spellings_share_a_key(cyrillic: str, written: str) -> None:
    assert _meets(cyrillic, written)
