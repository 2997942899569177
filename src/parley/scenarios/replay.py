"""The 2025 campaign replayed on a demo instance's synthetic population.

What happened (see `../shared/reference/istanbul-2025.md`): after round 1, the 1,000-for-1,000
exchange of 23-25 May (390, 307 and 303 per side); after round 2 (2 June), stages by category —
the young (18-25) and the seriously wounded and sick — through June and into July. Per-stage
counts after round 2 were never published, so those stage sizes are the demo's own. Before the
stages, the people each side holds are interviewed about repatriation (most consent, a few refuse,
a few are held back for prosecution) and a Mixed Medical Commission examines the wounded, so the
category rules, the consent and legal-hold checks and the commission deadlines all have something
real to work on.

Each party's instance replays its own side of the campaign from its own registry; the two records
are not reconciled person by person here (that is what manifests sent as bundles are for).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from parley.domain.accounts.accounts import Actor
from parley.domain.exchange.categories import (
    STANDARD_CATEGORIES,
    CategoryRule,
    CivilianDetainee,
    NamedCategory,
    Not,
)
from parley.domain.exchange.commissions import (
    AnnexCategory,
    Condition,
    Decision,
    Member,
    MemberRole,
    Proposer,
    Specialty,
)
from parley.domain.exchange.examinations import ExaminationDraft
from parley.domain.exchange.handover import StageOutcome
from parley.domain.exchange.stages import Parity
from parley.domain.paging import PageRequest
from parley.domain.registry.events import EventDraft, EventType, Source, Status
from parley.domain.registry.persons import PersonQuery
from parley.instance import Instance
from parley.services import exchange, registry

INTERVIEWS_ON = date(2025, 5, 15)
"""When the ICRC's consent interviews are recorded as having taken place."""

MAY_STAGES: tuple[tuple[date, int], ...] = (
    (date(2025, 5, 23), 390),
    (date(2025, 5, 24), 307),
    (date(2025, 5, 25), 303),
)
"""The 1,000-for-1,000 after round 1, per side (Ukrainska Pravda; Russian MoD)."""

JUNE_STAGES: tuple[tuple[date, tuple[str, ...], int], ...] = (
    (date(2025, 6, 9), ("aged_18_25",), 120),
    (date(2025, 6, 10), ("seriously_wounded_or_sick",), 100),
    (date(2025, 6, 12), ("seriously_wounded_or_sick",), 100),
    (date(2025, 6, 14), ("aged_18_25", "seriously_wounded_or_sick"), 150),
    (date(2025, 6, 19), ("seriously_wounded_or_sick",), 100),
    (date(2025, 6, 20), ("aged_18_25", "seriously_wounded_or_sick"), 120),
    (date(2025, 6, 26), ("aged_18_25", "seriously_wounded_or_sick"), 150),
    (date(2025, 7, 4), ("aged_18_25", "seriously_wounded_or_sick", "civilian_detainees"), 150),
)
"""The stages after round 2 by the category named (sizes unpublished: the demo's own)."""

MAY_CATEGORIES: dict[str, CategoryRule] = {
    "military_prisoners": NamedCategory(
        "military_prisoners", Not(CivilianDetainee()), "prisoners of war (not civilians)"
    ),
    "civilian_detainees": STANDARD_CATEGORIES["civilian_detainees"],
}
"""The May exchange was by numbers, not by category: 270 military and 120 civilians on day one."""

COMMISSION = "MMC Istanbul-1"
COMMISSION_MEMBERS: dict[str, tuple[Member, ...]] = {
    party: (
        Member("Dr Anna Keller", "CH", MemberRole.NEUTRAL, True, Specialty.SURGEON),
        Member("Dr Lars Lindqvist", "SE", MemberRole.NEUTRAL, False, Specialty.PHYSICIAN),
        Member(doctor, party, MemberRole.DETAINING_POWER),
    )
    for party, doctor in (("UA", "Dr Iryna Tkachenko"), ("RU", "Dr Dmitry Volkov"))
}


@dataclass(frozen=True)
class Seeded:
    interviewed: int
    refused: int
    held_back: int
    examined: int


def _ids(instance: Instance, actor: Actor, query: PersonQuery) -> list[int]:
    found: list[int] = []
    while True:
        page = registry.find_persons(instance.uow(), actor, query, PageRequest(len(found), 500))
        found += [p.id for p in page.items]
        if not page.has_next:
            return found


def seed_interviews_and_examinations(
    instance: Instance, actor: Actor, seed: int, note: Callable[[str], None] = lambda _s: None
) -> Seeded:
    """Consent, legal holds and commission decisions for the people this party holds."""
    party = instance.config.party
    rng = random.Random(f"{seed}/{party}/replay")
    held = _ids(instance, actor, PersonQuery(status=Status.HELD.value))
    own_captive = _ids(instance, actor, PersonQuery(status=Status.IN_CAPTIVITY.value, side=party))
    drafts: list[tuple[int, EventDraft]] = []
    refused = held_back = 0
    for person_id in held:
        roll = rng.random()
        if roll < 0.02:
            refused += 1
            drafts.append(
                (
                    person_id,
                    EventDraft(
                        EventType.CONSENT_REFUSED,
                        INTERVIEWS_ON,
                        Source.ICRC,
                        "does not wish to be repatriated (ICRC interview)",
                    ),
                )
            )
            continue
        if roll < 0.035:
            continue  # not interviewed: consent unknown, so not on any manifest
        drafts.append((person_id, EventDraft(EventType.CONSENT_GIVEN, INTERVIEWS_ON, Source.ICRC)))
        if rng.random() < 0.012:
            held_back += 1
            drafts.append(
                (
                    person_id,
                    EventDraft(
                        EventType.LEGAL_HOLD,
                        INTERVIEWS_ON - timedelta(days=rng.randint(20, 300)),
                        Source.OWN_INFORMATION,
                        f"criminal case {rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
                    ),
                )
            )
    for person_id in own_captive:
        if rng.random() < 0.97:
            drafts.append(
                (
                    person_id,
                    EventDraft(
                        EventType.CONSENT_GIVEN,
                        INTERVIEWS_ON,
                        Source.ICRC,
                        "wishes to return home (reported by the ICRC)",
                    ),
                )
            )
    note(f"{party}: recording {len(drafts):,} interview results")
    registry.record_events(instance.uow(), actor, drafts)
    examined = _examine(instance, actor, rng, held)
    _certify_own_wounded(instance, actor, rng, own_captive)
    return Seeded(len(drafts), refused, held_back, examined)


_CONDITIONS = (
    Condition(AnnexCategory.A1, "loss of a foot", unquestionable=True),
    Condition(AnnexCategory.A1, "ankylosis of the knee"),
    Condition(AnnexCategory.A2, "splinter in the lungs"),
    Condition(AnnexCategory.A2, "injury of the peripheral nerves"),
    Condition(AnnexCategory.A3, "progressive tuberculosis"),
    Condition(AnnexCategory.A3, "insulin-dependent diabetes"),
)


def _examine(instance: Instance, actor: Actor, rng: random.Random, held: list[int]) -> int:
    """The commission sees the held people whose records show a wound or illness."""
    party = instance.config.party
    members = COMMISSION_MEMBERS[party]
    exchange.add_commission(instance.uow(), actor, COMMISSION, members)
    wounded = []
    with instance.uow() as uow:
        for person_id in held:
            if uow.persons.get(person_id).health:
                wounded.append(person_id)
    examined = 0
    for person_id in wounded:
        if rng.random() < 0.3:
            continue
        visited = date(2025, 5, 16) + timedelta(days=rng.randint(0, 14))
        condition = rng.choice(_CONDITIONS)
        roll = rng.random()
        if roll < 0.7:
            votes = [Decision.REPATRIATE] * 3
        elif roll < 0.85:
            votes = [Decision.REPATRIATE, Decision.REPATRIATE, Decision.REJECT]
        elif roll < 0.93:
            votes = [Decision.REJECT, Decision.REJECT, Decision.REPATRIATE]
        else:
            votes = [Decision.REEXAMINE, Decision.REEXAMINE, Decision.REPATRIATE]
        exam = exchange.record_examination(
            instance.uow(),
            actor,
            ExaminationDraft(
                person_id,
                COMMISSION,
                visited,
                f"examined on {visited.isoformat()}: {condition.item}",
                condition,
                {m.name: v for m, v in zip(members, votes, strict=True)},
                rng.choice(list(Proposer)),
            ),
        )
        examined += 1
        if rng.random() < 0.85:  # most decisions are notified in time, some late, some not yet
            late = rng.random() < 0.1
            notified = visited + timedelta(days=rng.randint(35, 60) if late else rng.randint(1, 6))
            exchange.record_step(instance.uow(), actor, exam.id, "notified", notified)
    return examined


def _certify_own_wounded(
    instance: Instance, actor: Actor, rng: random.Random, own_captive: list[int]
) -> None:
    """Our own wounded in the other side's hands, certified manifest cases (art. 112)."""
    drafts = []
    for person_id in own_captive:
        if rng.random() < 0.12:
            condition = rng.choice(_CONDITIONS)
            drafts.append(
                (
                    person_id,
                    EventDraft(
                        EventType.MANIFEST_CERTIFIED,
                        date(2025, 5, 28),
                        Source.ICRC,
                        f"manifest case certified by the detaining power's doctors: "
                        f"{condition.item}",
                        {
                            "condition": {
                                "category": condition.category.value,
                                "item": condition.item,
                                "unquestionable": condition.unquestionable,
                            }
                        },
                    ),
                )
            )
    registry.record_events(instance.uow(), actor, drafts)


@dataclass(frozen=True)
class Replayed:
    stage_id: int
    name: str
    on: date
    released: int
    expected: int


def replay_stages(
    instance: Instance,
    coordinator: Actor,
    seed: int,
    scale_factor: float = 1.0,
    note: Callable[[str], None] = lambda _s: None,
) -> list[Replayed]:
    """Plan, execute and record the stages of May-July 2025 in order, carrying deficits."""
    party = instance.config.party
    other = "RU" if party == "UA" else "UA"
    rng = random.Random(f"{seed}/{party}/stages")
    done: list[Replayed] = []
    previous: int | None = None
    for number, (on, size) in enumerate(MAY_STAGES, start=1):
        note(f"{party}: 1,000 for 1,000, day {number} ({on:%d %B})")
        capacity = max(1, round(size * scale_factor))
        detail = exchange.plan(
            instance.uow(),
            coordinator,
            party,
            f"1,000 for 1,000, day {number}",
            on,
            ["military_prisoners", "civilian_detainees"],
            capacity,
            Parity.EQUAL_TOTALS,
            previous_stage_id=previous,
            known=MAY_CATEGORIES,
        )
        sid = detail.summary.id
        if detail.release or detail.expect:
            exchange.record_outcomes(
                instance.uow(),
                coordinator,
                sid,
                {},
                on,
                everyone_else=StageOutcome.TRANSFERRED,
            )
        for claimant, source in ((party, _OWN_SOURCE[party]), (other, _OWN_SOURCE[other])):
            exchange.record_claim(
                instance.uow(), coordinator, sid, claimant, exchange.TOTAL, size, on, source
            )
        if number == 1:  # Ukraine broke the first day down: 270 military and 120 civilians
            for category, count in (("military_prisoners", 270), ("civilian_detainees", 120)):
                exchange.record_claim(
                    instance.uow(), coordinator, sid, "UA", category, count, on, _OWN_SOURCE["UA"]
                )
        done.append(
            Replayed(sid, detail.summary.name, on, detail.summary.released, detail.summary.expected)
        )
        previous = sid
    previous = None
    for number, (on, categories, size) in enumerate(JUNE_STAGES, start=1):
        note(f"{party}: stage {number} after Istanbul ({on:%d %B})")
        detail = exchange.plan(
            instance.uow(),
            coordinator,
            party,
            f"Stage {number} after round 2: {', '.join(c.replace('_', ' ') for c in categories)}",
            on,
            list(categories),
            max(1, round(size * scale_factor)),
            Parity.EQUAL_PER_CATEGORY,
            previous_stage_id=previous,
        )
        sid = detail.summary.id
        exceptions: dict[int, tuple[StageOutcome | str, str]] = {}
        for line in detail.release:
            if rng.random() < 0.01:
                exceptions[line.person_id] = (
                    StageOutcome.REFUSED,
                    "declined at the border crossing in front of the ICRC delegate",
                )
        if detail.release or detail.expect:  # a stage can come out empty: the plan says why
            exchange.record_outcomes(
                instance.uow(),
                coordinator,
                sid,
                exceptions,
                on,
                everyone_else=StageOutcome.TRANSFERRED,
            )
        done.append(
            Replayed(sid, detail.summary.name, on, detail.summary.released, detail.summary.expected)
        )
        previous = sid
    return done


_OWN_SOURCE = {
    "UA": "Coordination Headquarters / Ukrainska Pravda",
    "RU": "Russian Ministry of Defence statement",
}
