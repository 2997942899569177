"""A synthetic world for the humanitarian track: the truth, and each party's registry of it.

Matching, exchange planning and the demonstrations need registries that disagree the way real
ones do (other language, other spelling, a slipped date), together with the truth behind them
so the disagreement can be measured. Every person here is invented.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from parley.scenarios._census import (
    _IN_ENEMY_HANDS,
    _OWN_PEOPLE,
    _Census,
    _Clerk,
)
from parley.scenarios._census import (
    LANGUAGE as LANGUAGE,
)
from parley.scenarios._census import (
    SIDES as SIDES,
)
from parley.scenarios._census import (
    SURNAME_RANK_OFFSET as SURNAME_RANK_OFFSET,
)
from parley.scenarios._census import (
    PersonDraft as PersonDraft,
)
from parley.scenarios._census import (
    Scale as Scale,
)
from parley.scenarios._census import (
    Surnames as Surnames,
)
from parley.scenarios._facts import WAR_START


@dataclass(frozen=True)
class World:
    """Both parties' registries of one invented war; the same seed gives the same world."""

    seed: int
    scale: Scale
    today: date = date(2025, 6, 2)
    drafts: Mapping[str, tuple[PersonDraft, ...]] = field(default_factory=dict, repr=False)

    def registry(self, party: str) -> list[PersonDraft]:
        """The party's records, copied so that storing them (setting Person.id) leaves the
        world untouched; the mediator and unknown parties get none."""
        return [_copy(draft) for draft in self.drafts.get(party, ())]


def generate_world(
    seed: int,
    scale: Scale,
    today: date = date(2025, 6, 2),
    *,
    surnames: Surnames = Surnames.FLAT,
) -> World:
    """Invent both sides' missing people and write each party's registry of them.

    `today` bounds every date (incidents, exchanges, events), so a world can be set at any
    point of the war; the same seed, scale, day and surname draw always give the same world.
    """
    if today < WAR_START + timedelta(days=30):
        raise ValueError(f"a world needs at least a month of war; {today} is too early")
    census = _Census(seed, today, surnames)
    truths = {side: census.people(side, _OWN_PEOPLE[scale]) for side in SIDES}
    drafts = {}
    for party in SIDES:
        enemy = next(side for side in SIDES if side != party)
        clerk = _Clerk(party, random.Random(f"{seed}/{party}"), today, census.issued)
        records = [clerk.own_record(t) for t in truths[party]]
        records += [clerk.prisoner_record(t) for t in truths[enemy] if t.fate in _IN_ENEMY_HANDS]
        clerk.rng.shuffle(records)  # a list's order must not give the truth away
        drafts[party] = tuple(records)
    return World(seed, scale, today, drafts)


def _copy(draft: PersonDraft) -> PersonDraft:
    p = draft.person
    person = replace(
        p, names=list(p.names), identifiers=list(p.identifiers), relatives=list(p.relatives)
    )
    events = [replace(e, details=dict(e.details)) for e in draft.events]
    return PersonDraft(person, events, draft.truth_key)
