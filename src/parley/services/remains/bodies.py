"""Batches, custody and bodies: each write checked by the domain, audited, insert only.

A body's status is the last of its steps; the domain decides which step may follow, and
that the account which recorded a preliminary identification never confirms it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path

from parley.dna.reading import read_case
from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import InvalidInput, InvalidRemainsStep, RemainsNotFound
from parley.domain.paging import Page, TableQuery
from parley.domain.remains.batches import Batch, Handoff, check_chain, received_total
from parley.domain.remains.bodies import BodyStatus, BodyStep, check_step
from parley.services.accounts import log
from parley.services.cache import VersionedCache
from parley.services.remains.dvi import candidates
from parley.services.remains.rows import BatchRow, StepRow
from parley.services.remains.views import BatchView, BodyView, RatePoint
from parley.services.uow import UnitOfWork


def record_batch(
    uow: UnitOfWork, actor: Actor, batch: Batch, declared_list_sha256: str | None = None
) -> BatchView:
    """Keep a batch as handed over: the other side's declared count beside ours."""
    actor.require(Permission.REMAINS_RECORD)
    with uow:
        row = uow.remains.add_batch(
            {
                "handed_over_on": batch.handed_over_on,
                "place": batch.place.strip(),
                "from_party": batch.from_party.upper(),
                "to_party": batch.to_party.upper(),
                "intermediary": batch.intermediary.strip(),
                "declared": batch.declared,
                "received": batch.received,
                "declared_list_sha256": declared_list_sha256,
                "recorded_by": actor.username,
            }
        )
        log(
            uow,
            actor,
            "remains.batch",
            "remains_batch",
            [row.id],
            declared=batch.declared,
            received=batch.received,
        )
        uow.commit()
        return BatchView.of(row)


def batches(uow: UnitOfWork, actor: Actor) -> list[BatchView]:
    actor.require(Permission.REMAINS_READ)
    with uow:
        counts: dict[int, int] = defaultdict(int)
        for body in uow.remains.bodies():
            counts[body.batch_id] += 1
        return [BatchView.of(b, counts[b.id]) for b in uow.remains.batches()]


def batch(uow: UnitOfWork, actor: Actor, batch_id: int) -> BatchView:
    actor.require(Permission.REMAINS_READ)
    with uow:
        row = uow.remains.batch(batch_id)
        if row is None:
            raise RemainsNotFound(f"no batch {batch_id}")
        registered = len(uow.remains.bodies(batch_id))
        return BatchView.of(row, registered, uow.remains.handoffs(batch_id))


def record_handoff(uow: UnitOfWork, actor: Actor, batch_id: int, handoff: Handoff) -> BatchView:
    """Add one link to a bag's chain of custody (after the bag's last one, with a seal)."""
    actor.require(Permission.REMAINS_RECORD)
    with uow:
        if uow.remains.batch(batch_id) is None:
            raise RemainsNotFound(f"no batch {batch_id}")
        chain = [
            Handoff(h.bag, h.received_by, h.handed_at, h.place, h.seal)
            for h in uow.remains.handoffs(batch_id)
        ]
        check_chain(chain, handoff)
        uow.remains.add_handoff(
            {
                "batch_id": batch_id,
                "bag": handoff.bag.strip(),
                "received_by": handoff.received_by.strip(),
                "handed_at": handoff.at,
                "place": handoff.place.strip(),
                "seal": handoff.seal.strip(),
                "recorded_by": actor.username,
            }
        )
        log(uow, actor, "remains.handoff", "remains_batch", [batch_id], bag=handoff.bag)
        uow.commit()
    return batch(uow, actor, batch_id)


def receive_body(
    uow: UnitOfWork,
    actor: Actor,
    batch_id: int,
    tag: str,
    *,
    bag: str = "",
    condition: str = "",
    effects: str = "",
    documents: str = "",
    disc_halves: int = 0,
    at: datetime | None = None,
) -> BodyView:
    """Register a body of a batch; its first step is `received` (at `at`, if stated)."""
    actor.require(Permission.REMAINS_RECORD)
    tag = tag.strip()
    check_moment(at)
    with uow:
        if uow.remains.batch(batch_id) is None:
            raise RemainsNotFound(f"no batch {batch_id}")
        step = BodyStep(tag, BodyStatus.RECEIVED, actor.username, datetime.now(UTC))
        check_step([], step)
        if uow.remains.body_by_tag(tag) is not None:
            raise InvalidRemainsStep(f"body {tag} is already registered")
        row = uow.remains.add_body(
            {
                "batch_id": batch_id,
                "tag": tag,
                "bag": bag,
                "condition": condition,
                "effects": effects,
                "documents": documents,
                "disc_halves": disc_halves,
                "recorded_by": actor.username,
            }
        )
        uow.remains.add_step(
            {
                "body_id": row.id,
                "status": BodyStatus.RECEIVED.value,
                "missing_ref": "",
                "note": "",
                "recorded_by": actor.username,
                "occurred_at": at,
            }
        )
        log(uow, actor, "remains.body", "remains_body", [row.id], tag=tag, batch=batch_id)
        uow.commit()
        return BodyView.of(row, uow.remains.steps([row.id]))


def check_moment(at: datetime | None, after: datetime | None = None) -> None:
    """A stated moment is aware, not in the future, and not before the body's last step."""
    if at is None:
        return
    if at.tzinfo is None:
        raise InvalidInput("a step's time needs a timezone", "at")
    if at > datetime.now(UTC):
        raise InvalidInput(f"a step cannot happen at {at:%Y-%m-%d %H:%M}, in the future", "at")
    if after is not None and at < after:
        raise InvalidRemainsStep(f"a step cannot precede the body's last one ({after:%Y-%m-%d})")


def domain_steps(tag: str, rows: list[StepRow]) -> list[BodyStep]:
    return [
        BodyStep(tag, BodyStatus(r.status), r.recorded_by, r.recorded_at, r.missing_ref, r.note)
        for r in rows
    ]


def record_step(
    uow: UnitOfWork,
    actor: Actor,
    tag: str,
    status: BodyStatus,
    *,
    missing_ref: str = "",
    note: str = "",
    at: datetime | None = None,
) -> BodyView:
    """Append a body's next step; confirming needs `remains.confirm` and a second person.

    `at` states when it happened if earlier than now (never before the body's last step)."""
    actor.require(
        Permission.REMAINS_CONFIRM if status is BodyStatus.CONFIRMED else Permission.REMAINS_RECORD
    )
    with uow:
        row = uow.remains.body_by_tag(tag)
        if row is None:
            raise RemainsNotFound(f"no body tagged {tag}")
        steps = uow.remains.steps([row.id])
        check_moment(at, steps[-1].at if steps else None)
        new = BodyStep(tag, status, actor.username, datetime.now(UTC), missing_ref.strip(), note)
        check_step(domain_steps(tag, steps), new)
        uow.remains.add_step(
            {
                "body_id": row.id,
                "status": status.value,
                "missing_ref": new.missing_ref,
                "note": note,
                "recorded_by": actor.username,
                "occurred_at": at,
            }
        )
        log(
            uow,
            actor,
            f"remains.{status.value}",
            "remains_body",
            [row.id],
            tag=tag,
            missing=new.missing_ref,
        )
        uow.commit()
        return BodyView.of(row, uow.remains.steps([row.id]))


def body(uow: UnitOfWork, actor: Actor, tag: str) -> BodyView:
    actor.require(Permission.REMAINS_READ)
    with uow:
        row = uow.remains.body_by_tag(tag)
        if row is None:
            raise RemainsNotFound(f"no body tagged {tag}")
        return BodyView.of(
            row,
            uow.remains.steps([row.id]),
            uow.remains.candidates(row.id),
            uow.remains.body_genotypes([row.id]),
            uow.remains.notifications(row.id),
        )


def bodies(uow: UnitOfWork, actor: Actor, batch_id: int | None = None) -> list[BodyView]:
    actor.require(Permission.REMAINS_READ)
    with uow:
        rows = uow.remains.bodies(batch_id)
        steps: dict[int, list[StepRow]] = defaultdict(list)
        for s in uow.remains.steps([r.id for r in rows] if batch_id is not None else None):
            steps[s.body_id].append(s)
        return [BodyView.of(r, steps[r.id]) for r in rows]


def body_table(
    uow: UnitOfWork,
    actor: Actor,
    table: TableQuery,
    *,
    status: BodyStatus | None = None,
    batch_id: int | None = None,
    text: str = "",
) -> Page[BodyView]:
    """A page of the bodies table (`BODY_SORTS`), filtered, sorted and cut by the database;
    only the page's bodies have their steps read."""
    actor.require(Permission.REMAINS_READ)
    with uow:
        page = uow.remains.body_table(table, status=status, batch_id=batch_id, text=text)
        steps: dict[int, list[StepRow]] = defaultdict(list)
        for s in uow.remains.steps([r.id for r in page.items]):
            steps[s.body_id].append(s)
        views = [BodyView.of(r, steps[r.id]) for r in page.items]
    return Page(views, page.total, page.offset, page.limit)


def identification_rate(uow: UnitOfWork, actor: Actor) -> list[RatePoint]:
    """Per day a body was received or confirmed, or references came in: bodies received,
    identified, and reference families so far (identification follows the references)."""
    actor.require(Permission.REMAINS_READ)
    with uow:
        points = _rates.kept(uow, "rate", _rate)
    return [p.model_copy() for p in points]


_rates: VersionedCache[list[RatePoint]] = VersionedCache(2)
"""The rate reads every body's steps: kept until a write changes the records."""


def _rate(uow: UnitOfWork) -> list[RatePoint]:
    """Inside the caller's transaction."""
    received: dict[date, int] = defaultdict(int)
    confirmed: dict[date, int] = defaultdict(int)
    families: dict[date, set[str]] = defaultdict(set)
    for s in uow.remains.steps():
        if s.status == BodyStatus.RECEIVED.value:
            received[s.at.date()] += 1
        elif s.status == BodyStatus.CONFIRMED.value:
            confirmed[s.at.date()] += 1
    for r in uow.remains.references():
        families[r.received_on].add(r.family)
    points, total, found, known = [], 0, 0, 0
    for day in sorted(received.keys() | confirmed.keys() | families.keys()):
        total += received[day]
        found += confirmed[day]
        known += len(families[day])
        if total:
            points.append(
                RatePoint(
                    on=day, received=total, identified=found, rate=found / total, families=known
                )
            )
    return points


def bodies_received(
    uow: UnitOfWork, *, receiving_party: str | None, since: date | None, as_of: date
) -> int:
    """Bodies a party (None: any party) received (our count) in batches handed over in
    [since, as_of]: what the agreements track counts against a commitment such as "6,000
    bodies". Runs inside the caller's open unit of work."""
    rows = uow.remains.batches()
    return received_total(
        [_batch(r) for r in rows], receiving_party=receiving_party, since=since, as_of=as_of
    )[1]


def bodies_declared(
    uow: UnitOfWork, *, receiving_party: str, since: date | None, as_of: date
) -> int:
    """The other side's declared count for the same batches."""
    with uow:
        rows = uow.remains.batches()
    return received_total(
        [_batch(r) for r in rows], receiving_party=receiving_party, since=since, as_of=as_of
    )[0]


def _batch(row: BatchRow) -> Batch:
    return Batch(
        row.handed_over_on,
        row.place,
        row.from_party,
        row.to_party,
        row.declared,
        row.received,
        row.intermediary,
        row.id,
    )


def screen_into(uow: UnitOfWork, actor: Actor, batch_id: int, folder: Path) -> list[BodyView]:
    """Screen a case in dvir's layout and keep its candidates for review.

    Each body of the case (its id is the tag) is registered in the batch if it is not yet,
    and walked to `profiled`; its candidates (LR, exclusions, posterior at 1/N; an excluded
    pairing never is one) are stored, and a body with any moves to `candidate`, naming the
    best. Nothing is stored unless the whole case reads.
    """
    actor.require(Permission.REMAINS_RECORD)
    case = read_case(folder)
    found = candidates(case)
    prior = 1.0 / max(1, len(case.missing))
    now = datetime.now(UTC)
    resolved = folder.resolve()
    source = (resolved.parent.name if resolved.name == "input" else resolved.name)[:200]
    with uow:
        if uow.remains.batch(batch_id) is None:
            raise RemainsNotFound(f"no batch {batch_id}")
        tags = []
        for victim in case.victims:
            row = uow.remains.body_by_tag(victim.id)
            if row is None:
                row = uow.remains.add_body(
                    {
                        "batch_id": batch_id,
                        "tag": victim.id,
                        "bag": "",
                        "condition": "",
                        "effects": "",
                        "documents": "",
                        "disc_halves": 0,
                        "recorded_by": actor.username,
                    }
                )
            steps = domain_steps(victim.id, uow.remains.steps([row.id]))
            wanted = [BodyStatus.RECEIVED, BodyStatus.SAMPLED, BodyStatus.PROFILED]
            best = found[victim.id]
            if best:
                wanted.append(BodyStatus.CANDIDATE)
            for status in wanted:
                if any(s.status is status for s in steps):
                    continue
                ref = best[0].missing if status is BodyStatus.CANDIDATE else ""
                step = BodyStep(victim.id, status, actor.username, now, ref)
                check_step(steps, step)
                uow.remains.add_step(
                    {
                        "body_id": row.id,
                        "status": status.value,
                        "missing_ref": ref,
                        "note": f"screened: {source}" if ref else "",
                        "recorded_by": actor.username,
                    }
                )
                steps.append(step)
            uow.remains.add_candidates(
                [
                    {
                        "body_id": row.id,
                        "missing_ref": c.missing,
                        "lr": c.lr,
                        "exclusions": c.exclusions,
                        "posterior": c.posterior,
                        "prior": prior,
                        "source": source,
                        "recorded_by": actor.username,
                    }
                    for c in best
                ]
            )
            tags.append(victim.id)
        log(uow, actor, "remains.screen", "remains_batch", [batch_id], case=source)
        uow.commit()
    return [body(uow, actor, tag) for tag in tags]
