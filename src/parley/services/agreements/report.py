"""The round report: what the parties agreed at a round and what happened since, from the data.

Agreed points are the round's commitments and the common ground of the memoranda presented
there; proposals come with their fate; commitments with the figure computed as of the day, the
claims beside it and a chart. Markdown and PDF, in English or Ukrainian.
"""

from __future__ import annotations

from datetime import date

from parley.domain.accounts.accounts import Actor, Permission
from parley.domain.agreements import Overlap
from parley.services.accounts import log
from parley.services.agreements.fulfilment import Measure, evaluate, today
from parley.services.agreements.records import (
    compare,
    memorandum_view,
    proposal_view,
    require_round,
    round_view,
)
from parley.services.agreements.views import CommitmentView, MetricView, RoundReport, TargetView
from parley.services.uow import UnitOfWork

LANGUAGES = ("en", "uk")

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Round {number}: what was agreed, and what happened since",
        "as_of": "As of {day}",
        "held": "Held on {day} in {place}; host: {host}.",
        "delegations": "Delegations",
        "outcome": "Outcome",
        "sources": "Sources",
        "agreed": "What the parties agreed",
        "common": "Common ground in the memoranda",
        "exclusive": "Where the memoranda exclude each other",
        "proposals": "Proposals and their fate",
        "commitments": "Commitments and what happened since",
        "target": "Target",
        "deadline": "Deadline",
        "computed": "Computed from our records",
        "status": "Status",
        "claims": "Claims",
        "claim_line": "{party} says {value} ({day}; {source}); records: {recorded}; gap: {gap}",
        "none": "none",
        "not_available": "not available yet (the track is not built)",
        "proposed": "proposed by {party} on {day}",
        "fate": "fate",
        "disputes": "Disagreements beyond the tolerance of {tolerance}",
        "over": "over the ceiling",
        "day": "day",
        "figure": "figure",
        "all": "all sides",
        "chart": "Fulfilment over time",
        "claim": "{party} says",
    },
    "uk": {
        "title": "Раунд {number}: про що домовилися і що сталося відтоді",
        "as_of": "Станом на {day}",
        "held": "Відбувся {day}, {place}; приймала сторона: {host}.",
        "delegations": "Делегації",
        "outcome": "Підсумок",
        "sources": "Джерела",
        "agreed": "Про що сторони домовилися",
        "common": "Спільне в меморандумах",
        "exclusive": "Де меморандуми виключають одне одного",
        "proposals": "Пропозиції та їхня доля",
        "commitments": "Зобов'язання і що сталося відтоді",
        "target": "Ціль",
        "deadline": "Строк",
        "computed": "Обчислено з наших записів",
        "status": "Стан",
        "claims": "Заяви сторін",
        "claim_line": "{party} заявляє {value} ({day}; {source}); записи: {recorded}; "
        "розбіжність: {gap}",
        "none": "немає",
        "not_available": "ще недоступно (цей напрям ще не побудовано)",
        "proposed": "запропонувала сторона {party}, {day}",
        "fate": "доля",
        "disputes": "Розбіжності понад допуск {tolerance}",
        "over": "понад верхню межу",
        "day": "день",
        "figure": "кількість",
        "all": "усі сторони",
        "chart": "Виконання з часом",
        "claim": "{party} заявляє",
    },
}

CODES: dict[str, dict[str, str]] = {
    "uk": {
        "on_track": "виконується",
        "met": "виконано",
        "overdue": "прострочено",
        "disputed": "оспорюється",
        "not_available": "недоступно",
        "accepted": "прийнято",
        "rejected": "відхилено",
        "counter_proposal": "зустрічна пропозиція",
        "pending": "без відповіді",
        "at_least": "щонайменше",
        "at_most": "щонайбільше",
        "exactly": "рівно",
        "between": "від … до",
        "supports": "за",
        "opposes": "проти",
        "conditional": "за умов",
    }
}

_UK_METRIC = {
    "persons_returned": "повернуто осіб",
    "stages_held": "проведено етапів",
    "registry_count": "осіб у реєстрі",
    "bodies_received": "отримано тіл",
    "children_answers": "відповідей щодо дітей",
}


def target_text(language: str, target: TargetView) -> str:
    """The target in words; Ukrainian numbers keep the thin grouping the English commas mark."""
    if language != "uk":
        return target.description
    low = f"{target.low:,}".replace(",", " ") if target.low is not None else ""
    high = f"{target.high:,}".replace(",", " ") if target.high is not None else ""
    return {
        "at_least": f"щонайменше {low}",
        "at_most": f"щонайбільше {high}",
        "exactly": f"рівно {low}",
        "between": f"щонайменше {low}, до {high}",
    }.get(target.kind, target.description)


def metric_text(language: str, metric: MetricView) -> str:
    if language != "uk":
        return metric.description
    parts = [_UK_METRIC.get(metric.kind, metric.kind)]
    if metric.categories:
        parts.append("у категоріях " + ", ".join(c.replace("_", " ") for c in metric.categories))
    if metric.status:
        parts.append(f"зі статусом {metric.status}")
    if metric.side == "each":
        parts.append("з кожної сторони")
    elif metric.side:
        parts.append(f"сторони {metric.side}")
    if metric.since:
        parts.append(f"з {metric.since.isoformat()}")
    return " ".join(parts)


def say(language: str, key: str, **values: object) -> str:
    words = WORDS.get(language, WORDS["en"])
    return words.get(key, WORDS["en"][key]).format(**values)


def code(language: str, value: str) -> str:
    return CODES.get(language, {}).get(value, value.replace("_", " "))


def round_report(
    uow: UnitOfWork, actor: Actor, number: int, as_of: date | None = None
) -> RoundReport:
    actor.require(Permission.AGREEMENTS_READ)
    day = as_of or today()
    with uow:
        everything = uow.agreements.everything()
        row = require_round(everything, number)
        memoranda = [m for m in everything.memoranda if m.round_number == number]
        side = compare(everything, memoranda=[m.id for m in memoranda]) if memoranda else None
        positions = [p for t in (side.topics if side else []) for p in t.positions]
        unique = {p.position: p for p in positions}
        measure = Measure(uow)
        report = RoundReport(
            round=round_view(row),
            as_of=day,
            memoranda=[memorandum_view(everything, m.id) for m in memoranda],
            common_ground=[p for p in unique.values() if p.overlap == Overlap.COMMON.value],
            exclusive=[p for p in unique.values() if p.overlap == Overlap.EXCLUSIVE.value],
            proposals=[
                proposal_view(everything, p.id)
                for p in everything.proposals
                if p.round_number == number
            ],
            commitments=[
                evaluate(everything, c, measure, day)
                for c in everything.commitments
                if c.round_number == number
            ],
        )
        log(uow, actor, "agreement.report", "agreement_round", [row.id], as_of=day.isoformat())
        uow.commit()
        return report


def _figure(commitment: CommitmentView, language: str) -> str:
    if commitment.value is None:
        return say(language, "not_available")
    sides = ", ".join(f"{s}: {v:,}" for s, v in sorted(commitment.by_side.items()))
    text = f"{commitment.value:,}" + (f" ({sides})" if sides else "")
    if commitment.over_ceiling:
        text += f" — {say(language, 'over')}"
    return text


def claim_lines(commitment: CommitmentView, language: str) -> list[str]:
    none = say(language, "none")
    return [
        say(
            language,
            "claim_line",
            party=c.party,
            value=f"{c.value:,}",
            day=c.claimed_on.isoformat(),
            source=c.source,
            recorded=none if c.recorded is None else f"{c.recorded:,}",
            gap=none if c.gap is None else f"{c.gap:+,}",
        )
        for c in commitment.claims
    ]


def render_markdown(report: RoundReport, language: str = "en") -> str:
    r = report.round
    lines = [
        f"# {say(language, 'title', number=r.number)}",
        "",
        f"*{say(language, 'as_of', day=report.as_of.isoformat())}*",
        "",
        say(language, "held", day=r.held_on.isoformat(), place=r.place, host=r.host),
        "",
    ]
    if r.delegations:
        heads = "; ".join(f"{d.party}: {d.head}" for d in r.delegations)
        lines += [f"**{say(language, 'delegations')}:** {heads}", ""]
    lines += [f"**{say(language, 'outcome')}:** {r.outcome}", ""]
    if r.sources:
        lines += [f"**{say(language, 'sources')}:** {'; '.join(r.sources)}", ""]
    lines += [f"## {say(language, 'agreed')}", ""]
    for c in report.commitments:
        lines.append(f"- **{c.label}**: {c.text}")
    if not report.commitments:
        lines.append(f"- {say(language, 'none')}")
    lines.append("")
    if report.common_ground or report.exclusive:
        lines += [f"### {say(language, 'common')}", ""]
        lines += [f"- {p.position.replace('_', ' ')}" for p in report.common_ground] or [
            f"- {say(language, 'none')}"
        ]
        lines += ["", f"### {say(language, 'exclusive')}", ""]
        for p in report.exclusive:
            stances = "; ".join(
                f"{k}: {', '.join(code(language, x) for x in v)}"
                for k, v in sorted(p.stances.items())
            )
            lines.append(f"- {p.position.replace('_', ' ')} ({stances})")
        lines.append("")
    lines += [f"## {say(language, 'proposals')}", ""]
    for proposal in report.proposals:
        option = f" [{proposal.option}]" if proposal.option else ""
        by = say(language, "proposed", party=proposal.party, day=proposal.proposed_on)
        lines.append(
            f"- **{proposal.title}**{option} — {by}"
            f"; {say(language, 'fate')}: **{code(language, proposal.fate)}**"
        )
        for answer in proposal.responses:
            note = f" — {answer.note}" if answer.note else ""
            lines.append(
                f"  - {answer.party}, {answer.responded_on}: {code(language, answer.response)}"
                f"{note} ({answer.source})"
            )
    lines += ["", f"## {say(language, 'commitments')}", ""]
    for c in report.commitments:
        lines += [
            f"### {c.label}",
            "",
            f"- {say(language, 'target')}: {target_text(language, c.target)}"
            + (f"; {say(language, 'deadline')}: {c.deadline}" if c.deadline else ""),
            f"- {say(language, 'computed')} ({metric_text(language, c.metric)}): "
            f"{_figure(c, language)}",
            f"- {say(language, 'status')}: **{code(language, c.status)}**",
        ]
        claims = claim_lines(c, language)
        if claims:
            lines.append(f"- {say(language, 'claims')}:")
            lines += [f"  - {line}" for line in claims]
        if c.disputes:
            lines.append(
                f"- {say(language, 'disputes', tolerance=c.tolerance)}: {', '.join(c.disputes)}"
            )
        lines.append("")
    return "\n".join(lines)


def chart_words(language: str) -> dict[str, str]:
    return {
        "day": say(language, "day"),
        "persons": say(language, "figure"),
        "target": say(language, "target"),
        "all": say(language, "all"),
        "claim": WORDS.get(language, WORDS["en"])["claim"],
    }
