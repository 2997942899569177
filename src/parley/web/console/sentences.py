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
from functools import cache

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
_NESTED = {"reason", "where", "hold", "born", "aged", "note", "ref", "fact"}
_FIELD = re.compile(r"\{(\w+)\}")
_SHAPES = {"side": r"[^\s:;',]+", "day": r"\d{4}-\d{2}-\d{2}", "on": r"\d{4}-\d{2}-\d{2}"}
_SHAPES |= dict.fromkeys(_NUMBERS, r"[\d,]+")
_SHAPES |= dict.fromkeys(("party", "sender", "own"), r"[^\s:;',()]+")
_SHAPES |= {"key": r"[0-9a-f]{4}(?::[0-9a-f]{4}){7}", "schema": r"\S+", "digest": r"[0-9a-f]+"}
_SHAPES |= {"listed": r"[0-9a-f]+", "actual": r"[0-9a-f]+", "band": r"[^;]+?"}
_SHAPES |= {"birth": r"[^\s;]+", "ours": r"[^\s;]+"}  # a recorded date: 1990, 1990-05-03
"""What a value may look like where the wording alone would let it swallow its neighbours
("confirmed: RU confirmed E5 of ..." is a note about a confirmation, not a party "confirmed:
RU")."""


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each template as an anchored pattern; longer (more specific) templates are tried first."""
    found = []
    for template in sorted(TEMPLATES, key=lambda t: (-len(_FIELD.sub("", t)), t)):
        parts, last, seen = [], 0, set()
        for field in _FIELD.finditer(template):
            name = field.group(1)
            shape = _SHAPES.get(name, r"[^\[\]]+?")
            # a value named twice is the same value twice ("check ... with {party} before")
            group = f"(?P={name})" if name in seen else f"(?P<{name}>{shape})"
            parts += [re.escape(template[last : field.start()]), group]
            seen.add(name)
            last = field.end()
        parts.append(re.escape(template[last:]))
        found.append((re.compile("^" + "".join(parts) + "$", re.DOTALL), template))
    return tuple(found)


def _number(value: str) -> str:
    digits = value.replace(",", "")
    return i18n.format_number(int(digits)) if digits.isdigit() else value


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
    if name == "reasons":
        return "; ".join(_translate(part, depth + 1) for part in value.split("; "))
    if name in _NESTED:
        return _translate(value, depth + 1)
    return value


def _translate(text: str, depth: int = 0) -> str:
    if depth > 6 or not text:
        return text
    for pattern, template in _patterns():
        found = pattern.match(text)
        if found is None:
            continue
        values = {k: _value(k, v, depth) for k, v in found.groupdict().items()}
        said = i18n.gettext(template)
        try:
            return said.format(**values)
        except (KeyError, IndexError, ValueError):  # a broken translation: the English is right
            return template.format(**values)
    if "; " in text:
        return "; ".join(_translate(part, depth + 1) for part in text.split("; "))
    return text


def sentence(text: object) -> str:
    """A service's English sentence in the current language; as written if no template fits."""
    return _translate(str(text or ""))
