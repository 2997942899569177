"""Rounds, memoranda, proposals and responses: recorded once, read side by side."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.agreements import (
    Domain,
    Geography,
    ProposalKind,
    ResponseKind,
    Stance,
    Topic,
    fate,
    parse_choice,
    parse_stance,
    parse_topic,
    relate,
)
from parley.domain.errors import (
    CommitmentNotFound,
    InvalidInput,
    MemorandumNotFound,
    ProposalNotFound,
    RoundAlreadyRecorded,
    RoundNotFound,
)
from parley.domain.lists import check_party
from parley.services.accounts import log
from parley.services.agreements.rows import (
    Agreements,
    Delegation,
    MemorandumRow,
    PointRow,
    ProposalRow,
    ResponseRow,
    RoundRow,
)
from parley.services.agreements.views import (
    DelegationView,
    MemorandumView,
    PointView,
    PositionView,
    ProposalView,
    ResponseView,
    RoundView,
    SectionView,
    SideBySide,
    TopicView,
)
from parley.services.uow import UnitOfWork


def _required(value: str, field_name: str) -> str:
    if not value.strip():
        raise InvalidInput(f"'{field_name}' cannot be empty", field_name)
    return value.strip()


# ---------------------------------------------------------------- rounds


def round_view(row: RoundRow) -> RoundView:
    return RoundView(
        number=row.number,
        held_on=row.held_on,
        place=row.place,
        host=row.host,
        delegations=[
            DelegationView(party=d.party, head=d.head, members=list(d.members))
            for d in row.delegations
        ],
        outcome=row.outcome,
        sources=list(row.sources),
    )


def record_round(uow: UnitOfWork, actor: Actor, draft: RoundRow) -> RoundView:
    """A round of talks, once: its number is its name."""
    actor.require(Permission.AGREEMENTS_RECORD)
    if draft.number < 1:
        raise InvalidInput("a round's number starts at 1", "number")
    clean = replace(
        draft,
        place=_required(draft.place, "place"),
        host=_required(draft.host, "host"),
        delegations=tuple(
            Delegation(check_party(d.party), _required(d.head, "head"), d.members)
            for d in draft.delegations
        ),
        sources=tuple(s.strip() for s in draft.sources if s.strip()),
    )
    with uow:
        if any(r.number == draft.number for r in uow.agreements.everything().rounds):
            raise RoundAlreadyRecorded(f"round {draft.number} is already recorded")
        stored = uow.agreements.add_round(clean, actor.label)
        log(uow, actor, "agreement.round", "agreement_round", [stored.id], number=draft.number)
        uow.commit()
        return round_view(stored)


def list_rounds(uow: UnitOfWork, actor: Actor) -> list[RoundView]:
    actor.require(Permission.AGREEMENTS_READ)
    with uow:
        return [round_view(r) for r in uow.agreements.everything().rounds]


def require_round(everything: Agreements, number: int) -> RoundRow:
    for row in everything.rounds:
        if row.number == number:
            return row
    raise RoundNotFound(f"round {number} is not recorded")


# ---------------------------------------------------------------- memoranda


def record_memorandum(
    uow: UnitOfWork, actor: Actor, draft: MemorandumRow, points: Sequence[PointRow]
) -> MemorandumView:
    """A party's memorandum: ordered sections, each point coded by topic with a stance."""
    actor.require(Permission.AGREEMENTS_RECORD)
    clean, clean_points = clean_memorandum(draft, points)
    with uow:
        if draft.round_number is not None:
            require_round(uow.agreements.everything(), draft.round_number)
        stored = uow.agreements.add_memorandum(clean, clean_points, actor.label)
        log(
            uow,
            actor,
            "agreement.memorandum",
            "memorandum",
            [stored.id],
            party=clean.party,
            points=len(clean_points),
        )
        uow.commit()
        return memorandum_view(uow.agreements.everything(), stored.id)


def clean_memorandum(
    draft: MemorandumRow, points: Sequence[PointRow]
) -> tuple[MemorandumRow, list[PointRow]]:
    """The memorandum's checks, the same whether typed in here or received in a bundle."""
    party = check_party(draft.party)
    numbers = [s.number for s in draft.sections]
    if not numbers:
        raise InvalidInput("a memorandum has at least one section", "sections")
    if len(set(numbers)) != len(numbers):
        raise InvalidInput("section numbers repeat", "sections")
    clean_points = []
    seen: set[tuple[int, int]] = set()
    for point in points:
        if point.section not in numbers:
            raise InvalidInput(f"point {point.number} names no section {point.section}", "section")
        if (point.section, point.number) in seen:
            raise InvalidInput(f"point {point.section}.{point.number} is given twice", "number")
        seen.add((point.section, point.number))
        if not point.topics:
            raise InvalidInput(
                f"point {point.section}.{point.number} needs at least one topic", "topics"
            )
        clean_points.append(
            replace(
                point,
                text=_required(point.text, "text"),
                topics=tuple(dict.fromkeys(parse_topic(t).value for t in point.topics)),
                stance=parse_stance(point.stance).value,
                position=point.position.strip().lower().replace(" ", "_"),
                option=point.option.strip(),
            )
        )
    return replace(draft, party=party, title=_required(draft.title, "title")), clean_points


def _point_view(point: PointRow, memorandum: MemorandumRow) -> PointView:
    titles = {s.number: s.title for s in memorandum.sections}
    return PointView(
        id=point.id,
        ref=f"{memorandum.party} {point.section}.{point.number}",
        party=memorandum.party,
        memorandum_id=memorandum.id,
        section=point.section,
        section_title=titles.get(point.section, ""),
        number=point.number,
        text=point.text,
        topics=list(point.topics),
        stance=point.stance,
        position=point.position,
        option=point.option,
    )


def memorandum_view(everything: Agreements, memorandum_id: int) -> MemorandumView:
    found = next((m for m in everything.memoranda if m.id == memorandum_id), None)
    if found is None:
        raise MemorandumNotFound(f"memorandum {memorandum_id} is not recorded")
    points = [p for p in everything.points if p.memorandum_id == memorandum_id]
    return MemorandumView(
        id=found.id,
        party=found.party,
        round_number=found.round_number,
        title=found.title,
        presented_on=found.presented_on,
        sources=list(found.sources),
        signed_by=found.signed_by,
        sections=[
            SectionView(
                number=s.number,
                title=s.title,
                points=[_point_view(p, found) for p in points if p.section == s.number],
            )
            for s in found.sections
        ],
        recorded_at=found.recorded_at,
        recorded_by=found.recorded_by,
    )


def list_memoranda(uow: UnitOfWork, actor: Actor) -> list[MemorandumView]:
    actor.require(Permission.AGREEMENTS_READ)
    with uow:
        everything = uow.agreements.everything()
        return [memorandum_view(everything, m.id) for m in everything.memoranda]


def show_memorandum(uow: UnitOfWork, actor: Actor, memorandum_id: int) -> MemorandumView:
    actor.require(Permission.AGREEMENTS_READ)
    with uow:
        return memorandum_view(uow.agreements.everything(), memorandum_id)


def compare(
    everything: Agreements,
    topics: Sequence[str] = (),
    memoranda: Sequence[int] = (),
) -> SideBySide:
    """Every party's points by topic; on each shared position, whether they meet or exclude.

    By default the latest memorandum of each party is compared.
    """
    chosen_topics = [parse_topic(t) for t in topics] or list(Topic)
    by_id = {m.id: m for m in everything.memoranda}
    if memoranda:
        missing = [i for i in memoranda if i not in by_id]
        if missing:
            raise MemorandumNotFound(f"memorandum {missing[0]} is not recorded")
        picked = [by_id[i] for i in memoranda]
    else:
        latest: dict[str, MemorandumRow] = {}
        for m in everything.memoranda:
            latest[m.party] = m
        picked = list(latest.values())
    parties = [m.party for m in picked]
    views: list[TopicView] = []
    for topic in chosen_topics:
        per_party: dict[str, list[PointView]] = {}
        stances: dict[str, dict[str, list[Stance]]] = {}
        for memorandum in picked:
            for point in everything.points:
                if point.memorandum_id != memorandum.id or topic.value not in point.topics:
                    continue
                per_party.setdefault(memorandum.party, []).append(_point_view(point, memorandum))
                if point.position:
                    stances.setdefault(point.position, {}).setdefault(memorandum.party, []).append(
                        Stance(point.stance)
                    )
        if not per_party:
            continue
        positions = [
            PositionView(
                position=position,
                overlap=relate(said).value,
                stances={p: [s.value for s in v] for p, v in said.items()},
            )
            for position, said in stances.items()
        ]
        views.append(TopicView(topic=topic.value, points=per_party, positions=positions))
    return SideBySide(parties=parties, memoranda=[m.id for m in picked], topics=views)


def side_by_side(
    uow: UnitOfWork, actor: Actor, topics: Sequence[str] = (), memoranda: Sequence[int] = ()
) -> SideBySide:
    actor.require(Permission.AGREEMENTS_READ)
    with uow:
        return compare(uow.agreements.everything(), topics, memoranda)


# ---------------------------------------------------------------- proposals and responses


def _terms(kind: ProposalKind, terms: dict[str, Any]) -> dict[str, Any]:
    """The terms a kind of proposal carries, checked; unknown keys are kept as said."""
    clean = dict(terms)
    if kind is ProposalKind.CEASEFIRE:
        domains = terms.get("domains", [])
        if not isinstance(domains, list):
            raise InvalidInput("'domains' is a list of land, air, sea", "domains")
        clean["domains"] = [parse_choice(Domain, str(d), "domains").value for d in domains]
        if terms.get("geography"):
            clean["geography"] = parse_choice(Geography, str(terms["geography"]), "geography")
        for key in ("duration_days", "duration_hours"):
            value = terms.get(key)
            if value is not None and (not isinstance(value, int) or value <= 0):
                raise InvalidInput(f"'{key}' must be a positive whole number", key)
    if kind is ProposalKind.MEETING:
        window = {k: _iso_day(terms.get(k), k) for k in ("window_from", "window_to")}
        start, end = window["window_from"], window["window_to"]
        if start and end and start > end:
            raise InvalidInput("a meeting window starts before it ends", "window_from")
        participants = terms.get("participants", [])
        if not isinstance(participants, list):
            raise InvalidInput("'participants' is a list of names or offices", "participants")
    if kind is ProposalKind.SEQUENCE:
        steps = terms.get("steps", [])
        if not isinstance(steps, list) or not steps:
            raise InvalidInput("a sequence has at least one step", "steps")
        if not all(isinstance(step, dict) for step in steps):
            raise InvalidInput("each step is an object with its text", "steps")
        clean["steps"] = [
            {
                "order": index,
                "text": _required(str(step.get("text", "")), "text"),
                "proposal_id": _optional_id(step.get("proposal_id"), "proposal_id"),
                "commitment_id": _optional_id(step.get("commitment_id"), "commitment_id"),
            }
            for index, step in enumerate(steps, start=1)
        ]
    return clean


def _iso_day(value: object, field_name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise InvalidInput(f"'{value}' is not a date YYYY-MM-DD", field_name) from exc


def _optional_id(value: object, field_name: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(f"'{field_name}' is a record's number", field_name)
    return value


def record_proposal(uow: UnitOfWork, actor: Actor, draft: ProposalRow) -> ProposalView:
    """A ceasefire, a meeting, a sequence of steps: who proposed what, when, said where."""
    actor.require(Permission.AGREEMENTS_RECORD)
    clean = clean_proposal(draft)
    with uow:
        everything = uow.agreements.everything()
        if draft.memorandum_id is not None and all(
            m.id != draft.memorandum_id for m in everything.memoranda
        ):
            raise MemorandumNotFound(f"memorandum {draft.memorandum_id} is not recorded")
        for step in clean.terms.get("steps", []) if clean.kind == ProposalKind.SEQUENCE else []:
            if step["proposal_id"] and all(
                p.id != step["proposal_id"] for p in everything.proposals
            ):
                raise ProposalNotFound(
                    f"step {step['order']}: proposal {step['proposal_id']} is not recorded"
                )
            if step["commitment_id"] and all(
                c.id != step["commitment_id"] for c in everything.commitments
            ):
                raise CommitmentNotFound(
                    f"step {step['order']}: commitment {step['commitment_id']} is not recorded"
                )
        stored = uow.agreements.add_proposal(clean, actor.label)
        log(uow, actor, "agreement.proposal", "proposal", [stored.id], kind=clean.kind)
        uow.commit()
        return proposal_view(uow.agreements.everything(), stored.id)


def clean_proposal(draft: ProposalRow) -> ProposalRow:
    kind = parse_choice(ProposalKind, draft.kind, "kind")
    return replace(
        draft,
        kind=kind.value,
        party=check_party(draft.party),
        title=_required(draft.title, "title"),
        source=_required(draft.source, "source"),
        terms=_terms(kind, draft.terms),
    )


def clean_response(draft: ResponseRow) -> ResponseRow:
    answer = parse_choice(ResponseKind, draft.response, "response")
    return replace(
        draft,
        party=check_party(draft.party),
        response=answer.value,
        source=_required(draft.source, "source"),
    )


def record_response(uow: UnitOfWork, actor: Actor, draft: ResponseRow) -> ProposalView:
    """A party's answer to a proposal; the latest answer is the proposal's fate."""
    actor.require(Permission.AGREEMENTS_RECORD)
    answer = parse_choice(ResponseKind, draft.response, "response")
    clean = replace(
        draft,
        party=check_party(draft.party),
        response=answer.value,
        source=_required(draft.source, "source"),
    )
    with uow:
        everything = uow.agreements.everything()
        ids = {p.id for p in everything.proposals}
        if draft.proposal_id not in ids:
            raise ProposalNotFound(f"proposal {draft.proposal_id} is not recorded")
        if answer is ResponseKind.COUNTER_PROPOSAL and draft.counter_proposal_id not in ids:
            raise InvalidInput(
                "a counter-proposal names the proposal it offers instead", "counter_proposal_id"
            )
        stored = uow.agreements.add_response(clean, actor.label)
        log(
            uow,
            actor,
            "agreement.response",
            "proposal",
            [draft.proposal_id],
            response=answer.value,
            response_id=stored.id,
        )
        uow.commit()
        return proposal_view(uow.agreements.everything(), draft.proposal_id)


def proposal_view(everything: Agreements, proposal_id: int) -> ProposalView:
    found = next((p for p in everything.proposals if p.id == proposal_id), None)
    if found is None:
        raise ProposalNotFound(f"proposal {proposal_id} is not recorded")
    answers = [r for r in everything.responses if r.proposal_id == proposal_id]
    return ProposalView(
        id=found.id,
        kind=found.kind,
        party=found.party,
        round_number=found.round_number,
        title=found.title,
        option=found.option,
        proposed_on=found.proposed_on,
        terms=found.terms,
        source=found.source,
        memorandum_id=found.memorandum_id,
        signed_by=found.signed_by,
        responses=[
            ResponseView(
                id=r.id,
                proposal_id=r.proposal_id,
                party=r.party,
                response=r.response,
                responded_on=r.responded_on,
                source=r.source,
                note=r.note,
                counter_proposal_id=r.counter_proposal_id,
                signed_by=r.signed_by,
            )
            for r in answers
        ],
        fate=fate([ResponseKind(r.response) for r in answers]).value,
    )


def list_proposals(
    uow: UnitOfWork, actor: Actor, kind: str | None = None, round_number: int | None = None
) -> list[ProposalView]:
    actor.require(Permission.AGREEMENTS_READ)
    with uow:
        everything = uow.agreements.everything()
        return [
            proposal_view(everything, p.id)
            for p in everything.proposals
            if (kind is None or p.kind == kind)
            and (round_number is None or p.round_number == round_number)
        ]
