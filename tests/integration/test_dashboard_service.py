"""The dashboard's counts through the service and a real database: each count agrees with the
screen it links to, and a role sees only what it can act on. Persons are invented."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from rich.console import Console

from parley.domain.accounts.accounts import Actor, Role
from parley.domain.agreements import CommitmentStatus, at_risk
from parley.domain.errors import InvalidInput
from parley.domain.exchange.commissions import AnnexCategory, Condition, Decision, Proposer
from parley.domain.exchange.examinations import ExaminationDraft, parse_member
from parley.domain.registry.events import EventDraft, EventType, Source
from parley.instance import Instance, open_instance
from parley.scenarios.demo import build_demo
from parley.scenarios.population import Scale
from parley.services import agreements, dashboard, exchange, lists, matching, registry, remains
from parley.services.registry import today
from tests.factories import a_person

ADMIN = Actor("admin", frozenset({Role.ADMIN}), "test", 1)
KINDS = [
    "matches_to_review",
    "overdue_examinations",
    "unacknowledged_lists",
    "unconfirmed_identifications",
    "unanswered_children",
    "commitments_at_risk",
]


def _counts(view: dashboard.DashboardView) -> dict[str, int]:
    return {i.kind: i.count for i in view.items}


def test_an_empty_instance_shows_every_kind_at_zero_to_an_admin(instance: Instance) -> None:
    view = dashboard.attention(instance.uow(), ADMIN)
    assert [i.kind for i in view.items] == KINDS
    assert _counts(view) == dict.fromkeys(KINDS, 0)
    assert view.as_of == today() and view.no_answer_days == dashboard.DEFAULT_NO_ANSWER_DAYS


def test_a_decision_never_notified_counts_once_its_month_has_passed(instance: Instance) -> None:
    """On both databases: the count follows the Annex II deadline, as the medical page does."""
    members = [
        "Dr A Brandt|CH|neutral|chair|surgeon",
        "Dr B Keller|SE|neutral",
        "Dr C Ivanenko|UA|detaining_power",
    ]
    exchange.add_commission(instance.uow(), ADMIN, "MMC-1", [parse_member(m) for m in members])
    person = a_person(surname="Сорокин", given="Павел", patronymic="Ильич", side="RU")
    detained = [EventDraft(EventType.DETAINED, date(2024, 3, 1), Source.OWN_INFORMATION)]
    person_id = registry.register_person(instance.uow(), ADMIN, person, detained).id
    visit = today() - timedelta(days=60)
    version = instance.uow().data_version
    assert _counts(dashboard.attention(instance.uow(), ADMIN))["overdue_examinations"] == 0
    assert instance.uow().data_version == version  # reading (and its audit entry) changes none
    exchange.record_examination(
        instance.uow(),
        ADMIN,
        ExaminationDraft(
            person_id,
            "MMC-1",
            visit,
            "metal fragment on the chest X-ray",
            Condition(AnnexCategory.A2, "splinter in the lungs"),
            {
                "Dr A Brandt": Decision.REPATRIATE,
                "Dr B Keller": Decision.REPATRIATE,
                "Dr C Ivanenko": Decision.REJECT,
            },
            Proposer.DETAINING_POWER_DOCTORS,
        ),
    )
    assert instance.uow().data_version != version  # the write is seen: the counts are redone
    counts = _counts(dashboard.attention(instance.uow(), ADMIN))
    assert counts["overdue_examinations"] == 1
    assert exchange.list_examinations(instance.uow(), ADMIN).overdue == 1
    before = _counts(dashboard.attention(instance.uow(), ADMIN, as_of=visit + timedelta(days=5)))
    assert before["overdue_examinations"] == 0


def test_the_days_without_an_answer_must_be_positive(instance: Instance) -> None:
    with pytest.raises(InvalidInput) as refused:
        dashboard.attention(instance.uow(), ADMIN, no_answer_days=0)
    assert refused.value.field == "no_answer_days"


def test_at_risk_means_overdue_disputed_or_short_close_to_the_deadline() -> None:
    on = date(2026, 5, 1)
    assert at_risk(CommitmentStatus.OVERDUE, None, on)
    assert at_risk(CommitmentStatus.DISPUTED, date(2027, 1, 1), on)
    assert at_risk(CommitmentStatus.ON_TRACK, on + timedelta(days=14), on)
    assert not at_risk(CommitmentStatus.ON_TRACK, on + timedelta(days=15), on)
    assert not at_risk(CommitmentStatus.ON_TRACK, None, on)
    assert not at_risk(CommitmentStatus.MET, on, on)
    assert not at_risk(CommitmentStatus.NOT_AVAILABLE, on, on)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("demo")
    build_demo(directory, 7, Scale.SMALL, Console(quiet=True))
    return directory / "ua"


def test_on_the_demo_each_count_agrees_with_the_screen_it_opens(demo: Path) -> None:
    instance = open_instance(demo)
    try:
        view = dashboard.attention(instance.uow(), ADMIN)
        counts = _counts(view)
        review = matching.next_review(instance.uow(), ADMIN)
        assert counts["matches_to_review"] == (review.pending if review else 0)
        assert (
            counts["overdue_examinations"]
            == exchange.list_examinations(instance.uow(), ADMIN).overdue
        )
        acks, total = lists.acknowledgments(instance.uow(), ADMIN, 0, 500)
        assert total <= 500
        assert counts["unacknowledged_lists"] == sum(
            1 for a in acks if not any(r.role == "recipient" for r in a.receipts)
        )
        bodies = remains.bodies(instance.uow(), ADMIN)
        assert counts["unconfirmed_identifications"] == sum(
            1 for b in bodies if b.status == "preliminary"
        )
        every = agreements.list_commitments(instance.uow(), ADMIN)
        assert counts["commitments_at_risk"] == sum(
            1 for c in every if at_risk(CommitmentStatus(c.status), c.deadline, view.as_of)
        )
        assert all(i.href.startswith("/") for i in view.items)
        assert sum(counts.values()) > 0, counts
    finally:
        instance.close()


@pytest.mark.parametrize(
    ("role", "kinds"),
    [
        (Role.REVIEWER, ["matches_to_review"]),
        (Role.MEDICAL, ["overdue_examinations"]),
        (Role.FORENSIC, ["unconfirmed_identifications"]),
        (Role.OMBUDSMAN, ["unanswered_children"]),
        (Role.COORDINATOR, ["matches_to_review", "unacknowledged_lists", "commitments_at_risk"]),
        (Role.MEDIATOR_LIAISON, ["unacknowledged_lists", "commitments_at_risk"]),
        (Role.ANALYST, []),
        (Role.AUDITOR, []),
    ],
)
def test_a_role_sees_only_what_it_can_act_on(demo: Path, role: Role, kinds: list[str]) -> None:
    instance = open_instance(demo)
    try:
        view = dashboard.attention(instance.uow(), Actor("someone", frozenset({role}), "test", 2))
        assert [i.kind for i in view.items] == kinds
    finally:
        instance.close()
