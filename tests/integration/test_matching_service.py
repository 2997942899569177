"""Matching through the services and the real database, on the demo's synthetic populations."""

from __future__ import annotations

import copy
import csv
import io
from collections.abc import Iterator

import pytest

from parley.domain.accounts.accounts import Actor, Role
from parley.domain.dates import PartialDate
from parley.domain.errors import InvalidInput
from parley.domain.matching import Decision, Outcome
from parley.domain.registry.persons import Person, PersonCategory, PersonName, Script, Sex
from parley.instance import Instance, init_instance
from parley.scenarios.population import PersonDraft, Scale, generate_world
from parley.services import matching, registry
from tests.conftest import ADMIN_PASSWORD

COLUMNS = ["surname", "given_name", "patronymic", "birth_date", "sex", "passport"]


@pytest.fixture(scope="module")
def world_lists() -> tuple[list[PersonDraft], list[PersonDraft]]:
    world = generate_world(5, Scale.SMALL)
    own = [d for d in world.registry("UA") if d.person.side == "UA"]
    held_by_russia = [d for d in world.registry("RU") if d.person.side == "UA"]
    return own, held_by_russia


@pytest.fixture(scope="module")
def populated(
    tmp_path_factory: pytest.TempPathFactory,
    world_lists: tuple[list[PersonDraft], list[PersonDraft]],
) -> Iterator[Instance]:
    directory = tmp_path_factory.mktemp("match") / "ua"
    instance, _ = init_instance(directory, "UA", "Test", None, ADMIN_PASSWORD)
    admin = Actor("admin", frozenset({Role.ADMIN}), "test", 1)
    registry.register_many(instance.uow(), admin, [(d.person, d.events) for d in world_lists[0]])
    yield instance
    instance.close()


def as_csv(drafts: list[PersonDraft]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for d in drafts:
        name = d.person.primary_name
        passport = next((i.value for i in d.person.identifiers if i.kind == "passport"), "")
        writer.writerow(
            [
                name.surname,
                name.given,
                name.patronymic,
                str(d.person.birth_date or ""),
                d.person.sex.value,
                passport,
            ]
        )
    return buffer.getvalue().encode()


def truth(populated: Instance, drafts: list[PersonDraft]) -> dict[int, str]:
    """list row → truth key; the registry's uid → truth key is rebuilt from the world."""
    return {row: d.truth_key for row, d in enumerate(drafts, start=2)}


def test_a_list_written_by_the_other_side_is_matched_as_promised(
    populated: Instance,
    world_lists: tuple[list[PersonDraft], list[PersonDraft]],
    admin: Actor,
) -> None:
    own, listed = world_lists
    outcome = matching.run_match(populated.uow(), admin, "ru-list.csv", as_csv(listed))
    uid_truth = {d.person.uid: d.truth_key for d in own}
    with populated.uow() as uow:
        uid_of = {p.id: uow.persons.get(p.id).uid for p in uow.persons.linkage_rows()}
    rows, _ = matching.run_entries(populated.uow(), admin, outcome.run.id, None, 0, 10_000)
    expected = truth(populated, listed)
    known = set(uid_truth.values())
    matched = [(e, expected[e.row]) for e, _ in rows if e.outcome is Outcome.MATCHED]
    wrong = [e.row for e, key in matched if uid_truth[uid_of[e.person_id or 0]] != key]
    should_match = [e for e, _ in rows if expected[e.row] in known]
    assert wrong == []
    assert len(matched) >= 0.9 * len(should_match)
    review = outcome.run.counts.get("review", 0)
    assert review <= 0.1 * outcome.run.entries


def test_a_rejected_pair_stays_rejected_after_retraining_and_rerunning(
    populated: Instance,
    world_lists: tuple[list[PersonDraft], list[PersonDraft]],
    admin: Actor,
) -> None:
    content = as_csv(world_lists[1][:40])
    first = matching.run_match(populated.uow(), admin, "part.csv", content)
    rows, _ = matching.run_entries(populated.uow(), admin, first.run.id, Outcome.MATCHED, 0, 1)
    entry, _ = rows[0]
    assert entry.person_id is not None
    matching.decide(populated.uow(), admin, entry.id, entry.person_id, Decision.REJECTED, "no")
    matching.train_model(
        populated.uow(), admin, matching.training_entries_from_runs(populated.uow()), "recent runs"
    )
    again = matching.run_match(populated.uow(), admin, "part-again.csv", content)
    rows, _ = matching.run_entries(populated.uow(), admin, again.run.id, None, 0, 1000)
    same = next(e for e, _ in rows if e.entry_key == entry.entry_key)
    assert same.person_id != entry.person_id
    assert all(c.person_id != entry.person_id for e, cs in rows if e.id == same.id for c in cs)


def test_a_confirmed_pair_is_reused(
    populated: Instance, admin: Actor, world_lists: tuple[list[PersonDraft], list[PersonDraft]]
) -> None:
    content = as_csv(world_lists[1][40:60])
    first = matching.run_match(populated.uow(), admin, "b.csv", content)
    rows, _ = matching.run_entries(populated.uow(), admin, first.run.id, None, 0, 100)
    entry, candidates = next((e, cs) for e, cs in rows if cs)
    chosen = candidates[-1].person_id
    matching.decide(populated.uow(), admin, entry.id, chosen, Decision.CONFIRMED)
    again = matching.run_match(populated.uow(), admin, "b-again.csv", content)
    rows, _ = matching.run_entries(populated.uow(), admin, again.run.id, None, 0, 100)
    same = next(e for e, _ in rows if e.entry_key == entry.entry_key)
    assert same.outcome is Outcome.MATCHED and same.person_id == chosen


def test_cross_script_search_ranks_the_person_first(
    sqlite_instance: Instance, admin: Actor
) -> None:
    def person(surname: str, given: str, patronymic: str, born: str) -> Person:
        return Person(
            "UA",
            PersonCategory.MILITARY,
            Sex.MALE,
            [PersonName(surname, given, patronymic, Script.CYRILLIC, "uk")],
            PartialDate.parse(born),
        )

    target = registry.register_person(
        sqlite_instance.uow(), admin, person("Шевченко", "Олександр", "Іванович", "1990-04-02")
    )
    registry.register_person(
        sqlite_instance.uow(), admin, person("Шевченко", "Олександр", "Петрович", "1978-01-09")
    )
    registry.register_person(
        sqlite_instance.uow(), admin, person("Коваленко", "Олександр", "Іванович", "1990-03-03")
    )
    for query in (
        "Oleksandr Shevchenko 1990",
        "Шевченко Александр 1990",
        "SHEVCHENKO OLEKSANDR 1990",
        "Alexander Shevchenko 1990",
    ):
        hits = matching.search_persons(sqlite_instance.uow(), admin, query)
        assert hits[0].person.id == target.id, query


def test_a_model_stored_by_an_older_engine_is_retrained_not_misapplied(
    populated: Instance, admin: Actor, world_lists: tuple[list[PersonDraft], list[PersonDraft]]
) -> None:
    """An instance upgraded to an engine with other comparison levels must not fail its runs."""
    content = as_csv(world_lists[1][60:80])
    matching.run_match(populated.uow(), admin, "c.csv", content)
    with populated.uow() as uow:
        current = uow.matches.latest_model()
        assert current is not None
        older = copy.deepcopy(current.model)
        older["comparisons"][0]["comparison_levels"].pop(1)
        uow.matches.add_model("older engine", "test", current.registry_size, older)
        uow.commit()
    again = matching.run_match(populated.uow(), admin, "c-again.csv", content)
    assert again.trained
    with populated.uow() as uow:
        latest = uow.matches.latest_model()
        assert latest is not None and latest.training_source.startswith("retrained")


def test_a_search_page_is_the_ranked_search_cut_and_filtered(
    populated: Instance, admin: Actor
) -> None:
    """Pages of the ranked search follow its order; filters narrow it as the list's do; the
    audit entry of a page names the persons it showed, not every one ranked."""
    from collections import Counter

    from parley.domain.paging import PageRequest
    from parley.domain.registry.persons import PersonQuery

    with populated.uow() as uow:  # the registry's most common given name
        lines = uow.persons.summaries(list(range(1, 400)))
    common = Counter(p.name.split()[1] for p in lines).most_common(1)[0][0]
    ranked = [h.person for h in matching.search_persons(populated.uow(), admin, common, 200)]
    assert len(ranked) > 3
    pages = [
        matching.search_page(populated.uow(), admin, common, PersonQuery(), PageRequest(o, 3))
        for o in range(0, len(ranked), 3)
    ]
    assert [p.id for page in pages for p in page.items] == [p.id for p in ranked]
    assert {page.total for page in pages} == {len(ranked)}
    with populated.uow() as uow:
        entry = uow.audit.recent(PageRequest(0, 1)).items[0]
    assert entry.action == "person.search"
    assert list(entry.record_ids) == [str(p.id) for p in pages[-1].items]

    narrowed = matching.search_page(
        populated.uow(), admin, common, PersonQuery(status=ranked[0].status), PageRequest(0, 200)
    )
    kept = [p.id for p in ranked if p.status == ranked[0].status]
    assert [p.id for p in narrowed.items] == kept and narrowed.total == len(kept)


def test_search_ranks_by_score_then_name(instance: Instance, admin: Actor) -> None:
    """A wrong birth year ranks below a right one; equal scores go by name; a name carrying
    fewer of the words is not shown beside those carrying all of them."""

    def person(given: str, born: str) -> Person:
        name = PersonName("Мельник", given, "", Script.CYRILLIC, "uk")
        return Person("UA", PersonCategory.MILITARY, Sex.MALE, [name], PartialDate.parse(born))

    ids = {
        given: registry.register_person(instance.uow(), admin, person(given, born)).id
        for given, born in (("Юрій", "1980"), ("Андрій", "1990"), ("Богдан", "1990"))
    }
    other = PersonName("Ткаченко", "Андрій", "", Script.CYRILLIC, "uk")
    registry.register_person(
        instance.uow(), admin, Person("UA", PersonCategory.MILITARY, Sex.MALE, [other])
    )
    hits = matching.search_persons(instance.uow(), admin, "Melnyk 1990")
    assert [h.person.id for h in hits] == [ids["Андрій"], ids["Богдан"], ids["Юрій"]]
    assert hits[0].reasons == ["name: Melnyk", "born 1990"]
    assert hits[2].score == 0.5
    both = matching.search_persons(instance.uow(), admin, "Andrii Melnyk")
    assert [h.person.id for h in both] == [ids["Андрій"]] and both[0].score == 1.0
    with pytest.raises(InvalidInput):
        matching.search_persons(instance.uow(), admin, " ".join(["Melnyk"] * 13))


def test_an_identifier_or_our_record_id_finds_its_person_first(
    instance: Instance, admin: Actor
) -> None:
    """The search box says "name or identifier": a service number, a passport typed with its
    separators, our record id find the person; with name words, that person comes first."""
    from parley.domain.registry.persons import Identifier, IdentifierKind

    def person(given: str, identifiers: list[Identifier], record_id: str = "") -> int:
        name = PersonName("Мельник", given, "", Script.CYRILLIC, "uk")
        held = Person(
            "UA",
            PersonCategory.MILITARY,
            Sex.MALE,
            [name],
            None,
            identifiers=identifiers,
            record_id=record_id,
        )
        return registry.register_person(instance.uow(), admin, held).id

    numbered = person("Юрій", [Identifier(IdentifierKind.SERVICE_NUMBER, "S-777")])
    passport = person("Андрій", [Identifier(IdentifierKind.PASSPORT, "АА123456")])
    ours = person("Богдан", [], record_id="UA-2024-0042")
    search = matching.search_persons
    assert [h.person.id for h in search(instance.uow(), admin, "s-777")] == [numbered]
    assert [h.person.id for h in search(instance.uow(), admin, "АА 123-456")] == [passport]
    assert [h.person.id for h in search(instance.uow(), admin, "ua-2024-0042")] == [ours]
    both = search(instance.uow(), admin, "Melnyk S-777")
    assert [h.person.id for h in both][:1] == [numbered] and both[0].reasons == ["identifier"]
    assert {h.person.id for h in both} == {numbered, passport, ours}
    with pytest.raises(InvalidInput):
        search(instance.uow(), admin, "999999")  # no name, no identifier
