"""The engine on plain synthetic keys: it trains, finds every planted pair, explains each field."""

import random

from parley.linkage import engine
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


def test_planted_pairs_are_found_and_explained() -> None:
    rng = random.Random(3)
    surnames = [f"surname{i}" for i in range(300)]
    givens = [f"given{i}" for i in range(40)]
    registry = [
        _record(
            str(i),
            rng.choice(surnames),
            rng.choice(givens),
            rng.choice(givens) + "ich",
            (rng.randint(1960, 2005), rng.randint(1, 12), rng.randint(1, 28)),
        )
        for i in range(2000)
    ]
    listed = [
        _record(
            f"L{r.unique_id}",
            r.surname_folded or "",
            r.given_folded or "",
            None,
            (r.dob_year or 0, r.dob_day or 0, r.dob_month or 0),
        )  # day and month swapped
        for r in registry[:200]
        if (r.dob_day or 0) <= 12
    ]
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
