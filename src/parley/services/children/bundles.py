"""Children's lists and answers as signed bundles, on the lists track's machinery.

A list of children goes to the other side's ombudsman as a `request` list whose entry refs are
our case references, signed and addressed to the other side (the mediator relays it); a bundle
to anyone but the addressee or the mediator is refused. The answer comes back as a `response`
list: each entry replies to one of our refs, and its reason opens with the answer
(`located: …`, `not_found`, `refused: …`, `no_answer`). An entry that names a child without one
of our refs (a renamed child the other side found on its own) is matched by the engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.children import AnswerKind, ChildEvent, EventKind
from parley.domain.dates import PartialDate
from parley.domain.errors import BundleRefused, ListNotFound
from parley.domain.lists import EntryResponse, ListPurpose, SharedEntry, Verdict
from parley.services import lists
from parley.services.accounts import log
from parley.services.children.answers import ChildAnswer, check_recipients, match_answers
from parley.services.children.cases import all_cases, guard
from parley.services.lists.rows import StoredBundle, StoredEntry
from parley.services.uow import UnitOfWork

VERDICTS = {
    AnswerKind.LOCATED: Verdict.CONFIRM,
    AnswerKind.NOT_FOUND: Verdict.UNKNOWN,
    AnswerKind.REFUSED: Verdict.DISPUTE,
    AnswerKind.NO_ANSWER: Verdict.UNKNOWN,
}


def _entries(shared: Sequence[SharedEntry]) -> list[StoredEntry]:
    return [StoredEntry(i, e.ref, e.key(), e.to_payload(), None) for i, e in enumerate(shared, 1)]


def export_list_bundle(
    uow: UnitOfWork,
    actor: Actor,
    keyring: lists.Keyring,
    list_ref: str,
    recipient: str,
) -> tuple[StoredBundle, bytes]:
    """Sign the children of a list for its addressee or its mediator, and no one else."""
    guard(uow, actor, Permission.CHILDREN_EXPORT)
    with uow:
        cases = [c for c in all_cases(uow) if list_ref in c.lists]
        if not cases:
            raise ListNotFound(f"no child is on list {list_ref}")
        for case in cases:
            check_recipients(case, list_ref, [recipient])
        addressee = next(
            e.data["addressee"]
            for e in cases[0].events
            if e.kind is EventKind.LISTED and e.data["list"] == list_ref
        )
        shared = []
        for case in cases:
            now = case.identities[-1]  # the latest name known
            shared.append(
                SharedEntry(
                    case.reference,
                    now.family_name,
                    now.given_name,
                    now.patronymic,
                    PartialDate.of(now.born) if now.born else None,
                )
            )
        draft = lists.ListDraft(list_ref, ListPurpose.REQUEST, (addressee,), "", "children")
        stored, _ = lists.store_version(
            uow, actor, keyring.party, draft, "built", {"children": list_ref}, _entries(shared)
        )
        log(
            uow,
            actor,
            "children.bundle",
            "child",
            [c.id for c in cases],
            list=list_ref,
            to=recipient,
        )
        uow.commit()
    return lists.export_bundle(uow, actor, keyring, stored.id, recipient)


@dataclass(frozen=True)
class BundledAnswer:
    """The other side's answer about one child on our list, by our ref when it has it."""

    in_reply_to: str
    answer: AnswerKind
    surname: str = ""
    given: str = ""
    born: date | None = None
    note: str = ""


def export_answer_bundle(
    uow: UnitOfWork,
    actor: Actor,
    keyring: lists.Keyring,
    list_ref: str,
    answers: Sequence[BundledAnswer],
    recipient: str,
) -> tuple[StoredBundle, bytes]:
    """The other side's ombudsman answers a children's list, child by child, as a bundle."""
    shared = [
        SharedEntry(
            a.in_reply_to,
            a.surname,
            a.given,
            birth_date=PartialDate.of(a.born) if a.born else None,
            response=EntryResponse(
                a.in_reply_to, VERDICTS[a.answer], f"{a.answer}: {a.note}".rstrip(": ")
            ),
        )
        for a in answers
    ]
    with uow:
        draft = lists.ListDraft(list_ref, ListPurpose.RESPONSE, (recipient,), "", "children")
        stored, _ = lists.store_version(
            uow, actor, keyring.party, draft, "built", {"children": list_ref}, _entries(shared)
        )
        uow.commit()
    return lists.export_bundle(uow, actor, keyring, stored.id, recipient)


def _answer_of(entry: SharedEntry) -> AnswerKind:
    head = entry.response.reason.split(":")[0].strip() if entry.response else ""
    return AnswerKind(head) if head in set(AnswerKind) else AnswerKind.NO_ANSWER


def import_answer_bundle(
    uow: UnitOfWork,
    actor: Actor,
    keyring: lists.Keyring,
    file_name: str,
    raw: bytes,
    *,
    on: date,
) -> int:
    """Take in the other side's answer bundle (verified as any bundle) and record each answer
    on the case it replies to, or the one the engine finds; gives how many were recorded."""
    guard(uow, actor, Permission.CHILDREN_RECORD)
    outcome = lists.import_bundle(uow, actor, keyring, file_name, raw)
    if outcome.stored is None:
        raise BundleRefused("kind", f"{file_name} holds no list")
    list_ref = outcome.stored.name
    source = f"answer bundle {outcome.verification.sha256[:12]} from {outcome.stored.sender}"
    with uow:
        received = [SharedEntry.from_payload(e.entry) for e in uow.lists.entries(outcome.stored.id)]
        on_list = [c for c in all_cases(uow) if list_ref in c.lists]
        by_ref = {c.reference: c.id for c in on_list}
        events: list[ChildEvent] = []
        unknown: list[tuple[SharedEntry, AnswerKind]] = []
        for entry in received:
            kind = _answer_of(entry)
            reply = entry.response.in_reply_to if entry.response else entry.ref
            if reply in by_ref:
                data = {
                    "list": list_ref,
                    "answer": str(kind),
                    "note": entry.response.reason if entry.response else "",
                }
                events.append(
                    ChildEvent(by_ref[reply], EventKind.ANSWER, on, source, data, None, actor.label)
                )
            elif entry.surname:
                unknown.append((entry, kind))
        matched = match_answers(
            on_list,
            [
                ChildAnswer(
                    kind,
                    e.surname,
                    e.given_name,
                    e.patronymic,
                    e.birth_date.to_date() if e.birth_date and e.birth_date.is_complete else None,
                )
                for e, kind in unknown
            ],
        )
        for m in matched:
            if m.case_id is not None:
                data = {"list": list_ref, "answer": str(m.answer.answer), "note": "matched"}
                events.append(
                    ChildEvent(m.case_id, EventKind.ANSWER, on, source, data, None, actor.label)
                )
        uow.children.add_events(events)
        log(
            uow,
            actor,
            "children.answers",
            "child",
            [e.case_id for e in events],
            list=list_ref,
            bundle=file_name,
        )
        uow.commit()
    return len(events)
