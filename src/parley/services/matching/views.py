"""What the matching track shows: runs, their entries and candidates, models.

The API returns these; `of` builds each from the rows the matching repository gives.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from parley.services.matching.rows import CandidateRow, EntryRow, ModelRow, RunRow


class RunOut(BaseModel):
    id: int
    kind: str
    source_name: str
    entries: int
    accept_threshold: float
    review_threshold: float
    counts: dict[str, int]
    created_by: str
    model_id: int

    @classmethod
    def of(cls, run: RunRow) -> RunOut:
        return cls(
            id=run.id,
            kind=run.kind,
            source_name=run.source_name,
            entries=run.entries,
            accept_threshold=run.accept_threshold,
            review_threshold=run.review_threshold,
            counts=run.counts,
            created_by=run.created_by,
            model_id=run.model_id,
        )


class FieldOut(BaseModel):
    field: str
    level: str
    weight: float
    entry_value: str
    person_value: str


class CandidateOut(BaseModel):
    person_id: int
    rank: int
    probability: float
    weight: float
    fields: list[FieldOut]


class EntryOut(BaseModel):
    entry_id: int
    row: int
    entry: dict[str, Any]
    outcome: str
    person_id: int | None
    probability: float | None
    candidates: list[CandidateOut]


class EntriesOut(BaseModel):
    """A page of a run's entries: what the API returns and `parley match results --json` prints."""

    items: list[EntryOut]
    total: int
    offset: int
    limit: int

    @classmethod
    def of(
        cls, rows: list[tuple[EntryRow, list[CandidateRow]]], total: int, offset: int, limit: int
    ) -> EntriesOut:
        return cls(
            total=total,
            offset=offset,
            limit=limit,
            items=[
                EntryOut(
                    entry_id=e.id,
                    row=e.row,
                    entry=e.entry,
                    outcome=e.outcome.value,
                    person_id=e.person_id,
                    probability=e.probability,
                    candidates=[
                        CandidateOut(
                            person_id=c.person_id,
                            rank=c.rank,
                            probability=c.probability,
                            weight=c.weight,
                            fields=[FieldOut(**f) for f in c.fields],
                        )
                        for c in cs
                    ],
                )
                for e, cs in rows
            ],
        )


class ModelOut(BaseModel):
    id: int
    training_source: str
    registry_size: int

    @classmethod
    def of(cls, model: ModelRow) -> ModelOut:
        return cls(
            id=model.id, training_source=model.training_source, registry_size=model.registry_size
        )
