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
