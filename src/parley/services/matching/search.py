"""The ranked name search: any script, any spelling, any order of the name's parts; an
identifier or our record id finds its person first.

A person is found by the canonical name keys (`parley.names`) their names share with the words
asked for; whoever carries every word beats whoever carries some, and only that best tier is
shown. The database ranks (which words each person's keys carry, the best tier, birth year, name);
the full list line is read only for those shown, so a common surname costs a page of lines, not
thousands (docs/benchmarks.md,
load_pg: the search was the slowest read under load).
"""

from __future__ import annotations

from dataclasses import dataclass

from parley import names
from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import InvalidInput
from parley.domain.paging import Page, PageRequest
from parley.domain.registry.persons import PersonQuery, PersonSummary, normalise_identifier
from parley.services.accounts import log
from parley.services.uow import UnitOfWork

SEARCH_DEPTH = 200
"""A ranked search returns at most this many persons; a narrower query shows others."""
MAX_WORDS = 12
"""A name search of more words is refused: each word is a column the database ranks by."""


@dataclass(frozen=True)
class SearchHit:
    person: PersonSummary
    score: float
    reasons: list[str]
    words_matched: int


@dataclass(frozen=True)
class _Ranked:
    person_id: int
    score: float
    reasons: list[str]
    words_matched: int


def search_persons(uow: UnitOfWork, actor: Actor, text: str, limit: int = 20) -> list[SearchHit]:
    """Any script, any spelling, any order; a four-digit number is taken as the birth year."""
    actor.require(Permission.REGISTRY_READ)
    with uow:
        ranked = _ranked(uow, text, limit)[:limit]
        lines = {p.id: p for p in uow.persons.summaries([r.person_id for r in ranked])}
        hits = [
            SearchHit(lines[r.person_id], r.score, r.reasons, r.words_matched)
            for r in ranked
            if r.person_id in lines
        ]
        log(uow, actor, "person.search", "person", [h.person.id for h in hits], query=text)
        uow.commit()
        return hits


def search_page(
    uow: UnitOfWork, actor: Actor, text: str, query: PersonQuery, page: PageRequest
) -> Page[PersonSummary]:
    """The ranked search, narrowed by the registry filters, one page at a time. Without filters
    only the page's persons are read in full; with them, the ranked ones are, to be filtered."""
    actor.require(Permission.REGISTRY_READ)
    with uow:
        ranked = [r.person_id for r in _ranked(uow, text, SEARCH_DEPTH)[:SEARCH_DEPTH]]
        if _filtered(query):
            kept = [p for p in uow.persons.summaries(ranked) if _passes(p, query)]
            total, shown = len(kept), kept[page.offset : page.offset + page.limit]
        else:
            total = len(ranked)
            shown = uow.persons.summaries(ranked[page.offset : page.offset + page.limit])
        log(uow, actor, "person.search", "person", [p.id for p in shown], query=text)
        uow.commit()
        return Page(shown, total, page.offset, page.limit)


def _ranked(uow: UnitOfWork, text: str, limit: int) -> list[_Ranked]:
    """Persons an identifier or our record id in `text` names exactly, first; then the best
    tier of persons for its name words: a birth year asked for and held ranks above one
    unknown, above one that differs; then by name."""
    tokens = text.replace(",", " ").split()
    years = {int(t) for t in tokens if t.isdigit() and len(t) == 4}
    words = [t for t in tokens if not t.isdigit()]
    if len(words) > MAX_WORDS:
        raise InvalidInput(f"a name search takes at most {MAX_WORDS} words, not {len(words)}")
    # `АА 123-456` typed is the passport stored as `АА123456`: each word, and the whole text
    values = sorted({normalise_identifier(t) for t in [*tokens, text]} - {""})
    named = uow.persons.ids_with_identifier(values, text.strip())
    exact_ids = set(named)
    exact = [_Ranked(person_id, 1.0, ["identifier"], len(words)) for person_id in named]
    if not words:
        if exact:
            return exact[:limit]
        raise InvalidInput("give at least one name to search for")
    word_keys = [names.name_keys(w) for w in words]
    ranked = []
    for found in uow.persons.search_candidates(word_keys, years, limit):
        if found.id in exact_ids:
            continue
        carried = [w for w, held in zip(words, found.words, strict=True) if held]
        score = len(carried) / len(words)
        reasons = [f"name: {', '.join(carried)}"]
        if years and found.birth_year is not None:
            if found.birth_year in years:
                score += 0.5
                reasons.append(f"born {found.birth_year}")
            else:
                score -= 0.5
        ranked.append(_Ranked(found.id, score, reasons, len(carried)))
    return (exact + ranked)[:limit]


_FILTERS = ("status", "category", "side", "born_from", "born_to", "incident_from", "incident_to")


def _filtered(query: PersonQuery) -> bool:
    return any(getattr(query, name) for name in _FILTERS)


def _passes(person: PersonSummary, query: PersonQuery) -> bool:
    born, incident = person.birth_date, person.incident_date
    checks = [
        query.status is None or person.status == query.status,
        query.category is None or person.category == query.category,
        query.side is None or person.side == query.side,
        query.born_from is None or (born is not None and born.latest() >= query.born_from),
        query.born_to is None or (born is not None and born.earliest() <= query.born_to),
        query.incident_from is None or (incident is not None and incident >= query.incident_from),
        query.incident_to is None or (incident is not None and incident <= query.incident_to),
    ]
    return all(checks)
