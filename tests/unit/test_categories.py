"""Category rules answer yes, no or uncertain with a reason; manifest checks list every bar."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parley.domain.dates import PartialDate
from parley.domain.errors import InvalidInput
from parley.domain.exchange.categories import (
    STANDARD_CATEGORIES,
    AgeBand,
    AllOf,
    Answer,
    AnyOf,
    AttributeEquals,
    AttributeIn,
    CategoryRule,
    CivilianDetainee,
    Consent,
    HeldLongerThan,
    HoldKind,
    LegalHold,
    NamedCategory,
    Not,
    PersonFacts,
    RuleResult,
    SeriouslyWoundedOrSick,
    age_on,
    evaluate,
    evaluate_all,
)
from parley.domain.exchange.category_config import parse_categories, parse_rule
from parley.domain.exchange.commissions import AnnexCategory, Condition, Decision, MedicalStanding
from parley.domain.exchange.manifests import (
    ExclusionCode,
    category_exclusion,
    check_manifest_person,
)
from parley.domain.registry.events import Status
from parley.domain.registry.persons import PersonCategory

STAGE = date(2025, 6, 9)
YOUNG = AgeBand(18, 25)


def facts(**changes: Any) -> PersonFacts:
    values: dict[str, Any] = {
        "key": "p-1",
        "person_id": 1,
        "name": "Testenko Ivan",
        "side": "UA",
        "category": PersonCategory.MILITARY,
        "status": Status.IN_CAPTIVITY,
        "consent": Consent.GIVEN,
    }
    values.update(changes)
    return PersonFacts(**values)


def born(text: str) -> PersonFacts:
    return facts(birth_date=PartialDate.parse(text))


# --- age ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "answer"),
    [
        ("1999-06-10", Answer.YES),
        ("1999-06-09", Answer.NO),  # turned 26 that day
        ("2007-06-09", Answer.YES),  # turned 18 that day
        ("2007-06-10", Answer.NO),
        ("1999", Answer.UNCERTAIN),
        ("2003", Answer.YES),  # every day of 2003 qualifies
        ("1999-06", Answer.UNCERTAIN),
        ("1980", Answer.NO),
        ("2010-03", Answer.NO),
    ],
)
def test_age_band_18_25_on_9_june_2025(birth: str, answer: Answer) -> None:
    assert YOUNG.evaluate(born(birth), STAGE).answer is answer


def test_age_reasons_say_the_age_and_the_precision() -> None:
    exact = YOUNG.evaluate(born("1999-06-09"), STAGE)
    assert exact.reason == "born 1999-06-09: aged 26 on 2025-06-09, outside 18–25"
    partial = YOUNG.evaluate(born("1999"), STAGE)
    assert (
        partial.reason == "born 1999 (year only): aged 25 or 26 on 2025-06-09 — uncertain for 18–25"
    )
    assert "month only" in YOUNG.evaluate(born("1999-06"), STAGE).reason


def test_no_birth_date_is_uncertain() -> None:
    result = YOUNG.evaluate(facts(), STAGE)
    assert result.answer is Answer.UNCERTAIN
    assert "unknown" in result.reason


def test_leap_day_birthday_counts_from_1_march_in_common_years() -> None:
    assert age_on(date(2004, 2, 29), date(2022, 2, 28)) == 17
    assert age_on(date(2004, 2, 29), date(2022, 3, 1)) == 18


def test_age_band_refuses_an_inverted_band() -> None:
    with pytest.raises(InvalidInput):
        AgeBand(25, 18)


def _every_day(birth: PartialDate) -> list[date]:
    first, last = birth.earliest(), birth.latest()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(0, 60),
    st.integers(0, 40),
)
def test_full_dates_answer_by_exact_age(birth: date, on: date, youngest: int, span: int) -> None:
    band = AgeBand(youngest, youngest + span)
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    expected = Answer.YES if band.youngest <= age <= band.oldest else Answer.NO
    assert band.evaluate(facts(birth_date=PartialDate.of(birth)), on).answer is expected


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    year = draw(st.integers(1950, 2015))
    month = draw(st.none() | st.integers(1, 12))
    return PartialDate(year, month)


@given(
    partial_dates(),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(0, 60),
    st.integers(0, 10),
)
def test_partial_dates_never_claim_more_than_every_day_supports(
    birth: PartialDate, on: date, youngest: int, span: int
) -> None:
    band = AgeBand(youngest, youngest + span)
    answer = band.evaluate(facts(birth_date=birth), on).answer
    inside = [band.youngest <= age_on(day, on) <= band.oldest for day in _every_day(birth)]
    if answer is Answer.YES:
        assert all(inside)
    elif answer is Answer.NO:
        assert not any(inside)
    else:
        assert any(inside) and not all(inside)


# --- medical ------------------------------------------------------------------------------

SPLINTER = Condition(AnnexCategory.A2, "splinter in the lungs")


@pytest.mark.parametrize(
    ("standing", "answer", "words"),
    [
        (None, Answer.NO, "no medical commission decision or manifest certification"),
        (
            MedicalStanding(Decision.REPATRIATE, date(2025, 5, 1), condition=SPLINTER),
            Answer.YES,
            "decided to repatriate on 2025-05-01",
        ),
        (MedicalStanding(Decision.REJECT, date(2025, 5, 1)), Answer.NO, "rejected"),
        (MedicalStanding(Decision.REEXAMINE, date(2025, 5, 1)), Answer.UNCERTAIN, "re-examine"),
        (MedicalStanding(), Answer.UNCERTAIN, "pending"),
        (
            MedicalStanding(manifest_case=True, certified_on=date(2025, 5, 2), condition=SPLINTER),
            Answer.YES,
            "art. 112",
        ),
    ],
)
def test_seriously_wounded_or_sick(
    standing: MedicalStanding | None, answer: Answer, words: str
) -> None:
    result = SeriouslyWoundedOrSick().evaluate(facts(medical=standing), STAGE)
    assert result.answer is answer
    assert words in result.reason
    assert "splinter" not in result.reason and "A2" not in result.reason, "need to know"


def test_a_later_commission_rejection_overrides_an_earlier_manifest_certification() -> None:
    standing = MedicalStanding(
        Decision.REJECT, date(2025, 5, 20), manifest_case=True, certified_on=date(2025, 5, 1)
    )
    assert SeriouslyWoundedOrSick().evaluate(facts(medical=standing), STAGE).answer is Answer.NO


def test_a_condition_older_than_the_war_does_not_qualify() -> None:
    old = Condition(AnnexCategory.A3, "diabetes", predates_war_not_worsened=True)
    standing = MedicalStanding(manifest_case=True, certified_on=date(2025, 5, 1), condition=old)
    result = SeriouslyWoundedOrSick().evaluate(facts(medical=standing), STAGE)
    assert result.answer is Answer.NO
    assert "art. 110" in result.reason


def test_medical_standing_ranks_severity() -> None:
    amputation = Condition(AnnexCategory.A1, "amputation of a leg", unquestionable=True)
    assert (
        MedicalStanding(condition=amputation).severity
        < MedicalStanding(condition=SPLINTER).severity
    )
    assert MedicalStanding(condition=SPLINTER).severity < MedicalStanding().severity


# --- other rules --------------------------------------------------------------------------


def test_civilian_detainee() -> None:
    assert (
        CivilianDetainee().evaluate(facts(category=PersonCategory.CIVILIAN), STAGE).answer
        is Answer.YES
    )
    assert CivilianDetainee().evaluate(facts(), STAGE).answer is Answer.NO


@pytest.mark.parametrize(
    ("captured", "answer"),
    [
        (date(2024, 6, 8), Answer.YES),
        (date(2024, 6, 9), Answer.NO),  # exactly twelve months: not longer
        (date(2025, 1, 1), Answer.NO),
        (None, Answer.UNCERTAIN),
    ],
)
def test_held_longer_than_counts_calendar_months(captured: date | None, answer: Answer) -> None:
    assert HeldLongerThan(12).evaluate(facts(captured_on=captured), STAGE).answer is answer


def test_held_longer_than_month_end() -> None:
    rule = HeldLongerThan(1)
    captured = facts(captured_on=date(2025, 1, 31))
    assert rule.evaluate(captured, date(2025, 2, 28)).answer is Answer.NO
    assert rule.evaluate(captured, date(2025, 3, 1)).answer is Answer.YES


def test_attributes_compare_without_case_and_missing_is_uncertain() -> None:
    officer = facts(attributes={"officer": "Yes", "region": "north"})
    assert AttributeEquals("officer", "yes").evaluate(officer, STAGE).answer is Answer.YES
    assert AttributeEquals("officer", "no").evaluate(officer, STAGE).answer is Answer.NO
    assert AttributeEquals("unit", "x").evaluate(officer, STAGE).answer is Answer.UNCERTAIN
    assert AttributeIn("region", ("north", "east")).evaluate(officer, STAGE).answer is Answer.YES
    assert AttributeIn("region", ("south",)).evaluate(officer, STAGE).answer is Answer.NO


class Fixed:
    """A rule that always answers the same, to test the combinators' logic alone."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer

    @property
    def name(self) -> str:
        return f"fixed_{self.answer}"

    def describe(self) -> str:
        return f"always {self.answer}"

    def evaluate(self, facts: PersonFacts, on: date) -> RuleResult:
        return RuleResult(self.answer, f"said {self.answer}", self.name)


answers = st.sampled_from(list(Answer))


def _kleene_and(values: list[Answer]) -> Answer:
    if Answer.NO in values:
        return Answer.NO
    return Answer.YES if all(v is Answer.YES for v in values) else Answer.UNCERTAIN


@given(st.lists(answers, min_size=1, max_size=5))
def test_combinators_follow_kleene_logic(values: list[Answer]) -> None:
    rules: tuple[CategoryRule, ...] = tuple(Fixed(v) for v in values)
    person = facts()
    assert AllOf(rules).evaluate(person, STAGE).answer is _kleene_and(values)
    negated = [{Answer.YES: Answer.NO, Answer.NO: Answer.YES}.get(v, v) for v in values]
    de_morgan = Not(AllOf(tuple(Not(r) for r in rules)))
    assert AnyOf(rules).evaluate(person, STAGE).answer is de_morgan.evaluate(person, STAGE).answer
    assert Not(AnyOf(rules)).evaluate(person, STAGE).answer is _kleene_and(negated)


def test_combinator_reasons_name_what_decided() -> None:
    rule = AllOf((YOUNG, Not(AttributeEquals("officer", "yes"))))
    result = rule.evaluate(facts(birth_date=PartialDate(1980), attributes={"officer": "no"}), STAGE)
    assert result.answer is Answer.NO
    assert result.reason.startswith("born 1980 (year only)")


def test_standard_categories_carry_their_agreed_names() -> None:
    assert {"aged_18_25", "seriously_wounded_or_sick", "civilian_detainees"} <= set(
        STANDARD_CATEGORIES
    )
    result = evaluate(STANDARD_CATEGORIES["aged_18_25"], born("2003"), STAGE)
    assert result.rule == "aged_18_25"
    results = evaluate_all(STANDARD_CATEGORIES, born("2003"), STAGE)
    assert results["civilian_detainees"].answer is Answer.NO
    assert all(isinstance(rule, CategoryRule) for rule in STANDARD_CATEGORIES.values())


# --- parsing ------------------------------------------------------------------------------


def test_parse_a_nested_custom_rule() -> None:
    spec = {"all": [{"age": [18, 25]}, {"not": {"attribute": "officer", "equals": "yes"}}]}
    rule = parse_rule(spec)
    assert rule == AllOf((AgeBand(18, 25), Not(AttributeEquals("officer", "yes"))))
    young_private = born("2003")
    young_officer = facts(birth_date=PartialDate(2003), attributes={"officer": "yes"})
    assert rule.evaluate(young_private, STAGE).answer is Answer.UNCERTAIN  # officer not recorded
    assert rule.evaluate(young_officer, STAGE).answer is Answer.NO


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({"seriously_wounded_or_sick": True}, SeriouslyWoundedOrSick()),
        ({"civilian": True}, CivilianDetainee()),
        ({"held_longer_than_months": 18}, HeldLongerThan(18)),
        (
            {"attribute": "region", "in": ["north", "east"]},
            AttributeIn("region", ("north", "east")),
        ),
        ({"category": "aged_18_25"}, STANDARD_CATEGORIES["aged_18_25"]),
        (
            {"any": [{"civilian": True}, {"age": [18, 25]}]},
            AnyOf((CivilianDetainee(), AgeBand(18, 25))),
        ),
    ],
)
def test_parse_each_kind(spec: dict[str, object], expected: CategoryRule) -> None:
    assert parse_rule(spec) == expected


@pytest.mark.parametrize(
    ("spec", "path"),
    [
        ("age", "rule"),
        ({}, "rule"),
        ({"colour": "red"}, "rule.colour"),
        ({"age": [18, 25], "civilian": True}, "rule"),
        ({"age": [18]}, "rule.age"),
        ({"age": [18, "25"]}, "rule.age[1]"),
        ({"age": [25, 18]}, "rule.age"),
        ({"age": [True, 25]}, "rule.age[0]"),
        ({"civilian": False}, "rule.civilian"),
        ({"held_longer_than_months": -1}, "rule.held_longer_than_months"),
        ({"attribute": "officer"}, "rule"),
        ({"attribute": "officer", "equals": "yes", "in": ["a"]}, "rule"),
        ({"attribute": "region", "in": []}, "rule.in"),
        ({"attribute": "region", "in": ["a", 3]}, "rule.in[1]"),
        ({"age": [18, 25], "equals": "x"}, "rule.equals"),
        ({"category": "nope"}, "rule.category"),
        ({"all": []}, "rule.all"),
        ({"all": {"age": [18, 25]}}, "rule.all"),
        ({"all": [{"age": [18, 25]}, {"not": {"age": [18]}}]}, "rule.all[1].not.age"),
        ({"any": [{"civilian": True}, {"bogus": 1}]}, "rule.any[1].bogus"),
    ],
)
def test_invalid_specs_name_the_bad_key_path(spec: object, path: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_rule(spec)
    assert caught.value.field == path
    assert caught.value.message.startswith(f"{path}:")


def test_parse_categories_names_them_and_allows_references() -> None:
    table = {
        "young_privates": {
            "all": [{"category": "aged_18_25"}, {"not": {"attribute": "officer", "equals": "yes"}}]
        },
        "long_held_young_privates": {
            "all": [{"category": "young_privates"}, {"held_longer_than_months": 12}]
        },
    }
    parsed = parse_categories(table)
    assert list(parsed) == ["young_privates", "long_held_young_privates"]
    assert isinstance(parsed["young_privates"], NamedCategory)
    person = facts(
        birth_date=PartialDate(2003), attributes={"officer": "no"}, captured_on=date(2023, 1, 1)
    )
    result = parsed["long_held_young_privates"].evaluate(person, STAGE)
    assert result.answer is Answer.YES
    assert result.rule == "long_held_young_privates"


def test_parse_categories_refuses_shadowing_a_standard_name() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_categories({"aged_18_25": {"age": [18, 30]}})
    assert caught.value.field == "categories.aged_18_25"


# --- manifest checks ----------------------------------------------------------------------


def test_a_consenting_held_person_has_no_exclusions() -> None:
    assert check_manifest_person(facts(), STAGE) == []
    assert check_manifest_person(facts(status=Status.HELD), STAGE) == []


def test_refused_consent_excludes_with_the_date_and_article() -> None:
    person = facts(consent=Consent.REFUSED, consent_recorded_on=date(2025, 6, 1))
    [exclusion] = check_manifest_person(person, STAGE)
    assert exclusion.code is ExclusionCode.CONSENT_REFUSED
    assert exclusion.key == "p-1"
    assert exclusion.reason == (
        "refused repatriation on 2025-06-01: nobody is repatriated against their will "
        "(GC III art. 109)"
    )


def test_unknown_consent_excludes() -> None:
    [exclusion] = check_manifest_person(facts(consent=Consent.UNKNOWN), STAGE)
    assert exclusion.code is ExclusionCode.CONSENT_UNKNOWN
    assert exclusion.reason == "consent not recorded"


def test_legal_hold_excludes_and_says_the_other_side_must_be_told() -> None:
    hold = LegalHold("case 12/2025", date(2025, 3, 1))
    [exclusion] = check_manifest_person(facts(legal_hold=hold), STAGE)
    assert exclusion.code is ExclusionCode.LEGAL_HOLD
    assert exclusion.reason == (
        "under prosecution: case 12/2025 since 2025-03-01 — the other side must be told (art. 115)"
    )


def test_a_finished_sentence_no_longer_holds() -> None:
    hold = LegalHold(
        "sentence", date(2024, 1, 1), HoldKind.SERVING_SENTENCE, ends_on=date(2025, 6, 1)
    )
    assert check_manifest_person(facts(legal_hold=hold), STAGE) == []
    assert check_manifest_person(facts(legal_hold=hold), date(2025, 5, 31))[0].reason.startswith(
        "serving a sentence"
    )


@pytest.mark.parametrize("status", [Status.DEAD, Status.RETURNED, Status.RELEASED, None])
def test_people_not_in_custody_are_excluded(status: Status | None) -> None:
    [exclusion] = check_manifest_person(facts(status=status), STAGE)
    assert exclusion.code is ExclusionCode.NOT_HELD


def test_every_reason_is_listed_not_just_the_first() -> None:
    person = facts(
        status=Status.RETURNED,
        consent=Consent.REFUSED,
        legal_hold=LegalHold("case", date(2025, 1, 1)),
    )
    codes = [e.code for e in check_manifest_person(person, STAGE)]
    assert codes == [
        ExclusionCode.NOT_HELD,
        ExclusionCode.CONSENT_REFUSED,
        ExclusionCode.LEGAL_HOLD,
    ]


def test_category_answers_become_exclusions() -> None:
    rule = STANDARD_CATEGORIES["aged_18_25"]
    assert category_exclusion(born("2003"), rule.evaluate(born("2003"), STAGE)) is None
    old = category_exclusion(born("1980"), rule.evaluate(born("1980"), STAGE))
    assert old is not None and old.code is ExclusionCode.INELIGIBLE
    assert old.reason.startswith("aged_18_25: born 1980")
    unsure = category_exclusion(born("1999"), rule.evaluate(born("1999"), STAGE))
    assert unsure is not None and unsure.code is ExclusionCode.UNCERTAIN
