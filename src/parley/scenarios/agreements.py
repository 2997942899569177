"""The Istanbul rounds of 2025 as agreements data: rounds 1-3, both memoranda, the ceasefire
and meeting proposals with their responses, the commitments bound to the demo's own records,
and the parties' published claims.

Facts follow `shared/reference/istanbul-2025.md`: each figure is a claim by its party, with its
date and source. Memorandum points are neutral summaries of what was reported, not quotations.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from parley.domain.accounts.accounts import Actor
from parley.scenarios.istanbul_memoranda import (
    RU_POINTS,
    RU_SECTIONS,
    RU_SEQUENCE,
    UA_POINTS,
    UA_SECTIONS,
    Point,
)
from parley.services import agreements
from parley.services.agreements.rows import (
    CommitmentClaimRow,
    CommitmentRow,
    Delegation,
    MemorandumRow,
    MetricRow,
    PointRow,
    ProposalRow,
    ResponseRow,
    RoundRow,
)
from parley.services.uow import UnitOfWork

PRESS = "press reports"
ROUND_1 = date(2025, 5, 16)
ROUND_2 = date(2025, 6, 2)
ROUND_3 = date(2025, 7, 23)
YOUNG = "aged_18_25"
WOUNDED = "seriously_wounded_or_sick"
MAY_CATEGORIES = ("military_prisoners", "civilian_detainees")


def _delegations() -> tuple[Delegation, ...]:
    return (Delegation("UA", "Rustem Umerov"), Delegation("RU", "Vladimir Medinsky"))


ROUNDS = [
    RoundRow(
        1,
        ROUND_1,
        "Istanbul (Dolmabahçe Palace)",
        "Türkiye",
        _delegations(),
        "Agreed a 1,000-for-1,000 prisoner exchange; agreed to exchange written ceasefire "
        "visions (memoranda).",
        (PRESS,),
    ),
    RoundRow(
        2,
        ROUND_2,
        "Istanbul (Çırağan Palace)",
        "Türkiye",
        _delegations(),
        "Memoranda exchanged; all-for-all exchange by category (seriously wounded and sick; "
        "aged 18-25), at least 1,000 in total, up to 1,200; medical commissions; regular "
        "stages; 6,000 bodies to be returned; a list of 339 children handed over. Ukraine "
        "proposed a leaders' meeting between 20 and 30 June; Russia proposed 2-3 day local "
        "truces to collect the dead.",
        (PRESS,),
    ),
    RoundRow(
        3,
        ROUND_3,
        "Istanbul (Çırağan Palace)",
        "Türkiye",
        _delegations(),
        "At least 1,200 more prisoners per side; Russia offered 3,000 more bodies and 24-48 h "
        "local truces; three online working groups proposed; Ukraine proposed a leaders' "
        "meeting by the end of August.",
        (PRESS,),
    ),
]


# (section, number, text, topics, stance, position, option)
def _points(rows: list[Point]) -> list[PointRow]:
    return [
        PointRow(s, n, text, topics, stance, position, option)
        for s, n, text, topics, stance, position, option in rows
    ]


def _ceasefire(**terms: Any) -> dict[str, Any]:
    return terms


def record_istanbul(uow: Callable[[], UnitOfWork], actor: Actor) -> dict[str, int]:
    """Everything above, into one instance; returns the ids the demo and tests refer to."""
    ids: dict[str, int] = {}
    for row in ROUNDS:
        agreements.record_round(uow(), actor, row)
    ua = agreements.record_memorandum(
        uow(),
        actor,
        MemorandumRow("UA", 2, "Ukraine's memorandum", ROUND_2, UA_SECTIONS, (PRESS,)),
        _points(UA_POINTS),
    )
    ru = agreements.record_memorandum(
        uow(),
        actor,
        MemorandumRow("RU", 2, "Russia's memorandum", ROUND_2, RU_SECTIONS, (PRESS,)),
        _points(RU_POINTS),
    )
    ids["memorandum:UA"], ids["memorandum:RU"] = ua.id, ru.id

    def propose(key: str, row: ProposalRow) -> int:
        ids[key] = agreements.record_proposal(uow(), actor, row).id
        return ids[key]

    full = propose(
        "ceasefire:UA",
        ProposalRow(
            "ceasefire",
            "UA",
            2,
            "Full, unconditional ceasefire",
            ROUND_2,
            _ceasefire(
                domains=["land", "air", "sea"],
                duration_days=30,
                extension="extendable",
                conditions="unconditional",
                geography="full_front",
                monitoring="US-led, with third countries",
            ),
            PRESS,
            memorandum_id=ua.id,
        ),
    )
    propose(
        "ceasefire:RU:1",
        ProposalRow(
            "ceasefire",
            "RU",
            2,
            "Ceasefire, option 1",
            ROUND_2,
            _ceasefire(
                duration_days=30,
                geography="full_front",
                conditions="Ukrainian forces withdraw from the four regions",
            ),
            PRESS,
            option="option 1",
            memorandum_id=ru.id,
        ),
    )
    propose(
        "ceasefire:RU:2",
        ProposalRow(
            "ceasefire",
            "RU",
            2,
            "Ceasefire, option 2 (package)",
            ROUND_2,
            _ceasefire(
                duration_days=30,
                geography="full_front",
                conditions="no redeployment; mobilisation stopped and martial law "
                "lifted; Western arms and intelligence stopped; no third-country "
                "troops; elections within 100 days of martial law ending",
                monitoring="a bilateral monitoring centre",
            ),
            PRESS,
            option="option 2",
            memorandum_id=ru.id,
        ),
    )
    truce = propose(
        "truce:RU:2",
        ProposalRow(
            "ceasefire",
            "RU",
            2,
            "Local truces to collect the dead",
            ROUND_2,
            _ceasefire(
                duration_days=2,
                extension="2-3 days",
                geography="local",
                purpose="to collect the dead",
            ),
            PRESS,
            memorandum_id=ru.id,
        ),
    )
    agreements.record_response(
        uow(),
        actor,
        ResponseRow(
            full,
            "RU",
            "counter_proposal",
            ROUND_2,
            PRESS,
            "Russia refused a full ceasefire and proposed a two-day truce on parts of "
            "the front to collect the dead.",
            truce,
        ),
    )
    propose(
        "truce:RU:3",
        ProposalRow(
            "ceasefire",
            "RU",
            3,
            "Local truces of 24-48 hours",
            ROUND_3,
            _ceasefire(duration_hours=48, geography="local", purpose="to collect the dead"),
            PRESS,
        ),
    )
    propose(
        "meeting:UA:2",
        ProposalRow(
            "meeting",
            "UA",
            2,
            "Leaders' meeting",
            ROUND_2,
            {
                "window_from": "2025-06-20",
                "window_to": "2025-06-30",
                "format": "leaders' meeting, not necessarily in person",
                "participants": ["President of Ukraine", "President of Russia"],
            },
            PRESS,
        ),
    )
    propose(
        "meeting:UA:3",
        ProposalRow(
            "meeting",
            "UA",
            3,
            "Leaders' meeting by the end of August",
            ROUND_3,
            {
                "window_from": "2025-07-23",
                "window_to": "2025-08-31",
                "format": "leaders' meeting",
                "participants": ["President of Ukraine", "President of Russia"],
            },
            PRESS,
        ),
    )

    def commit(key: str, row: CommitmentRow) -> int:
        ids[key] = agreements.record_commitment(uow(), actor, row).id
        return ids[key]

    commit(
        "1000-for-1000",
        CommitmentRow(
            1,
            "1,000 for 1,000",
            "A 1,000-for-1,000 prisoner exchange.",
            ("UA", "RU"),
            MetricRow("persons_returned", ROUND_1, MAY_CATEGORIES, "each", None, date(2025, 5, 31)),
            "exactly",
            1000,
            None,
            None,
            0,
            PRESS,
        ),
    )
    all_for_all = commit(
        "all-for-all",
        CommitmentRow(
            2,
            "All for all: wounded and sick, aged 18-25",
            "An all-for-all exchange of every seriously wounded or sick prisoner and every "
            "young soldier aged 18-25, in equal numbers: at least 1,000 in total, up to 1,200.",
            ("UA", "RU"),
            MetricRow("persons_returned", ROUND_2, (WOUNDED, YOUNG), "each"),
            "between",
            1000,
            1200,
            None,
            0,
            PRESS,
        ),
    )
    bodies = commit(
        "6000-bodies",
        CommitmentRow(
            2,
            "6,000 bodies",
            "Russia hands over 6,000 bodies within a week.",
            ("RU",),
            MetricRow("bodies_received", ROUND_2),
            "at_least",
            6000,
            None,
            date(2025, 6, 9),
            50,
            PRESS,
        ),
    )
    children = commit(
        "339-children",
        CommitmentRow(
            2,
            "The list of 339 children",
            "Russia answers on every child of the list of 339 Ukraine handed over.",
            ("RU",),
            MetricRow("children_answers", ROUND_2),
            "exactly",
            339,
            None,
            None,
            0,
            PRESS,
        ),
    )
    commit(
        "1200-more",
        CommitmentRow(
            3,
            "1,200 more per side",
            "At least 1,200 more prisoners per side.",
            ("UA", "RU"),
            MetricRow("persons_returned", ROUND_3, (), "each"),
            "at_least",
            1200,
            None,
            None,
            0,
            PRESS,
        ),
    )
    claims = [
        (
            all_for_all,
            "UA",
            1000,
            ROUND_3,
            "Ukraine's president, 23 July 2025: more than 1,000 returned since round 2",
        ),
        (bodies, "UA", 6057, date(2025, 6, 16), "Ukraine's Coordination Headquarters"),
        (bodies, "RU", 6060, date(2025, 6, 16), "Russia's negotiator"),
        (children, "RU", 339, ROUND_3, "Russia, 23 July 2025: the list is fully processed"),
        (
            children,
            "UA",
            67,
            date(2025, 7, 24),
            "Ukraine, 24 July 2025: answers for fewer than one fifth of the names (stored as "
            "the upper bound, 67)",
        ),
    ]
    for commitment_id, party, value, on, source in claims:
        agreements.record_claim(
            uow(), actor, CommitmentClaimRow(commitment_id, party, value, on, source)
        )
    ids["sequence:RU"] = agreements.record_proposal(
        uow(),
        actor,
        ProposalRow(
            "sequence",
            "RU",
            2,
            "Russia's sequence (section 3)",
            ROUND_2,
            {
                "steps": [
                    {
                        "text": text,
                        "proposal_id": truce if n == 2 else None,
                        "commitment_id": bodies if n == 3 else None,
                    }
                    for n, text in enumerate(RU_SEQUENCE, start=1)
                ]
            },
            PRESS,
            memorandum_id=ru.id,
        ),
    ).id
    return ids
