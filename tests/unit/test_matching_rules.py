import math

import pytest

from parley.domain.dates import PartialDate
from parley.domain.errors import InvalidInput
from parley.domain.matching import (
    Candidate,
    ListEntry,
    Outcome,
    Thresholds,
    classify,
    odds_bits,
)

T = Thresholds(accept=0.99, review=0.5)


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
