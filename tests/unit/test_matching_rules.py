import math
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parley.domain.dates import PartialDate
from parley.domain.errors import InvalidInput
from parley.domain.matching import (
    NEVER_ACCEPT_YEARS_APART,
    Candidate,
    ListEntry,
    Outcome,
    Thresholds,
    classify,
    dates_bar_acceptance,
    odds_bits,
)

T = Thresholds(accept=0.99, review=0.5)
T_95 = Thresholds(accept=0.95, review=0.5)


def test_a_sure_single_candidate_is_matched() -> None:
    assert classify([Candidate(1, 0.999), Candidate(2, 0.1)], T, set(), set())[:2] == (
        Outcome.MATCHED,
        1,
    )


def test_two_plausible_candidates_go_to_review_even_if_one_is_sure() -> None:
    assert classify([Candidate(1, 0.999), Candidate(2, 0.7)], T, set(), set())[0] is Outcome.REVIEW


def test_a_rejected_pair_never_comes_back() -> None:
    outcome, person, alive = classify([Candidate(1, 0.999)], T, set(), {1})
    assert outcome is Outcome.NO_MATCH and person is None and alive == []


def test_a_confirmed_pair_is_reused_whatever_the_score() -> None:
    assert classify([Candidate(1, 0.6), Candidate(2, 0.9)], T, {1}, set())[:2] == (
        Outcome.MATCHED,
        1,
    )


def test_uncertain_scores_go_to_review_and_low_ones_to_no_match() -> None:
    assert classify([Candidate(1, 0.8)], T, set(), set())[0] is Outcome.REVIEW
    assert classify([Candidate(1, 0.2)], T, set(), set())[0] is Outcome.NO_MATCH


def test_thresholds_must_be_ordered() -> None:
    with pytest.raises(InvalidInput):
        Thresholds(accept=0.5, review=0.9)


def test_an_entry_keeps_its_key_across_spelling_of_case_and_apostrophes() -> None:
    a = ListEntry(2, "Обʼєднаний", "Іван", birth_date=PartialDate(1990))
    b = ListEntry(9, "ОБ'ЄДНАНИЙ", "іван", birth_date=PartialDate(1990))
    assert a.key() == b.key()
    assert a.key() != ListEntry(2, "Обʼєднаний", "Іван", birth_date=PartialDate(1991)).key()


def test_a_namesake_far_behind_does_not_hold_back_a_sure_match() -> None:
    # 0.999999 is about 20 bits of odds, 0.6 about 0.6: the best leads by far more than 10 bits
    outcome, person, _ = classify([Candidate(1, 0.999999), Candidate(2, 0.6)], T, set(), set())
    assert (outcome, person) == (Outcome.MATCHED, 1)


def test_two_close_candidates_stay_in_review_however_sure_each_is() -> None:
    close = [Candidate(1, 0.9995), Candidate(2, 0.995)]  # 11 bits against 7.6: 3.4 apart
    assert classify(close, T, set(), set())[0] is Outcome.REVIEW
    saturated = [Candidate(1, 1.0), Candidate(2, 1.0)]  # no margin can be read off
    assert classify(saturated, T, set(), set())[0] is Outcome.REVIEW


def test_the_margin_is_set_with_the_thresholds() -> None:
    pair = [Candidate(1, 0.999999), Candidate(2, 0.6)]
    strict = Thresholds(accept=0.99, review=0.5, margin_bits=30)
    assert classify(pair, strict, set(), set())[0] is Outcome.REVIEW
    with pytest.raises(InvalidInput):
        Thresholds(margin_bits=0)


def test_odds_bits_is_the_log_odds() -> None:
    assert odds_bits(0.5) == 0
    assert odds_bits(0.8) == pytest.approx(2.0)
    assert odds_bits(1.0) == math.inf and odds_bits(0.0) == -math.inf


def test_a_sole_candidate_is_accepted_on_its_exclusive_probability() -> None:
    # pairwise 0.97 alone would be review; no other person in the registry resembles the
    # entry, so the engine's exclusive probability is 0.995
    assert classify([Candidate(1, 0.97, 0.995)], T, set(), set())[:2] == (Outcome.MATCHED, 1)


def test_a_close_second_lowers_the_exclusive_probability_to_review() -> None:
    candidates = [Candidate(1, 0.995, 0.55), Candidate(2, 0.99, 0.44)]
    assert classify(candidates, T, set(), set())[0] is Outcome.REVIEW


def test_a_pairwise_score_below_review_with_an_exclusive_one_above_goes_to_review() -> None:
    assert classify([Candidate(1, 0.45, 0.8)], T, set(), set())[0] is Outcome.REVIEW


def test_rejecting_a_candidate_gives_its_share_to_the_others() -> None:
    candidates = [Candidate(1, 0.97, 0.6), Candidate(2, 0.3, 0.398)]
    assert classify(candidates, T, set(), set())[0] is Outcome.REVIEW
    # 0.6 / (1 - 0.398) = 0.9967
    assert classify(candidates, T, set(), {2})[:2] == (Outcome.MATCHED, 1)


# --- birth dates far apart are never matched without review -------------------------------

BORN = PartialDate(1990, 3, 14)


@pytest.mark.parametrize(
    ("other", "barred"),
    [
        (PartialDate(1990, 3, 14), False),  # the same
        (PartialDate(1990, 3, 15), False),  # a day off
        (PartialDate(1991, 3, 14), False),  # the year one off
        (PartialDate(1990, 8, 14), False),  # one digit (3 → 8)
        (PartialDate(1909, 3, 14), True),  # one digit, but 81 years: never without review
        (PartialDate(1990, 9, 2), True),  # months apart: more than a slip
        (PartialDate(1993, 3, 14), True),  # three years
        (PartialDate(1978, 11, 2), True),  # a namesake twelve years older
        (PartialDate(1990), False),  # a year alone says nothing more
        (PartialDate(1987), False),  # a year alone: two years and a bit at the closest
        (PartialDate(1986), True),  # a year alone, over three years before at the closest
        (None, False),
    ],
)
def test_dates_bar_acceptance(other: PartialDate | None, barred: bool) -> None:
    assert (dates_bar_acceptance(BORN, Candidate(1, 0.999, born=other)) is not None) is barred


def test_day_and_month_swapped_is_a_slip() -> None:
    swapped = PartialDate(1990, 4, 3)
    assert dates_bar_acceptance(PartialDate(1990, 3, 4), Candidate(1, 0.99, born=swapped)) is None


def test_a_shared_document_lets_a_miswritten_date_through_but_not_years() -> None:
    months = Candidate(1, 0.999, born=PartialDate(1990, 9, 2), documents_agree=True)
    years = Candidate(1, 0.999, born=PartialDate(1984, 3, 14), documents_agree=True)
    assert dates_bar_acceptance(BORN, months) is None
    assert dates_bar_acceptance(BORN, years) == "born at least 6 years apart"


def test_a_sure_sole_namesake_born_years_apart_goes_to_review() -> None:
    namesake = Candidate(7, 0.9999, exclusive=0.9999, born=PartialDate(1980, 1, 2))
    assert classify([namesake], T, set(), set(), BORN)[:2] == (Outcome.REVIEW, None)


def test_a_namesake_born_years_apart_is_no_rival_to_a_best_whose_date_fits() -> None:
    # the list says 1964; the registry holds the man born 1964 and his namesake born 1970
    listed = PartialDate(1964)
    own = Candidate(1, 0.9995, exclusive=0.97, born=PartialDate(1964, 7, 25))  # 11 bits
    namesake = Candidate(2, 0.87, exclusive=0.03, born=PartialDate(1970, 4, 25))  # 2.7 bits
    assert classify([own, namesake], T_95, set(), set(), listed)[:2] == (Outcome.MATCHED, 1)
    # a namesake born the same year is a rival: review
    same_year = Candidate(2, 0.87, exclusive=0.03, born=PartialDate(1964, 1, 2))
    assert classify([own, same_year], T_95, set(), set(), listed)[0] is Outcome.REVIEW
    # without a date on the list nothing tells them apart: review
    assert classify([own, namesake], T_95, set(), set(), None)[0] is Outcome.REVIEW


def test_a_person_may_still_confirm_a_pair_born_years_apart() -> None:
    namesake = Candidate(7, 0.9999, born=PartialDate(1980, 1, 2))
    assert classify([namesake], T, {7}, set(), BORN)[:2] == (Outcome.MATCHED, 7)


_dates = st.dates(min_value=date(1940, 1, 1), max_value=date(2010, 12, 31)).map(PartialDate.of)
_partial = st.one_of(
    _dates,
    st.builds(PartialDate, st.integers(1940, 2010)),
    st.none(),
)
_candidates = st.lists(
    st.builds(
        Candidate,
        st.integers(1, 30),
        st.floats(0.0, 1.0),
        st.one_of(st.none(), st.floats(0.0, 1.0)),
        _partial,
        st.booleans(),
    ),
    max_size=6,
    unique_by=lambda c: c.person_id,
)


@given(_candidates, _partial, st.sampled_from([0.9, 0.99, 0.999]))
@settings(max_examples=500)
def test_no_candidate_born_three_years_away_is_ever_matched_by_the_engine(
    candidates: list[Candidate], born: PartialDate | None, accept: float
) -> None:
    """Whatever the probabilities (what EM learned, what the prior gave), a candidate whose
    full birth date is three or more years from the entry's is matched only by a person."""
    outcome, person, _ = classify(candidates, Thresholds(accept, 0.5), set(), set(), born)
    if outcome is Outcome.MATCHED:
        chosen = next(c for c in candidates if c.person_id == person)
        if born and chosen.born:
            early, late = sorted([born, chosen.born], key=lambda d: d.earliest())
            if late.earliest() > early.latest():
                first, then = early.latest(), late.earliest()
                whole = then.year - first.year - ((then.month, then.day) < (first.month, first.day))
                assert whole < NEVER_ACCEPT_YEARS_APART
