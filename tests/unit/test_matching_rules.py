import pytest

from parley.domain.dates import PartialDate
from parley.domain.errors import InvalidInput
from parley.domain.matching import Candidate, ListEntry, Outcome, Thresholds, classify

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
