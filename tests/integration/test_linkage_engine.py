"""The engine on plain synthetic keys: it trains, finds every planted pair, explains each field."""

import math
import random
from dataclasses import replace

import pytest

from parley.linkage import engine, model
from parley.linkage.explain import FieldComparison
from parley.linkage.records import LinkRecord


def _record(
    uid: str,
    surname: str,
    given: str,
    patronymic: str | None,
    born: tuple[int, int, int],
    service_number: str | None = None,
) -> LinkRecord:
    year, month, day = born
    return LinkRecord(
        uid,
        [surname],
        [given],
        [patronymic] if patronymic else [],
        surname,
        given,
        patronymic,
        given[0],
        "male",
        f"{year:04d}-{month:02d}-{day:02d}",
        year,
        month,
        day,
        service_number,
    )


def planted(
    seed: int, size: int, listed: int, swap: bool
) -> tuple[list[LinkRecord], list[LinkRecord]]:
    """A registry of invented people and a list of its first `listed`, without patronymic and,
    with `swap`, with day and month of birth swapped (only where that makes another date)."""
    rng = random.Random(seed)
    surnames = [f"surname{i}" for i in range(size // 7)]
    givens = [f"given{i}" for i in range(40)]
    registry = [
        _record(
            str(i),
            rng.choice(surnames),
            rng.choice(givens),
            rng.choice(givens) + "ich",
            (rng.randint(1960, 2005), rng.randint(1, 12), rng.randint(1, 28)),
        )
        for i in range(size)
    ]
    entries = []
    for r in registry[:listed]:
        year, month, day = r.dob_year or 0, r.dob_month or 0, r.dob_day or 0
        if swap:
            if day > 12 or day == month:
                continue
            month, day = day, month
        entries.append(
            _record(
                f"L{r.unique_id}",
                r.surname_folded or "",
                r.given_folded or "",
                None,
                (year, month, day),
            )
        )
    return registry, entries


def test_planted_pairs_are_found_and_explained() -> None:
    registry, listed = planted(3, 2000, 200, swap=True)
    trained = engine.train(registry, listed)
    pairs = engine.predict(trained, listed, registry)
    best: dict[str, engine.ScoredPair] = {}
    for pair in pairs:
        if (
            pair.entry_id not in best
            or pair.match_probability > best[pair.entry_id].match_probability
        ):
            best[pair.entry_id] = pair
    assert all(p.person_id == p.entry_id[1:] for p in best.values())
    assert len(best) == len(listed)
    fields = {f.field: f for f in next(iter(best.values())).fields}
    assert fields["date_of_birth"].level == "day and month swapped"
    assert fields["patronymic"].level == "missing on one side"
    assert fields["surname"].weight > 0


def test_a_registry_prepared_once_scores_as_the_raw_registry() -> None:
    """A first run trains and predicts on one prepared table: same model, same pairs, same
    explanations and dates as when each step prepares its own."""
    registry, listed = planted(5, 1500, 150, swap=False)
    prepared = engine.prepared(registry)
    assert engine.prepared(prepared) is prepared
    trained = engine.train(prepared, listed)
    again = engine.train(registry, listed)
    # DuckDB sums in parallel: two trainings agree to rounding, not to the last bit.
    assert _probabilities(trained) == pytest.approx(_probabilities(again), rel=1e-6)
    assert _comparable(engine.predict(trained, listed, prepared)) == _comparable(
        engine.predict(trained, listed, registry)
    )


def _comparable(pairs: list[engine.ScoredPair]) -> list[engine.ScoredPair]:
    """DuckDB hands the pairs back in no fixed order, so an entry's candidates are summed in
    another order: the exclusive probability agrees to rounding."""
    rounded = [
        replace(pair, exclusive_probability=round(pair.exclusive_probability or 0.0, 12))
        for pair in pairs
    ]
    return sorted(rounded, key=lambda pair: (pair.entry_id, pair.person_id))


def _probabilities(trained: dict[str, object]) -> list[float]:
    comparisons = trained["comparisons"]
    assert isinstance(comparisons, list)
    return [
        level.get(key) or 0.0
        for comparison in comparisons
        for level in comparison["comparison_levels"]
        for key in ("m_probability", "u_probability")
    ] + [float(trained["probability_two_random_records_match"])]  # type: ignore[arg-type]


def _by_field(pair: engine.ScoredPair) -> dict[str, FieldComparison]:
    return {f.field: f for f in pair.fields}


def _best(pairs: list[engine.ScoredPair], entry_id: str) -> engine.ScoredPair:
    return max((p for p in pairs if p.entry_id == entry_id), key=lambda p: p.match_weight)


def test_slips_far_dates_near_documents_and_swapped_names_have_levels_of_their_own() -> None:
    registry, listed = planted(3, 2000, 200, swap=True)
    trained = engine.train(registry, listed)
    slip, namesake_of, document, swapped = (
        registry[300],
        registry[301],
        registry[302],
        registry[303],
    )
    year, month, day = namesake_of.dob_year or 0, namesake_of.dob_month or 0, 1
    namesake = replace(
        namesake_of,
        unique_id="namesake",
        patronymic_keys=["otherich"],
        patronymic_folded="otherich",
        dob_text=f"{year:04d}-{(month + 5) % 12 + 1:02d}-{day:02d}",
        dob_month=(month + 5) % 12 + 1,
        dob_day=day,
    )
    registry = [*registry[:302], replace(document, service_number="A123456"), *registry[303:]]
    slip_day = (slip.dob_day or 0) + 1
    entries = [
        replace(
            slip,
            unique_id="Lslip",
            dob_day=slip_day,
            dob_text=f"{slip.dob_year:04d}-{slip.dob_month:02d}-{slip_day:02d}",
        ),
        replace(namesake_of, unique_id="Lnamesake"),
        replace(document, unique_id="Ldocument", service_number="A123457"),
        replace(
            swapped,
            unique_id="Lswapped",
            surname_keys=swapped.given_keys,
            given_keys=swapped.surname_keys,
            surname_folded=swapped.given_folded,
            given_folded=swapped.surname_folded,
            given_initial=(swapped.surname_folded or "?")[0],
        ),
    ]
    pairs = engine.predict(trained, entries, [*registry, namesake], threshold=0.0)

    assert _by_field(_best(pairs, "Lslip"))["date_of_birth"].level.startswith("a slip")
    true, other = (
        next(p for p in pairs if p.entry_id == "Lnamesake" and p.person_id == pid)
        for pid in (namesake_of.unique_id, "namesake")
    )
    assert _by_field(other)["date_of_birth"].level == "two full dates months apart"
    assert _by_field(other)["date_of_birth"].weight < 0 < _by_field(true)["date_of_birth"].weight
    document_pair = _best(pairs, "Ldocument")
    assert document_pair.person_id == document.unique_id
    assert _by_field(document_pair)["identifiers"].level == "an identifier one character off"
    swapped_pair = _best(pairs, "Lswapped")
    assert swapped_pair.person_id == swapped.unique_id
    # Both words meet their counterpart the other way round: as good as meeting in place.
    assert _by_field(swapped_pair)["surname"].level == (
        "same name in another script, spelling or order"
    )
    assert _by_field(swapped_pair)["given"].level == _by_field(swapped_pair)["surname"].level


def test_a_field_weight_includes_its_term_frequency_adjustment() -> None:
    """A rare surname is stronger evidence than a common one at the same level."""
    registry, listed = planted(5, 1500, 150, swap=False)
    trained = engine.train(registry, listed)
    pairs = engine.predict(trained, listed, registry)
    same = {
        round(f.weight, 2)
        for p in pairs
        for f in p.fields
        if f.field == "surname" and f.level == "same name"
    }
    assert len(same) > 1


def test_extra_fields_are_trained_kept_with_the_model_and_compared() -> None:
    registry, listed = planted(7, 800, 120, swap=False)
    rng = random.Random(7)
    towns = [f"town{i}" for i in range(40)]
    home = {r.unique_id: rng.choice(towns) for r in registry}
    values = {
        uid: {"home_town": town, "house": str(i % 50)} for i, (uid, town) in enumerate(home.items())
    }
    values |= {e.unique_id: values[e.unique_id[1:]] for e in listed}
    extra = (
        model.ExtraField("home_town", block_with=("dob_year",)),
        model.ExtraField("house", "code"),
    )
    trained = engine.train(registry, listed, extra=extra, extra_values=values)
    assert model.extra_fields_of(trained) == extra

    pairs = engine.predict(trained, listed, registry, extra_values=values)
    best = _best(pairs, listed[0].unique_id)
    assert _by_field(best)["home_town"].level == "same"
    assert _by_field(best)["home_town"].entry_value == values[listed[0].unique_id]["home_town"]
    without = engine.predict(trained, listed, registry)
    assert _by_field(_best(without, listed[0].unique_id))["home_town"].level == (
        "missing on one side"
    )
    with pytest.raises(ValueError, match="cannot name"):
        model.ExtraField("surname")


def _pair(entry: str, person: str, weight: float) -> engine.ScoredPair:
    return engine.ScoredPair(entry, person, 0.0, weight, ())


def test_exclusive_probability_weighs_an_entrys_candidates_against_each_other() -> None:
    prior = 1e-4
    prior_bits = math.log2(prior / (1 - prior))
    pairs = [_pair(f"e{i}", f"p{i}", prior_bits + 20) for i in range(8)]  # 8 of 10 entries sure
    pairs += [_pair("lone", "p8", prior_bits + 8), _pair("twin", "p9", prior_bits + 12)]
    pairs += [_pair("twin", "p10", prior_bits + 12)]
    scored = {
        (p.entry_id, p.person_id): p.exclusive_probability or 0.0
        for p in engine.exclusive_probabilities(pairs, 10, 1000, prior)
    }
    # the list looks 90 % known: a lone candidate's odds gain up to ten-fold
    lone_pairwise = 1 / (1 + 2 ** -(prior_bits + 8))
    assert scored[("lone", "p8")] > lone_pairwise
    # two equal candidates split what is there: neither can be the sure one
    assert scored[("twin", "p9")] == pytest.approx(scored[("twin", "p10")])
    assert scored[("twin", "p9")] < 0.5
    assert all(0 <= v <= 1 for v in scored.values())


def test_the_share_of_a_list_in_the_registry_is_capped() -> None:
    prior = 1e-3
    prior_bits = math.log2(prior / (1 - prior))
    pairs = [_pair(f"e{i}", f"p{i}", prior_bits + 40) for i in range(5)]
    scored = engine.exclusive_probabilities(pairs, 5, 100, prior)
    bf_over_n = 2.0**40 / 100
    capped = engine.MAX_SHARE_IN_REGISTRY
    expected = capped * bf_over_n / ((1 - capped) + capped * bf_over_n)
    assert scored[0].exclusive_probability == pytest.approx(expected)
