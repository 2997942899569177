"""One invented prisoner with every kind of restricted detail, for the need-to-know tests.

Every restricted value is a distinct string, so a test can say "this text appears nowhere in
what this role was shown"; names, phone numbers and diagnoses are invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from parley.domain.accounts.accounts import Actor, Role
from parley.domain.accounts.need_to_know import Need, restricted
from parley.domain.exchange.commissions import AnnexCategory, Condition, Decision, Proposer
from parley.domain.exchange.examinations import ExaminationDraft, parse_member
from parley.domain.registry.events import EventType, Source
from parley.domain.registry.persons import Relative
from parley.instance import Instance
from parley.services import exchange, registry
from tests.factories import a_person

ADMIN = Actor("admin", frozenset({Role.ADMIN}), "test", 1)

HEALTH = "осколкове поранення правого стегна, гіпертонія"
CONTACT = "+380 67 000 11 22, Житомир, вул. Вигадана 7"
RELATIVE = "Сорокіна Олена Іванівна"
CERTIFIED_NOTE = "ампутація лівої гомілки, лікар табору"
CERTIFIED_ITEM = "loss of the left foot"
FINDINGS = "metal fragment on the chest X-ray, breathless on exertion"
CONDITION_ITEM = "splinter in the lungs"
ORDINARY_NOTE = "seen in a detention site by a returnee"

PERSON_MEDICAL = (HEALTH, CERTIFIED_NOTE, CERTIFIED_ITEM)
"""What a person's record holds that is medical; the examinations hold the rest."""
MEDICAL_SECRETS = (*PERSON_MEDICAL, FINDINGS, CONDITION_ITEM)
CONTACT_SECRETS = (CONTACT,)
MEDICAL_MARK = restricted(Need.MEDICAL)
CONTACTS_MARK = restricted(Need.CONTACTS)

MEDICAL_READERS = frozenset({Role.ADMIN, Role.MEDICAL})
"""Who must see medical details: chosen here by hand, not derived from the role table."""
CONTACT_READERS = frozenset({Role.ADMIN, Role.OMBUDSMAN})
NON_READERS = frozenset({Role.ANALYST, Role.AUDITOR})
"""Roles without registry read at all: refused outright, as before."""

CHAIR, SECOND, DETAINING = "Dr Mirela Vasquez", "Dr Tobias Lindqvist", "Dr Oksana Hrytsenko"


@dataclass(frozen=True)
class Seeded:
    person_id: int
    examination_id: int


def seed(instance: Instance) -> Seeded:
    """A held prisoner with a health note, a relative's phone, a certified condition, and a
    commission's examination that ended in "re-examine" (so he is in the queue)."""
    person = a_person(surname="Сорокін", given="Павло", patronymic="Ілліч", side="RU")
    person.health = HEALTH
    person.relatives = [
        Relative(RELATIVE, "mother", CONTACT),
        Relative("Сорокін Ілля Петрович", "father"),
    ]
    record = registry.register_person(instance.uow(), ADMIN, person)
    registry.record_event(
        instance.uow(),
        ADMIN,
        record.id,
        EventType.DETAINED,
        date(2024, 3, 1),
        Source.RETURNEE,
        ORDINARY_NOTE,
    )
    registry.record_event(
        instance.uow(),
        ADMIN,
        record.id,
        EventType.MANIFEST_CERTIFIED,
        date(2024, 6, 1),
        Source.OWN_INFORMATION,
        CERTIFIED_NOTE,
        details={"condition": {"category": "A1", "item": CERTIFIED_ITEM, "unquestionable": True}},
    )
    exchange.add_commission(
        instance.uow(),
        ADMIN,
        "MMC-1",
        [
            parse_member(f"{CHAIR}|CH|neutral|chair|surgeon"),
            parse_member(f"{SECOND}|SE|neutral|physician"),
            parse_member(f"{DETAINING}|UA|detaining_power"),
        ],
    )
    exam = exchange.record_examination(
        instance.uow(),
        ADMIN,
        ExaminationDraft(
            record.id,
            "MMC-1",
            date(2025, 1, 10),
            FINDINGS,
            Condition(AnnexCategory.A2, CONDITION_ITEM),
            dict.fromkeys((CHAIR, SECOND, DETAINING), Decision.REEXAMINE),
            Proposer.DETAINING_POWER_DOCTORS,
        ),
    )
    return Seeded(record.id, exam.id)


def check_text(
    text: str,
    role: Role,
    medical: tuple[str, ...] = MEDICAL_SECRETS,
    contacts: tuple[str, ...] = CONTACT_SECRETS,
    marks: tuple[str, str] = (MEDICAL_MARK, CONTACTS_MARK),
) -> None:
    """What a door showed `role`: each secret the door shows is there, or every one is absent
    with the marker in its place. `marks` are the markers as that door words them."""
    for shown, every, readers, mark in (
        (medical, MEDICAL_SECRETS, MEDICAL_READERS, marks[0]),
        (contacts, CONTACT_SECRETS, CONTACT_READERS, marks[1]),
    ):
        if role in readers:
            assert [s for s in shown if s not in text] == [], (role, "must see")
            assert mark not in text, (role, mark)
        else:
            assert [s for s in every if s in text] == [], (role, "must not see")
            if shown:
                assert mark in text, (role, "must be told something is restricted", mark)
