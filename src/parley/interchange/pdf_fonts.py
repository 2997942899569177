"""What every PDF Parley prints shares: the embedded fonts and the "Page N of M" canvas.

Names are Cyrillic as often as Latin, and the PDF core fonts have no Cyrillic, so a TrueType
font that has it (DejaVu Sans) is found and embedded; without it rendering stops with a message
that says where to put it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT_DIR_ENV = "PARLEY_PDF_FONT_DIR"
"""A directory holding DejaVuSans.ttf and DejaVuSans-Bold.ttf; when set, the only place looked."""


FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu: package fonts-dejavu-core
    Path("/usr/share/fonts/dejavu-sans-fonts"),  # Fedora
    Path("/usr/share/fonts/dejavu"),  # Alpine
    Path("/usr/share/fonts/TTF"),  # Arch
    Path("/usr/local/share/fonts"),
)


REGULAR_FILE = "DejaVuSans.ttf"


BOLD_FILE = "DejaVuSans-Bold.ttf"


MONO_FILE = "DejaVuSansMono.ttf"  # optional: hex reads better in mono, Sans stands in without it


class PdfFontMissing(RuntimeError):
    """No font with Cyrillic was found: a deployment fault, not a fault of the list."""


@dataclass(frozen=True)
class _Fonts:
    regular: str
    bold: str
    mono: str


_registered: dict[Path, str] = {}


_registry_lock = threading.Lock()  # the web layer may render from several threads at once


def _font_dirs() -> tuple[Path, ...]:
    override = os.environ.get(FONT_DIR_ENV)
    return (Path(override),) if override else FONT_DIRS


def _find(file_name: str, dirs: Sequence[Path]) -> Path | None:
    return next((d / file_name for d in dirs if (d / file_name).is_file()), None)


def _register(path: Path) -> str:
    """Register a TrueType file once per process; ReportLab's font registry is global."""
    resolved = path.resolve()
    with _registry_lock:
        if resolved not in _registered:
            name = f"Parley-{resolved.stem}-{len(_registered)}"
            pdfmetrics.registerFont(TTFont(name, str(resolved)))
            _registered[resolved] = name
        return _registered[resolved]


def pdf_fonts() -> _Fonts:
    """Find and register the fonts, or say exactly which file is missing and where we looked."""
    dirs = _font_dirs()
    found: dict[str, Path] = {}
    for file_name in (REGULAR_FILE, BOLD_FILE):
        path = _find(file_name, dirs)
        if path is None:
            where = ", ".join(str(d) for d in dirs)
            raise PdfFontMissing(
                f"font file {file_name} not found (looked in {where}); install Debian's "
                f"fonts-dejavu-core or set {FONT_DIR_ENV} to a directory holding "
                f"{REGULAR_FILE} and {BOLD_FILE}"
            )
        found[file_name] = path
    regular, bold = _register(found[REGULAR_FILE]), _register(found[BOLD_FILE])
    # Without a family, <b> in a Paragraph cannot find the bold face of a TrueType font.
    pdfmetrics.registerFontFamily(
        regular, normal=regular, bold=bold, italic=regular, boldItalic=bold
    )
    mono_path = _find(MONO_FILE, dirs)
    return _Fonts(regular=regular, bold=bold, mono=_register(mono_path) if mono_path else regular)


def paragraph_text(text: str) -> str:
    """Paragraphs parse markup: names may hold '&' or '<', and line breaks must survive."""
    return "<br/>".join(escape(line) for line in text.split("\n"))


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds every page until the end so that each can say "of M" (the total is known last)."""

    def __init__(
        self, *args: Any, decorate: Callable[[Canvas, int, int], None], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._decorate = decorate
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self._decorate(self, number, total)
            super().showPage()
        super().save()
