"""Stage planning: equal manifests, the draw order, every exclusion explained, "all for all"."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.domain.dates import PartialDate
from parley.domain.errors import InvalidInput
from parley.domain.exchange.categories import (
    STANDARD_CATEGORIES,
    Answer,
    CategoryRule,
    Consent,
    LegalHold,
    PersonFacts,
)
from parley.domain.exchange.commissions import AnnexCategory, Condition, Decision, MedicalStanding
from parley.domain.exchange.manifests import ExclusionCode, check_manifest_person
from parley.domain.exchange.stages import (
    DEFAULT_PRIORITY,
    Candidate,
    Parity,
    PlannedPerson,
    PriorityKey,
    StagePlan,
    StageRecord,
    StageRequest,
    plan_stage,
    priority_key,
    progress,
)
from parley.domain.registry.events import Status
from parley.domain.registry.persons import PersonCategory, Sex

ON = date(2025, 6, 9)
YOUNG = "aged_18_25"
WOUNDED = "seriously_wounded_or_sick"
AGREED: dict[str, CategoryRule] = {
    WOUNDED: STANDARD_CATEGORIES[WOUNDED],
    YOUNG: STANDARD_CATEGORIES[YOUNG],
}
"""Wounded first: a young wounded soldier counts as wounded."""
CONDITIONS = {
    0: Condition(AnnexCategory.A1, "amputation of the right leg", unquestionable=True),
    1: Condition(AnnexCategory.A1, "ankylosis of the knee"),
    2: Condition(AnnexCategory.A2, "splinter in the lung"),
    3: Condition(AnnexCategory.A3, "insulin-dependent diabetes"),
}


def _repatriate(severity: int) -> MedicalStanding:
    return MedicalStanding(Decision.REPATRIATE, date(2025, 5, 20), condition=CONDITIONS[severity])


def _facts(
    key: str,
    side: str = "RU",
    *,
    born: PartialDate | None = PartialDate(2003, 4, 1),
    captured: date | None = date(2024, 1, 1),
    medical: MedicalStanding | None = None,
    consent: Consent = Consent.GIVEN,
    hold: LegalHold | None = None,
    status: Status | None = None,
) -> PersonFacts:
    held = Status.HELD if side == "RU" else Status.IN_CAPTIVITY
    return PersonFacts(
        key=key,
        person_id=None,
        name=f"Person {key}",
        side=side,
        category=PersonCategory.MILITARY,
        sex=Sex.MALE,
        birth_date=born,
        captured_on=captured,
        status=status or held,
        medical=medical,
        consent=consent,
        legal_hold=hold,
    )


def _ok(facts: PersonFacts, note: str = "") -> Candidate:
    return Candidate(facts, True, note)


def _request(
    capacity: int = 100,
    parity: Parity = Parity.EQUAL_TOTALS,
    priority: tuple[PriorityKey, ...] = DEFAULT_PRIORITY,
    carried_deficits: Mapping[tuple[str, str], int] | None = None,
) -> StageRequest:
    return StageRequest(
        on=ON,
        categories=AGREED,
        capacity=capacity,
        parity=parity,
        release_side="RU",
        return_side="UA",
        priority=priority,
        carried_deficits=carried_deficits or {},
    )


def _keys(manifest: Sequence[PlannedPerson]) -> list[str]:
    return [p.facts.key for p in manifest]


def _codes(plan: StagePlan) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for e in plan.exclusions:
        found.setdefault(e.key, set()).add(str(e.code))
    return found


# ---------------------------------------------------------------- parity and capacity


def test_equal_totals_takes_the_shorter_side_and_says_why_the_rest_wait() -> None:
    release = [_ok(_facts(f"r{i}")) for i in range(5)]
    back = [_ok(_facts(f"u{i}", "UA")) for i in range(3)]
    plan = plan_stage(_request(), release, back)
    assert len(plan.release) == len(plan.expect) == 3
    assert plan.balanced
    cut = [e for e in plan.exclusions if e.code is ExclusionCode.PARITY]
    assert sorted(e.key for e in cut) == ["r3", "r4"]
    assert cut[0].reason == "parity: UA side has only 3 eligible in total"
    assert plan.deficits == {(YOUNG, "RU"): 2}


def test_equal_per_category_pairs_each_category_and_names_the_short_side() -> None:
    release = [_ok(_facts(f"r{i}")) for i in range(4)] + [
        _ok(_facts(f"rw{i}", medical=_repatriate(1), born=PartialDate(1980))) for i in range(1)
    ]
    back = [_ok(_facts(f"u{i}", "UA")) for i in range(2)] + [
        _ok(_facts(f"uw{i}", "UA", medical=_repatriate(2), born=PartialDate(1985)))
        for i in range(3)
    ]
    plan = plan_stage(_request(parity=Parity.EQUAL_PER_CATEGORY), release, back)
    assert plan.counts() == {WOUNDED: (1, 1), YOUNG: (2, 2)}
    assert plan.balanced
    reasons = {e.key: e.reason for e in plan.exclusions}
    assert reasons["r2"] == "parity: UA side has only 2 eligible in 'aged_18_25'"
    assert reasons["uw1"] == f"parity: RU side has only 1 eligible in '{WOUNDED}'"
    assert plan.deficits == {(YOUNG, "RU"): 2, (WOUNDED, "UA"): 2}
    # equal totals takes all five a side from the same pools, whatever the mix
    totals = plan_stage(_request(), release, back)
    assert totals.counts() == {WOUNDED: (1, 3), YOUNG: (4, 2)}
    assert totals.balanced and not totals.exclusions


def test_capacity_cuts_the_least_urgent_and_says_so() -> None:
    release = [_ok(_facts(f"r{i}", captured=date(2022, 3, 1 + i))) for i in range(6)]
    back = [_ok(_facts(f"u{i}", "UA", captured=date(2023, 1, 1 + i))) for i in range(6)]
    for parity in Parity:
        plan = plan_stage(_request(capacity=4, parity=parity), release, back)
        assert _keys(plan.release) == ["r0", "r1", "r2", "r3"]
        over = [e for e in plan.exclusions if e.code is ExclusionCode.OVER_CAPACITY]
        assert sorted(e.key for e in over) == ["r4", "r5", "u4", "u5"]
        assert "4 per side" in over[0].reason
        assert plan.deficits == {(YOUNG, "RU"): 2, (YOUNG, "UA"): 2}


def test_nobody_unfit_reaches_a_manifest_and_each_reason_is_given() -> None:
    release = [
        _ok(_facts("ok")),
        _ok(_facts("refused", consent=Consent.REFUSED)),
        _ok(_facts("unknown", consent=Consent.UNKNOWN)),
        _ok(_facts("hold", hold=LegalHold("case 12/2025", date(2025, 1, 1)))),
        _ok(_facts("released", status=Status.RELEASED)),
        _ok(_facts("old", born=PartialDate(1970, 2, 2))),
        _ok(_facts("boundary", born=PartialDate(1999))),
        Candidate(_facts("unconfirmed"), False, "two registry persons score 0.93 and 0.91"),
        _ok(_facts("pending", born=None, medical=MedicalStanding())),
    ]
    back = [_ok(_facts(f"u{i}", "UA")) for i in range(9)]
    plan = plan_stage(_request(), release, back)
    assert _keys(plan.release) == ["ok"]
    codes = _codes(plan)
    assert codes["refused"] == {"consent_refused"}
    assert codes["unknown"] == {"consent_unknown"}
    assert codes["hold"] == {"legal_hold"}
    assert codes["released"] == {"not_held"}
    assert codes["old"] == {"ineligible"}
    assert codes["boundary"] == {"uncertain"}
    assert codes["unconfirmed"] == {"not_confirmed_by_matching"}
    assert codes["pending"] == {"uncertain"}
    reasons = {e.key: e.reason for e in plan.exclusions}
    assert reasons["boundary"].startswith("uncertain: 'aged_18_25': born 1999 (year only)")
    assert reasons["unconfirmed"].endswith("two registry persons score 0.93 and 0.91")
    assert reasons["old"].startswith("ineligible: ")
    assert plan.expect and len(plan.expect) == 1


def test_every_reason_is_listed_not_just_the_first() -> None:
    person = Candidate(_facts("x", consent=Consent.REFUSED, born=PartialDate(1960)), False)
    plan = plan_stage(_request(), [person], [])
    assert _codes(plan)["x"] == {"consent_refused", "not_confirmed_by_matching", "ineligible"}


def test_a_manifest_line_says_why_the_person_qualifies() -> None:
    plan = plan_stage(
        _request(),
        [_ok(_facts("r", medical=_repatriate(0)), "list entry 17 confirmed by O. Koval")],
        [_ok(_facts("u", "UA"))],
    )
    (line,) = plan.release
    assert line.category == WOUNDED
    assert line.reasons[0].startswith(f"'{WOUNDED}': medical commission decided to repatriate")
    assert line.reasons[1] == "confirmed: list entry 17 confirmed by O. Koval"


# ---------------------------------------------------------------- category assignment


def test_a_person_goes_to_the_first_agreed_category_that_says_yes() -> None:
    young_and_wounded = _ok(_facts("r", medical=_repatriate(2)))
    back = [_ok(_facts("u", "UA"))]
    assert plan_stage(_request(), [young_and_wounded], back).release[0].category == WOUNDED
    youth_first = StageRequest(
        on=ON,
        categories={YOUNG: AGREED[YOUNG], WOUNDED: AGREED[WOUNDED]},
        capacity=10,
        parity=Parity.EQUAL_TOTALS,
        release_side="RU",
        return_side="UA",
    )
    assert plan_stage(youth_first, [young_and_wounded], back).release[0].category == YOUNG


def test_uncertain_in_one_category_but_yes_in_a_later_one_goes_in_the_later() -> None:
    pending_but_young = _ok(_facts("r", medical=MedicalStanding()))
    plan = plan_stage(_request(), [pending_but_young], [_ok(_facts("u", "UA"))])
    assert plan.release[0].category == YOUNG


# ---------------------------------------------------------------- priority


def test_priority_is_severity_then_captivity_then_oldest_then_key() -> None:
    people = [
        _facts("k-late", captured=date(2024, 5, 1)),
        _facts("k-early", captured=date(2022, 5, 1)),
        _facts("k-unknown-capture", captured=None),
        _facts("k-severe-3", medical=_repatriate(3), captured=date(2025, 1, 1)),
        _facts("k-severe-0", medical=_repatriate(0), captured=date(2025, 2, 1)),
        _facts("k-older", captured=date(2024, 5, 1), born=PartialDate(2000, 1, 1)),
        _facts("k-b-twin", captured=date(2024, 5, 1), born=PartialDate(2000, 1, 1)),
        _facts("k-no-birth", captured=date(2024, 5, 1), born=None),
    ]
    request = _request()
    order = sorted(people, key=lambda f: priority_key(f, request.priority))
    assert [f.key for f in order] == [
        "k-severe-0",
        "k-severe-3",
        "k-early",
        "k-b-twin",
        "k-older",
        "k-late",
        "k-no-birth",
        "k-unknown-capture",
    ]


def test_a_pending_examination_does_not_jump_the_queue() -> None:
    request = _request()
    pending = _facts("a-pending", medical=MedicalStanding(), captured=date(2024, 1, 1))
    earlier = _facts("b-earlier", captured=date(2023, 1, 1))
    order = sorted([pending, earlier], key=lambda f: priority_key(f, request.priority))
    assert [f.key for f in order] == ["b-earlier", "a-pending"]


def test_a_year_only_birth_counts_as_its_earliest_day_for_oldest_first() -> None:
    request = _request()
    year_only = _facts("a", born=PartialDate(2001))
    march = _facts("b", born=PartialDate(2001, 3, 1))
    assert priority_key(year_only, request.priority) < priority_key(march, request.priority)


def test_a_custom_priority_can_put_the_youngest_first() -> None:
    release = [
        _ok(_facts("r-2000", born=PartialDate(2000, 7, 1))),
        _ok(_facts("r-2006", born=PartialDate(2006, 1, 1))),
        _ok(_facts("r-2003", born=PartialDate(2003, 1, 1))),
    ]
    back = [_ok(_facts(f"u{i}", "UA")) for i in range(3)]
    default = plan_stage(_request(capacity=2), release, back)
    assert _keys(default.release) == ["r-2000", "r-2003"]
    youngest = plan_stage(
        _request(capacity=2, priority=(PriorityKey.YOUNGEST_FIRST,)), release, back
    )
    assert _keys(youngest.release) == ["r-2006", "r-2003"]


def test_the_plan_does_not_depend_on_the_order_of_the_pools() -> None:
    release = [_ok(_facts(f"r{i:02d}", captured=date(2023, 1, 1 + i % 5))) for i in range(30)]
    back = [_ok(_facts(f"u{i:02d}", "UA", captured=date(2023, 2, 1 + i % 3))) for i in range(20)]
    first = plan_stage(_request(capacity=12), release, back)
    shuffled_release, shuffled_back = release[:], back[:]
    random.Random(7).shuffle(shuffled_release)
    random.Random(8).shuffle(shuffled_back)
    second = plan_stage(_request(capacity=12), shuffled_release, shuffled_back)
    assert second.release == first.release and second.expect == first.expect
    assert sorted(second.exclusions, key=repr) == sorted(first.exclusions, key=repr)


def test_under_equal_totals_the_most_urgent_go_first_whatever_their_category() -> None:
    release = [_ok(_facts(f"r-young{i}", captured=date(2022, 3, 1))) for i in range(3)] + [
        _ok(_facts("r-wounded", medical=_repatriate(2), captured=date(2025, 1, 1)))
    ]
    back = [_ok(_facts(f"u{i}", "UA")) for i in range(4)]
    plan = plan_stage(_request(capacity=2), release, back)
    assert _keys(plan.release) == ["r-wounded", "r-young0"]


# ---------------------------------------------------------------- deficits


def test_deficits_carried_over_get_first_claim_on_capacity() -> None:
    young = [_ok(_facts(f"r-young{i}", captured=date(2022, 3, 1 + i))) for i in range(4)]
    wounded = [
        _ok(_facts(f"r-wounded{i}", medical=_repatriate(1), born=PartialDate(1980)))
        for i in range(4)
    ]
    back = [_ok(_facts(f"u-young{i}", "UA")) for i in range(4)] + [
        _ok(_facts(f"u-wounded{i}", "UA", medical=_repatriate(3), born=PartialDate(1979)))
        for i in range(4)
    ]
    for parity in Parity:
        first = plan_stage(_request(capacity=4, parity=parity), young + wounded, back)
        assert first.counts() == {WOUNDED: (4, 4), YOUNG: (0, 0)}
        assert first.deficits == {(YOUNG, "RU"): 4, (YOUNG, "UA"): 4}
        # the wounded went home; the young wait and are owed
        second = plan_stage(
            _request(capacity=4, parity=parity, carried_deficits={(YOUNG, "RU"): 2}),
            young + wounded,
            back,
        )
        # per category, an owed pair serves both sides; equal totals reserves per side
        owed = (2, 2) if parity is Parity.EQUAL_PER_CATEGORY else (2, 0)
        assert second.counts()[YOUNG] == owed
        assert _keys(second.release)[-2:] == ["r-young0", "r-young1"]
        assert second.balanced


def test_a_deficit_for_a_category_not_agreed_is_refused() -> None:
    with pytest.raises(InvalidInput):
        _request(carried_deficits={("civilian_detainees", "RU"): 3})
    with pytest.raises(InvalidInput):
        _request(carried_deficits={(YOUNG, "BY"): 3})


def test_a_person_in_both_pools_is_refused() -> None:
    with pytest.raises(InvalidInput):
        plan_stage(_request(), [_ok(_facts("x"))], [_ok(_facts("x", "UA"))])


# ---------------------------------------------------------------- the property


_STATUSES = (Status.HELD, Status.IN_CAPTIVITY, Status.RELEASED, Status.RETURNED, None)


@st.composite
def _candidates(draw: st.DrawFn, side: str, prefix: str) -> list[Candidate]:
    count = draw(st.integers(0, 25))
    pool: list[Candidate] = []
    for i in range(count):
        birth_year = draw(st.integers(1965, 2008))
        precision = draw(st.sampled_from(["day", "year", "none"]))
        born = {
            "day": PartialDate(birth_year, draw(st.integers(1, 12)), draw(st.integers(1, 28))),
            "year": PartialDate(birth_year),
            "none": None,
        }[precision]
        medical = draw(
            st.one_of(
                st.none(),
                st.integers(0, 3).map(_repatriate),
                st.just(MedicalStanding(Decision.REJECT, date(2025, 5, 1))),
                st.just(MedicalStanding()),
            )
        )
        hold = draw(st.sampled_from([None, None, None, LegalHold("case", date(2024, 9, 1))]))
        facts = PersonFacts(
            key=f"{prefix}{i:02d}",
            person_id=i,
            name=f"Person {prefix}{i}",
            side=side,
            category=PersonCategory.MILITARY,
            birth_date=born,
            captured_on=draw(st.one_of(st.none(), st.dates(date(2022, 2, 24), date(2025, 6, 1)))),
            status=draw(st.sampled_from(_STATUSES)),
            medical=medical,
            consent=draw(st.sampled_from([Consent.GIVEN, Consent.GIVEN, *Consent])),
            legal_hold=hold,
        )
        pool.append(Candidate(facts, draw(st.booleans()) or draw(st.booleans()), ""))
    return pool


def _fit(candidate: Candidate, category: str) -> bool:
    """Independently of the planner: may this person stand on a manifest in `category`?"""
    facts = candidate.facts
    answers = [rule.evaluate(facts, ON).answer for rule in AGREED.values()]
    first_yes = next((n for n, a in zip(AGREED, answers, strict=True) if a is Answer.YES), None)
    return (
        candidate.confirmed_by_matching
        and not check_manifest_person(facts, ON)
        and first_yes == category
    )


@settings(max_examples=150, deadline=None)
@given(
    release=_candidates("RU", "r"),
    back=_candidates("UA", "u"),
    capacity=st.integers(0, 30),
    parity=st.sampled_from(Parity),
    owed=st.dictionaries(
        st.tuples(st.sampled_from(list(AGREED)), st.sampled_from(["RU", "UA"])),
        st.integers(0, 6),
    ),
)
def test_a_planned_stage_is_balanced_and_explains_everyone(
    release: list[Candidate],
    back: list[Candidate],
    capacity: int,
    parity: Parity,
    owed: dict[tuple[str, str], int],
) -> None:
    request = _request(capacity=capacity, parity=parity, carried_deficits=owed)
    plan = plan_stage(request, release, back)
    assert plan.balanced
    assert len(plan.release) == len(plan.expect) <= capacity
    if parity is Parity.EQUAL_PER_CATEGORY:
        assert all(r == e for r, e in plan.counts().values())
    by_key = {c.facts.key: c for c in (*release, *back)}
    planned = [*plan.release, *plan.expect]
    for line in planned:
        assert _fit(by_key[line.facts.key], line.category)
    assert {p.facts.key for p in plan.release} <= {c.facts.key for c in release}
    excluded = {e.key for e in plan.exclusions}
    assert all(e.reason for e in plan.exclusions)
    planned_keys = {p.facts.key for p in planned}
    assert not planned_keys & excluded
    assert planned_keys | excluded == set(by_key)
    # what was ready and left out is exactly the deficit
    for side, pool, manifest in (("RU", release, plan.release), ("UA", back, plan.expect)):
        for category in AGREED:
            ready = sum(_fit(c, category) for c in pool)
            taken = sum(p.category == category for p in manifest)
            assert ready - taken == plan.deficits.get((category, side), 0)
    # the manifests are as large as parity and capacity allow
    ready_pairs = {
        c: (sum(_fit(p, c) for p in release), sum(_fit(p, c) for p in back)) for c in AGREED
    }
    if parity is Parity.EQUAL_TOTALS:
        most = min(capacity, *(sum(side) for side in zip(*ready_pairs.values(), strict=True)))
    else:
        most = min(capacity, sum(min(pair) for pair in ready_pairs.values()))
    assert len(plan.release) == most


# ---------------------------------------------------------------- all for all


def test_progress_rows_add_up_across_planned_and_executed_stages() -> None:
    ours = [_facts(f"u{i}", "UA", captured=date(2022, 5, 1 + i)) for i in range(6)]
    ours.append(_facts("u-wounded", "UA", medical=_repatriate(1), born=PartialDate(1975)))
    ours.append(_facts("u-old", "UA", born=PartialDate(1975)))
    theirs = [_facts(f"r{i}", captured=date(2022, 6, 1 + i)) for i in range(8)]
    first = plan_stage(_request(capacity=3), map(_ok, theirs), map(_ok, ours))
    assert _keys(first.expect) == ["u-wounded", "u0", "u1"]
    later = date(2025, 6, 20)
    second = plan_stage(
        StageRequest(
            on=later,
            categories=AGREED,
            capacity=2,
            parity=Parity.EQUAL_TOTALS,
            release_side="RU",
            return_side="UA",
        ),
        [_ok(f) for f in theirs if f.key not in {p.facts.key for p in first.release}],
        [_ok(f) for f in ours if f.key not in {p.facts.key for p in first.expect}],
    )
    stages = [
        StageRecord.executed(first, handed_over=["u-wounded", "u0", "r0", "r1", "r2"]),
        StageRecord(second),
    ]
    rows = progress({"UA": ours, "RU": theirs}, stages, AGREED, later)
    table = {(r.category, r.side): r for r in rows}
    assert table[(WOUNDED, "UA")].returned == 1
    assert table[(YOUNG, "UA")].eligible == 6
    assert table[(YOUNG, "UA")].returned == 1
    assert table[(YOUNG, "UA")].planned == 2
    assert table[(YOUNG, "RU")].returned == 3
    assert table[(YOUNG, "RU")].planned == 2
    for row in rows:
        assert row.remaining == row.eligible - row.returned
        assert row.planned <= row.remaining
    assert sum(r.eligible for r in rows if r.side == "UA") == 7  # u-old is in no category
    assert sum(r.eligible for r in rows if r.side == "RU") == 8


def test_someone_returned_in_a_category_stays_counted_there_after_ageing_out() -> None:
    ours = [_facts("u", "UA", born=PartialDate(1999, 7, 1))]
    theirs = [_facts("r", born=PartialDate(2004, 1, 1))]
    plan = plan_stage(_request(), map(_ok, theirs), map(_ok, ours))
    assert plan.counts()[YOUNG] == (1, 1)
    rows = progress(
        {"UA": ours, "RU": theirs}, [StageRecord.executed(plan)], AGREED, date(2026, 1, 1)
    )
    table = {(r.category, r.side): r for r in rows}
    assert (table[(YOUNG, "UA")].eligible, table[(YOUNG, "UA")].returned) == (1, 1)
    assert table[(YOUNG, "UA")].remaining == 0


def test_a_person_refused_at_the_border_is_still_remaining() -> None:
    ours = [_facts(f"u{i}", "UA") for i in range(2)]
    theirs = [_facts(f"r{i}") for i in range(2)]
    plan = plan_stage(_request(), map(_ok, theirs), map(_ok, ours))
    rows = progress(
        {"UA": map(_ok, ours), "RU": theirs},
        [StageRecord.executed(plan, ["u0", "r0", "r1"])],
        AGREED,
        ON,
    )
    ua = next(r for r in rows if r.category == YOUNG and r.side == "UA")
    assert (ua.eligible, ua.planned, ua.returned, ua.remaining) == (2, 0, 1, 1)
    assert Counter(r.side for r in rows) == {"UA": 2, "RU": 2}
