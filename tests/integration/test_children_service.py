"""The children track through the services and a real database: cases, lists, answers, access.

Every child here is synthetic (Faker uk_UA), never a real one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from faker import Faker

from parley.domain.accounts.accounts import Actor, Role
from parley.domain.children import AnswerKind, ChildStatus, EventKind, Identity, Relative
from parley.domain.errors import (
    ChildCaseNotFound,
    ExportNotApproved,
    InvalidInput,
    PermissionDenied,
)
from parley.domain.paging import PageRequest
from parley.instance import Instance
from parley.services import accounts, children
from tests.conftest import make_account

LIST = "UA-RU children 2025-06"
SENT = date(2025, 6, 2)


def _open_many(instance: Instance, actor: Actor, n: int, seed: int = 15) -> list[int]:
    fake = Faker("uk_UA")
    fake.seed_instance(seed)
    ids = []
    for i in range(n):
        identity = Identity(
            fake.first_name_male(),
            fake.last_name_male(),
            born=fake.date_between(date(2008, 1, 1), date(2020, 12, 31)),
            place_of_birth=fake.city(),
            note="at deportation",
        )
        case = children.open_case(
            instance.uow(),
            actor,
            f"C-{i:04d}",
            identity,
            on=date(2023, 5, 1),
            source="report by the mother",
            relatives=[Relative(fake.name_female(), "mother", "birth certificate", "ombudsman")],
        )
        ids.append(case.id)
    return ids


@pytest.fixture
def ombudsman(instance: Instance) -> Actor:
    return make_account(instance, "lubinets", Role.OMBUDSMAN)


def test_a_renamed_child_is_matched_through_birth_place_and_a_relative(
    instance: Instance, ombudsman: Actor
) -> None:
    ids = _open_many(instance, ombudsman, 12)
    uow = instance.uow
    target = children.get_case(uow(), ombudsman, ids[3])
    children.record(
        uow(),
        ombudsman,
        ids[3],
        EventKind.CUSTODIAN,
        {"institution": "Dom rebenka No 2", "location": "Donetsk"},
        on=date(2023, 6, 1),
        source="witness",
    )
    children.send_list(
        uow(), ombudsman, LIST, ids, addressee="RU", mediator="QA", on=SENT, source="letter 12"
    )
    original = target.identities[0]
    assert original.born is not None
    renamed = children.ChildAnswer(
        AnswerKind.LOCATED,
        surname="Smirnov",
        given="Artem",
        born=original.born + timedelta(days=3),
        place_of_birth=original.place_of_birth,
        institution="Dom rebenka No 2",
        relative=target.relatives[0].name,
    )
    outcome = children.record_answers(
        uow(), ombudsman, LIST, [renamed], on=date(2025, 7, 1), source="RU ombudsman"
    )
    assert [m.case_id for m in outcome.matched] == [ids[3]]
    case = children.get_case(uow(), ombudsman, ids[3])
    assert case.status is ChildStatus.LOCATED and case.answers[LIST] == "located"


def test_progress_follows_the_events_of_the_list(instance: Instance, ombudsman: Actor) -> None:
    ids = _open_many(instance, ombudsman, 6)
    uow = instance.uow
    children.send_list(
        uow(), ombudsman, LIST, ids, addressee="RU", mediator="QA", on=SENT, source="letter 12"
    )
    before = children.list_progress(uow(), ombudsman, LIST, date(2025, 8, 1))
    assert (before.listed, before.answered, before.no_answer_after) == (6, 0, 6)
    first = children.get_case(uow(), ombudsman, ids[0]).identities[0]
    answer = children.ChildAnswer(
        AnswerKind.LOCATED,
        first.family_name,
        first.given_name,
        born=first.born,
        place_of_birth=first.place_of_birth,
    )
    children.record_answers(uow(), ombudsman, LIST, [answer], on=date(2025, 7, 1), source="RU")
    for status in (ChildStatus.RETURN_ARRANGED, ChildStatus.RETURNED, ChildStatus.REUNITED):
        children.set_status(uow(), ombudsman, ids[0], status, on=date(2025, 7, 20), source="QA")
    after = children.list_progress(uow(), ombudsman, LIST, date(2025, 8, 1))
    assert (after.answered, after.located, after.returned, after.reunited) == (1, 1, 1, 1)
    assert after.no_answer_after == 5
    assert children.answers_received(uow(), list_ref=LIST, as_of=date(2025, 6, 30)) == 0
    assert children.answers_received(uow(), list_ref=LIST, as_of=date(2025, 7, 1)) == 1


def test_a_case_never_goes_back_and_is_closed_with_a_reason(
    instance: Instance, ombudsman: Actor
) -> None:
    [case_id] = _open_many(instance, ombudsman, 1)
    uow = instance.uow
    children.set_status(uow(), ombudsman, case_id, ChildStatus.LOCATED, on=SENT, source="QA")
    with pytest.raises(InvalidInput):
        children.set_status(uow(), ombudsman, case_id, ChildStatus.LISTED, on=SENT, source="x")
    with pytest.raises(InvalidInput):
        children.set_status(uow(), ombudsman, case_id, ChildStatus.CLOSED, on=SENT, source="x")
    closed = children.set_status(
        uow(), ombudsman, case_id, ChildStatus.CLOSED, on=SENT, source="x", reason="came of age"
    )
    assert closed.closed_reason == "came of age"


def test_other_roles_see_counts_and_their_refusal_is_audited(
    instance: Instance, ombudsman: Actor
) -> None:
    [case_id] = _open_many(instance, ombudsman, 1)
    coordinator = make_account(instance, "coord", Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        children.get_case(instance.uow(), coordinator, case_id)
    assert children.counts(instance.uow(), coordinator)["reported"] == 1
    entries = accounts.recent_entries(
        instance.uow(), Actor("admin", frozenset({Role.ADMIN})), _page()
    ).items
    assert any(e.action == "children.denied" and e.actor.endswith("coord") for e in entries)


def _page() -> PageRequest:
    return PageRequest(0, 50)


def test_an_export_needs_a_second_ombudsman_and_expires(
    instance: Instance, ombudsman: Actor
) -> None:
    ids = _open_many(instance, ombudsman, 2)
    uow = instance.uow
    children.send_list(
        uow(), ombudsman, LIST, ids, addressee="RU", mediator="QA", on=SENT, source="l"
    )
    second = make_account(instance, "deputy", Role.OMBUDSMAN)
    request = children.request_export(uow(), ombudsman, LIST, "for the mediator's meeting")
    with pytest.raises(ExportNotApproved):
        children.export_cases(uow(), ombudsman, request.id)
    with pytest.raises(PermissionDenied):
        children.approve_export(uow(), ombudsman, request.id)
    children.approve_export(uow(), second, request.id, hours=2)
    assert len(children.export_cases(uow(), ombudsman, request.id)) == 2
    later = datetime.now(UTC) + timedelta(hours=3)
    with pytest.raises(ExportNotApproved):
        children.export_cases(uow(), ombudsman, request.id, now=later)


def test_a_childs_record_goes_only_to_the_addressee_and_the_mediator(
    instance: Instance, ombudsman: Actor
) -> None:
    [case_id] = _open_many(instance, ombudsman, 1)
    uow = instance.uow
    children.send_list(
        uow(), ombudsman, LIST, [case_id], addressee="RU", mediator="QA", on=SENT, source="l"
    )
    case = children.get_case(uow(), ombudsman, case_id)
    children.check_recipients(case, LIST, ["RU", "QA"])
    with pytest.raises(InvalidInput):
        children.check_recipients(case, LIST, ["TR"])


def test_a_missing_case_is_child_case_not_found(instance: Instance, ombudsman: Actor) -> None:
    with pytest.raises(ChildCaseNotFound):
        children.get_case(instance.uow(), ombudsman, 9999)
