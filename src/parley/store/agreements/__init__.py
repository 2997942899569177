"""SQL for the agreements track: insert-only tables, read back as typed rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from parley.services.agreements.rows import (
    Agreements,
    CommitmentClaimRow,
    CommitmentRow,
    Delegation,
    MemorandumRow,
    MetricRow,
    PointRow,
    ProposalRow,
    ResponseRow,
    RoundRow,
    SectionRow,
)
from parley.store._time import as_utc, utc_now
from parley.store.agreements import tables as t


class SqlAgreementRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _insert(self, table: Table, values: dict[str, Any]) -> int:
        return int(
            self.session.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
        )

    def add_round(self, row: RoundRow, recorded_by: str) -> RoundRow:
        at = utc_now()
        new_id = self._insert(
            t.agreement_rounds,
            {
                "number": row.number,
                "held_on": row.held_on,
                "place": row.place,
                "host": row.host,
                "delegations": [
                    {"party": d.party, "head": d.head, "members": list(d.members)}
                    for d in row.delegations
                ],
                "outcome": row.outcome,
                "sources": list(row.sources),
                "recorded_at": at,
                "recorded_by": recorded_by,
            },
        )
        return replace(row, id=new_id, recorded_at=at, recorded_by=recorded_by)

    def add_memorandum(
        self, row: MemorandumRow, points: Sequence[PointRow], recorded_by: str
    ) -> MemorandumRow:
        at = utc_now()
        new_id = self._insert(
            t.memoranda,
            {
                "party": row.party,
                "round_number": row.round_number,
                "title": row.title,
                "presented_on": row.presented_on,
                "sections": [{"number": s.number, "title": s.title} for s in row.sections],
                "sources": list(row.sources),
                "signed_by": row.signed_by,
                "recorded_at": at,
                "recorded_by": recorded_by,
            },
        )
        if points:
            self.session.execute(
                insert(t.memorandum_points),
                [
                    {
                        "memorandum_id": new_id,
                        "section": p.section,
                        "number": p.number,
                        "text": p.text,
                        "topics": list(p.topics),
                        "stance": p.stance,
                        "position": p.position,
                        "option": p.option,
                    }
                    for p in points
                ],
            )
        return replace(row, id=new_id, recorded_at=at, recorded_by=recorded_by)

    def add_proposal(self, row: ProposalRow, recorded_by: str) -> ProposalRow:
        at = utc_now()
        new_id = self._insert(
            t.proposals,
            {
                "kind": row.kind,
                "party": row.party,
                "round_number": row.round_number,
                "title": row.title,
                "option": row.option,
                "proposed_on": row.proposed_on,
                "terms": row.terms,
                "source": row.source,
                "memorandum_id": row.memorandum_id,
                "signed_by": row.signed_by,
                "recorded_at": at,
                "recorded_by": recorded_by,
            },
        )
        return replace(row, id=new_id, recorded_at=at, recorded_by=recorded_by)

    def add_response(self, row: ResponseRow, recorded_by: str) -> ResponseRow:
        at = utc_now()
        new_id = self._insert(
            t.proposal_responses,
            {
                "proposal_id": row.proposal_id,
                "party": row.party,
                "response": row.response,
                "responded_on": row.responded_on,
                "source": row.source,
                "note": row.note,
                "counter_proposal_id": row.counter_proposal_id,
                "signed_by": row.signed_by,
                "recorded_at": at,
                "recorded_by": recorded_by,
            },
        )
        return replace(row, id=new_id, recorded_at=at, recorded_by=recorded_by)

    def add_commitment(self, row: CommitmentRow, recorded_by: str) -> CommitmentRow:
        at = utc_now()
        m = row.metric
        new_id = self._insert(
            t.commitments,
            {
                "round_number": row.round_number,
                "label": row.label,
                "text": row.text,
                "parties": list(row.parties),
                "metric": {
                    "kind": m.kind,
                    "since": m.since.isoformat() if m.since else None,
                    "categories": list(m.categories),
                    "side": m.side,
                    "status": m.status,
                    "until": m.until.isoformat() if m.until else None,
                },
                "target_kind": row.target_kind,
                "target_low": row.target_low,
                "target_high": row.target_high,
                "deadline": row.deadline,
                "tolerance": row.tolerance,
                "source": row.source,
                "recorded_at": at,
                "recorded_by": recorded_by,
            },
        )
        return replace(row, id=new_id, recorded_at=at, recorded_by=recorded_by)

    def add_claim(self, row: CommitmentClaimRow, recorded_by: str) -> CommitmentClaimRow:
        at = utc_now()
        new_id = self._insert(
            t.commitment_claims,
            {
                "commitment_id": row.commitment_id,
                "party": row.party,
                "value": row.value,
                "claimed_on": row.claimed_on,
                "source": row.source,
                "signed_by": row.signed_by,
                "recorded_at": at,
                "recorded_by": recorded_by,
            },
        )
        return replace(row, id=new_id, recorded_at=at, recorded_by=recorded_by)

    def everything(self) -> Agreements:
        def rows(table: Table, *order: Any) -> list[RowMapping]:
            query = select(table).order_by(*(order or (table.c.id,)))
            return list(self.session.execute(query).mappings())

        return Agreements(
            rounds=[_round(r) for r in rows(t.agreement_rounds, t.agreement_rounds.c.number)],
            memoranda=[_memorandum(r) for r in rows(t.memoranda)],
            points=[
                _point(r)
                for r in rows(
                    t.memorandum_points,
                    t.memorandum_points.c.memorandum_id,
                    t.memorandum_points.c.section,
                    t.memorandum_points.c.number,
                    t.memorandum_points.c.id,
                )
            ],
            proposals=[_proposal(r) for r in rows(t.proposals)],
            responses=[
                _response(r)
                for r in rows(
                    t.proposal_responses,
                    t.proposal_responses.c.responded_on,
                    t.proposal_responses.c.id,
                )
            ],
            commitments=[_commitment(r) for r in rows(t.commitments)],
            claims=[
                _claim(r)
                for r in rows(
                    t.commitment_claims, t.commitment_claims.c.claimed_on, t.commitment_claims.c.id
                )
            ],
        )


def _round(r: RowMapping) -> RoundRow:
    return RoundRow(
        number=r["number"],
        held_on=r["held_on"],
        place=r["place"],
        host=r["host"],
        delegations=tuple(
            Delegation(d["party"], d["head"], tuple(d.get("members", ()))) for d in r["delegations"]
        ),
        outcome=r["outcome"],
        sources=tuple(r["sources"]),
        id=r["id"],
        recorded_at=as_utc(r["recorded_at"]),
        recorded_by=r["recorded_by"],
    )


def _memorandum(r: RowMapping) -> MemorandumRow:
    return MemorandumRow(
        party=r["party"],
        round_number=r["round_number"],
        title=r["title"],
        presented_on=r["presented_on"],
        sections=tuple(SectionRow(s["number"], s["title"]) for s in r["sections"]),
        sources=tuple(r["sources"]),
        signed_by=r["signed_by"],
        id=r["id"],
        recorded_at=as_utc(r["recorded_at"]),
        recorded_by=r["recorded_by"],
    )


def _point(r: RowMapping) -> PointRow:
    return PointRow(
        section=r["section"],
        number=r["number"],
        text=r["text"],
        topics=tuple(r["topics"]),
        stance=r["stance"],
        position=r["position"],
        option=r["option"],
        id=r["id"],
        memorandum_id=r["memorandum_id"],
    )


def _proposal(r: RowMapping) -> ProposalRow:
    return ProposalRow(
        kind=r["kind"],
        party=r["party"],
        round_number=r["round_number"],
        title=r["title"],
        proposed_on=r["proposed_on"],
        terms=dict(r["terms"]),
        source=r["source"],
        option=r["option"],
        memorandum_id=r["memorandum_id"],
        signed_by=r["signed_by"],
        id=r["id"],
        recorded_at=as_utc(r["recorded_at"]),
        recorded_by=r["recorded_by"],
    )


def _response(r: RowMapping) -> ResponseRow:
    return ResponseRow(
        proposal_id=r["proposal_id"],
        party=r["party"],
        response=r["response"],
        responded_on=r["responded_on"],
        source=r["source"],
        note=r["note"],
        counter_proposal_id=r["counter_proposal_id"],
        signed_by=r["signed_by"],
        id=r["id"],
        recorded_at=as_utc(r["recorded_at"]),
        recorded_by=r["recorded_by"],
    )


def _commitment(r: RowMapping) -> CommitmentRow:
    from datetime import date

    m = r["metric"]
    return CommitmentRow(
        round_number=r["round_number"],
        label=r["label"],
        text=r["text"],
        parties=tuple(r["parties"]),
        metric=MetricRow(
            kind=m["kind"],
            since=date.fromisoformat(m["since"]) if m.get("since") else None,
            categories=tuple(m.get("categories", ())),
            side=m.get("side"),
            status=m.get("status"),
            until=date.fromisoformat(m["until"]) if m.get("until") else None,
        ),
        target_kind=r["target_kind"],
        target_low=r["target_low"],
        target_high=r["target_high"],
        deadline=r["deadline"],
        tolerance=r["tolerance"],
        source=r["source"],
        id=r["id"],
        recorded_at=as_utc(r["recorded_at"]),
        recorded_by=r["recorded_by"],
    )


def _claim(r: RowMapping) -> CommitmentClaimRow:
    return CommitmentClaimRow(
        commitment_id=r["commitment_id"],
        party=r["party"],
        value=r["value"],
        claimed_on=r["claimed_on"],
        source=r["source"],
        signed_by=r["signed_by"],
        id=r["id"],
        recorded_at=as_utc(r["recorded_at"]),
        recorded_by=r["recorded_by"],
    )
