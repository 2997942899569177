"""Everything the agreements track reads from the other tracks, in one place.

Commitments are measured against Parley's own records: the exchange track's stages and their
recorded outcomes, the registry's event streams, and the parties' stage claims. Only this
module knows where those live; when a track moves, only the imports here change. Every
metric is computed now that the remains and children tracks exist.

Every function runs inside the caller's open unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from parley.domain.exchange.handover import Manifest, StageOutcome
from parley.domain.registry.events import Event, History
from parley.services import children, remains
from parley.services.exchange import TOTAL
from parley.services.exchange.rows import ClaimRow, OutcomeRow, StageRow
from parley.services.uow import UnitOfWork


@dataclass(frozen=True)
class Transfer:
    """One person moved by a recorded stage: on which day, of which side, in which category."""

    on: date
    side: str
    category: str


@dataclass(frozen=True)
class StageClaimSum:
    """A party's stage claims over a window, added up as one figure."""

    party: str
    value: int
    claimed_on: date
    sources: tuple[str, ...]
    stages: int


@dataclass
class ExchangeRecords:
    """The exchange track as the commitments need it, read once per use case."""

    stages: list[StageRow]
    transfers: list[Transfer]
    claims: list[ClaimRow]
    held_on: dict[int, date] = field(default_factory=dict)

    @classmethod
    def read(cls, uow: UnitOfWork) -> ExchangeRecords:
        stored = uow.exchange.stages()
        latest: dict[tuple[int, int], OutcomeRow] = {}
        for row in uow.exchange.outcomes():
            latest[(row.stage_id, row.person_id)] = row
        transfers: list[Transfer] = []
        held_on: dict[int, date] = {}
        for stage in stored:
            for manifest in Manifest:
                for line in stage.plan.get(manifest.value, []):
                    found = latest.get((stage.id, int(line["person_id"])))
                    if found is not None and found.outcome == StageOutcome.TRANSFERRED.value:
                        transfers.append(
                            Transfer(stage.stage_on, str(line["side"]), str(line["category"]))
                        )
                        held_on[stage.id] = stage.stage_on
        return cls(stored, transfers, uow.exchange.claims(), held_on)

    def persons_returned(
        self, since: date | None, as_of: date, categories: Sequence[str]
    ) -> dict[str, int]:
        """Persons transferred per side (the side a person belongs to), by stages in the window."""
        counts = dict.fromkeys(sorted({t.side for t in self.transfers}), 0)
        for t in self.transfers:
            if since is not None and t.on < since:
                continue
            if t.on > as_of or (categories and t.category not in categories):
                continue
            counts[t.side] += 1
        return counts

    def stages_held(self, since: date | None, as_of: date) -> int:
        return sum(
            1 for on in self.held_on.values() if (since is None or on >= since) and on <= as_of
        )

    def stage_claims(
        self,
        since: date | None,
        as_of: date,
        categories: Sequence[str],
        until: date | None = None,
    ) -> list[StageClaimSum]:
        """Each party's stage claims in the window, one figure per party: per stage, its claim
        for the stage's total when every category of the stage counts, else the sum of its
        claims for the categories that do (the latest claim of each kind holds)."""
        window = {
            s.id: s
            for s in self.stages
            if (since is None or s.stage_on >= since)
            and s.stage_on <= (as_of if until is None else min(as_of, until))
        }
        latest: dict[tuple[int, str, str], ClaimRow] = {}
        for claim in sorted(self.claims, key=lambda c: (c.claimed_on, c.id)):
            if claim.stage_id in window and claim.claimed_on <= as_of:
                latest[(claim.stage_id, claim.party, claim.category)] = claim
        per_party: dict[str, list[ClaimRow]] = {}
        for (stage_id, party, _category), _claim in latest.items():
            stage = window[stage_id]
            named = list(stage.plan.get("categories", stage.categories))
            whole = not categories or all(c in categories for c in named)
            total = latest.get((stage_id, party, TOTAL))
            if whole and total is not None:
                chosen = [total]
            else:
                chosen = [
                    c
                    for (sid, p, cat), c in latest.items()
                    if sid == stage_id and p == party and cat != TOTAL and cat in categories
                ]
            for claim in chosen:
                if claim not in per_party.setdefault(party, []):
                    per_party[party].append(claim)
        return [
            StageClaimSum(
                party=party,
                value=sum(c.count for c in rows),
                claimed_on=max(c.claimed_on for c in rows),
                sources=tuple(dict.fromkeys(c.source for c in rows)),
                stages=len({c.stage_id for c in rows}),
            )
            for party, rows in sorted(per_party.items())
            if rows
        ]


@dataclass
class RegistryRecords:
    """Persons' sides, categories and event streams, for counts by status as of a day."""

    persons: dict[int, tuple[str, str]]
    events: dict[int, list[Event]]

    @classmethod
    def read(cls, uow: UnitOfWork) -> RegistryRecords:
        ids = uow.matches.person_ids()
        found = uow.persons.get_many(ids)
        persons = {pid: (p.side, p.category.value) for pid, p in found.items()}
        return cls(persons, uow.events.for_persons(ids))

    def count(
        self, status: str, category: Sequence[str], side: str | None, as_of: date
    ) -> dict[str, int]:
        counts: dict[str, int] = {}
        for pid, (person_side, person_category) in self.persons.items():
            if category and person_category not in category:
                continue
            if side and side != "each" and person_side != side:
                continue
            counts.setdefault(person_side, 0)
            events = [e for e in self.events.get(pid, []) if e.effective_date <= as_of]
            if History.of(events).status().value == status:
                counts[person_side] += 1
        return counts


def bodies_received(
    uow: UnitOfWork, side: str | None, since: date | None, as_of: date
) -> int | None:
    """Bodies received in repatriation batches since the commitment (by `side`, or by anyone)."""
    party = None if side in (None, "each") else side
    return remains.bodies_received(uow, receiving_party=party, since=since, as_of=as_of)


def children_answers(uow: UnitOfWork, since: date | None, as_of: date) -> int | None:
    """Children the other side answered for, over the lists sent since the commitment."""
    return children.answers_since(uow, since=since, as_of=as_of)
