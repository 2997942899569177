"""A list as a printable PDF: the paper copy that travels beside the signed bundle.

Paper is checked by people, not programs, so every page carries what a reader needs to tie it
to the electronic list: the full SHA-256 digest of the list's canonical content, the signer's
key fingerprint and "Page N of M" (a missing page is visible). The last page leaves room for
the handwritten countersignatures of both parties and the mediator.

Pure rendering: no database, no framework. The fonts (DejaVu Sans, for Cyrillic) and the
"Page N of M" canvas are shared with the certificate, in `pdf_fonts`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    LongTable,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from parley.interchange.list_pdf_words import LIST_PDF_WORDS
from parley.interchange.pdf_fonts import NumberedCanvas, _Fonts, paragraph_text, pdf_fonts

PAGE = landscape(A4)


MARGIN_X = 14 * mm


MARGIN_TOP = 19 * mm


MARGIN_BOTTOM = 17 * mm


INK = colors.HexColor("#1b2631")


MUTED = colors.HexColor("#5d6d7e")


RULE = colors.HexColor("#aab7c4")


HEADER_FILL = colors.HexColor("#2c3e50")


ZEBRA = colors.HexColor("#eef2f6")


LABEL_FILL = colors.HexColor("#f4f6f8")


DRAFT_RED = colors.HexColor("#b03a2e")


SIGNED_GREEN = colors.HexColor("#1e6b3a")


CELL_SIZE = 7.5


CELL_LEADING = 9.2


CELL_PAD_X = 3.5


CELL_PAD_Y = 2.2


MAX_WORD_SHARE = 0.2


SIGNATURE_LINES = ("printed_name", "position", "signature", "date")
"""Keys of `LIST_PDF_WORDS`: the lines of each signature box."""


@dataclass(frozen=True)
class PrintableList:
    """Everything printed about one version of a list, already human-readable."""

    title: str
    purpose: str
    sender: str
    recipients: tuple[str, ...]
    category: str
    reference: str
    created_at: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    digest: str
    signer_fingerprint: str
    signed: bool
    notes: tuple[str, ...] = ()
    language: str = "en"
    """The language of the frame (labels, headings, page numbers): en or uk."""


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Shorten one line with an ellipsis so running headers never overprint each other."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _hex(color: colors.Color) -> str:
    """Colour as Paragraph markup wants it."""
    return "#" + str(color.hexval())[2:]


class _Layout:
    """Styles and flowables for one document; kept together so sizes agree everywhere."""

    def __init__(self, document: PrintableList, fonts: _Fonts) -> None:
        self.words = LIST_PDF_WORDS[document.language]
        self.doc = document
        self.fonts = fonts
        self.width = PAGE[0] - 2 * MARGIN_X
        base = ParagraphStyle(
            "base", fontName=fonts.regular, fontSize=9, leading=11.5, textColor=INK
        )
        self.title = ParagraphStyle(
            "title", parent=base, fontName=fonts.bold, fontSize=16, leading=20, spaceAfter=2
        )
        self.kicker = ParagraphStyle(
            "kicker", parent=base, fontName=fonts.bold, fontSize=8, leading=10, textColor=MUTED
        )
        self.heading = ParagraphStyle(
            "heading", parent=base, fontName=fonts.bold, fontSize=11, leading=14, spaceAfter=4
        )
        self.body = base
        self.label = ParagraphStyle(
            "label", parent=base, fontName=fonts.bold, fontSize=8, leading=10, textColor=MUTED
        )
        self.value = ParagraphStyle("value", parent=base, fontSize=9, leading=11.5)
        self.hex = ParagraphStyle("hex", parent=base, fontName=fonts.mono, fontSize=8.5)
        self.bullet = ParagraphStyle("bullet", parent=base, leftIndent=10, bulletIndent=2)
        self.cell = ParagraphStyle(
            "cell",
            parent=base,
            fontSize=CELL_SIZE,
            leading=CELL_LEADING,
            alignment=TA_LEFT,
            splitLongWords=1,
        )
        self.box_heading = ParagraphStyle(
            "box_heading", parent=base, fontSize=8, leading=10, textColor=INK
        )
        self.head_cell = ParagraphStyle(
            "head_cell", parent=self.cell, fontName=fonts.bold, textColor=colors.white
        )

    # First page ---------------------------------------------------------------------------

    def front_matter(self) -> list[Flowable]:
        doc = self.doc
        flow: list[Flowable] = [
            Paragraph(paragraph_text(doc.purpose.upper()), self.kicker),
            Paragraph(paragraph_text(doc.title), self.title),
            Spacer(0, 3 * mm),
            self.parties(),
        ]
        if doc.notes:
            flow += [Spacer(0, 4 * mm), Paragraph(self.words["notes"], self.heading)]
            flow += [Paragraph(paragraph_text(n), self.bullet, bulletText="•") for n in doc.notes]
        flow += [
            Spacer(0, 5 * mm),
            Paragraph(self.words["entries"].format(count=len(doc.rows)), self.heading),
        ]
        return flow

    def parties(self) -> Table:
        """Who sends what to whom: two label/value pairs a line, digest and key across."""
        doc = self.doc

        def label(text: str) -> Paragraph:
            return Paragraph(text, self.label)

        def value(text: str) -> Paragraph:
            return Paragraph(paragraph_text(text) or "—", self.value)

        status_text = (
            f'<font color="{_hex(SIGNED_GREEN)}">{self.words["signed"]}</font>'
            if doc.signed
            else f'<font color="{_hex(DRAFT_RED)}"><b>{self.words["not_signed"]}</b></font>'
        )
        data = [
            [
                label(self.words["sender"]),
                value(doc.sender),
                label(self.words["purpose"]),
                value(doc.purpose),
            ],
            [
                label(self.words["recipients"]),
                value("\n".join(doc.recipients)),
                label(self.words["category"]),
                value(doc.category),
            ],
            [
                label(self.words["reference"]),
                value(doc.reference),
                label(self.words["created"]),
                value(doc.created_at),
            ],
            [
                label(self.words["entries_label"]),
                value(str(len(doc.rows))),
                label(self.words["status"]),
                Paragraph(status_text, self.value),
            ],
            [label("SHA-256"), Paragraph(escape(doc.digest), self.hex), "", ""],
            [
                label(self.words["signer_key"]),
                Paragraph(escape(doc.signer_fingerprint), self.hex),
                "",
                "",
            ],
        ]
        label_w = 26 * mm
        value_w = (self.width - 2 * label_w) / 2
        table = Table(data, colWidths=[label_w, value_w, label_w, value_w], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("SPAN", (1, 4), (3, 4)),
                    ("SPAN", (1, 5), (3, 5)),
                    ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                    ("INNERGRID", (0, 0), (-1, -1), 0.3, RULE),
                    ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
                    ("BACKGROUND", (2, 0), (2, 3), LABEL_FILL),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("LEFTPADDING", (0, 0), (-1, -1), 5),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        return table

    # Entries ------------------------------------------------------------------------------

    def column_widths(self) -> list[float]:
        """Short columns get all they need; long ones share what is left and wrap.

        Each column needs at least its longest word (else words split) and would like its
        longest line. If everything fits, the spare width is shared in proportion; if not,
        the spare width above the minimums goes max-min fair, smallest need first.
        """
        doc = self.doc
        pad = 2 * CELL_PAD_X
        regular, bold = self.fonts.regular, self.fonts.bold
        total = self.width

        def width(text: str, font: str) -> float:
            return float(pdfmetrics.stringWidth(text, font, CELL_SIZE))

        natural: list[float] = []
        minimum: list[float] = []
        for i, header in enumerate(doc.columns):
            lines = [(line, bold) for line in header.split("\n")]
            lines += [(line, regular) for row in doc.rows for line in row[i].split("\n")]
            natural.append(max(width(text, font) for text, font in lines) + pad)
            longest_word = max(
                width(word, font) for text, font in lines for word in text.split() or [""]
            )
            # A freak long word (a pasted URL) splits rather than squeezing every other column.
            minimum.append(min(longest_word + pad, total * MAX_WORD_SHARE))
        if sum(natural) <= total:
            spare = total - sum(natural)
            return [n + spare * n / sum(natural) for n in natural]
        if sum(minimum) >= total:
            return [m * total / sum(minimum) for m in minimum]
        widths = list(minimum)
        remaining = total - sum(minimum)
        order = sorted(range(len(widths)), key=lambda i: natural[i] - minimum[i])
        for position, i in enumerate(order):
            give = min(natural[i] - minimum[i], remaining / (len(order) - position))
            widths[i] += give
            remaining -= give
        return widths

    def entries(self) -> Flowable:
        doc = self.doc
        if not doc.rows:
            return Paragraph(self.words["no_entries"], self.body)
        widths = self.column_widths()
        regular = self.fonts.regular

        def cell(text: str, column: int) -> str | Paragraph:
            # Plain strings are far cheaper than Paragraphs; only what must wrap pays for one.
            fits = pdfmetrics.stringWidth(text, regular, CELL_SIZE) <= widths[column] - (
                2 * CELL_PAD_X
            )
            return text if fits and "\n" not in text else Paragraph(paragraph_text(text), self.cell)

        data: list[list[str | Paragraph]] = [
            [Paragraph(paragraph_text(h), self.head_cell) for h in doc.columns]
        ]
        data += [[cell(text, i) for i, text in enumerate(row)] for row in doc.rows]
        style: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), regular),
            ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
            ("LEADING", (0, 0), (-1, -1), CELL_LEADING),
            ("TEXTCOLOR", (0, 1), (-1, -1), INK),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
            ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD_Y),
            ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD_Y + 0.8),
            ("BOX", (0, 0), (-1, -1), 0.6, RULE),
            ("INNERGRID", (0, 0), (-1, -1), 0.25, RULE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ]
        for i in range(len(doc.columns)):
            values = [row[i] for row in doc.rows if row[i]]
            if values and all(v.isdigit() for v in values):
                style.append(("ALIGN", (i, 1), (i, -1), "RIGHT"))
        return LongTable(
            data, colWidths=widths, repeatRows=1, style=TableStyle(style), splitInRow=1
        )

    # Signatures ---------------------------------------------------------------------------

    def signatures(self) -> Flowable:
        """The electronic signature's statement, then room to countersign by hand."""
        doc = self.doc
        if doc.signed:
            signed_with = self.words["signed_with"].format(key=escape(doc.signer_fingerprint))
            statement = (
                f'<font color="{_hex(SIGNED_GREEN)}"><b>{signed_with}</b></font><br/>'
                + self.words["signature_covers"]
            )
        else:
            statement = (
                f'<font color="{_hex(DRAFT_RED)}"><b>{self.words["not_signed"]}</b></font><br/>'
                + self.words["no_bundle"]
            )
        return KeepTogether(
            [
                Spacer(0, 6 * mm),
                Paragraph(self.words["signatures"], self.heading),
                Paragraph(statement, self.body),
                Spacer(0, 2 * mm),
                Paragraph(self.words["countersigned"].format(count=len(doc.rows)), self.body),
                Spacer(0, 4 * mm),
                self.signature_grid(),
            ]
        )

    def signature_grid(self) -> Table:
        """One box per party and the mediator, three abreast.

        All boxes are cells of one table, so a party whose name wraps makes its whole band
        taller and the signature lines of neighbouring boxes stay level.
        """
        doc = self.doc
        parties = [(self.words["sender"], doc.sender)]
        parties += [(self.words["recipient"], r) for r in doc.recipients]
        parties.append((self.words["mediator"], ""))
        per_band, label_w, gap = 3, 29 * mm, 7 * mm
        box_w = (self.width - gap * (per_band - 1)) / per_band
        widths = [label_w, box_w - label_w] + [gap, label_w, box_w - label_w] * (per_band - 1)
        band_rows = 1 + len(SIGNATURE_LINES)
        data: list[list[Flowable | str]] = []
        heights: list[float | None] = []
        style: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ]
        for band_start in range(0, len(parties), per_band):
            band = parties[band_start : band_start + per_band]
            top = len(data)
            heading: list[Flowable | str] = []
            for i in range(per_band):
                if i:
                    heading.append("")
                if i < len(band):
                    role, party = band[i]
                    text = f"<b>{role.upper()}</b>" + (
                        f"<br/>{paragraph_text(party)}" if party else ""
                    )
                    heading += [Paragraph(text, self.box_heading), ""]
                else:
                    heading += ["", ""]
            data.append(heading)
            heights.append(None)
            for line, height in zip(
                SIGNATURE_LINES, (9 * mm, 9 * mm, 15 * mm, 9 * mm), strict=True
            ):
                row: list[Flowable | str] = []
                for i in range(per_band):
                    row += ([""] if i else []) + (
                        [Paragraph(self.words[line], self.body), ""] if i < len(band) else ["", ""]
                    )
                data.append(row)
                heights.append(height)
            for i in range(len(band)):
                x = 3 * i
                bottom = top + band_rows - 1
                style += [
                    ("SPAN", (x, top), (x + 1, top)),
                    ("VALIGN", (x, top), (x + 1, top), "TOP"),
                    ("TOPPADDING", (x, top), (x + 1, top), 4),
                    ("BOTTOMPADDING", (x, top), (x + 1, top), 4),
                    ("BACKGROUND", (x, top), (x + 1, top), LABEL_FILL),
                    ("LINEBELOW", (x, top), (x + 1, top), 0.3, RULE),
                    ("BOX", (x, top), (x + 1, bottom), 0.6, RULE),
                    ("LINEBELOW", (x + 1, top + 1), (x + 1, bottom), 0.5, INK),
                ]
            if band_start + per_band < len(parties):
                data.append([""] * len(widths))
                heights.append(5 * mm)
        table = Table(data, colWidths=widths, rowHeights=heights, hAlign="LEFT")
        table.setStyle(TableStyle(style))
        return table

    # Every page ---------------------------------------------------------------------------

    def watermark(self, canvas: Canvas) -> None:
        """A draft must not pass for the signed list once it is photocopied or faxed."""
        canvas.saveState()
        canvas.setFillColor(DRAFT_RED)
        canvas.setFillAlpha(0.08)
        canvas.setFont(self.fonts.bold, 110)
        canvas.translate(PAGE[0] / 2, PAGE[1] / 2)
        canvas.rotate(28)
        canvas.drawCentredString(0, -38, self.words["draft"])
        canvas.restoreState()

    def decorate(self, canvas: Canvas, number: int, total: int) -> None:
        """Running header and footer: what the list is, its page, its digest and signer."""
        doc, fonts = self.doc, self.fonts
        left, right = MARGIN_X, PAGE[0] - MARGIN_X
        top = PAGE[1] - 9 * mm
        canvas.saveState()
        if not doc.signed:
            self.watermark(canvas)
        canvas.setFillColor(INK)
        page_text = self.words["page"].format(number=number, total=total)
        canvas.setFont(fonts.bold, 9)
        canvas.drawRightString(right, top, page_text)
        room = self.width - pdfmetrics.stringWidth(page_text, fonts.bold, 9) - 10 * mm
        canvas.drawString(left, top, _fit(doc.title, fonts.bold, 9, room))
        canvas.setFont(fonts.regular, 7.5)
        canvas.setFillColor(MUTED)
        sub = " · ".join(p for p in (doc.sender, doc.reference, doc.created_at) if p)
        canvas.drawString(left, top - 4 * mm, _fit(sub, fonts.regular, 7.5, self.width * 0.7))
        status, color = (
            (self.words["signed"], SIGNED_GREEN)
            if doc.signed
            else (self.words["not_signed"], DRAFT_RED)
        )
        canvas.setFont(fonts.bold, 7.5)
        canvas.setFillColor(color)
        canvas.drawRightString(right, top - 4 * mm, status)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(left, top - 6.5 * mm, right, top - 6.5 * mm)

        bottom = 7 * mm
        canvas.line(left, bottom + 6.5 * mm, right, bottom + 6.5 * mm)
        canvas.setFillColor(INK)
        canvas.setFont(fonts.bold, 7)
        canvas.drawString(left, bottom + 2.5 * mm, "SHA-256")
        canvas.setFont(fonts.mono, 7.5)
        canvas.drawString(left + 13 * mm, bottom + 2.5 * mm, doc.digest)
        key_w = pdfmetrics.stringWidth(doc.signer_fingerprint, fonts.mono, 7.5)
        canvas.drawRightString(right, bottom + 2.5 * mm, doc.signer_fingerprint)
        canvas.setFont(fonts.bold, 7)
        canvas.drawRightString(right - key_w - 2 * mm, bottom + 2.5 * mm, self.words["signer_key"])
        canvas.setFont(fonts.regular, 6.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(
            left,
            bottom - 0.8 * mm,
            self.words["compare"],
        )
        canvas.drawRightString(right, bottom - 0.8 * mm, page_text)
        canvas.restoreState()


def render_pdf(document: PrintableList) -> bytes:
    """Render the list; the same list gives the same bytes (ReportLab's invariant mode)."""
    for number, row in enumerate(document.rows, start=1):
        if len(row) != len(document.columns):
            raise ValueError(
                f"row {number} has {len(row)} cells for {len(document.columns)} columns"
            )
    if document.language not in LIST_PDF_WORDS:
        raise ValueError(f"no printed words for language '{document.language}'")
    layout = _Layout(document, pdf_fonts())
    buffer = io.BytesIO()
    pdf = BaseDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=document.title,
        author=document.sender,
        subject=document.digest,
        keywords=f"signer key {document.signer_fingerprint}",
        creator="Parley",
        invariant=1,
    )
    # No frame padding: the content's edges line up with the running header's rules.
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        layout.width,
        PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    pdf.addPageTemplates([PageTemplate(id="list", frames=[frame])])
    story = [*layout.front_matter(), layout.entries(), layout.signatures()]

    def canvasmaker(*args: Any, **kwargs: Any) -> Canvas:
        return NumberedCanvas(*args, decorate=layout.decorate, **kwargs)

    pdf.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()
