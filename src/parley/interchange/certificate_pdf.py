"""The certificate of a Mixed Medical Commission's decision to repatriate, as a PDF.

Annex II says those to be repatriated are given a certificate. It travels with the person
through places where nobody can look anything up, so it states the whole decision on its own —
who examined, when, what was found, which Annex I condition qualifies, how the members voted,
under which articles — and leaves room for each member to sign by hand.

Pure rendering from the domain's `Certificate`: no database, no framework. Fonts are found and
registered as for the printed list (DejaVu Sans, so Cyrillic names survive).
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from parley.domain.exchange.commissions import Certificate
from parley.interchange.pdf_fonts import NumberedCanvas, paragraph_text, pdf_fonts

PAGE = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 18 * mm

INK = colors.HexColor("#1b2631")
MUTED = colors.HexColor("#5d6d7e")
RULE = colors.HexColor("#aab7c4")
LABEL_FILL = colors.HexColor("#f4f6f8")
DECISION_GREEN = colors.HexColor("#1e6b3a")

KICKER = "GC III ANNEX II · MIXED MEDICAL COMMISSION"
SAFEGUARDS = (
    "No one may be repatriated against their will during hostilities (GC III art. 109).",
    "No repatriated person may be employed on active military service (GC III art. 117).",
)
SIGNATURE_LINES = (("Signature", 16 * mm), ("Date", 9 * mm))
"""Each member's box: a label and the height left to write in."""


def render_certificate(certificate: Certificate, issued_by: str = "", reference: str = "") -> bytes:
    """One certificate; the same certificate gives the same bytes (ReportLab's invariant mode).

    `issued_by` names the instance that printed it; `reference` ties the paper to the stored
    examination (e.g. "examination 12").
    """
    fonts = pdf_fonts()
    base = ParagraphStyle("base", fontName=fonts.regular, fontSize=10, leading=13, textColor=INK)
    styles = {
        "kicker": ParagraphStyle(
            "kicker", parent=base, fontName=fonts.bold, fontSize=8, leading=10, textColor=MUTED
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=fonts.bold, fontSize=16, leading=20, spaceAfter=4
        ),
        "heading": ParagraphStyle(
            "heading", parent=base, fontName=fonts.bold, fontSize=11.5, leading=14, spaceAfter=4
        ),
        "label": ParagraphStyle(
            "label", parent=base, fontName=fonts.bold, fontSize=8.5, leading=11, textColor=MUTED
        ),
        "body": base,
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=10, bulletIndent=2),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11),
    }
    width = PAGE[0] - 2 * MARGIN_X
    story: list[Flowable] = [
        Paragraph(KICKER, styles["kicker"]),
        Paragraph(paragraph_text(certificate.title), styles["title"]),
        Spacer(0, 3 * mm),
        _facts(certificate, issued_by, styles, width),
        Spacer(0, 5 * mm),
        Paragraph("Members of the commission", styles["heading"]),
        *(
            Paragraph(paragraph_text(m), styles["bullet"], bulletText="•")
            for m in certificate.members
        ),
        Spacer(0, 4 * mm),
        *(Paragraph(paragraph_text(s), styles["small"]) for s in SAFEGUARDS),
        _signatures(certificate, styles, width),
    ]

    def decorate(canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        left, right, bottom = MARGIN_X, PAGE[0] - MARGIN_X, 10 * mm
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(left, bottom + 4 * mm, right, bottom + 4 * mm)
        canvas.setFont(fonts.regular, 7.5)
        canvas.setFillColor(MUTED)
        where = " · ".join(
            p for p in (certificate.person_name, certificate.person_key, reference) if p
        )
        canvas.drawString(left, bottom, where)
        canvas.setFont(fonts.bold, 8)
        canvas.setFillColor(INK)
        canvas.drawRightString(right, bottom, f"Page {number} of {total}")
        canvas.restoreState()

    buffer = io.BytesIO()
    pdf = BaseDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{certificate.title}: {certificate.person_name}",
        author=certificate.commission,
        subject=certificate.decision.value,
        creator="Parley",
        invariant=1,
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        width,
        PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    pdf.addPageTemplates([PageTemplate(id="certificate", frames=[frame])])

    def canvasmaker(*args: Any, **kwargs: Any) -> Canvas:
        return NumberedCanvas(*args, decorate=decorate, **kwargs)

    pdf.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()


def _facts(
    certificate: Certificate, issued_by: str, styles: dict[str, ParagraphStyle], width: float
) -> Table:
    """The decision as label/value rows: what a reader at a checkpoint needs, in one box."""
    decision = (
        f'<font color="#{str(DECISION_GREEN.hexval())[2:]}"><b>'
        f"{paragraph_text(certificate.decision.value.upper())}</b></font> "
        f"({paragraph_text(certificate.decision_reason)})"
    )
    rows: list[tuple[str, str | Paragraph]] = [
        ("Person", f"{certificate.person_name}\nreference {certificate.person_key}"),
        ("Commission", certificate.commission),
        ("Examined on", certificate.examined_on.isoformat()),
        ("Findings", certificate.findings),
        (
            "Qualifying condition",
            f"{certificate.condition}\n(Annex I: {certificate.condition_description})",
        ),
        ("Decision", Paragraph(decision, styles["body"])),
        ("To be notified by", certificate.notify_by.isoformat()),
        ("Under", ", ".join(certificate.articles)),
        ("Issued on", certificate.issued_on.isoformat()),
    ]
    if issued_by:
        rows.append(("Issued by", issued_by))
    data = [
        [
            Paragraph(paragraph_text(label), styles["label"]),
            value
            if isinstance(value, Paragraph)
            else Paragraph(paragraph_text(value), styles["body"]),
        ]
        for label, value in rows
    ]
    label_w = 40 * mm
    table = Table(data, colWidths=[label_w, width - label_w], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("INNERGRID", (0, 0), (-1, -1), 0.3, RULE),
                ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def _signatures(
    certificate: Certificate, styles: dict[str, ParagraphStyle], width: float
) -> Flowable:
    """One box per member, side by side, so the three signatures sit on one level."""
    count = max(len(certificate.members), 1)
    gap = 5 * mm
    box_w = (width - gap * (count - 1)) / count
    widths: list[float] = []
    for i in range(count):
        widths += ([gap] if i else []) + [box_w]
    heading: list[Paragraph | str] = []
    lines: list[list[Paragraph | str]] = [[] for _ in SIGNATURE_LINES]
    for i, member in enumerate(certificate.members):
        pad: list[Paragraph | str] = [""] if i else []
        heading += [*pad, Paragraph(paragraph_text(member), styles["small"])]
        for row, (label, _height) in zip(lines, SIGNATURE_LINES, strict=True):
            row += [*pad, Paragraph(label, styles["label"])]
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]
    for i in range(len(certificate.members)):
        x = 2 * i
        style += [
            ("BACKGROUND", (x, 0), (x, 0), LABEL_FILL),
            ("BOX", (x, 0), (x, -1), 0.6, RULE),
            ("LINEBELOW", (x, 1), (x, -1), 0.5, INK),
        ]
    table = Table(
        [heading, *lines],
        colWidths=widths,
        rowHeights=[None, *(height for _label, height in SIGNATURE_LINES)],
        hAlign="LEFT",
    )
    table.setStyle(TableStyle(style))
    return KeepTogether(
        [
            Spacer(0, 7 * mm),
            Paragraph("Signatures of the members", styles["heading"]),
            Spacer(0, 2 * mm),
            table,
        ]
    )
