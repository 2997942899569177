"""What the children track shows: a child's case, a list's progress, the matched answers."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from parley.domain.children import AnswerKind, ChildCase, Progress
from parley.services.children.answers import AnswersOutcome


class IdentityOut(BaseModel):
    given_name: str
    family_name: str
    patronymic: str
    born: date | None
    place_of_birth: str
    note: str


class RelativeOut(BaseModel):
    name: str
    relationship: str
    proof: str
    verified_by: str


class ChildEventOut(BaseModel):
    id: int | None
    kind: str
    on: date
    source: str
    data: dict[str, Any]
    recorded_by: str


class ChildCaseOut(BaseModel):
    id: int
    reference: str
    status: str
    identities: list[IdentityOut]
    relatives: list[RelativeOut]
    taken: dict[str, Any]
    custodian: dict[str, Any]
    mediator: str
    consent: str
    lists: list[str]
    answers: dict[str, str]
    closed_reason: str
    events: list[ChildEventOut]

    @classmethod
    def of(cls, case: ChildCase) -> ChildCaseOut:
        return cls(
            id=case.id,
            reference=case.reference,
            status=str(case.status),
            identities=[IdentityOut(**vars(i)) for i in case.identities],
            relatives=[RelativeOut(**vars(r)) for r in case.relatives],
            taken=case.taken,
            custodian=case.custodian,
            mediator=case.mediator,
            consent=case.consent,
            lists=case.lists,
            answers=case.answers,
            closed_reason=case.closed_reason,
            events=[
                ChildEventOut(
                    id=e.id,
                    kind=str(e.kind),
                    on=e.on,
                    source=e.source,
                    data=e.data,
                    recorded_by=e.recorded_by,
                )
                for e in case.events
            ],
        )


class ProgressOut(BaseModel):
    list_ref: str
    as_of: date
    listed: int
    answered: int
    located: int
    not_found: int
    refused: int
    returned: int
    reunited: int
    no_answer_after: int
    overdue_days: int

    @classmethod
    def of(cls, found: Progress) -> ProgressOut:
        return cls(**vars(found))


class AnswerIn(BaseModel):
    answer: AnswerKind
    surname: str
    given: str
    patronymic: str = ""
    born: date | None = None
    place_of_birth: str = ""
    institution: str = ""
    relative: str = ""
    note: str = ""


class AnswersIn(BaseModel):
    on: date
    source: str
    answers: list[AnswerIn]


class AnswersOut(BaseModel):
    list_ref: str
    answers: int
    matched: int
    case_ids: list[int | None]

    @classmethod
    def of(cls, outcome: AnswersOutcome) -> AnswersOut:
        ids = [m.case_id for m in outcome.matched]
        return cls(
            list_ref=outcome.list_ref,
            answers=len(ids),
            matched=sum(1 for i in ids if i is not None),
            case_ids=ids,
        )
