"""The round report as PDF (ReportLab, with a font that has Cyrillic), charts as PNG images."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, Paragraph, SimpleDocTemplate, Spacer

from parley.interchange.pdf_fonts import pdf_fonts
from parley.services.agreements.chart import fulfilment_png
from parley.services.agreements.report import (
    _figure,
    chart_words,
    claim_lines,
    code,
    metric_text,
    say,
    target_text,
)
from parley.services.agreements.views import RoundReport


def render_pdf(report: RoundReport, language: str = "en") -> bytes:
    fonts = pdf_fonts()
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=9.5, leading=13)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, leftIndent=10)
    h1 = ParagraphStyle("h1", parent=body, fontName=fonts.bold, fontSize=15, leading=19)
    h2 = ParagraphStyle(
        "h2", parent=body, fontName=fonts.bold, fontSize=12, leading=16, spaceBefore=8
    )
    h3 = ParagraphStyle(
        "h3",
        parent=body,
        fontName=fonts.bold,
        fontSize=10.5,
        leading=14,
        spaceBefore=6,
        textColor=colors.HexColor("#1a3a5c"),
    )

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text), style)

    r = report.round
    story: list[Flowable] = [
        p(say(language, "title", number=r.number), h1),
        p(say(language, "as_of", day=report.as_of.isoformat()), small),
        Spacer(1, 4 * mm),
        p(say(language, "held", day=r.held_on.isoformat(), place=r.place, host=r.host)),
    ]
    if r.delegations:
        heads = "; ".join(f"{d.party}: {d.head}" for d in r.delegations)
        story.append(p(f"{say(language, 'delegations')}: {heads}"))
    story.append(p(f"{say(language, 'outcome')}: {r.outcome}"))
    if r.sources:
        story.append(p(f"{say(language, 'sources')}: {'; '.join(r.sources)}", small))
    story.append(p(say(language, "agreed"), h2))
    for c in report.commitments:
        story.append(p(f"• {c.label}: {c.text}"))
    if report.common_ground:
        story.append(p(say(language, "common"), h3))
        story.append(p(", ".join(x.position.replace("_", " ") for x in report.common_ground)))
    if report.exclusive:
        story.append(p(say(language, "exclusive"), h3))
        for x in report.exclusive:
            stances = "; ".join(
                f"{k}: {', '.join(code(language, v) for v in said)}"
                for k, said in sorted(x.stances.items())
            )
            story.append(p(f"• {x.position.replace('_', ' ')} ({stances})"))
    story.append(p(say(language, "proposals"), h2))
    for pr in report.proposals:
        option = f" [{pr.option}]" if pr.option else ""
        story.append(
            p(
                f"• {pr.title}{option} — "
                f"{say(language, 'proposed', party=pr.party, day=pr.proposed_on)}"
                f"; {say(language, 'fate')}: {code(language, pr.fate)}"
            )
        )
        for answer in pr.responses:
            note = f" — {answer.note}" if answer.note else ""
            story.append(
                p(
                    f"{answer.party}, {answer.responded_on}: "
                    f"{code(language, answer.response)}{note}",
                    small,
                )
            )
    story.append(p(say(language, "commitments"), h2))
    words = chart_words(language)
    for c in report.commitments:
        story.append(p(c.label, h3))
        deadline = f"; {say(language, 'deadline')}: {c.deadline}" if c.deadline else ""
        story.append(p(f"{say(language, 'target')}: {target_text(language, c.target)}{deadline}"))
        story.append(
            p(
                f"{say(language, 'computed')} ({metric_text(language, c.metric)}): "
                f"{_figure(c, language)}"
            )
        )
        story.append(p(f"{say(language, 'status')}: {code(language, c.status)}"))
        for line in claim_lines(c, language):
            story.append(p(f"– {line}", small))
        if c.disputes:
            story.append(
                p(
                    f"{say(language, 'disputes', tolerance=c.tolerance)}: {', '.join(c.disputes)}",
                    small,
                )
            )
        png = fulfilment_png(c, words)
        if png:
            image = Image(io.BytesIO(png))
            ratio = 160 * mm / image.imageWidth
            image.drawWidth, image.drawHeight = 160 * mm, image.imageHeight * ratio
            story += [Spacer(1, 2 * mm), image]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=say(language, "title", number=r.number),
    ).build(story)
    return buffer.getvalue()
