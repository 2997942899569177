"""The peer from sanctions screening: OpenSanctions' logic-v2 matcher (`nomenklatura`).

logic-v2 scores a query entity against a candidate (followthemoney `Person`s) with a
cross-script name matcher built on cultural reference data, identifiers, and qualifiers
against a match (birth dates years or days apart, another gender). OpenSanctions screens
with it at 0.70: the benchmark takes each entry's best candidate and calls it a match at
that threshold; logic-v2 has no review band.

Candidates. nomenklatura's own blocker (`nomenklatura.blocker.Index`) is a DuckDB index over
a followthemoney statement store; this module runs its idea in memory instead, on its own
tokens (`nomenklatura.blocker.tokenizer.tokenize_entity`: name parts, cross-script name
symbols, the sorted-name fingerprint, dates, identifiers) with the index's field boosts and
IDF weights, keeping its default 75 best candidates per entry (a score at least a tenth of
the best). The benchmark unions them with every pair Parley and plain Splink scored, so
logic-v2 never misses a person because of blocking that the others had.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from followthemoney import model
from nomenklatura.blocker.index import Index
from nomenklatura.blocker.tokenizer import tokenize_entity
from nomenklatura.matching import LogicV2, ScoringConfig

from parley.domain.dates import PartialDate

THRESHOLD = 0.70
"""OpenSanctions' default match threshold for logic-v2."""
MAX_CANDIDATES = 75
MIN_SCORE_RATIO = 0.1
STOPWORD_DOCUMENTS = 0.05
"""Tokens held by more than this share of the registry (and 60 persons) are not used to
find candidates (the index's dynamic stopwords, less strict)."""

_ID_PROPERTIES = {
    "passport": "passportNumber",
    "tax_number": "taxNumber",
    "service_number": "idNumber",
}


@dataclass(frozen=True)
class Named:
    """What logic-v2 is given of a record: its name as written (and its parts, when the
    record keeps them apart), birth date, sex, document numbers."""

    key: str
    written: str
    surname: str = ""
    given: str = ""
    patronymic: str = ""
    born: PartialDate | None = None
    sex: str = ""
    identifiers: Mapping[str, str] | None = None


def entity(record: Named) -> Any:
    person = model.make_entity("Person")
    person.id = record.key
    person.add("name", record.written)
    if record.surname:
        person.add("lastName", record.surname)
    if record.given:
        person.add("firstName", record.given)
    if record.patronymic:
        person.add("fatherName", record.patronymic)
    if record.born is not None:
        person.add("birthDate", str(record.born))
    if record.sex in ("male", "female"):
        person.add("gender", record.sex)
    for kind, value in (record.identifiers or {}).items():
        if kind in _ID_PROPERTIES:
            person.add(_ID_PROPERTIES[kind], value)
    return person


class Candidates:
    """nomenklatura's blocking score, in memory: per shared token, boost × (1 + ln N/df),
    summed per field as max weight × (1 + ln count)."""

    def __init__(self, registry: Iterable[Any]) -> None:
        self.postings: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
        count = 0
        for person in registry:
            count += 1
            for field, token in set(tokenize_entity(person)):
                self.postings[token].append((field, person.id))
        self.count = count
        limit = max(60, STOPWORD_DOCUMENTS * count)
        self.weight = {
            token: Index.BOOSTS.get(posting[0][0], 1.0)
            * (1.0 + math.log(count / len({pid for _, pid in posting})))
            for token, posting in self.postings.items()
            if len(posting) <= limit
        }

    def of(self, query: Any) -> list[str]:
        best: dict[tuple[str, str], float] = {}
        hits: Counter[tuple[str, str]] = Counter()
        for _field, token in set(tokenize_entity(query)):
            weight = self.weight.get(token)
            if weight is None:
                continue
            for field, pid in self.postings[token]:
                best[(pid, field)] = max(weight, best.get((pid, field), 0.0))
                hits[(pid, field)] += 1
        scores: Counter[str] = Counter()
        for (pid, field), weight in best.items():
            scores[pid] += weight * (1.0 + math.log(hits[(pid, field)]))
        ranked = scores.most_common(MAX_CANDIDATES)
        if not ranked:
            return []
        floor = ranked[0][1] * MIN_SCORE_RATIO
        return [pid for pid, score in ranked if score >= floor]


def score(
    entries: Mapping[str, Named],
    registry: Mapping[str, Named],
    extra_candidates: Mapping[str, set[str]],
) -> tuple[dict[str, list[tuple[str, float]]], int]:
    """Every entry's candidates scored by logic-v2, best first; and the pairs compared."""
    config = ScoringConfig.defaults()
    people = {key: entity(record) for key, record in registry.items()}
    index = Candidates(people.values())
    scored: dict[str, list[tuple[str, float]]] = {}
    compared = 0
    for key, record in entries.items():
        query = entity(record)
        candidates = set(index.of(query)) | extra_candidates.get(key, set())
        found = []
        for pid in candidates:
            found.append((pid, float(LogicV2.compare(query, people[pid], config).score)))
        compared += len(candidates)
        scored[key] = sorted(found, key=lambda c: -c[1])
    return scored, compared
