"""The certificate of a Mixed Medical Commission's decision to repatriate, as a PDF.

Annex II says those to be repatriated are given a certificate. It travels with the person
through places where nobody can look anything up, so it states the whole decision on its own —
who examined, when, what was found, which Annex I condition qualifies, how the members voted,
under which articles — and leaves room for each member to sign by hand.

Pure rendering from the domain's `Certificate`: no database, no framework. Fonts are found and
registered as for the printed list (DejaVu Sans, so Cyrillic names survive). It prints in
English or Ukrainian (`certificate_pdf_words`); a Ukrainian one keeps the English of each label.
"""

from __future__ import annotations

import io
import re
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
from parley.interchange.certificate_pdf_words import CERTIFICATE_LANGUAGES, CERTIFICATE_WORDS
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

SIGNATURE_LINES = (("signature", 16 * mm), ("date", 9 * mm))
"""Each member's box: a label (a key of the words) and the height left to write in."""
_TALLY = re.compile(r"^(\d) of 3 votes for repatriate$")


class _Words:
    """The certificate's words in one language; `label` adds the English beneath, small."""

    def __init__(self, language: str) -> None:
        if language not in CERTIFICATE_LANGUAGES:
            raise ValueError(f"no printed words for language '{language}'")
        self.language = language
        self.said = CERTIFICATE_WORDS[language]
        self.english = CERTIFICATE_WORDS["en"]

    def __call__(self, key: str, **values: object) -> str:
        return self.said[key].format(**values)

    def label(self, key: str) -> str:
        """Paragraph markup: the label, and in Ukrainian its English under it."""
        text = paragraph_text(self.said[key])
        if self.language == "en":
            return text
        return f'{text}<br/><font size="6.5">{paragraph_text(self.english[key])}</font>'

    def member(self, described: str) -> str:
        """`Dr A (CH), neutral, surgeon, chair` with the roles in this language; the name and
        party as recorded."""
        head, bracket, roles = described.rpartition(")")
        if not bracket:
            return described
        parts = [r.strip() for r in roles.split(",") if r.strip()]
        return ", ".join([head + bracket, *(self.said.get(r, r) for r in parts)])

    def tally(self, reason: str) -> str:
        found = _TALLY.match(reason)
        return self("tally", count=found.group(1)) if found else reason


def render_certificate(
    certificate: Certificate, issued_by: str = "", reference: str = "", language: str = "en"
) -> bytes:
    """One certificate; the same certificate gives the same bytes (ReportLab's invariant mode).

    `issued_by` names the instance that printed it; `reference` ties the paper to the stored
    examination (e.g. "examination 12"); `language` is en or uk.
    """
    words = _Words(language)
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
        Paragraph(paragraph_text(words("kicker")), styles["kicker"]),
        Paragraph(paragraph_text(words("title")), styles["title"]),
        Spacer(0, 3 * mm),
        _facts(certificate, issued_by, styles, width, words),
        Spacer(0, 5 * mm),
        Paragraph(words.label("members"), styles["heading"]),
        *(
            Paragraph(paragraph_text(words.member(m)), styles["bullet"], bulletText="•")
            for m in certificate.members
        ),
        Spacer(0, 4 * mm),
        *(
            Paragraph(paragraph_text(words(s)), styles["small"])
            for s in ("safeguard_will", "safeguard_service")
        ),
        _signatures(certificate, styles, width, words),
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
        canvas.drawRightString(right, bottom, words("page", number=number, total=total))
        canvas.restoreState()

    buffer = io.BytesIO()
    pdf = BaseDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=f"{words('title')}: {certificate.person_name}",
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
    certificate: Certificate,
    issued_by: str,
    styles: dict[str, ParagraphStyle],
    width: float,
    words: _Words,
) -> Table:
    """The decision as label/value rows: what a reader at a checkpoint needs, in one box."""
    decision = (
        f'<font color="#{str(DECISION_GREEN.hexval())[2:]}"><b>'
        f"{paragraph_text(words('repatriate'))}</b></font> "
        f"({paragraph_text(words.tally(certificate.decision_reason))})"
    )
    family = certificate.condition.partition(":")[0].strip()
    description = words.said.get(family, certificate.condition_description)
    rows: list[tuple[str, str | Paragraph]] = [
        (
            "person",
            f"{certificate.person_name}\n{words('reference', person=certificate.person_key)}",
        ),
        ("commission", certificate.commission),
        ("examined_on", certificate.examined_on.isoformat()),
        ("findings", certificate.findings),
        (
            "condition",
            f"{certificate.condition}\n({words('annex', description=description)})",
        ),
        ("decision", Paragraph(decision, styles["body"])),
        ("notify_by", certificate.notify_by.isoformat()),
        ("under", ", ".join(words.said.get(a, a) for a in certificate.articles)),
        ("issued_on", certificate.issued_on.isoformat()),
    ]
    if issued_by:
        rows.append(("issued_by", issued_by))
    data = [
        [
            Paragraph(words.label(label), styles["label"]),
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
    certificate: Certificate, styles: dict[str, ParagraphStyle], width: float, words: _Words
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
        heading += [*pad, Paragraph(paragraph_text(words.member(member)), styles["small"])]
        for row, (label, _height) in zip(lines, SIGNATURE_LINES, strict=True):
            row += [*pad, Paragraph(paragraph_text(words(label)), styles["label"])]
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
            Paragraph(words.label("signatures"), styles["heading"]),
            Spacer(0, 2 * mm),
            table,
        ]
    )
