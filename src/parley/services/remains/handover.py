"""After confirmation: the family is told (who, whom, how, when), the body released for
burial, and the death list for the other side generated from confirmed identifications.

The death list is an ordinary list of purpose `death_list` (a new version each time it
changes), so it travels as the signed list bundles already do (`parley bundle export`), and
the other side's death list, once taken in, is what a batch's declared count is read from
(`parley remains batch --declared-list ID`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.errors import InvalidInput, InvalidRemainsStep, ListNotFound
from parley.domain.lists import ListPurpose, shared_entry
from parley.domain.remains.batches import Batch
from parley.domain.remains.bodies import ORDER, BodyStatus, BodyStep, check_step
from parley.services.accounts import log
from parley.services.lists import BuildResult, ListDraft, ListOut, store_version
from parley.services.lists.rows import StoredEntry, StoredList
from parley.services.remains.bodies import (
    body,
    check_moment,
    domain_steps,
    record_batch,
    record_step,
)
from parley.services.remains.views import BatchView, BodyView
from parley.services.uow import UnitOfWork

DEATH_LIST_NAME = "Identified remains"


def notify_family(
    uow: UnitOfWork,
    actor: Actor,
    tag: str,
    *,
    whom: str,
    notified_by: str,
    how: str,
    at: datetime | None = None,
) -> BodyView:
    """Record that the family of a confirmed identification was told: whom, by whom, how."""
    actor.require(Permission.REMAINS_RECORD)
    fields = {"whom": whom.strip(), "notified_by": notified_by.strip(), "how": how.strip()}
    for name, value in fields.items():
        if not value:
            raise InvalidInput(f"say {name.replace('_', ' ')} for the notification", name)
        if len(value) > 200:
            raise InvalidInput(f"{name} is longer than 200 characters", name)
    when = at or datetime.now(UTC)
    check_moment(when)
    current = body(uow, actor, tag)
    if current.status != BodyStatus.CONFIRMED.value:
        raise InvalidRemainsStep(
            f"body {tag}: the family is notified after confirmation, not at {current.status}"
        )
    note = f"{fields['whom']}, by {fields['notified_by']} ({fields['how']})"
    with uow:
        row = uow.remains.body_by_tag(tag)
        assert row is not None
        steps = uow.remains.steps([row.id])
        check_moment(at, steps[-1].at)
        step = BodyStep(tag, BodyStatus.FAMILY_NOTIFIED, actor.username, when, current.missing_ref)
        check_step(domain_steps(tag, steps), step)
        uow.remains.add_notification(
            {
                "body_id": row.id,
                "missing_ref": current.missing_ref,
                "whom": fields["whom"],
                "notified_by": fields["notified_by"],
                "how": fields["how"][:100],
                "notified_at": when,
                "recorded_by": actor.username,
            }
        )
        uow.remains.add_step(
            {
                "body_id": row.id,
                "status": BodyStatus.FAMILY_NOTIFIED.value,
                "missing_ref": current.missing_ref,
                "note": note,
                "recorded_by": actor.username,
                "occurred_at": at,
            }
        )
        log(uow, actor, "remains.family_notified", "remains_body", [row.id], tag=tag)
        uow.commit()
    return body(uow, actor, tag)


def release_body(
    uow: UnitOfWork, actor: Actor, tag: str, *, to: str, at: datetime | None = None
) -> BodyView:
    """Release a body for burial to whom the family named; only after the family was told."""
    if not to.strip():
        raise InvalidInput("say to whom the body is released", "to")
    current = body(uow, actor, tag)
    record_step(
        uow,
        actor,
        tag,
        BodyStatus.RELEASED,
        missing_ref=current.missing_ref,
        note=f"released to {to.strip()}",
        at=at,
    )
    return body(uow, actor, tag)


def death_list(
    uow: UnitOfWork, actor: Actor, party: str, recipient: str, name: str = DEATH_LIST_NAME
) -> BuildResult:
    """Our death list for the other side: every confirmed identification of a registry person.

    Only what a list may carry crosses the line (names, birth date, documents, unit); the
    body's tag is the evidence. A new version is stored only when the content changed.
    """
    actor.require(Permission.REMAINS_READ)
    actor.require(Permission.LISTS_WRITE)
    to = recipient.strip().upper()
    if not to or to == party:
        raise InvalidInput("name the other party the death list goes to", "recipient")
    confirmed_from = ORDER.index(BodyStatus.CONFIRMED)
    with uow:
        refs = {r.member: r.person_id for r in uow.remains.references() if r.missing}
        latest: dict[int, tuple[str, str]] = {}
        for s in uow.remains.steps():
            latest[s.body_id] = (s.status, s.missing_ref)
        tags = {b.id: b.tag for b in uow.remains.bodies()}
        chosen: list[tuple[int, str]] = []
        for body_id, (status, missing_ref) in sorted(latest.items()):
            person_id = refs.get(missing_ref)
            if ORDER.index(BodyStatus(status)) >= confirmed_from and person_id is not None:
                chosen.append((person_id, tags[body_id]))
        persons = uow.persons.get_many([p for p, _ in chosen])
        entries = []
        for number, (person_id, tag) in enumerate(chosen, start=1):
            entry = shared_entry(f"D{number}", persons[person_id], f"remains {tag} identified")
            entries.append(
                StoredEntry(number, entry.ref, entry.key(), entry.to_payload(), person_id)
            )
        draft = ListDraft(name, ListPurpose.DEATH_LIST, (to,), "dead", "remains identified by DNA")
        stored, unchanged = store_version(
            uow, actor, party, draft, "built", {"remains": "confirmed"}, entries
        )
        if not unchanged:
            log(
                uow,
                actor,
                "remains.death_list",
                "list",
                [stored.id],
                entries=stored.entry_count,
                recipient=to,
            )
        uow.commit()
        return BuildResult(stored, 0, unchanged)


def death_list_view(
    uow: UnitOfWork, actor: Actor, party: str, recipient: str, name: str = DEATH_LIST_NAME
) -> ListOut:
    """`death_list` as `POST /death-list` returns it: the version stored (or the one unchanged)."""
    return ListOut.of(death_list(uow, actor, party, recipient, name).stored)


def declared_list(uow: UnitOfWork, list_id: int, our_party: str) -> StoredList:
    """The other side's death list a batch's declared count is read from (inside a uow)."""
    stored = uow.lists.get_list(list_id)
    if stored is None:
        raise ListNotFound(f"list {list_id} does not exist")
    if stored.sender == our_party:
        raise InvalidInput(f"list {list_id} is our own: the declared count is the other side's")
    if stored.purpose != ListPurpose.DEATH_LIST.value:
        raise InvalidInput(f"list {list_id} is a {stored.purpose} list, not a death list")
    return stored


def record_declared_batch(
    uow: UnitOfWork, actor: Actor, our_party: str, batch: Batch, list_id: int
) -> BatchView:
    """A batch whose declared count is the other side's signed death list's entry count."""
    with uow:
        stored = declared_list(uow, list_id, our_party)
    declared = Batch(
        batch.handed_over_on,
        batch.place,
        batch.from_party,
        batch.to_party,
        stored.entry_count,
        batch.received,
        batch.intermediary,
    )
    return record_batch(uow, actor, declared, stored.list_sha256)
