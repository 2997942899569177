"""Mixed Medical Commissions through the service and a real database (SQLite; PostgreSQL too
when CI provides one). Doctors and prisoners are invented."""

from __future__ import annotations

import re
from datetime import date

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from parley.domain.accounts.accounts import Actor, Role
from parley.domain.errors import (
    CommissionNotFound,
    DuplicateCommission,
    ExaminationAlreadyRecorded,
    ExaminationNotFound,
    InvalidCommission,
    InvalidExamination,
    InvalidInput,
    PermissionDenied,
    PersonNotFound,
    StepAlreadyRecorded,
)
from parley.domain.exchange.commissions import AnnexCategory, Condition, Decision, Proposer
from parley.domain.exchange.examinations import ExaminationDraft, Step, parse_member
from parley.domain.paging import PageRequest
from parley.domain.registry.events import EventDraft, EventType, Source
from parley.instance import Instance
from parley.services import exchange, registry
from parley.services.accounts import audit
from tests.conftest import make_account
from tests.factories import a_person

ADMIN = Actor("admin", frozenset({Role.ADMIN}), "test", 1)
CHAIR = "Dr Mirela Vasquez"
SECOND = "Dr Tobias Lindqvist"
DETAINING = "Dr Oksana Hrytsenko"
MEMBERS = (
    f"{CHAIR}|CH|neutral|chair|surgeon",
    f"{SECOND}|SE|neutral|physician",
    f"{DETAINING}|UA|detaining_power",
)
SPLINTER = Condition(AnnexCategory.A2, "splinter in the lungs")
VISIT = date(2025, 1, 10)


def _commission(instance: Instance, name: str = "MMC-1") -> None:
    exchange.add_commission(
        instance.uow(),
        ADMIN,
        name,
        [parse_member(m) for m in MEMBERS],
        [parse_member("Dr Ines Aebi|CH|neutral")],
    )


def _prisoner(
    instance: Instance, surname: str = "Сорокин", captured: date = date(2024, 3, 1)
) -> int:
    person = a_person(surname=surname, given="Павел", patronymic="Ильич", side="RU")
    drafts = [EventDraft(EventType.DETAINED, captured, Source.OWN_INFORMATION)]
    return registry.register_person(instance.uow(), ADMIN, person, drafts).id


def _examine(
    instance: Instance,
    person_id: int,
    votes: tuple[Decision, Decision, Decision],
    condition: Condition | None = SPLINTER,
    visited: date = VISIT,
    proposed_by: Proposer = Proposer.DETAINING_POWER_DOCTORS,
) -> exchange.ExaminationView:
    return exchange.record_examination(
        instance.uow(),
        ADMIN,
        ExaminationDraft(
            person_id,
            "MMC-1",
            visited,
            "metal fragment on the chest X-ray, breathless on exertion",
            condition,
            dict(zip((CHAIR, SECOND, DETAINING), votes, strict=True)),
            proposed_by,
        ),
    )


R, J, X = Decision.REPATRIATE, Decision.REJECT, Decision.REEXAMINE


def test_a_commission_with_two_detaining_power_members_is_refused(
    sqlite_instance: Instance,
) -> None:
    members = [
        parse_member(f"{CHAIR}|CH|neutral|chair"),
        parse_member(f"{SECOND}|UA|detaining_power"),
        parse_member(f"{DETAINING}|UA|detaining_power"),
    ]
    with pytest.raises(InvalidCommission) as refused:
        exchange.add_commission(sqlite_instance.uow(), ADMIN, "MMC-bad", members)
    assert refused.value.field == "members"
    assert "two neutral members" in refused.value.message
    assert exchange.list_commissions(sqlite_instance.uow(), ADMIN) == []


def test_a_commission_name_is_used_once_and_advisories_are_shown(
    sqlite_instance: Instance,
) -> None:
    _commission(sqlite_instance)
    with pytest.raises(DuplicateCommission):
        _commission(sqlite_instance)
    [stored] = exchange.list_commissions(sqlite_instance.uow(), ADMIN)
    assert [m.name for m in stored.members] == [CHAIR, SECOND, DETAINING]
    assert stored.members[0].chair and stored.deputies[0].name == "Dr Ines Aebi"
    assert stored.advisories == []


def test_the_member_syntax_says_what_is_wrong() -> None:
    with pytest.raises(InvalidInput, match="role is 'neutral'"):
        parse_member("Dr X|CH|observer")
    with pytest.raises(InvalidInput, match=re.escape("NAME|PARTY|ROLE")):
        parse_member("Dr X")
    with pytest.raises(InvalidInput, match="'dentist'"):
        parse_member("Dr X|CH|neutral|dentist")


def test_the_majority_decides_and_a_split_means_look_again(instance: Instance) -> None:
    """On both databases: votes, decision, deadlines and the art. 113 queue survive storage."""
    _commission(instance)
    first, second, third = (_prisoner(instance, s) for s in ("Сорокин", "Мельников", "Жуков"))
    majority = _examine(instance, first, (R, R, J))
    assert (
        majority.decision == "repatriate"
        and majority.decision_reason == "2 of 3 votes for repatriate"
    )
    assert majority.votes == {CHAIR: "repatriate", SECOND: "repatriate", DETAINING: "reject"}
    assert majority.notify_by == date(2025, 2, 10) and majority.carry_out_by == date(2025, 5, 10)
    assert majority.certificate and majority.next_step == "notified"
    rejected = _examine(instance, second, (J, J, R))
    assert rejected.decision == "reject" and rejected.carry_out_by is None
    split = _examine(instance, third, (R, J, X), proposed_by=Proposer.PRISONERS_REPRESENTATIVE)
    assert split.decision == "reexamine" and not split.certificate
    stored = exchange.get_examination(instance.uow(), ADMIN, split.id)
    assert stored.condition is not None and stored.condition.category == "A2"
    assert stored.proposed_by == "prisoners_representative" and stored.entitled
    queue = exchange.examination_queue(instance.uow(), ADMIN, date(2025, 3, 1))
    assert [(q.person_id, q.position) for q in queue] == [(third, 1)]


def test_a_repatriation_needs_a_qualifying_condition_and_every_member_votes(
    sqlite_instance: Instance,
) -> None:
    _commission(sqlite_instance)
    person = _prisoner(sqlite_instance)
    with pytest.raises(InvalidExamination) as refused:
        _examine(sqlite_instance, person, (R, R, R), condition=None)
    assert refused.value.field == "condition"
    with pytest.raises(InvalidExamination) as stranger:
        exchange.record_examination(
            sqlite_instance.uow(),
            ADMIN,
            ExaminationDraft(person, "MMC-1", VISIT, "seen", SPLINTER, {CHAIR: R, "Dr Nobody": R}),
        )
    assert stranger.value.field == "votes"
    with pytest.raises(PersonNotFound):
        _examine(sqlite_instance, 999, (R, R, R))
    with pytest.raises(CommissionNotFound):
        exchange.record_examination(
            sqlite_instance.uow(),
            ADMIN,
            ExaminationDraft(person, "MMC-9", VISIT, "seen", SPLINTER, {}),
        )
    _examine(sqlite_instance, person, (R, R, R))
    with pytest.raises(ExaminationAlreadyRecorded):
        _examine(sqlite_instance, person, (R, R, R))
    assert len(exchange.list_examinations(sqlite_instance.uow(), ADMIN).items) == 1


def test_steps_are_recorded_once_and_in_order(sqlite_instance: Instance) -> None:
    _commission(sqlite_instance)
    repatriate = _examine(sqlite_instance, _prisoner(sqlite_instance, "Сорокин"), (R, R, J))
    reject = _examine(sqlite_instance, _prisoner(sqlite_instance, "Мельников"), (J, J, J))
    uow = sqlite_instance.uow
    with pytest.raises(InvalidExamination) as early:
        exchange.record_step(uow(), ADMIN, repatriate.id, Step.CARRIED_OUT, date(2025, 2, 1))
    assert early.value.field == "carried_out_on"
    with pytest.raises(InvalidExamination) as before_visit:
        exchange.record_step(uow(), ADMIN, repatriate.id, Step.NOTIFIED, date(2025, 1, 1))
    assert before_visit.value.field == "notified_on"
    notified = exchange.record_step(uow(), ADMIN, repatriate.id, "notified", date(2025, 2, 5))
    assert notified.notified_on == date(2025, 2, 5)
    assert notified.carry_out_by == date(2025, 5, 5) and notified.next_step == "carried_out"
    with pytest.raises(StepAlreadyRecorded):
        exchange.record_step(uow(), ADMIN, repatriate.id, Step.NOTIFIED, date(2025, 2, 6))
    done = exchange.record_step(uow(), ADMIN, repatriate.id, Step.CARRIED_OUT, date(2025, 4, 1))
    assert done.carried_out_on == date(2025, 4, 1) and done.next_step is None
    exchange.record_step(uow(), ADMIN, reject.id, Step.NOTIFIED, date(2025, 1, 20))
    with pytest.raises(InvalidExamination, match="only a decision to repatriate"):
        exchange.record_step(uow(), ADMIN, reject.id, Step.CARRIED_OUT, date(2025, 2, 1))
    with pytest.raises(InvalidInput) as bad_step:
        exchange.record_step(uow(), ADMIN, reject.id, "forgotten", date(2025, 2, 1))
    assert bad_step.value.field == "step"
    with pytest.raises(ExaminationNotFound):
        exchange.record_step(uow(), ADMIN, 404, Step.NOTIFIED, date(2025, 2, 1))
    actions = [e.action for e in audit.recent_entries(uow(), ADMIN, PageRequest(0, 50)).items]
    assert actions.count("examination.notified") == 2
    assert "examination.carried_out" in actions and "commission.create" in actions


def test_overdue_examinations_are_listed_as_they_stood_on_a_day(sqlite_instance: Instance) -> None:
    _commission(sqlite_instance)
    late = _examine(sqlite_instance, _prisoner(sqlite_instance, "Сорокин"), (R, R, J))
    on_time = _examine(
        sqlite_instance,
        _prisoner(sqlite_instance, "Мельников"),
        (J, J, R),
        visited=date(2025, 2, 20),
    )
    uow = sqlite_instance.uow

    def listing(day: date, only: bool = False) -> exchange.ExaminationList:
        return exchange.list_examinations(uow(), ADMIN, day, only)

    assert listing(date(2025, 2, 10)).overdue == 0  # the last day is still on time
    report = listing(date(2025, 3, 1), only=True)
    assert [e.id for e in report.items] == [late.id] and report.overdue == 1
    [what] = report.items[0].overdue
    assert (what.what, what.due, what.days_late) == ("notification", date(2025, 2, 10), 19)
    assert {e.id for e in listing(date(2025, 3, 1)).items} == {late.id, on_time.id}
    assert [e.id for e in listing(date(2025, 2, 1)).items] == [late.id]  # one visit so far

    exchange.record_step(uow(), ADMIN, late.id, Step.NOTIFIED, date(2025, 2, 14))
    exchange.record_step(uow(), ADMIN, on_time.id, Step.NOTIFIED, date(2025, 3, 1))
    # Before the notification was recorded as done, it was still late on that day.
    assert [e.id for e in listing(date(2025, 2, 12), only=True).items] == [late.id]
    later = listing(date(2025, 6, 1), only=True)
    [row] = later.items
    assert row.id == late.id
    assert [(o.what, o.due, o.days_late) for o in row.overdue] == [
        ("repatriation", date(2025, 5, 14), 18)
    ]


def test_the_certificate_names_the_person_and_the_decision(sqlite_instance: Instance) -> None:
    _commission(sqlite_instance)
    person = _prisoner(sqlite_instance, "Ёлкин")
    exam = _examine(sqlite_instance, person, (R, R, J))
    made = exchange.certificate(
        sqlite_instance.uow(), ADMIN, exam.id, date(2025, 1, 12), "UA · Test HQ"
    )
    assert made.content.startswith(b"%PDF") and made.filename.endswith(".pdf")
    document = pdfium.PdfDocument(made.content)
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "Ёлкин Павел Ильич" in text
    assert "REPATRIATE" in text and "splinter in the lungs" in text
    assert CHAIR in text and "GC III Annex II" in text and "2025-01-12" in text
    again = exchange.certificate(
        sqlite_instance.uow(), ADMIN, exam.id, date(2025, 1, 12), "UA · Test HQ"
    )
    assert again.content == made.content  # invariant rendering: the same paper every time
    rejected = _examine(sqlite_instance, _prisoner(sqlite_instance, "Мельников"), (J, J, R))
    with pytest.raises(InvalidInput, match="only for a decision to repatriate"):
        exchange.certificate(sqlite_instance.uow(), ADMIN, rejected.id)


def test_the_certificate_prints_in_ukrainian_with_the_english_of_each_label(
    sqlite_instance: Instance,
) -> None:
    """It was English only; the person carries it through Ukrainian hands as well."""
    _commission(sqlite_instance)
    exam = _examine(sqlite_instance, _prisoner(sqlite_instance, "Ёлкин"), (R, R, J))
    made = exchange.certificate(
        sqlite_instance.uow(), ADMIN, exam.id, date(2025, 1, 12), "UA · Test HQ", "uk"
    )
    document = pdfium.PdfDocument(made.content)
    text = " ".join(
        " ".join(document[i].get_textpage().get_text_range() for i in range(len(document))).split()
    )
    document.close()
    for ukrainian in (
        "Посвідчення Змішаної медичної комісії: репатріація",
        "РЕПАТРІЮВАТИ",
        "2 з 3 голосів за репатріацію",
        "Члени комісії",
        "ЖК III, Додаток II",
        "огляд " + str(exam.id),
        "Сторінка 1 з 1",
        "хронічні поранення, одужання протягом року не очікується",
    ):
        assert ukrainian in text, ukrainian
    assert "Qualifying condition" in text and "Members of the commission" in text  # beneath
    assert "Ёлкин Павел Ильич" in text and "splinter in the lungs" in text  # as recorded
    assert "REPATRIATE" not in text and "votes for" not in text
    with pytest.raises(InvalidInput, match="prints in en, uk"):
        exchange.certificate(sqlite_instance.uow(), ADMIN, exam.id, language="de")


def test_only_medical_staff_record_and_only_registry_readers_read(
    sqlite_instance: Instance,
) -> None:
    reviewer = make_account(sqlite_instance, "reviewer", Role.REVIEWER)
    analyst = make_account(sqlite_instance, "analyst", Role.ANALYST)
    medic = make_account(sqlite_instance, "medic", Role.MEDICAL)
    members = [parse_member(m) for m in MEMBERS]
    with pytest.raises(PermissionDenied):
        exchange.add_commission(sqlite_instance.uow(), reviewer, "MMC-1", members)
    exchange.add_commission(sqlite_instance.uow(), medic, "MMC-1", members)
    assert len(exchange.list_commissions(sqlite_instance.uow(), reviewer)) == 1
    with pytest.raises(PermissionDenied):
        exchange.list_examinations(sqlite_instance.uow(), analyst)
    exam = _examine(sqlite_instance, _prisoner(sqlite_instance), (R, R, R))
    with pytest.raises(PermissionDenied):
        exchange.certificate(sqlite_instance.uow(), reviewer, exam.id)


def test_the_certificate_has_every_word_in_both_languages() -> None:
    from parley.interchange.certificate_pdf_words import CERTIFICATE_WORDS

    assert CERTIFICATE_WORDS["en"].keys() == CERTIFICATE_WORDS["uk"].keys()
    assert all(CERTIFICATE_WORDS["uk"].values())
