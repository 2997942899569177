"""The category check through the services, on real databases: our own list and a list typed
elsewhere, before and after it is reconciled with our registry. Synthetic people only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from faker import Faker

from parley.domain.accounts.accounts import Actor, Role
from parley.domain.dates import PartialDate
from parley.domain.errors import (
    InvalidConfig,
    InvalidInput,
    ListNotFound,
    PermissionDenied,
    UnknownCategory,
)
from parley.domain.exchange.categories import Answer
from parley.domain.exchange.manifests import ExclusionCode
from parley.domain.lists import ListPurpose
from parley.domain.matching import Decision
from parley.domain.registry.events import EventDraft, EventType, Source, Status
from parley.domain.registry.persons import Person, PersonCategory, PersonName, Sex
from parley.instance import Instance, load_categories
from parley.services import lists, matching, registry
from parley.services.exchange import CategoryCheck, Standing, category_check
from tests.conftest import make_account

ADMIN = Actor("admin", frozenset({Role.ADMIN}), "test", 1)
STAGE_DAY = date(2025, 6, 9)
AGREED = ["aged_18_25", "seriously_wounded_or_sick"]
DETAINED = EventDraft(EventType.DETAINED, date(2024, 3, 1), Source.OWN_INFORMATION)

# ref, surname, given, patronymic, born (as the list gives it), category evidence
LISTED = [
    ("R1", "Ластовецький", "Орест", "Богданович", "1999-06-10", "тяжке поранення"),
    ("R2", "Шпаковський", "Вадим", "Ілліч", "1999-06-09", ""),
    ("R3", "Цибульський", "Ярема", "Мартинович", "1999", ""),
    ("R4", "Гнатишин", "Любомир", "Северинович", "1985-01-20", "важко хворий"),
]


@dataclass
class Registry:
    wounded: int
    """Born 1999-06-10; an art. 112 manifest case; consented."""
    refused: int
    """Born 1999-06-09; refused repatriation."""


def _register(
    instance: Instance, surname: str, given: str, patronymic: str, born: str, *events: EventDraft
) -> int:
    person = Person(
        "RU",
        PersonCategory.MILITARY,
        Sex.MALE,
        [PersonName(surname, given, patronymic)],
        PartialDate.parse(born),
        unit="в/ч 00000",
    )
    return registry.register_person(instance.uow(), ADMIN, person, [DETAINED, *events]).id or 0


def _fillers(instance: Instance) -> None:
    """Others held, older and differently named: matching trains on ten persons or more."""
    faker = Faker("uk_UA")
    faker.seed_instance(2025)
    people = [
        (
            Person(
                "RU",
                PersonCategory.MILITARY,
                Sex.MALE,
                [PersonName(faker.last_name_male(), faker.first_name_male(), "")],
                PartialDate.of(faker.date_of_birth(minimum_age=45, maximum_age=60)),
            ),
            [DETAINED],
        )
        for _ in range(12)
    ]
    registry.register_many(instance.uow(), ADMIN, people)


def _registry(instance: Instance) -> Registry:
    _fillers(instance)
    wounded = _register(
        instance,
        "Ластовецький",
        "Орест",
        "Богданович",
        "1999-06-10",
        EventDraft(
            EventType.MANIFEST_CERTIFIED,
            date(2025, 5, 20),
            Source.OWN_INFORMATION,
            "camp doctors",
            {"condition": {"category": "A1", "item": "loss of a foot", "unquestionable": True}},
        ),
        EventDraft(EventType.CONSENT_GIVEN, date(2025, 5, 21), Source.OWN_INFORMATION),
    )
    refused = _register(
        instance,
        "Шпаковський",
        "Вадим",
        "Ілліч",
        "1999-06-09",
        EventDraft(EventType.CONSENT_REFUSED, date(2025, 6, 1), Source.ICRC, "asked at a visit"),
    )
    return Registry(wounded, refused)


def _imported(instance: Instance) -> int:
    rows = ["ref;surname;given_name;patronymic;birth_date;sex;category_evidence"]
    rows += [";".join([*row[:5], "male", row[5]]) for row in LISTED]
    result = lists.import_list(
        instance.uow(),
        ADMIN,
        "UA",
        lists.ListDraft("Typed by hand", ListPurpose.OFFER, ("RU",), "18-25 and wounded"),
        "typed.csv",
        ("\n".join(rows) + "\n").encode(),
    )
    return result.stored.id


def _by_ref(check: CategoryCheck) -> dict[str, dict[str, tuple[Answer, str]]]:
    return {e.ref: {a.category: (a.answer, a.reason) for a in e.answers} for e in check.entries}


def _reconcile_onto(instance: Instance, list_id: int, people: dict[str, int]) -> int:
    """Reconcile, then settle by review what the engine may leave open on so small a registry."""
    report = lists.reconcile(instance.uow(), ADMIN, list_id)
    rows, _ = matching.run_entries(instance.uow(), ADMIN, report.run_id, None, 0, 100)
    refs = {position: ref for position, (ref, *_rest) in enumerate(LISTED, start=1)}
    for row, _candidates in rows:
        wanted = people.get(refs[row.row])
        if wanted is not None and row.person_id != wanted:
            matching.decide(instance.uow(), ADMIN, row.id, wanted, Decision.CONFIRMED)
        elif wanted is None and row.person_id is not None:
            matching.decide(instance.uow(), ADMIN, row.id, row.person_id, Decision.REJECTED)
    return report.run_id


def test_a_list_from_elsewhere_is_judged_on_its_own_facts_until_it_is_reconciled(
    instance: Instance,
) -> None:
    people = _registry(instance)
    list_id = _imported(instance)

    before = category_check.check_list(instance.uow(), ADMIN, list_id, AGREED, STAGE_DAY)
    answers = _by_ref(before)
    assert answers["R1"]["aged_18_25"][0] is Answer.YES
    assert "aged 25 on 2025-06-09" in answers["R1"]["aged_18_25"][1]
    assert "date of birth per the list" in answers["R1"]["aged_18_25"][1]
    assert answers["R2"]["aged_18_25"][0] is Answer.NO
    assert "aged 26" in answers["R2"]["aged_18_25"][1]
    assert answers["R3"]["aged_18_25"][0] is Answer.UNCERTAIN
    assert "year only" in answers["R3"]["aged_18_25"][1]
    # Nobody is matched yet: medical standing is unknown, never a NO.
    wounded, why = answers["R1"]["seriously_wounded_or_sick"]
    assert wounded is Answer.UNCERTAIN
    assert "not matched" in why and "тяжке поранення" in why
    assert before.reconciliation_run is None and "not been reconciled" in before.notes[0]
    assert all(not e.manifest and e.person_id is None for e in before.entries)

    run_id = _reconcile_onto(instance, list_id, {"R1": people.wounded, "R2": people.refused})
    after = category_check.check_list(instance.uow(), ADMIN, list_id, AGREED, STAGE_DAY)
    assert after.reconciliation_run == run_id
    answers = _by_ref(after)
    wounded, why = answers["R1"]["seriously_wounded_or_sick"]
    assert wounded is Answer.YES
    assert "manifest case certified" in why and "per our registry" in why
    healthy, why = answers["R2"]["seriously_wounded_or_sick"]
    assert healthy is Answer.NO and "none in our registry" in why
    entries = {e.ref: e for e in after.entries}
    assert entries["R1"].person_id == people.wounded and entries["R1"].matched_by
    assert entries["R1"].standing is Standing.SATISFIES
    assert entries["R2"].standing is Standing.FAILS and entries["R2"].fails
    assert entries["R3"].standing is Standing.UNCERTAIN and entries["R3"].fails
    assert entries["R4"].standing is Standing.UNCERTAIN  # 40 years old, medical unknown
    refused = {x.code for x in entries["R2"].manifest}
    assert ExclusionCode.CONSENT_REFUSED in refused
    assert any("art. 109" in x.reason for x in entries["R2"].manifest)
    assert ExclusionCode.CONSENT_REFUSED not in {x.code for x in entries["R1"].manifest}

    assert after.counts == {
        "aged_18_25": {"yes": 1, "no": 2, "uncertain": 1},
        "seriously_wounded_or_sick": {"yes": 1, "no": 1, "uncertain": 2},
    }
    assert after.standings == {"satisfies": 1, "uncertain": 2, "fails": 1}
    assert (after.satisfying, after.failing) == (1, 3)
    assert after.flagged[ExclusionCode.CONSENT_REFUSED.value] == 1
    assert [e.ref for e in after.shown(only_failing=True)] == ["R2", "R3", "R4"]


def test_our_registry_makes_a_partial_date_precise_and_says_so(instance: Instance) -> None:
    _fillers(instance)
    precise = _register(instance, "Цибульський", "Ярема", "Мартинович", "1999-08-15")
    list_id = _imported(instance)
    _reconcile_onto(instance, list_id, {"R3": precise})
    check = category_check.check_list(instance.uow(), ADMIN, list_id, ["aged_18_25"], STAGE_DAY)
    answer, why = _by_ref(check)["R3"]["aged_18_25"]
    assert answer is Answer.YES
    assert "per our registry, more precise than the list's 1999" in why


def test_our_own_list_uses_the_person_it_was_built_from(instance: Instance) -> None:
    people = _registry(instance)
    built = lists.build_list(
        instance.uow(),
        ADMIN,
        "UA",
        lists.ListDraft("Held", ListPurpose.OFFER, ("RU",)),
        lists.RegistrySelection(Status.HELD, None, "RU", None, STAGE_DAY),
    )
    check = category_check.check_list(instance.uow(), ADMIN, built.stored.id, AGREED, STAGE_DAY)
    assert check.notes == ()
    by_person = {e.person_id: e for e in check.entries}
    assert by_person[people.wounded].matched_by == "built"
    assert by_person[people.wounded].answer_for("seriously_wounded_or_sick").answer is Answer.YES
    assert by_person[people.refused].standing is Standing.FAILS


def test_the_report_exports_one_row_per_entry_with_a_reason_per_category(
    instance: Instance,
) -> None:
    list_id = _imported(instance)
    check = category_check.check_list(instance.uow(), ADMIN, list_id, AGREED, STAGE_DAY)
    rows = category_check.report_rows(check, only_failing=True)
    assert [r["ref"] for r in rows] == ["R2", "R3", "R4"]
    assert rows[0]["aged_18_25"] == "no" and "outside 18–25" in rows[0]["aged_18_25_reason"]
    columns = category_check.report_columns(check)
    assert columns.index("aged_18_25") < columns.index("seriously_wounded_or_sick_reason")
    made = category_check.report_file(check, "csv")
    assert made.filename.endswith(".csv") and "Ластовецький" in made.content.decode("utf-8-sig")
    assert category_check.report_file(check, "xlsx").content.startswith(b"PK")
    with pytest.raises(InvalidInput):
        category_check.report_file(check, "pdf")


def test_custom_categories_come_from_the_instance_folder(instance: Instance) -> None:
    directory: Path = instance.directory
    assert load_categories(directory) == {}
    (directory / "categories.toml").write_text(
        '[categories.young_or_evidenced_wounded]\nany = [ { category = "aged_18_25" }, '
        '{ attribute = "category_evidence", in = ["тяжке поранення", "важко хворий"] } ]\n',
        encoding="utf-8",
    )
    custom = load_categories(directory)
    list_id = _imported(instance)
    check = category_check.check_list(
        instance.uow(), ADMIN, list_id, ["young_or_evidenced_wounded"], STAGE_DAY, custom
    )
    answers = _by_ref(check)
    assert answers["R4"]["young_or_evidenced_wounded"][0] is Answer.YES
    assert "category_evidence per the list" in answers["R4"]["young_or_evidenced_wounded"][1]
    assert check.categories[0].custom

    (directory / "categories.toml").write_text("[categories.bad]\nall = [ { age = [30, 20] } ]\n")
    with pytest.raises(InvalidInput) as bad:
        load_categories(directory)
    assert "categories.toml" in bad.value.message
    assert "categories.bad.all[0].age" in bad.value.message
    (directory / "categories.toml").write_text("[categories\n")
    with pytest.raises(InvalidConfig, match=r"categories\.toml: not valid TOML"):
        load_categories(directory)


def test_unknown_categories_lists_and_readers_are_refused(instance: Instance) -> None:
    list_id = _imported(instance)
    with pytest.raises(UnknownCategory, match="no category named 'aged_18_30'"):
        category_check.check_list(instance.uow(), ADMIN, list_id, ["aged_18_30"], STAGE_DAY)
    with pytest.raises(InvalidInput, match="at least one agreed category"):
        category_check.check_list(instance.uow(), ADMIN, list_id, [], STAGE_DAY)
    with pytest.raises(ListNotFound):
        category_check.check_list(instance.uow(), ADMIN, 999, AGREED, STAGE_DAY)
    analyst = make_account(instance, "analyst", Role.ANALYST)
    with pytest.raises(PermissionDenied):
        category_check.check_list(instance.uow(), analyst, list_id, AGREED, STAGE_DAY)
