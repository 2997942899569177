"""Mixed Medical Commissions: lawful composition, majority decisions, deadlines, art. 113."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parley.domain.errors import InvalidCommission, InvalidExamination, InvalidInput
from parley.domain.exchange.commissions import (
    AnnexCategory,
    Commission,
    Condition,
    Decision,
    Examination,
    ExaminationCandidate,
    MedicalStanding,
    Member,
    MemberRole,
    Overdue,
    OverdueWhat,
    Proposer,
    Specialty,
    Vote,
    add_months,
    certificate_text,
    examination_order,
    latest_standing,
    overdue,
)

CHAIR = Member("Dr Anna Neutral", "CH", MemberRole.NEUTRAL, chair=True, specialty=Specialty.SURGEON)
SECOND = Member("Dr Beat Neutral", "CH", MemberRole.NEUTRAL, specialty=Specialty.PHYSICIAN)
DETAINING = Member("Dr Oleg Detaining", "RU", MemberRole.DETAINING_POWER)
DEPUTY = Member("Dr Carla Deputy", "CH", MemberRole.NEUTRAL)
COMMISSION = Commission("MMC-1", (CHAIR, SECOND, DETAINING), (DEPUTY,))
SPLINTER = Condition(AnnexCategory.A2, "splinter in the lungs")
AMPUTATION = Condition(AnnexCategory.A1, "amputation of the right leg", unquestionable=True)


def votes(chair: Vote, second: Vote, detaining: Vote) -> dict[str, Vote]:
    return {CHAIR.name: chair, SECOND.name: second, DETAINING.name: detaining}


def exam(
    key: str = "p-1",
    visited: date = date(2025, 5, 10),
    cast: dict[str, Vote] | None = None,
    condition: Condition | None = SPLINTER,
    notified: date | None = None,
    carried_out: date | None = None,
) -> Examination:
    return Examination(
        key,
        COMMISSION,
        visited,
        "metal fragment seen on X-ray",
        condition,
        cast if cast is not None else votes(Vote.REPATRIATE, Vote.REPATRIATE, Vote.REJECT),
        notified,
        carried_out,
    )


# --- composition --------------------------------------------------------------------------


def test_a_lawful_commission() -> None:
    assert COMMISSION.chair == CHAIR
    assert COMMISSION.advisories() == []
    assert isinstance(InvalidCommission("x"), InvalidInput)


def test_two_members_from_the_detaining_power_are_refused() -> None:
    other = Member("Dr Pavel Detaining", "RU", MemberRole.DETAINING_POWER)
    with pytest.raises(InvalidCommission) as caught:
        Commission("MMC-bad", (CHAIR, DETAINING, other))
    assert caught.value.message == (
        "a commission has two neutral members and one named by the detaining power; "
        "this one has one neutral member and two members from the detaining power"
    )
    assert caught.value.code == "invalid_commission"


@pytest.mark.parametrize(
    "members",
    [
        (CHAIR, SECOND),  # too few
        (CHAIR, SECOND, DETAINING, DEPUTY),  # too many
        (CHAIR, SECOND, DEPUTY),  # nobody from the detaining power
    ],
)
def test_other_compositions_are_refused(members: tuple[Member, ...]) -> None:
    with pytest.raises(InvalidCommission):
        Commission("MMC-bad", members)


def test_the_chair_is_one_neutral_member() -> None:
    unchaired = Member("Dr Anna Neutral", "CH", MemberRole.NEUTRAL)
    with pytest.raises(InvalidCommission, match="chairs"):
        Commission("MMC", (unchaired, SECOND, DETAINING))
    detaining_chair = Member("Dr Oleg Detaining", "RU", MemberRole.DETAINING_POWER, chair=True)
    with pytest.raises(InvalidCommission, match="chairs"):
        Commission("MMC", (Member("Dr A", "CH", MemberRole.NEUTRAL), SECOND, detaining_chair))


def test_a_neutral_member_cannot_share_the_detaining_powers_country() -> None:
    with pytest.raises(InvalidCommission, match="neutral member cannot belong to RU"):
        Commission("MMC", (CHAIR, Member("Dr R", "RU", MemberRole.NEUTRAL), DETAINING))


def test_advisories_report_what_annex_ii_recommends() -> None:
    plain = Commission(
        "MMC-2",
        (
            Member("Dr X", "SE", MemberRole.NEUTRAL, chair=True),
            Member("Dr Y", "SE", MemberRole.NEUTRAL),
            DETAINING,
        ),
    )
    assert len(plain.advisories()) == 3


# --- decisions ----------------------------------------------------------------------------


def test_majority_decides() -> None:
    examination = exam()
    assert examination.decision is Decision.REPATRIATE
    assert examination.decision_reason == "2 of 3 votes for repatriate"
    reject = exam(cast=votes(Vote.REJECT, Vote.REJECT, Vote.REPATRIATE))
    assert reject.decision is Decision.REJECT


def test_a_three_way_split_means_re_examine() -> None:
    split = exam(cast=votes(Vote.REPATRIATE, Vote.REJECT, Vote.REEXAMINE))
    assert split.decision is Decision.REEXAMINE
    assert split.decision_reason.startswith("no majority")


def test_every_member_votes_and_only_members() -> None:
    with pytest.raises(InvalidExamination, match="no vote from Dr Oleg Detaining"):
        exam(cast={CHAIR.name: Vote.REPATRIATE, SECOND.name: Vote.REPATRIATE})
    with pytest.raises(InvalidExamination, match="Dr Carla Deputy not a member"):
        exam(cast={**votes(Vote.REJECT, Vote.REJECT, Vote.REJECT), DEPUTY.name: Vote.REJECT})


def test_repatriation_needs_a_qualifying_condition() -> None:
    with pytest.raises(InvalidExamination, match="Annex I condition"):
        exam(condition=None)
    old = Condition(AnnexCategory.A3, "asthma", predates_war_not_worsened=True)
    with pytest.raises(InvalidExamination, match="predates the war"):
        exam(condition=old)
    rejected = exam(condition=None, cast=votes(Vote.REJECT, Vote.REJECT, Vote.REPATRIATE))
    assert rejected.decision is Decision.REJECT


def test_votes_cannot_be_changed_after_the_fact() -> None:
    examination = exam()
    with pytest.raises(TypeError):
        examination.votes[CHAIR.name] = Vote.REJECT  # type: ignore[index]


def test_dates_follow_each_other() -> None:
    with pytest.raises(InvalidExamination):
        exam(notified=date(2025, 5, 1))
    with pytest.raises(InvalidExamination):
        exam(carried_out=date(2025, 6, 1))
    with pytest.raises(InvalidExamination):
        exam(
            cast=votes(Vote.REJECT, Vote.REJECT, Vote.REJECT),
            notified=date(2025, 5, 20),
            carried_out=date(2025, 6, 1),
        )


def test_annex_categories_describe_themselves() -> None:
    assert "hand or a foot" in AnnexCategory.A1.description
    assert str(SPLINTER) == "A2: splinter in the lungs"


# --- deadlines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 5, 10), 1, date(2025, 6, 10)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
    ],
)
def test_calendar_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@given(st.dates(max_value=date(9000, 1, 1)), st.integers(0, 120))
def test_adding_months_never_overshoots_the_target_month(start: date, months: int) -> None:
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day <= start.day


def test_deadlines_from_the_visit_and_the_notification() -> None:
    examination = exam(visited=date(2025, 1, 31), notified=date(2025, 2, 28))
    assert examination.notify_by == date(2025, 2, 28)
    assert examination.carry_out_by == date(2025, 5, 28)
    unnotified = exam(visited=date(2025, 1, 31))
    assert unnotified.carry_out_by == date(2025, 5, 28)
    rejected = exam(cast=votes(Vote.REJECT, Vote.REJECT, Vote.REJECT), condition=None)
    assert rejected.carry_out_by is None


def test_overdue_lists_what_is_still_outstanding_latest_first() -> None:
    today = date(2025, 9, 1)
    not_notified = exam("a", visited=date(2025, 7, 1))  # due 2025-08-01
    not_repatriated = exam("b", visited=date(2025, 5, 1), notified=date(2025, 5, 20))  # 08-20
    done = exam(
        "c", visited=date(2025, 5, 1), notified=date(2025, 5, 20), carried_out=date(2025, 7, 1)
    )
    in_time = exam("d", visited=date(2025, 8, 10))
    rejected_notified = exam(
        "e", cast=votes(Vote.REJECT, Vote.REJECT, Vote.REJECT), notified=date(2025, 5, 15)
    )
    both = exam("f", visited=date(2025, 3, 15))  # notify 04-15, carry out 07-15
    listed = overdue([not_notified, not_repatriated, done, in_time, rejected_notified, both], today)
    assert listed == [
        Overdue("f", OverdueWhat.NOTIFICATION, date(2025, 4, 15), 139),
        Overdue("f", OverdueWhat.REPATRIATION, date(2025, 7, 15), 48),
        Overdue("a", OverdueWhat.NOTIFICATION, date(2025, 8, 1), 31),
        Overdue("b", OverdueWhat.REPATRIATION, date(2025, 8, 20), 12),
    ]


def test_nothing_is_overdue_on_the_due_day() -> None:
    assert overdue([exam(visited=date(2025, 1, 31))], date(2025, 2, 28)) == []
    assert len(overdue([exam(visited=date(2025, 1, 31))], date(2025, 3, 1))) == 1


# --- standing, certificate ----------------------------------------------------------------


def test_the_latest_visit_gives_the_standing() -> None:
    first = exam(visited=date(2025, 1, 10), cast=votes(Vote.REEXAMINE, Vote.REEXAMINE, Vote.REJECT))
    second = exam(visited=date(2025, 5, 10))
    standing = latest_standing([second, first])
    assert standing == MedicalStanding(Decision.REPATRIATE, date(2025, 5, 10), condition=SPLINTER)
    assert standing.severity == 2
    assert latest_standing([]) is None


def test_certificate_for_a_repatriation() -> None:
    certificate = certificate_text(exam(), "Testenko Ivan", date(2025, 5, 12))
    assert certificate.person_name == "Testenko Ivan"
    assert certificate.condition == "A2: splinter in the lungs"
    assert len(certificate.members) == 3
    assert "GC III Annex II" in certificate.articles
    text = certificate.as_text()
    assert "Dr Anna Neutral (CH), neutral, surgeon, chair" in text
    assert "Decision: repatriate (2 of 3 votes for repatriate)" in text
    assert "To be notified by: 2025-06-10" in text


def test_no_certificate_without_a_decision_to_repatriate() -> None:
    rejected = exam(cast=votes(Vote.REJECT, Vote.REJECT, Vote.REJECT))
    with pytest.raises(InvalidExamination):
        certificate_text(rejected, "Testenko Ivan", date(2025, 5, 12))
    with pytest.raises(InvalidExamination):
        certificate_text(exam(), "Testenko Ivan", date(2025, 5, 1))


# --- art. 113 -----------------------------------------------------------------------------


def test_art_113_entitled_first_then_severity_then_time_held() -> None:
    candidates = [
        ExaminationCandidate("other-amputee", Proposer.OTHER, AMPUTATION, date(2022, 3, 1)),
        ExaminationCandidate(
            "rep-a3",
            Proposer.PRISONERS_REPRESENTATIVE,
            Condition(AnnexCategory.A3, "tuberculosis"),
            date(2024, 1, 1),
        ),
        ExaminationCandidate(
            "doc-a2-recent", Proposer.DETAINING_POWER_DOCTORS, SPLINTER, date(2025, 1, 1)
        ),
        ExaminationCandidate(
            "camp-a2-long", Proposer.CAMP_DOCTOR_OWN_NATIONALITY, SPLINTER, date(2023, 1, 1)
        ),
        ExaminationCandidate(
            "power-amputee", Proposer.OWN_POWER_OR_RELIEF_SOCIETY, AMPUTATION, None
        ),
        ExaminationCandidate("doc-a2-unknown", Proposer.DETAINING_POWER_DOCTORS, SPLINTER, None),
        ExaminationCandidate("other-none", Proposer.OTHER, None, date(2022, 1, 1)),
    ]
    order = [c.person_key for c in examination_order(candidates)]
    assert order == [
        "power-amputee",
        "camp-a2-long",
        "doc-a2-recent",
        "doc-a2-unknown",
        "rep-a3",
        "other-amputee",
        "other-none",
    ]
