"""The synthetic world: deterministic, realistic enough to measure matching on, and valid."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import date

import pytest

from parley.domain.registry.events import History
from parley.domain.registry.persons import PersonName, Script, Sex, normalise_identifier
from parley.scenarios import _names
from parley.scenarios._census import _ranked_surnames
from parley.scenarios.population import PersonDraft, Scale, Surnames, World, generate_world

TODAY = date(2025, 6, 2)
PARTIES = ("UA", "RU")


@pytest.fixture(scope="module")
def world() -> World:
    return generate_world(7, Scale.SMALL, TODAY)


def _own(world: World, party: str) -> list[PersonDraft]:
    return [d for d in world.registry(party) if d.person.side == party]


def _prisoners(world: World, party: str) -> list[PersonDraft]:
    return [d for d in world.registry(party) if d.person.side != party]


def test_same_seed_gives_the_same_world(world: World) -> None:
    again = generate_world(7, Scale.SMALL, TODAY)
    for party in PARTIES:
        assert again.registry(party) == world.registry(party)


def test_ranked_surnames_are_deterministic_and_ranked(world: World) -> None:
    ranked = generate_world(7, Scale.SMALL, TODAY, surnames=Surnames.RANKED)
    assert ranked.registry("UA") == generate_world(
        7, Scale.SMALL, TODAY, surnames=Surnames.RANKED
    ).registry("UA")
    assert ranked.registry("UA") != world.registry("UA")
    pool, cumulative = _ranked_surnames(_names.UK)
    assert len(pool) == len(set(pool)) == len(cumulative)
    first, second = cumulative[0], cumulative[1] - cumulative[0]
    last = cumulative[-1] - cumulative[-2]
    assert first > second > last
    assert 0.002 < first / cumulative[-1] < 0.004  # the commonest: about 0.3 % of people


def test_different_seeds_give_different_worlds(world: World) -> None:
    other = generate_world(8, Scale.SMALL, TODAY)
    for party in PARTIES:
        mine = {d.person.display_name for d in world.registry(party)}
        theirs = {d.person.display_name for d in other.registry(party)}
        assert mine != theirs
        assert {d.person.uid for d in world.registry(party)}.isdisjoint(
            d.person.uid for d in other.registry(party)
        )


def test_sizes_at_small_scale(world: World) -> None:
    for party in PARTIES:
        assert 180 <= len(_own(world, party)) <= 220
        assert 60 <= len(_prisoners(world, party)) <= 100
    assert world.registry("TR") == []


def test_every_prisoner_is_also_in_his_own_sides_registry(world: World) -> None:
    for holder, side in (("UA", "RU"), ("RU", "UA")):
        own_keys = {d.truth_key for d in _own(world, side)}
        held = _prisoners(world, holder)
        assert held
        assert {d.person.side for d in held} == {side}
        assert {d.truth_key for d in held} <= own_keys


@pytest.mark.parametrize(
    ("party", "language", "foreign_letters"), [("UA", "uk", "ыэъё"), ("RU", "ru", "іїєґʼ'")]
)
def test_own_people_are_written_in_their_own_language_with_patronymic(
    world: World, party: str, language: str, foreign_letters: str
) -> None:
    for draft in _own(world, party):
        (name,) = draft.person.names
        assert name.primary
        assert (name.script, name.language, name.scheme) == (Script.CYRILLIC, language, None)
        assert not set(name.full.lower()) & set(foreign_letters), name.full
        assert re.fullmatch(r"[А-ЯЁЄІЇҐа-яёєіїґʼ' -]+", name.full), name.full
        ending = ("на",) if draft.person.sex is Sex.FEMALE else ("ич", "іч")  # Ілліч
        assert name.patronymic.endswith(ending), name.full


def test_a_realistic_share_of_own_people_is_aged_18_to_25(world: World) -> None:
    for party in PARTIES:
        own = _own(world, party)
        ages = [d.person.age_on(TODAY) for d in own]
        # a birth year alone makes an 18-year-old possibly 17
        assert all(a is not None and a[0] >= 17 and a[1] <= 76 for a in ages)
        young = sum(1 for a in ages if a is not None and a[0] >= 18 and a[1] <= 25)
        assert 0.05 <= young / len(own) <= 0.25


def test_captors_write_prisoners_differently_from_their_own_side(world: World) -> None:
    for holder, side in (("UA", "RU"), ("RU", "UA")):
        own = {d.truth_key: d.person.primary_name.full for d in _own(world, side)}
        held = _prisoners(world, holder)
        differ = sum(1 for d in held if d.person.primary_name.full != own[d.truth_key])
        assert differ / len(held) > 0.7


def test_latin_renderings_say_how_they_were_made(world: World) -> None:
    latin: list[PersonName] = [
        n
        for p in PARTIES
        for d in world.registry(p)
        for n in d.person.names
        if n.script is Script.LATIN
    ]
    assert latin
    for name in latin:
        assert not re.search(r"[А-яЁёІіЇїЄєҐґ]", name.full), name.full
        tool = "translitua:" if name.language == "uk" else "iuliia:"
        assert name.scheme is not None
        assert name.scheme.startswith(tool), name


def test_women_carry_the_feminine_form_of_the_surname(world: World) -> None:
    masculine = re.compile(r"(ов|ев|єв|ёв|ин|ін|ын|ий|ый|ой)$")
    women = [d.person for p in PARTIES for d in world.registry(p) if d.person.sex is Sex.FEMALE]
    assert women
    for woman in women:
        for name in woman.names:
            if name.script is Script.CYRILLIC:
                assert not masculine.search(name.surname), name.full
    for kin in (r for p in PARTIES for d in _own(world, p) for r in d.person.relatives):
        if kin.relationship in ("мати", "дружина", "мать", "жена"):
            assert not masculine.search(kin.name.split()[0]), kin.name


@pytest.mark.parametrize(
    ("man", "woman", "language"),
    [
        ("Ковальов", "Ковальова", "uk"),
        ("Іванов", "Іванова", "uk"),
        ("Шевченко", "Шевченко", "uk"),
        ("Вишневський", "Вишневська", "uk"),
        ("Мельник", "Мельник", "uk"),
        ("Білий", "Біла", "uk"),
        ("Иванов", "Иванова", "ru"),
        ("Вишневский", "Вишневская", "ru"),
        ("Толстой", "Толстая", "ru"),
        ("Пушкин", "Пушкина", "ru"),
        ("Черных", "Черных", "ru"),
    ],
)
def test_feminine_surnames(man: str, woman: str, language: str) -> None:
    assert _names.feminine(man, language) == woman


@pytest.mark.parametrize(
    ("father", "male", "female", "language"),
    [
        ("Іван", "Іванович", "Іванівна", "uk"),
        ("Сергій", "Сергійович", "Сергіївна", "uk"),
        ("Микола", "Миколайович", "Миколаївна", "uk"),
        ("Василь", "Васильович", "Василівна", "uk"),
        ("Петро", "Петрович", "Петрівна", "uk"),
        ("Іван", "Иванович", "Ивановна", "ru"),
        ("Юрий", "Юрьевич", "Юрьевна", "ru"),
        ("Сергей", "Сергеевич", "Сергеевна", "ru"),
        ("Николай", "Николаевич", "Николаевна", "ru"),
        ("Илья", "Ильич", "Ильинична", "ru"),
        ("Игорь", "Игоревич", "Игоревна", "ru"),
    ],
)
def test_patronymics_agree_with_sex(father: str, male: str, female: str, language: str) -> None:
    name = father if language == "uk" else _names.to_russian(father, _names.FIRST)
    assert _names.patronymic(name, Sex.MALE, language) == male
    assert _names.patronymic(name, Sex.FEMALE, language) == female


def test_names_cross_between_the_languages() -> None:
    rng = random.Random(0)
    assert _names.to_russian("Олександр", _names.FIRST) == "Александр"
    assert _names.to_russian("Іванович", _names.PATRONYMIC) == "Иванович"
    assert _names.to_russian("Ковальов", _names.LAST) == "Ковалев"
    assert _names.to_ukrainian("Александр", _names.FIRST, rng) == "Олександр"
    assert _names.to_ukrainian("Николай", _names.FIRST, rng) == "Микола"
    assert _names.to_ukrainian("Сергеевич", _names.PATRONYMIC, rng) == "Сергійович"


def test_identifiers_are_unique_within_a_registry(world: World) -> None:
    for party in PARTIES:
        values = [
            normalise_identifier(i.value)
            for d in world.registry(party)
            for i in d.person.identifiers
        ]
        assert values
        assert len(values) == len(set(values))


def test_every_record_is_valid_for_the_domain(world: World) -> None:
    for party in PARTIES:
        for draft in world.registry(party):
            person = draft.person
            assert person.id is None
            assert re.fullmatch(r"[0-9a-f]{32}", person.uid)
            assert person.incident_date is not None
            assert date(2022, 2, 24) <= person.incident_date <= TODAY
            history = History(())
            for number, event_draft in enumerate(draft.events, start=1):
                event = replace(event_draft.bind(1, "generator"), id=number)
                history.check_new(event, TODAY)
                history = History.of([*history.events, event])


def test_registry_hands_out_copies(world: World) -> None:
    first = world.registry("UA")[0]
    first.person.id = 99
    first.person.names.clear()
    again = world.registry("UA")[0]
    assert again.person.id is None
    assert again.person.names
