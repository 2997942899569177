"""English and Ukrainian for every console screen, from Babel catalogues.

The `.po` files are read at start-up and compiled in memory, so there is no build step and no
compiled file to forget. The language of the request being rendered sits in a context variable,
so one Jinja environment serves every request. Stored codes (statuses, categories, event types)
reach a page only through `label`, which reads them from the one registry below, `LABELS`;
dates and numbers only through the Babel-backed formatters below.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from contextvars import ContextVar
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import cache
from gettext import NullTranslations
from pathlib import Path

from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from markupsafe import Markup, escape

from parley.domain.accounts.accounts import Role
from parley.domain.agreements import (
    CommitmentStatus,
    Domain,
    Geography,
    Overlap,
    ProposalKind,
    ResponseKind,
    Stance,
    Topic,
)
from parley.domain.children import AnswerKind, ChildStatus, EventKind
from parley.domain.dates import PartialDate
from parley.domain.errors import InvalidDate
from parley.domain.exchange.categories import STANDARD_CATEGORIES, Answer
from parley.domain.exchange.commissions import (
    AnnexCategory,
    Decision,
    MemberRole,
    OverdueWhat,
    Proposer,
    Specialty,
)
from parley.domain.exchange.handover import DocumentRole, Manifest, StageOutcome
from parley.domain.exchange.manifests import ExclusionCode
from parley.domain.exchange.stages import Parity, PriorityKey
from parley.domain.jobs import JobState
from parley.domain.lists import Finding, ListPurpose, Verdict
from parley.domain.matching import Outcome
from parley.domain.registry.events import EventType, Source, Status
from parley.domain.registry.persons import IdentifierKind, PersonCategory, Sex
from parley.domain.remains.bodies import BodyStatus
from parley.domain.remains.references import RELATIONSHIPS, Consent
from parley.interchange.bundle_payloads import BundleKind
from parley.interchange.bundles import Check
from parley.names.latin import RUSSIAN_SCHEMES, UKRAINIAN_SCHEMES
from parley.services.exchange import CounterpartFinding, Standing
from parley.services.jobs import KINDS

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = {"en": "English", "uk": "Українська"}
DEFAULT_LANGUAGE = "en"

current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT_LANGUAGE)


@cache
def translations(language: str) -> NullTranslations:
    po_file = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if not po_file.exists():
        return NullTranslations()
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def gettext(message: str) -> str:
    return translations(current_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A short msgid that reads differently by use ("Record" the noun, "Record" the button)."""
    return translations(current_language.get()).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return translations(current_language.get()).npgettext(context, singular, plural, n)


def negotiate(accept_language: str | None) -> str | None:
    """The console language the browser asks for most, from an `Accept-Language` header.

    `uk-UA,uk;q=0.9,en;q=0.8` gives "uk"; a language we do not have, `*` or `q=0` gives
    nothing. Ties keep the browser's order.
    """
    best: tuple[float, int, str] | None = None
    for position, item in enumerate((accept_language or "").split(",")[:32]):
        tag, _, parameters = item.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGUAGES:
            continue
        quality = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if not 0 < quality <= 1:
            continue
        if best is None or (-quality, position) < (-best[0], best[1]):
            best = (quality, position, primary)
    return best[2] if best else None


def _codes(*kinds: type[StrEnum] | Iterable[str]) -> tuple[str, ...]:
    return tuple(str(code) for kind in kinds for code in kind if str(code))


LABELS: dict[str, tuple[str, ...]] = {
    # every track: the error page's headline per code (docs/errors.md); a later code reads
    # as words until it is added here
    "error": (
        "parley_error",
        "not_found",
        "person_not_found",
        "account_not_found",
        "event_not_found",
        "instance_not_found",
        "match_run_not_found",
        "list_not_found",
        "bundle_not_found",
        "reconciliation_not_found",
        "stage_not_found",
        "commission_not_found",
        "examination_not_found",
        "child_case_not_found",
        "remains_not_found",
        "invalid_input",
        "invalid_date",
        "invalid_name",
        "invalid_event",
        "invalid_csrf",
        "unknown_category",
        "not_on_manifest",
        "invalid_remains_step",
        "no_linkage_model",
        "import_rejected",
        "bundle_refused",
        "backup_refused",
        "conflict",
        "duplicate_identifier",
        "duplicate_account",
        "instance_exists",
        "signing_key_exists",
        "key_already_trusted",
        "list_version_exists",
        "list_altered",
        "duplicate_commission",
        "examination_already_recorded",
        "step_already_recorded",
        "outcome_already_recorded",
        "second_person_required",
        "schema_outdated",
        "authentication_failed",
        "too_many_attempts",
        "permission_denied",
        "audit_chain_broken",
        "invalid_commission",
        "invalid_examination",
        "export_not_approved",
    ),
    # accounts
    "account_role": _codes(Role),
    # registry
    "status": _codes(Status),
    "event": _codes(EventType),
    "source": _codes(Source),
    "category": _codes(PersonCategory),
    "sex": _codes(Sex),
    "identifier": _codes(IdentifierKind),
    "field": ("surname", "given", "patronymic", "date_of_birth", "identifiers", "sex"),
    "precision": ("day", "month", "year"),
    # matching
    "outcome": _codes(Outcome),
    # lists
    "purpose": _codes(ListPurpose),
    "finding": _codes(Finding),
    "verdict": _codes(Verdict),
    "check": _codes(Check),
    "bundle_kind": _codes(BundleKind),
    "origin": ("built", "imported", "received"),
    "role": ("recipient", "relay"),
    "direction": ("sent", "received", "relayed"),
    # children
    "child_status": _codes(ChildStatus),
    "child_answer": _codes(AnswerKind),
    "child_event": _codes(EventKind),
    "child_fact": ("on", "from", "by", "name", "institution", "location", "address", "since"),
    # exchange: medical commissions
    "decision": _codes(Decision),
    "proposer": _codes(Proposer),
    "member_role": _codes(MemberRole),
    "specialty": _codes(Specialty),
    "annex": _codes(AnnexCategory),
    "overdue": _codes(OverdueWhat),
    # exchange: agreed categories, category check, stages and progress
    "agreed_category": (*STANDARD_CATEGORIES, "military_prisoners", "total"),
    "answer": _codes(Answer),
    "standing": _codes(Standing),
    "parity": _codes(Parity),
    "priority": _codes(PriorityKey),
    "exclusion": _codes(ExclusionCode),
    "stage_outcome": _codes(StageOutcome),
    "manifest": _codes(Manifest),
    "counterpart": _codes(CounterpartFinding),
    "stage_document": _codes(DocumentRole),
    # remains
    "body_status": _codes(BodyStatus),
    "consent": (*_codes(Consent), "none"),
    "relationship": tuple(RELATIONSHIPS),
    # background jobs
    "job_state": _codes(JobState),
    "job_kind": tuple(KINDS),
    # agreements
    "topic": _codes(Topic),
    "stance": _codes(Stance),
    "overlap": _codes(Overlap),
    "commitment_status": _codes(CommitmentStatus),
    "response": _codes(ResponseKind),
    "proposal_kind": _codes(ProposalKind),
    "term": (
        "domains",
        "geography",
        "duration_days",
        "duration_hours",
        "extension",
        "conditions",
        "monitoring",
        "purpose",
        "window_from",
        "window_to",
        "participants",
        "format",
    ),
    "domain": _codes(Domain),
    "geography": _codes(Geography),
    # who recorded something: the door it came through, and the accounts the system acts as
    "channel": ("console", "cli", "api", "system"),
    "system_account": ("system", "demo-builder"),
    # a person's names: the script, the language, the romanisation standard
    "script": ("Latn", "Cyrl"),
    "language": ("uk", "ru", "en"),
    "scheme": (
        *(name.split(":", 1)[1].removeprefix("Ukrainian") for name in UKRAINIAN_SCHEMES),
        *RUSSIAN_SCHEMES,
        "icao",
    ),
}
"""Every kind of stored code a screen shows, per track, with the codes it may hold: each
`kind:code` has an English and a Ukrainian entry in the catalogues (checked by a test)."""


def label(kind: str, code: object) -> str:
    """A stored code as words in the current language: `label("status", "in_captivity")`.

    A code the registry does not know yet (an instance's own agreed category, say) still
    reads as words, never as `an_internal_key`.
    """
    text = str(code.value if isinstance(code, StrEnum) else code or "")
    if not text:
        return ""
    key = f"{kind}:{text}"
    said = gettext(key)
    return said if said != key else text.replace("_", " ")


def labels(kind: str, codes: Iterable[object]) -> str:
    return ", ".join(label(kind, c) for c in codes)


def leading(kind: str, text: str) -> str:
    """A text that opens with a code by protocol (a child's answer: `not_found`, `located: in
    an institution`; a stage line's `'aged_18_25': …`), the code in words, the rest as written."""
    head, colon, rest = (text or "").partition(":")
    code = head.strip().strip("'")
    return label(kind, code) + colon + rest if code in LABELS[kind] else text


def who(recorded_by: object) -> str:
    """`channel:username` as people read it: `coordinator (console)`; the system's own
    accounts (`system:demo-builder`) as words."""
    text = str(recorded_by or "")
    channel, colon, username = text.partition(":")
    if not colon:  # a step recorded by account name only (bodies' steps)
        return label("system_account", text) if text in LABELS["system_account"] else text
    if channel not in LABELS["channel"]:
        return text
    if channel == "system" and username in LABELS["system_account"]:
        return label("system_account", username)
    return f"{username} ({label('channel', channel)})"


def scheme(recorded: object) -> str:
    """A romanisation standard as words: `translitua:UkrainianKMU` (the tool that wrote it and
    its table) reads "KMU 2010 (national standard)"; one we do not know stays as recorded."""
    text = str(recorded or "")
    name = text.rpartition(":")[2]
    name = name.removeprefix("Ukrainian")
    return label("scheme", name) if name in LABELS["scheme"] else text


def words(text: str) -> str:
    """A sentence the code stores in English (a standard category's description), in the
    current language when the catalogue has it word for word, else as stored: a changed
    description is never shown under an old translation."""
    return gettext(text) if text else ""


WORDS: tuple[str, ...] = (
    *(rule.describe() for rule in STANDARD_CATEGORIES.values()),
    "prisoners of war (not civilians)",
)
"""The stored English sentences `words` is known to meet, each with a Ukrainian entry."""


# ---------------------------------------------------------------- dates and numbers

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _moment(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def format_when(value: object) -> Markup:
    """A timestamp for people (`6 груд. 2026 р., 18:26 UTC`), the exact one for machines in
    `<time datetime>`; a text that is not a timestamp is shown as it is."""
    moment = _moment(value)
    if moment is None:
        return format_day(value)
    moment = moment.astimezone(UTC)
    language = current_language.get()
    shown = f"{format_date(moment.date(), 'medium', locale=language)}, {moment:%H:%M}"
    exact = moment.isoformat(timespec="seconds").replace("+00:00", "Z")
    return Markup('<time datetime="{}">{} UTC</time>').format(exact, shown)


def format_day(value: object) -> Markup:
    """A date as the language writes it; partial dates (`1990-05`, `1990`) stay as recorded."""
    if isinstance(value, datetime):
        return format_when(value)
    day: date | None = value if isinstance(value, date) else None
    if isinstance(value, str) and _ISO_DAY.match(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            day = None
    if day is None:
        return escape("" if value is None else value)
    shown = format_date(day, "medium", locale=current_language.get())
    return Markup('<time datetime="{}">{}</time>').format(day.isoformat(), shown)


def format_birth(value: object) -> Markup:
    """A date of birth as the language writes it, to the precision recorded: the full date
    (`3 трав. 1990 р.`), the month and year (`трав. 1990 р.`) or the year alone (`1990`); the
    exact value for machines in `<time datetime>`. Text that is no date stays as written."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return format_day(value)
    text = "" if value is None else str(value).strip()
    try:
        known = PartialDate.parse(text) if text else None
    except InvalidDate:  # a partner's list may carry anything
        known = None
    if known is None:
        return escape(text)
    if known.day is not None:
        return format_day(known.to_date())
    language = current_language.get()
    first = date(known.year, known.month or 1, 1)
    shown = format_skeleton("yMMM" if known.month else "y", first, locale=language)
    return Markup('<time datetime="{}">{}</time>').format(str(known), shown)


def format_number(value: object, digits: int | None = None, signed: bool = False) -> str:
    """Thousands grouped and decimals marked as the language writes them (`12,345.5`,
    `12 345,5`); `digits` fixes the decimals (a probability's `0,873`), `signed` shows the
    sign of a gap or a weight (`+1 200`)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    if digits is None and not signed:
        return format_decimal(value, locale=current_language.get())
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    if signed:
        pattern = f"+{pattern};-{pattern}"
    return format_decimal(value, format=pattern, locale=current_language.get())
