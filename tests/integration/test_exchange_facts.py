"""The facts the exchange rules see, assembled from the registry on a given day."""

from __future__ import annotations

from datetime import date

from parley.domain.accounts.accounts import Actor
from parley.domain.dates import PartialDate
from parley.domain.exchange.categories import STANDARD_CATEGORIES, Answer, Consent
from parley.domain.exchange.commissions import Decision
from parley.domain.exchange.manifests import check_manifest_person
from parley.domain.registry.events import EventDraft, EventType, Source, Status
from parley.domain.registry.persons import Person, PersonCategory, PersonName, Sex
from parley.instance import Instance
from parley.services import registry
from parley.services.exchange import registry_facts


def _held(instance: Instance, admin: Actor) -> int:
    record = registry.register_person(
        instance.uow(),
        admin,
        Person(
            "RU",
            PersonCategory.MILITARY,
            Sex.MALE,
            [PersonName("Кузьмин", "Илья", "Анатольевич", language="ru")],
            PartialDate.parse("2001-12-04"),
        ),
        [
            EventDraft(EventType.DETAINED, date(2024, 5, 1), Source.OWN_INFORMATION),
            EventDraft(EventType.CONSENT_REFUSED, date(2025, 5, 1), Source.OWN_INFORMATION),
            EventDraft(
                EventType.LEGAL_HOLD,
                date(2025, 5, 2),
                Source.OWN_INFORMATION,
                "criminal case 12-345",
            ),
        ],
    )
    return record.id


def test_facts_follow_the_events_in_force_on_the_day(instance: Instance, admin: Actor) -> None:
    person_id = _held(instance, admin)
    with instance.uow() as uow:
        before = registry_facts(uow, [person_id], date(2025, 4, 30))[person_id]
        after = registry_facts(uow, [person_id], date(2025, 6, 9))[person_id]
    assert before.consent is Consent.UNKNOWN and before.legal_hold is None
    assert before.captured_on == date(2024, 5, 1) and before.status is Status.HELD
    assert after.consent is Consent.REFUSED and after.legal_hold is not None
    assert after.legal_hold.reason == "criminal case 12-345"
    codes = {e.code.value for e in check_manifest_person(after, date(2025, 6, 9))}
    assert {"consent_refused", "legal_hold"} <= codes


def test_a_commission_decision_makes_a_person_seriously_wounded(
    instance: Instance, admin: Actor
) -> None:
    person_id = _held(instance, admin)
    members = [
        {"name": "Dr Keller", "party": "CH", "role": "neutral", "chair": True},
        {"name": "Dr Lind", "party": "SE", "role": "neutral"},
        {"name": "Dr Bondar", "party": "UA", "role": "detaining_power"},
    ]
    with instance.uow() as uow:
        commission = uow.exchange.add_commission(
            {"name": "MMC-1", "members": members, "deputies": [], "created_by": "test"}
        )
        uow.exchange.add_examination(
            {
                "person_id": person_id,
                "commission_id": commission.id,
                "visited_on": date(2025, 5, 20),
                "findings": "splinter in the left lung",
                "condition": {"category": "A2", "item": "splinter in the lungs"},
                "votes": {m["name"]: Decision.REPATRIATE.value for m in members},
                "decision": Decision.REPATRIATE.value,
                "proposed_by": "detaining_power_doctors",
                "recorded_by": "test",
            }
        )
        uow.commit()
    with instance.uow() as uow:
        facts = registry_facts(uow, [person_id], date(2025, 6, 10))[person_id]
    result = STANDARD_CATEGORIES["seriously_wounded_or_sick"].evaluate(facts, date(2025, 6, 10))
    assert result.answer is Answer.YES
    assert facts.medical is not None and facts.medical.severity == 2
