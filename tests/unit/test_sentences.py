"""The services' English sentences read in Ukrainian on the console (web/console/sentences)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from markupsafe import escape

from parley.domain.dates import PartialDate
from parley.domain.exchange.categories import (
    STANDARD_CATEGORIES,
    Consent,
    LegalHold,
    PersonFacts,
)
from parley.domain.exchange.commissions import Decision, MedicalStanding
from parley.domain.exchange.manifests import check_manifest_person
from parley.domain.registry.events import Status
from parley.domain.registry.persons import PersonCategory
from parley.web.console import i18n
from parley.web.console.sentences import sentence

ON = date(2025, 6, 9)
LATIN_WORD = re.compile(r"\b[a-z]{3,}\b")


@pytest.fixture
def ukrainian() -> Iterator[None]:
    token = i18n.current_language.set("uk")
    yield
    i18n.current_language.reset(token)


def _facts(**changes: object) -> PersonFacts:
    values: dict[str, object] = {
        "key": "p-1",
        "person_id": 1,
        "name": "Testenko Ivan",
        "side": "UA",
        "category": PersonCategory.MILITARY,
        "status": Status.IN_CAPTIVITY,
        "consent": Consent.GIVEN,
    }
    return PersonFacts(**(values | changes))  # type: ignore[arg-type]


def _domain_sentences() -> list[str]:
    """Sentences as the domain writes them today, so a changed wording fails here."""
    said = [
        e.reason
        for facts in (
            _facts(status=Status.MISSING, consent=Consent.UNKNOWN),
            _facts(status=None, consent=Consent.REFUSED, consent_recorded_on=date(2025, 5, 1)),
            _facts(legal_hold=LegalHold("справа 12-2024", date(2024, 1, 2))),
        )
        for e in check_manifest_person(facts, ON)
    ]
    for facts in (
        _facts(birth_date=PartialDate.parse("2001-03-04")),
        _facts(birth_date=PartialDate.parse("1990")),
        _facts(category=PersonCategory.CIVILIAN),
        _facts(medical=MedicalStanding(Decision.REPATRIATE, date(2025, 5, 20))),
        _facts(medical=MedicalStanding(Decision.REJECT, date(2025, 5, 20))),
    ):
        for rule in STANDARD_CATEGORIES.values():
            said.append(rule.evaluate(facts, ON).reason)
    return said


def test_every_sentence_the_domain_writes_here_reads_in_ukrainian(ukrainian: None) -> None:
    left = {text: sentence(text) for text in _domain_sentences()}
    english = {k: v for k, v in left.items() if LATIN_WORD.search(v.replace("art.", ""))}
    assert english == {}


@pytest.mark.parametrize(
    ("english", "ukrainian_text"),
    [
        ("status is missing, not in custody", "статус «зниклий безвісти», не під вартою"),
        (
            "over capacity: the stage takes 1,000 per side; priority 1,234 of 2,000 ready "
            "in 'aged_18_25'",
            "понад місткість: етап бере 1\u00a0000 з кожної сторони; черговість 1\u00a0234 з "
            "2\u00a0000 готових у категорії «віком 18–25 років»",
        ),
        (
            "confirmed: RU confirmed E5 of 'Prisoners' v1",
            "підтверджено: RU підтвердила E5 зі списку «Prisoners» в1",
        ),
        ("2 of 3 votes for repatriate", "2 з 3 голосів за «репатріювати»"),
        ("consent not recorded; an officer's own note", "згоду не записано; an officer's own note"),
        ("a sentence nobody knows", "a sentence nobody knows"),
    ],
)
def test_values_read_as_their_kind_and_unknown_text_stays_as_written(
    ukrainian: None, english: str, ukrainian_text: str
) -> None:
    assert sentence(english) == ukrainian_text


def test_english_pages_get_the_sentence_back_with_dates_as_people_write_them() -> None:
    def day(found: re.Match[str]) -> str:
        return str(i18n.format_day(found.group()).striptags())

    for text in _domain_sentences():
        assert sentence(text) == re.sub(r"\b\d{4}-\d{2}-\d{2}\b", day, text)


KEY = "88b1:82bd:feb6:c63f:5f31:ab93:d9c7:0a5f"


@pytest.mark.parametrize(
    ("detail", "expected"),
    [
        ("created at 2026-12-06T18:26:17Z", "створено 6 груд. 2026 р., 18:26 UTC"),
        ("canonical JSON, 12,345 bytes", "канонічний JSON, 12\xa0345 байтів"),
        ("parley.bundle/1, kind key_announcement", "parley.bundle/1, вид оголошення ключа"),
        (
            f"key {KEY} is not in the trust store for RU; check the fingerprint with RU before "
            "trusting it",
            f"ключа {KEY} немає серед довірених ключів сторони RU; звірте відбиток зі стороною RU",
        ),
        (  # a value named twice must be the same value, else the sentence is not this one
            f"key {KEY} is not in the trust store for RU; check the fingerprint with UA before "
            "trusting it",
            f"key {KEY} is not in the trust store for RU",
        ),
        (
            "created at 2026-12-06T19:00:00Z, more than 5 minutes after this instance's clock "
            "(2026-12-06T18:00:00Z): refused",
            "створено 6 груд. 2026 р., 19:00 UTC, більш ніж на 5 хв пізніше за годинник цього "
            "екземпляра (6 груд. 2026 р., 18:00 UTC): відхилено",
        ),
        (
            f"key {KEY} was revoked on 2026-11-30T08:00:00+00:00 (leaked)",
            f"ключ {KEY} відкликано 30 лист. 2026 р., 08:00 UTC (leaked)",
        ),
    ],
)
def test_a_bundles_check_details_read_in_ukrainian(
    ukrainian: None, detail: str, expected: str
) -> None:
    assert sentence(detail).startswith(expected)


@pytest.mark.parametrize(
    ("language", "recorded", "shown", "exact"),
    [
        ("uk", "1990-05-03", "3 трав. 1990 р.", "1990-05-03"),
        ("uk", "1990-05", "трав. 1990 р.", "1990-05"),
        ("uk", "1990", "1990", "1990"),
        ("uk", PartialDate(1990, 5), "трав. 1990 р.", "1990-05"),
        ("uk", date(1990, 5, 3), "3 трав. 1990 р.", "1990-05-03"),
        ("en", "1990-05-03", "May 3, 1990", "1990-05-03"),
        ("en", "1990-05", "May 1990", "1990-05"),
        ("en", "14.03.1990", "Mar 14, 1990", "1990-03-14"),
    ],
)
def test_a_birth_date_reads_as_the_language_writes_it_to_the_precision_recorded(
    language: str, recorded: object, shown: str, exact: str
) -> None:
    token = i18n.current_language.set(language)
    try:
        said = i18n.format_birth(recorded)
    finally:
        i18n.current_language.reset(token)
    spaced = re.sub(r"\s", " ", said)  # CLDR writes a no-break space before "р."
    assert spaced == f'<time datetime="{exact}">{shown}</time>'


@pytest.mark.parametrize("recorded", ["", None, "about 1990", "1990-13", "<b>1990</b>"])
def test_a_birth_date_that_is_no_date_stays_as_written(recorded: str | None) -> None:
    assert i18n.format_birth(recorded) == ("" if recorded is None else escape(recorded))


def test_a_partial_birth_in_a_sentence_reads_as_the_language_writes_it(ukrainian: None) -> None:
    said = re.sub(r"\s", " ", sentence("born 1990-05 (month only)"))
    assert said == "народився трав. 1990 р. (лише місяць)"


@pytest.mark.parametrize(
    ("language", "value", "digits", "signed", "shown"),
    [
        ("en", 12345, None, False, "12,345"),
        ("uk", 12345, None, False, "12 345"),
        ("uk", -1200, None, True, "-1 200"),
        ("en", 1200, None, True, "+1,200"),
        ("uk", 0.87345, 3, False, "0,873"),
        ("en", 0.87346, 4, False, "0.8735"),
        ("uk", 2.5, 1, True, "+2,5"),
        ("uk", None, 3, False, ""),
    ],
)
def test_numbers_group_and_mark_decimals_as_the_language_does(
    language: str, value: float | None, digits: int | None, signed: bool, shown: str
) -> None:
    """Gaps, probabilities and weights showed `+1,200` and `0.873` on Ukrainian pages."""
    token = i18n.current_language.set(language)
    try:
        said = i18n.format_number(value, digits, signed)
    finally:
        i18n.current_language.reset(token)
    assert re.sub(r"\s", " ", said) == shown


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("writing the document", "створення документа"),
        ("engine records: 1,000/2,500", "записи рушія: 1 000/2 500"),
        (
            "match run 7: 1,200 entries — 900 matched, 250 to review, 50 no match",
            "запуск зіставлення 7: записів — 1 200; зіставлено — 900, на перевірку — 250, "
            "без збігу — 50",
        ),
        (
            "held.csv was already imported on 2026-12-06 18:26 by console:olena (import 3); "
            "nothing changed",
            "held.csv уже імпортовано 6 груд. 2026 р., 18:26 UTC, імпортував olena (консоль) "
            "(імпорт 3); нічого не змінено",
        ),
        ("held.csv: 12 persons imported (utf-8)", "held.csv: імпортовано осіб — 12 (utf-8)"),
    ],
)
def test_what_a_job_says_reads_in_ukrainian(ukrainian: None, message: str, expected: str) -> None:
    """A job's progress and summary showed in English, an import's time as `2026-12-06 18:26`."""
    assert re.sub(r"\s", " ", sentence(message)) == expected


def test_a_built_lists_category_evidence_reads_in_ukrainian(ukrainian: None) -> None:
    """`born 2001-12-04: aged 18-25; held` showed as written on Ukrainian list pages; the
    status is the sender's, so it reads without saying whose custody."""
    said = re.sub(r"\s", " ", sentence("born 2001-12-04: aged 18-25; held"))
    assert said == "народився 4 груд. 2001 р.: вік 18-25; утримується"
    assert sentence("born 1990-05: aged 30-40; in captivity").endswith("вік 30-40; у полоні")
    assert sentence("their own words; held") == "their own words; утримується"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "list.csv: import refused, 3 problems found; nothing was stored",
            "list.csv: імпорт відхилено, знайдено проблем: 3; нічого не збережено",
        ),
        (
            "row 3, field 'birth_date': '31.02.1990' is not a date; use YYYY, YYYY-MM, "
            "YYYY-MM-DD or DD.MM.YYYY",
            "рядок 3, поле 'birth_date': '31.02.1990' — не дата; пишіть РРРР, РРРР-ММ, "
            "РРРР-ММ-ДД або ДД.ММ.РРРР",
        ),
        ("list.csv: row 4, field 'birth_date': 1990-02 has no day 30", "у лют. 1990 р."),
        ("… and 12 more", "… і ще 12"),
        ("interrupted by restart", "перервано перезапуском"),
    ],
)
def test_why_a_job_failed_reads_in_ukrainian(ukrainian: None, line: str, expected: str) -> None:
    assert expected in re.sub(r"\s", " ", sentence(line))


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("Stage 1: released by UA", "Stage 1: звільняє UA"),
        ("Stage 1: expected back by RU", "Stage 1: повернення очікує RU"),
        ("Stage 1: held back (GC III art. 115)", "Stage 1: затримані (ЖК III ст. 115)"),
        (
            "Response to UA Stage 1: executed v2",
            "Відповідь на список UA Stage 1: виконано, версія 2",
        ),
        ("stage 4, 2025-06-09, executed", "етап 4, 9 черв. 2025 р., виконано"),
        ("2 stage claim(s): Istanbul; Geneva", "заяви на етапах (2): Istanbul; Geneva"),
        ("Prisoners 18-25", "Prisoners 18-25"),  # a title someone typed
    ],
)
def test_titles_the_services_store_read_in_ukrainian(
    ukrainian: None, stored: str, shown: str
) -> None:
    assert sentence(stored) == shown


def test_a_reconciliation_proposes_its_reasons_in_words_the_console_translates(
    ukrainian: None,
) -> None:
    """From the domain itself, so a reworded reason fails here."""
    from parley.domain.lists import Finding, proposed_response

    since = date(2024, 5, 2)
    said = [
        sentence(proposed_response("E1", Finding.MISSING, Status.MISSING, since).reason),
        sentence(proposed_response("E2", Finding.HELD).reason),
        sentence(proposed_response("E3", Finding.DEAD, None, since).reason),
        sentence(proposed_response("E4", Finding.DUPLICATE, duplicate_of="E1").reason),
        sentence(proposed_response("E5", Finding.UNKNOWN).reason),
    ]
    assert said == [
        "відомо нам: зниклий безвісти з 2 трав. 2024 р.",
        "відомо нам: " + i18n.label("finding", "known_held"),
        "записано загиблим з 2 трав. 2024 р.",
        "дублікат запису E1",
        "немає в нашому реєстрі",
    ]


def test_category_evidence_and_a_list_category_read_as_words(ukrainian: None) -> None:
    from parley.web.console.sentences import categories, evidence

    assert evidence("released; military_prisoners; transferred") == "; ".join(
        [
            i18n.label("status", "released"),
            i18n.label("agreed_category", "military_prisoners"),
            i18n.label("stage_outcome", "transferred"),
        ]
    )
    assert evidence("born 2001-12-04: aged 18-25; held").startswith("народився 4 груд. 2001")
    assert categories("military_prisoners, civilian_detainees") == i18n.labels(
        "agreed_category", ["military_prisoners", "civilian_detainees"]
    )
    assert categories("aged 18-25") == "aged 18-25"


def test_an_agreed_category_reason_keeps_its_parts_apart(ukrainian: None) -> None:
    """`'{agreed}': {reason}` around an age sentence: the birth date never swallows the code
    before it (a stage page showed `'aged_18_25': народився 2003-08-22: aged 21`)."""
    shown = sentence("'aged_18_25': born 2003-08-22: aged 21 on 2025-06-09, within 18–25")
    assert shown == (
        f"«{i18n.label('agreed_category', 'aged_18_25')}»: народився 22 серп. 2003 р.: "
        "вік 21 на 9 черв. 2025 р., у межах 18–25"
    )
