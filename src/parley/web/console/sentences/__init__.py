"""Sentences the services build in English (why a person is left off a manifest, a category
rule's answer, a commission's tally, an outcome's note), in the reader's language.

The services keep writing them in English: the API, the CLI and stored stage plans carry them
so, and an auditor compares them word for word. The console reads each one back against the
templates below (the very wording the domain uses, `{name}` where a value goes), translates the
template through the catalogues and puts the values back in, each as its kind reads (a status
as words, a date as the language writes it). A sentence no template fits is shown as written,
never guessed at; `tests/e2e/test_console_languages.py` fails when one reaches a Ukrainian page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property

from parley.domain.lists import Finding
from parley.web.console import i18n

TEMPLATES: tuple[str, ...] = (
    # what keeps anyone off a manifest (domain/exchange/manifests.py)
    "no status recorded: not known to be in custody",
    "status is {status}, not in custody",
    "refused repatriation on {day}: nobody is repatriated against their will (GC III art. 109)",
    "refused repatriation (date not recorded): nobody is repatriated against their will "
    "(GC III art. 109)",
    "consent not recorded",
    "{hold}: {text} since {day} — the other side must be told (art. 115)",
    "under prosecution",
    "serving a sentence",
    # stage planning (domain/exchange/stages.py, services/exchange/planning.py)
    "identity not confirmed by matching",
    "identity not confirmed by matching: {note}",
    "uncertain: {reasons}",
    "ineligible: {reasons}",
    "'{agreed}': {reason}",
    "confirmed: {note}",
    "matched to {ref} of '{file}' (match run {run})",
    "matched to {ref} of {side}'s list '{list}' v{version}",
    "row {row}",
    "{side} confirmed {ref} of '{list}' v{version}",
    "{side} disputed {ref} of '{list}' v{version}: {text}",
    "over capacity: the stage takes {capacity} per side; priority {rank} of {ready} ready {where}",
    "on this side",
    "in '{agreed}'",
    "parity: {side} side has only {count} eligible in total",
    "parity: {side} side has only {count} eligible {where}",
    # category rules (domain/exchange/categories.py)
    "not: {reason}",
    "recorded as a civilian",
    "recorded as {category}, not a civilian",
    "date of birth unknown — uncertain for ages {band}",
    "{born}: {aged} on {day}, within {band}",
    "{born}: {aged} on {day}, outside {band}",
    "{born}: {aged} on {day} — uncertain for {band}",
    "born {birth}",
    "born {birth} (year only)",
    "born {birth} (month only)",
    "aged {low}",
    "aged {low} or {high}",
    "aged {low} to {high}",
    "date of capture unknown — uncertain",
    "captured {day}: more than {months} months by {on}",
    "captured {day}: {months} months are complete only after {on}",
    "examination by a medical commission pending",
    "no medical commission decision or manifest certification",
    "the condition on record predates the war and has not worsened: it does not qualify "
    "(GC III art. 110)",
    "manifest case certified by the detaining power's doctors on {day} (GC III art. 112)",
    "manifest case certified by the detaining power's doctors (GC III art. 112)",
    "medical commission decided to repatriate on {day}",
    "medical commission decided to repatriate",
    "medical commission rejected repatriation on {day}",
    "medical commission rejected repatriation",
    "medical commission will re-examine (decided on {day})",
    "medical commission will re-examine (decided)",
    # medical commissions (domain/exchange/commissions.py)
    "{n} of 3 votes for {decision}",
    "no majority: one vote each for repatriate, reject and re-examine",
    "no surgeon on the commission (Annex II recommends one)",
    "no physician on the commission (Annex II recommends one)",
    "no deputies named (Annex II asks for them)",
    # where a category check took each fact from (services/exchange/category_check.py)
    "{reason} [{reasons}]",
    "{fact} per the list",
    "{fact} per our registry",
    "{fact} per the list and per our registry",
    "{fact} per our registry (none on the list)",
    "{fact} per our registry, more precise than the list's {birth}",
    "{fact} per the list (our registry: {birth})",
    "our registry says {birth}",
    "{fact}: none in our registry",
    "{fact}: neither on the list nor in our registry",
    "{fact}: not on the list, and the entry is not matched to anyone in our registry",
    "date of birth differs: the list says {birth}, our registry {ours}",
    "date of birth",
    "medical standing",
    "military or civilian",
    "date of capture",
    # a stage's outcome in a person's history (services/exchange/handover.py)
    "stage {stage} '{name}': {outcome}",
    # each check of a received bundle, passed (interchange/bundles.py)
    "canonical JSON, {bytes} bytes",
    "{schema}, kind {kind}",
    "payload {digest}…, list {listed}…",
    "payload {digest}…",
    "signed by {party} with key {key}",
    "signed by {party} with key {key}, with an audit checkpoint of {entries} entries",
    "key {key} is trusted for {party} ({name})",
    "key {key} is trusted for {party}",
    "addressed to {party}",
    "relay to {party}",
    "created at {created}",
    # ... or failed (interchange/bundles.py, interchange/keys.py); a library's own words in
    # {text} stay as written
    "not UTF-8 text: {text} at byte {offset}",
    "not JSON: {text} at character {offset}",
    "not usable JSON: {text}",
    "a bundle is a JSON object, not a {type}",
    "has no canonical form (RFC 8785): {text}",
    "not in canonical form (RFC 8785): differs from it at byte {offset}; "
    "a bundle must travel exactly as it was sealed",
    "the 'schema' member is missing",
    "'schema' must be a string",
    "unsupported schema version {value}: this Parley reads {schema} only; "
    "upgrade to read newer bundles",
    "unknown schema {value}: not a Parley bundle",
    "checkpoint: when present, must be a signed checkpoint object",
    "payload_sha256 is {digest}, but the payload hashes to {actual}",
    "list_sha256 is {digest}, but the list hashes to {actual}",
    "signed on behalf of {party}, but the sender is {sender}",
    "signer.fingerprint {value} is not the fingerprint of signer.public_key ({key})",
    "the signature does not verify with key {key}: the bundle was altered after signing, "
    "or signed by another key",
    "checkpoint: not signed by the bundle's sender with the bundle's key",
    "key {key} is trusted for {parties}, not for {party}",
    "key {key} is not in the trust store for {party}; "
    "check the fingerprint with {party} before trusting it",
    "addressed to {party}, not to this instance ({own})",
    "created at {created}, more than {minutes} minutes after this instance's clock "
    "({clock}): refused",
    "key {key} was revoked on {revoked} ({reason})",
    "key {key} was revoked on {revoked}",
    "key {key} was retired on {retired}: a retired key cannot announce a key change",
    "key {key} was retired on {retired}, before this was signed ({signed}): "
    "{party} signs with its new key now",
    "payload.list.sender is {party}, but the bundle's is {sender}",
    "the bundle goes to {party}, who is not among the list's recipients ({parties})",
    "payload.received_by is {party}, but the bundle's sender is {sender}",
    "states what {party} said, but the sender is {sender}",
    "announces a key for {party}, but the sender is {sender}",
    "announces the very key it is signed with",
    # why a built list holds an entry (services/lists/lists.py `_evidence`): the status as
    # the sender wrote it, in words that do not say whose custody
    "born {birth}: aged {band}",
    "registered",
    "missing",
    "in captivity",
    "held",
    "released",
    "returned",
    "dead",
    "remains received",
    "identified",
    # why a row of an imported file is refused (interchange/person_rows.py, domain/dates.py,
    # services/registry/imports.py)
    "required column is missing",
    "must not be empty",
    "{birth} is in the future",
    "a status needs its date (or an incident date)",
    "a status date was given without a status",
    "'{value}' is not one of: {allowed}",
    "'{value}' is not a party code such as UA or RU",
    "'{value}' is not a date; use YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY",
    "year {year} is out of range",
    "a day without a month is not a date",
    "month {month} does not exist",
    "{birth} has no day {dayno}",
    "the file has no entries",
    "{value} is also on row {row} of this file",
    "{value} already belongs to person {person} in the registry",
    "{value} is already the record id of person {person}",
    # why a job failed (domain/jobs.py `failure_message`, domain/errors.py `ImportRejected`)
    "{file}: import refused, {count} problem found; nothing was stored",
    "{file}: import refused, {count} problems found; nothing was stored",
    "{file}: row {row}, field '{field}': {reason}",
    "row {row}, field '{field}': {reason}",
    "… and {count} more",
    "the job failed without saying why",
    "interrupted by restart",
    # what a background job is doing, and what it did (services/jobs, matching, planning)
    "starting",
    "reading the list",
    "reading the file",
    "checking and storing the persons",
    "writing the document",
    "gathering the round's figures",
    "writing the report",
    "preparing the registry",
    "no model yet: training on this list",
    "scoring candidate pairs",
    "the stored model predates this engine's comparisons: retraining on this list",
    "scoring pairs within the registry",
    "engine records: {done}/{total}",
    "building the engine's records of {count} persons",
    "selecting the pools",
    "reading {count} persons' records",
    "drawing the manifests",
    "storing the manifests as lists",
    "selecting persons",
    "match run {run}: {total} entries — {matched} matched, {review} to review, "
    "{unmatched} no match",
    "{file}: {rows} persons imported ({encoding})",
    "{file} was already imported on {imported} by {who} (import {run}); nothing changed",
    # titles the services store on the lists they build (services/exchange/stages.py,
    # documents.py, services/lists/reconciliation.py) and a commitment's summed stage claims
    # (services/agreements/fulfilment.py)
    "{name}: released by {side}",
    "{name}: expected back by {side}",
    "{name}: held back (GC III art. 115)",
    "{name}: executed",
    "Response to {sender} {title} v{version}",
    "{title} v{version}",  # a bundle's provenance names its list so
    "stage {stage}, {day}",
    "stage {stage}, {day}, executed",
    "{count} stage claim(s): {sources}",
    # a list entry's category evidence, as the services write it (services/lists/lists.py,
    # services/exchange/stages.py and documents.py, services/remains/handover.py)
    "category: {agreed}",
    "born {birth}: aged {low}-{high}",
    "received back",
    "remains {tag} identified",
    "remains identified by DNA",  # a death list's reference (services/remains/handover.py)
    # the answer a reconciliation proposes for each entry (domain/lists.py, proposed_response)
    "known to us: {state}",
    "known to us: {state} since {day}",
    "already returned",
    "already returned since {day}",
    "recorded dead",
    "recorded dead since {day}",
    "duplicate of entry {entry}",
    "possible match not yet confirmed",
    "not in our registry",
)
"""Every sentence the console translates, in the services' exact English; each has an English
and a Ukrainian entry in the catalogues (checked by a test)."""

_NUMBERS = {"n", "count", "capacity", "rank", "ready", "months", "run", "stage", "version"}
_NUMBERS |= {"bytes", "entries", "offset", "minutes", "done", "total", "rows"}
_NUMBERS |= {"matched", "review", "unmatched"}
_DAYS = {"day", "on"}
_MOMENTS = {"created", "clock", "revoked", "retired", "signed", "imported"}
_LABELS = {
    "status": "status",
    "category": "category",
    "decision": "decision",
    "outcome": "stage_outcome",
    "agreed": "agreed_category",
    "kind": "bundle_kind",
}
_NESTED = {"reason", "where", "hold", "born", "aged", "note", "ref", "fact", "title"}
_FIELD = re.compile(r"\{(\w+)\}")
_SHAPES = {"side": r"[^\s:;',]+", "day": r"\d{4}-\d{2}-\d{2}", "on": r"\d{4}-\d{2}-\d{2}"}
_SHAPES |= dict.fromkeys(_NUMBERS, r"[\d,]+")
_SHAPES |= dict.fromkeys(("party", "sender", "own"), r"[^\s:;',()]+")
_SHAPES |= {"key": r"[0-9a-f]{4}(?::[0-9a-f]{4}){7}", "schema": r"\S+", "digest": r"[0-9a-f]+"}
_SHAPES |= {"listed": r"[0-9a-f]+", "actual": r"[0-9a-f]+", "band": r"[^;]+?"}
_SHAPES |= {"birth": r"[^\s:;\[\]]+", "ours": r"[^\s;]+"}  # a recorded date: 1990, 1990-05-03
_SHAPES |= dict.fromkeys(("born", "aged"), r"[^:\[\]]+?")
_SHAPES |= dict.fromkeys(("low", "high"), r"\d+")  # ages: "aged 18-25; held" is two parts
"""What a value may look like where the wording alone would let it swallow its neighbours
("confirmed: RU confirmed E5 of ..." is a note about a confirmation, not a party "confirmed:
RU")."""


def _number(value: str) -> str:
    digits = value.replace(",", "")
    return i18n.format_number(int(digits)) if digits.isdigit() else value


def pattern_of(template: str, shapes: dict[str, str], default: str) -> re.Pattern[str]:
    """A template as an anchored pattern, each `{name}` a group shaped as `shapes` says; a name
    used twice must carry the same value both times."""
    parts, last, seen = [], 0, set()
    for field in _FIELD.finditer(template):
        name = field.group(1)
        group = f"(?P={name})" if name in seen else f"(?P<{name}>{shapes.get(name, default)})"
        seen.add(name)
        parts += [re.escape(template[last : field.start()]), group]
        last = field.end()
    parts.append(re.escape(template[last:]))
    return re.compile("^" + "".join(parts) + "$", re.DOTALL)


class Reader:
    """Reads texts back against `templates` (longer, more specific ones first; with
    `wrappers_first`, those opening with words before those opening with a value) and says
    each in the current language; `value(name, text, depth)` shows each value put back."""

    def __init__(
        self,
        templates: tuple[str, ...],
        value: Callable[[str, str, int], str],
        shapes: dict[str, str],
        default_shape: str = r"[^\[\]]+?",
        split: bool = True,
        wrappers_first: bool = False,
    ) -> None:
        self.templates = templates
        self.value = value
        self.shapes = shapes
        self.default_shape = default_shape
        self.split = split
        self.wrappers_first = wrappers_first

    @cached_property
    def patterns(self) -> tuple[tuple[re.Pattern[str], str], ...]:
        def rank(t: str) -> tuple[bool, int, str]:
            """A template opening with words (`row {row}, field …: {message}`) before one
            opening with a value, which would swallow those words; then the longer first."""
            opens_with_value = self.wrappers_first and t.startswith("{")
            return opens_with_value, -len(_FIELD.sub("", t)), t

        ordered = sorted(self.templates, key=rank)
        return tuple(
            (pattern_of(t, self.shapes, self.default_shape), t)
            for t in ordered
            if _FIELD.sub("", t).strip()  # a bare `{message}` would fit anything
        )

    def read(self, text: str, depth: int = 0) -> str:
        if depth > 6 or not text:
            return text
        for pattern, template in self.patterns:
            found = pattern.match(text)
            if found is None:
                continue
            values = {k: self.value(k, v, depth) for k, v in found.groupdict().items()}
            said = i18n.gettext(template)
            try:
                return said.format(**values)
            except (KeyError, IndexError, ValueError):  # a broken translation: the English is right
                return template.format(**values)
        if self.split and "; " in text:
            return "; ".join(self.read(part, depth + 1) for part in text.split("; "))
        return text


def _state(value: str) -> str:
    """What a reconciliation knows of a person: a status in words (`in captivity`), or, with
    no status, its finding's own words (`known, missing`)."""
    code = value.replace(" ", "_")
    if code in i18n.LABELS["status"]:
        return i18n.label("status", code)
    finding = next((f for f in Finding if f.label == value), None)
    return i18n.label("finding", finding.value) if finding else value


def _value(name: str, value: str, depth: int) -> str:
    if name in _NUMBERS:
        return _number(value)
    if name == "who":
        return i18n.who(value)
    if name in _MOMENTS:
        return str(i18n.format_when(value).striptags()) if value else value
    if name in ("birth", "ours"):  # recorded to the year, the month or the day
        return str(i18n.format_birth(value).striptags()) if value else value
    if name in _DAYS:
        return str(i18n.format_day(value).striptags()) if value else value
    if name in _LABELS:
        return i18n.label(_LABELS[name], value)
    if name == "state":
        return _state(value)
    if name == "reasons":
        return "; ".join(SENTENCES.read(part, depth + 1) for part in value.split("; "))
    if name in _NESTED:
        return SENTENCES.read(value, depth + 1)
    return value


SENTENCES = Reader(TEMPLATES, _value, _SHAPES)


def sentence(text: object) -> str:
    """A service's English sentence in the current language; as written if no template fits."""
    return SENTENCES.read(str(text or ""))


_EVIDENCE_CODES = ("agreed_category", "stage_outcome", "status")


def evidence(text: object) -> str:
    """A list entry's category evidence (`released; military_prisoners; transferred`, `born
    2001-12-04: aged 18-25; held`): each part a code in words, or a sentence."""
    shown = []
    for part in str(text or "").split("; "):
        code = part.replace(" ", "_")
        kind = next((k for k in _EVIDENCE_CODES if code in i18n.LABELS[k]), None)
        shown.append(i18n.label(kind, code) if kind else sentence(part))
    return "; ".join(shown)


def categories(text: object) -> str:
    """A list's category: the agreed categories a stage's manifest names (`military_prisoners,
    civilian_detainees`) or a death list's `dead`, in words; a label someone typed, as typed."""
    shown = str(text or "")
    parts = shown.split(", ")
    if all(p in i18n.LABELS["agreed_category"] for p in parts):
        return i18n.labels("agreed_category", parts)
    return i18n.label("status", shown) if shown in i18n.LABELS["status"] else shown
