"""The errors the services and the domain raise, in the reader's language on the console.

A `ParleyError` carries an English message (the API, the CLI and the logs keep it so): the
console reads it back against the templates of `raised.py` and `reported.py`, the very
wording of each `raise` with `{name}` where an f-string puts a value, translates the template
through the catalogues and puts the values back as written (an id, a name or a code someone
typed is never translated). An error inside another (`person 12: {message}`) is read in
turn. A message no template fits is shown as written, never guessed at. A running job's
progress notes and what a finished job or an import reports are read the same way.
`tests/unit/test_error_messages.py` builds the list of messages from the code itself and
fails when one is missing here or in Ukrainian.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from parley.web.console import i18n
from parley.web.console.sentences import SENTENCES, Reader
from parley.web.console.sentences.raised import RAISED
from parley.web.console.sentences.reported import REPORTED

TEMPLATES: tuple[str, ...] = (*RAISED, *REPORTED)
"""Every error message the console translates, in the code's exact English."""

_NESTED = {"message", "detail", "exc", "reason", "error", "gone", "label", "event_ref"}
"""Values that are themselves a message (the error a wrapping one carries, the words an audit
report builds its sentence from)."""
_COUNTS = {"done", "rows", "entries", "matched", "review", "no_match", "imported", "present"}
_COUNT = re.compile(r"\d{1,3}(,\d{3})*")
_MINUTE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


_CODES = {
    "type": "event",
    "decision": "decision",
    "state": "job_state",
    "status": "body_status",
    "purpose": "purpose",
    "kind": "bundle_kind",
}
"""Values that are a stored code (`'{type}'`, an event type): in words when the code is known."""


def _value(name: str, value: str, depth: int) -> str:
    kind = _CODES.get(name)
    if kind and value in i18n.LABELS[kind]:
        return i18n.label(kind, value)
    if (name in _COUNTS or name.startswith("n_") or name == "records") and _COUNT.fullmatch(value):
        return i18n.format_number(int(value.replace(",", "")))
    if name == "birth":  # a recorded date, to the year, the month or the day
        return str(i18n.format_birth(value).striptags()) if value else value
    if name == "when" and _MINUTE.fullmatch(value):  # an import's time, written in UTC
        moment = datetime.fromisoformat(value).replace(tzinfo=UTC)
        return str(i18n.format_when(moment).striptags())
    if name in _NESTED:
        inner = ERRORS.read(value, depth + 1)
        return inner if inner != value else SENTENCES.read(value, depth + 1)
    return value


_SHAPES = {
    "row": r"\d+",
    "prefix": r"(?:[a-z]+_)?",  # a second table's settings: `removed_per_page`
    "birth": r"\S+",
    "when": r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?",
    "effective_date": r"\d{4}-\d{2}-\d{2}",
    "event_ref": r"(?: \(event \d+\))?",
    **dict.fromkeys(("party", "party2", "sender", "sender2"), r"[^\s:;',]+"),
}
"""Values that are a number, a date or a party code, so that they never swallow the words
or the value beside them."""
ERRORS = Reader(TEMPLATES, _value, _SHAPES, default_shape=r".+?", split=False, wrappers_first=True)


def said(text: object) -> str:
    """An error message in the current language, line by line (a failed job's message lists
    a file's problems under it); a line no error fits is read as a service's sentence
    (`SENTENCES`), and as written where nothing fits."""
    return "\n".join(_line(line) for line in str(text or "").split("\n"))


def _line(line: str) -> str:
    read = ERRORS.read(line)
    return read if read != line else SENTENCES.read(line)


def checked(text: object) -> str:
    """A received bundle's check detail: the sentence templates first, which put its times and
    kinds in words (`created at 6 груд. 2026 р., 18:26 UTC`), then the errors'."""
    line = str(text or "")
    read = SENTENCES.read(line)
    return read if read != line else ERRORS.read(line)
