"""The agreements rules: targets, stances that meet or exclude, and the derived status."""

from datetime import date

import pytest

from parley.domain.agreements import (
    ClaimedFigure,
    CommitmentStatus,
    Figure,
    Metric,
    MetricKind,
    Overlap,
    Stance,
    Target,
    TargetKind,
    commitment_status,
    disputes,
    figure_of,
    parse_topic,
    relate,
)
from parley.domain.errors import InvalidInput

DEADLINE = date(2025, 7, 1)
BEFORE = date(2025, 6, 15)
AFTER = date(2025, 7, 15)


def test_at_least_up_to_is_met_at_the_floor_and_shows_going_past_the_ceiling() -> None:
    target = Target.parse("between", 1000, 1200)
    assert not target.satisfied(999)
    assert target.satisfied(1000) and target.satisfied(1300)
    assert target.over_ceiling(1201) and not target.over_ceiling(1200)
    assert target.describe() == "at least 1,000, up to 1,200"


def test_a_target_needs_its_figures_in_order() -> None:
    with pytest.raises(InvalidInput):
        Target(TargetKind.BETWEEN, 1200, 1000)
    with pytest.raises(InvalidInput):
        Target(TargetKind.AT_LEAST)
    assert Target.parse("at_most", 50) == Target(TargetKind.AT_MOST, None, 50)
    assert Target.parse("exactly", 339).satisfied(339)
    assert not Target.parse("exactly", 339).satisfied(338)


def test_status_is_on_track_then_met_or_overdue() -> None:
    target = Target(TargetKind.AT_LEAST, 1000)
    assert commitment_status(target, Figure(400), DEADLINE, BEFORE) is CommitmentStatus.ON_TRACK
    assert commitment_status(target, Figure(400), DEADLINE, AFTER) is CommitmentStatus.OVERDUE
    assert commitment_status(target, Figure(1000), DEADLINE, AFTER) is CommitmentStatus.MET
    assert commitment_status(target, Figure(None), DEADLINE, AFTER) is (
        CommitmentStatus.NOT_AVAILABLE
    )


def test_a_ceiling_is_met_only_once_the_deadline_has_passed() -> None:
    ceiling = Target(TargetKind.AT_MOST, None, 10)
    assert commitment_status(ceiling, Figure(5), DEADLINE, BEFORE) is CommitmentStatus.ON_TRACK
    assert commitment_status(ceiling, Figure(5), DEADLINE, AFTER) is CommitmentStatus.MET
    assert commitment_status(ceiling, Figure(11), DEADLINE, BEFORE) is CommitmentStatus.OVERDUE


def test_claims_beyond_the_tolerance_make_a_commitment_disputed() -> None:
    target = Target(TargetKind.AT_LEAST, 1000)
    figure = Figure(1000, {"UA": 1000, "RU": 1000})
    near = [ClaimedFigure("UA", 1003, BEFORE), ClaimedFigure("RU", 1000, BEFORE)]
    assert commitment_status(target, figure, DEADLINE, AFTER, near, 5) is CommitmentStatus.MET
    assert commitment_status(target, figure, DEADLINE, AFTER, near, 2) is (
        CommitmentStatus.DISPUTED
    )
    assert disputes(figure, near, 2) == [("RU", "UA"), ("UA", "records")]


def test_a_claim_is_compared_with_its_own_side_and_the_latest_claim_holds() -> None:
    figure = Figure(300, {"UA": 300, "RU": 320})
    claims = [ClaimedFigure("RU", 100, BEFORE), ClaimedFigure("RU", 320, AFTER)]
    assert disputes(figure, claims, 0) == []


def test_each_side_must_reach_a_per_side_target() -> None:
    metric = Metric(MetricKind.PERSONS_RETURNED, side="each")
    assert figure_of(metric, {"UA": 900, "RU": 1000}, None).value == 900
    assert figure_of(Metric(MetricKind.PERSONS_RETURNED, side="RU"), {"RU": 7}, None).value == 7
    assert figure_of(Metric(MetricKind.STAGES_HELD), None, 9).value == 9
    assert Metric(MetricKind.BODIES_RECEIVED).available  # the remains track counts it


def test_opposite_stances_on_one_position_exclude_each_other() -> None:
    assert relate({"UA": [Stance.OPPOSES], "RU": [Stance.SUPPORTS]}) is Overlap.EXCLUSIVE
    assert relate({"UA": [Stance.SUPPORTS], "RU": [Stance.SUPPORTS]}) is Overlap.COMMON
    assert relate({"UA": [Stance.SUPPORTS], "RU": [Stance.CONDITIONAL]}) is Overlap.PARTIAL
    assert relate({"UA": [Stance.SUPPORTS]}) is Overlap.ONE_SIDED


def test_topics_read_as_written() -> None:
    assert parse_topic("alliances and neutrality".replace(" and ", "_")).value == (
        "alliances_neutrality"
    )
    with pytest.raises(InvalidInput):
        parse_topic("weather")
