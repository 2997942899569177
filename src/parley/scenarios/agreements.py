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

from parley.domain.accounts import Actor
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
    SectionRow,
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
_Point = tuple[int, int, str, tuple[str, ...], str, str, str]

UA_SECTIONS = (
    SectionRow(1, "Basic principles and the negotiation process"),
    SectionRow(2, "Agreement on a ceasefire and preparation of a leaders' meeting"),
    SectionRow(3, "Ceasefire"),
    SectionRow(4, "Confidence-building measures"),
    SectionRow(5, "The leaders' meeting"),
)
UA_POINTS: list[_Point] = [
    (
        1,
        1,
        "Security guarantees for Ukraine.",
        ("security_guarantees",),
        "supports",
        "security_guarantees_for_ukraine",
        "",
    ),
    (
        1,
        2,
        "No obligation of neutrality: the paths to the EU and NATO stay open.",
        ("alliances_neutrality",),
        "opposes",
        "neutrality",
        "",
    ),
    (
        1,
        3,
        "No limits on Ukraine's armed forces.",
        ("armed_forces",),
        "opposes",
        "limits_on_armed_forces",
        "",
    ),
    (
        1,
        4,
        "No limits on friendly foreign contingents in Ukraine.",
        ("foreign_troops",),
        "opposes",
        "no_third_country_troops",
        "",
    ),
    (
        1,
        5,
        "Occupied territory is not recognised as Russian; the contact line is the starting "
        "point for talks on territory.",
        ("territory",),
        "opposes",
        "recognition_of_territory",
        "",
    ),
    (
        1,
        6,
        "Sanctions eased gradually, with a mechanism to restore them (snapback).",
        ("sanctions",),
        "conditional",
        "sanctions_lifted",
        "",
    ),
    (
        2,
        1,
        "A ceasefire is agreed first, and a leaders' meeting prepared under it.",
        ("sequencing", "leaders_meeting"),
        "supports",
        "ceasefire_first",
        "",
    ),
    (
        3,
        1,
        "A full, unconditional ceasefire on land, in the air and at sea for at least "
        "30 days, extendable.",
        ("ceasefire",),
        "supports",
        "full_ceasefire",
        "",
    ),
    (
        3,
        2,
        "The ceasefire monitored with US leadership and third countries taking part.",
        ("ceasefire", "security_guarantees"),
        "supports",
        "third_party_monitoring",
        "",
    ),
    (4, 1, "Return of all deported children.", ("children",), "supports", "return_of_children", ""),
    (
        4,
        2,
        "An all-for-all exchange of prisoners.",
        ("prisoners",),
        "supports",
        "all_for_all_exchange",
        "",
    ),
    (4, 3, "Release of civilians.", ("civilians",), "supports", "release_of_civilians", ""),
    (5, 1, "A meeting of the leaders.", ("leaders_meeting",), "supports", "leaders_meeting", ""),
]

RU_SECTIONS = (
    SectionRow(1, "Settlement"),
    SectionRow(2, "Ceasefire (two options)"),
    SectionRow(3, "Sequence"),
)
RU_POINTS: list[_Point] = [
    (
        1,
        1,
        "Recognition of Crimea and four regions as Russian.",
        ("territory",),
        "supports",
        "recognition_of_territory",
        "",
    ),
    (
        1,
        2,
        "Neutrality of Ukraine and no membership of military alliances.",
        ("alliances_neutrality",),
        "supports",
        "neutrality",
        "",
    ),
    (
        1,
        3,
        "Non-nuclear status of Ukraine.",
        ("armed_forces", "security_guarantees"),
        "supports",
        "non_nuclear_status",
        "",
    ),
    (
        1,
        4,
        "Limits on Ukraine's armed forces.",
        ("armed_forces",),
        "supports",
        "limits_on_armed_forces",
        "",
    ),
    (1, 5, "Sanctions lifted.", ("sanctions",), "supports", "sanctions_lifted", ""),
    (1, 6, "Mutual waiver of claims.", ("other",), "supports", "mutual_waiver_of_claims", ""),
    (
        2,
        1,
        "A ceasefire once Ukrainian forces withdraw from the four regions.",
        ("ceasefire", "territory"),
        "conditional",
        "full_ceasefire",
        "option 1",
    ),
    (
        2,
        2,
        "A ceasefire as a package: no redeployment of forces.",
        ("ceasefire",),
        "conditional",
        "full_ceasefire",
        "option 2",
    ),
    (
        2,
        3,
        "Mobilisation stopped and martial law lifted.",
        ("ceasefire", "armed_forces"),
        "supports",
        "end_of_mobilisation",
        "option 2",
    ),
    (
        2,
        4,
        "Western arms supplies and intelligence to Ukraine stopped.",
        ("ceasefire", "alliances_neutrality"),
        "supports",
        "end_of_western_support",
        "option 2",
    ),
    (
        2,
        5,
        "No third-country troops in Ukraine.",
        ("foreign_troops", "ceasefire"),
        "supports",
        "no_third_country_troops",
        "option 2",
    ),
    (
        2,
        6,
        "A bilateral monitoring centre for the ceasefire.",
        ("ceasefire",),
        "opposes",
        "third_party_monitoring",
        "option 2",
    ),
    (
        2,
        7,
        "Elections within 100 days of martial law ending.",
        ("elections",),
        "supports",
        "early_elections",
        "option 2",
    ),
    (3, 1, "Drafting of a treaty.", ("sequencing",), "supports", "", ""),
    (
        3,
        2,
        "A truce of two to three days.",
        ("sequencing", "ceasefire", "remains"),
        "supports",
        "local_truce",
        "",
    ),
    (
        3,
        3,
        "Handover of 6,000 bodies.",
        ("sequencing", "remains"),
        "supports",
        "return_of_remains",
        "",
    ),
    (3, 4, "A memorandum on the ceasefire.", ("sequencing", "ceasefire"), "supports", "", ""),
    (
        3,
        5,
        "A 30-day ceasefire within which option 1 or option 2 is carried out.",
        ("sequencing", "ceasefire"),
        "conditional",
        "full_ceasefire",
        "",
    ),
    (3, 6, "Elections.", ("sequencing", "elections"), "supports", "early_elections", ""),
    (3, 7, "Signing of the treaty.", ("sequencing",), "supports", "", ""),
    (
        3,
        8,
        "A UN Security Council resolution.",
        ("sequencing", "security_guarantees"),
        "supports",
        "",
        "",
    ),
]

RU_SEQUENCE = [
    "Drafting of a treaty",
    "A truce of two to three days",
    "Handover of 6,000 bodies",
    "A memorandum on the ceasefire",
    "A 30-day ceasefire within which option 1 or option 2 is carried out",
    "Elections",
    "Signing",
    "A UN Security Council resolution",
]


def _points(rows: list[_Point]) -> list[PointRow]:
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
