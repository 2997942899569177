"""The June 2025 repatriation of remains in the demo (issue 14, part 7).

Five batches reached Ukraine in June 2025 (1,212; 1,200; 1,200; 1,200; 1,245 bodies: the
"6,000 bodies" of the Istanbul memorandum); the days here are illustrative. Each batch's
declared count is the other side's list, its received count ours. A sample of bodies is
registered with a custody handoff per bag and walked through the identification steps, the
confirmations recorded by a second account. A small demo keeps the counts at `factor`.

Not yet: simulated STR profiles and relatives' references (they need the references store;
see docs/remains.md), so the candidates here are named, not computed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time

from parley.domain.accounts.accounts import Actor
from parley.domain.remains.batches import Batch, Handoff
from parley.domain.remains.bodies import BodyStatus
from parley.instance import Instance
from parley.services import remains

JUNE_2025 = (
    (date(2025, 6, 11), 1212),
    (date(2025, 6, 13), 1200),
    (date(2025, 6, 14), 1200),
    (date(2025, 6, 15), 1200),
    (date(2025, 6, 16), 1245),
)
PLACE = "Belarus–Ukraine border"
BODIES_PER_BATCH = 40
"""Bodies registered per batch at full scale (the demo shows the workflow, not every body)."""

_PATH = (BodyStatus.SAMPLED, BodyStatus.PROFILED, BodyStatus.CANDIDATE, BodyStatus.PRELIMINARY)


def replay_remains(
    instance: Instance,
    recorder: Actor,
    confirmer: Actor,
    seed: int,
    factor: float,
    note: Callable[[str], None],
) -> None:
    """Record the five batches, register bodies, and take some of them to confirmation."""
    rng = random.Random(seed * 14 + 1)
    for number, (on, count) in enumerate(JUNE_2025, start=1):
        size = max(1, round(count * factor))
        note(f"remains: batch {number} of {len(JUNE_2025)} ({size:,} bodies)")
        batch = remains.record_batch(
            instance.uow(), recorder, Batch(on, PLACE, "RU", "UA", size, size, "ICRC")
        )
        bag = f"B{number}-0001"
        for hour, who, where in ((9, "ICRC", PLACE), (17, "Kyiv morgue", "Kyiv")):
            handoff = Handoff(
                bag, who, datetime.combine(on, time(hour), UTC), where, f"S{number}{hour:02d}"
            )
            remains.record_handoff(instance.uow(), recorder, batch.id, handoff)
        for k in range(1, max(2, round(BODIES_PER_BATCH * min(1.0, factor * 4))) + 1):
            tag = f"UA-25-{number}{k:04d}"
            remains.receive_body(
                instance.uow(),
                recorder,
                batch.id,
                tag,
                bag=bag,
                condition=rng.choice(("skeletonised", "decomposed", "fragmented")),
                disc_halves=rng.choice((0, 0, 1)),
            )
            depth = rng.choice((0, 1, 2, 3, 4, 5, 5))
            missing = f"UA-MP-{rng.randrange(1, 100_000):05d}"
            for status in _PATH[: min(depth, len(_PATH))]:
                ref = missing if status in (BodyStatus.CANDIDATE, BodyStatus.PRELIMINARY) else ""
                remains.record_step(instance.uow(), recorder, tag, status, missing_ref=ref)
            if depth == 5:
                remains.record_step(
                    instance.uow(), confirmer, tag, BodyStatus.CONFIRMED, missing_ref=missing
                )
