"""The errors the services and the domain raise, in the reader's language on the console.

A `ParleyError` carries an English message (the API, the CLI and the logs keep it so): the
console reads it back against the templates below, the very wording of each `raise` with
`{name}` where an f-string puts a value, translates the template through the catalogues and
puts the values back as written (an id, a name or a code someone typed is never translated).
An error inside another (`person 12: {message}`) is read in turn. A message no template fits
is shown as written, never guessed at. A running job's progress notes and what a finished
job or an import reports are read the same way. `tests/unit/test_error_messages.py` builds
the list of messages from the code itself and fails when one is missing here or in Ukrainian.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from parley.web.console import i18n
from parley.web.console.sentences import SENTENCES, Reader

TEMPLATES: tuple[str, ...] = (
    # services/accounts/
    "a password needs at least {MIN_PASSWORD_LENGTH} characters",
    "an account needs at least one role",
    "language must be one of {LANGUAGES}",
    "no account named '{username}'",
    "too many failed attempts: try again in {seconds} s",
    "a token needs a name that says where it is used",
    "the form is stale or forged; reload the page and try again",
    "only an account can choose a language",
    "an account named '{username}' already exists",
    "wrong username or password",
    "account '{username}' is deactivated",
    "'{username}' has no token {token_id}",
    "the API token is unknown or revoked",
    "the token's account is deactivated",
    "the session has ended; log in again",
    "the account is deactivated",
    "checkpoint {checkpoint_id} does not exist",
    "{name}: a checkpoint of {party}'s log; this instance is {party2}'s",
    # services/agreements/
    "the proposal '{ref}' of {ref2} ({ref3}) is not recorded here; take in the proposal first",
    "commitment '{ref}' (round {ref2}) is not recorded here",
    "claim {record_id} is not recorded",
    "'{statement}' is not one of {STATEMENTS}",
    "the statement's body names another party than its signer",
    "memorandum {record_id} is not recorded",
    "proposal {record_id} is not recorded",
    "response {record_id} is not recorded",
    "this {statement} is {party}'s: only {party2}'s own statements are signed here; a received "
    "one is passed on unchanged (`parley bundle relay`)",
    "the {statement} in bundle {sha256}… is malformed: {exc}",
    "commitment {commitment_id} is not recorded",
    "a tolerance cannot be negative",
    "a commitment has a label and its text",
    "a claimed figure cannot be negative",
    "a claim says where it was made (source)",
    "round {number} is not recorded",
    "'{field_name}' cannot be empty",
    "a round's number starts at 1",
    "a memorandum has at least one section",
    "section numbers repeat",
    "memorandum {memorandum_id} is not recorded",
    "'{field_name}' is a record's number",
    "proposal {proposal_id} is not recorded",
    "round {number} is already recorded",
    "point {number} names no section {section}",
    "point {section}.{number} is given twice",
    "point {section}.{number} needs at least one topic",
    "memorandum {missing} is not recorded",
    "'domains' is a list of land, air, sea",
    "a meeting window starts before it ends",
    "'participants' is a list of names or offices",
    "a sequence has at least one step",
    "each step is an object with its text",
    "'{value}' is not a date YYYY-MM-DD",
    "a counter-proposal names the proposal it offers instead",
    "'{key}' must be a positive whole number",
    "step {step}: proposal {step2} is not recorded",
    "step {step}: commitment {step2} is not recorded",
    # services/children/
    "case {reference} may go only to {value} on list {list_ref}, not to {value2}",
    "an export of children's data needs a reason",
    "no export request {export_id}",
    "an export is approved by a second person, not its requester",
    "export {export_id} was not approved by a second ombudsman",
    "the approval of export {export_id} expired",
    "{file_name} holds no list",
    "no child is on list {list_ref}",
    "no child's case {case_id}",
    # services/
    "the days without an answer must be at least 1",
    # services/exchange/
    "name at least one agreed category; known: {rules}",
    "no category named '{unknown}'; known: {rules}",
    "a category check exports as {REPORT_FORMATS}, not '{fmt}'",
    "list {list_id} does not exist",
    "not an SVG document",
    "SVG holds a <{tag}> element",
    "SVG holds an event handler ({attribute})",
    "SVG links outside itself",
    "a commission needs a name",
    "an examination records the commission's findings",
    "the visit of {visited_on} has not happened yet",
    "{done_on} has not happened yet",
    "a certificate prints in {CERTIFICATE_LANGUAGES}, not '{language}'",
    "examination {examination_id} does not exist",
    "a commission named '{name}' already exists",
    "no commission named '{commission}'",
    "a step is {value}, not '{step}'",
    "examination {examination_id} was already {step} on {done}; a recorded step is kept as it is",
    "{name} already recorded its examination of person {person_id} on {visited_on} (examination "
    "{id})",
    "stage {stage_id} has no manifest to send: both are empty",
    "stage {stage_id}: sign and send the stage record first (`parley stage export {stage_id} "
    "--record`)",
    "stage {stage_id}: record every outcome before the record is signed ({n_missing} of "
    "{n_lines} without one)",
    "this {kind} does not acknowledge stage {stage_id}'s record (bundle {id})",
    "this receipt is from the recipient {acknowledged_by}; the countersignature is the "
    "mediator's relay receipt",
    "list {list_id} was sent by {sender}; the other side of stage {stage_id} is {release_side}",
    "no person with id {missing}",
    "a claimed count cannot be negative ({count})",
    "stage {stage_id} has no category '{category}'; use one of {allowed}",
    "a stage needs a name",
    "the release side must be the other party, not {party}",
    "priority '{value}' is not one of {choices}",
    "we hold people of {found}: say whose are released (release side)",
    "stage {stage_id} does not exist",
    "'{parity}' is not a parity",
    "parity '{value}' is not one of {choices}",
    # services/jobs/
    "no job kind '{kind}': one of {KINDS}",
    "a '{kind}' job needs a file",
    "no job {job_id}",
    "job {job_id} has no file to download (state {state})",
    "the report is .pdf or .md",
    # services/lists/
    "a {claimed} receipt signed by {signer} for bundle {sha256}… addressed to {recipient}: only "
    "the addressee acknowledges receipt, and {signer} is not a mediator in the trust store "
    "(`parley trust add --mediator`)",
    "{sender} cannot announce a key for {party}",
    "say why the key is revoked (--reason)",
    "no party to announce the new key to: trust one first",
    "list {list_id} was sent by {sender}: only {party}'s own lists are signed here (forward a "
    "received bundle unchanged with `parley bundle relay`)",
    "list {list_id} goes to {recipients}: say which with --to",
    "list {list_id} is addressed to {recipients}, not {to}",
    "list {list_id} no longer hashes to its recorded digest {list_sha256}: the stored entries "
    "were altered; it will not be signed",
    "this instance has no track that takes {value} bundles",
    "the announced key {fingerprint} was revoked on {revoked_at}",
    "bundle {bundle_id} does not exist",
    "a list prints in {PDF_LANGUAGES}, not '{language}'",
    "a list exports as {DOCUMENT_FORMATS}, not '{fmt}'",
    "{sender} already sent version {version} of '{name}'; this bundle carries version {version2} "
    "with other content",
    "'{purpose}' is not a list purpose",
    "{file}: row {position}: ref {ref} repeats row {seen}",
    "list {list_id} has no entries to match",
    "list {list_id} has no entry {unknown_refs}",
    "list {list_id} has not been reconciled: run `parley list reconcile`",
    # services/matching/
    "no match run {run_id}",
    "training needs a list with entries",
    "the registry is empty: there is no one to match against",
    "give at least one name to search for",
    "no linkage model yet: run `parley match train FILE` or a match run first",
    "no match entry {entry_id}",
    "kind must be one of {RUN_KINDS}",
    "'{outcome}' is not an outcome",
    # services/registry/
    "{kind} {value} already belongs to person {owner}",
    "record id {record_id} already belongs to person {owner}",
    "person {person_id}: {message}",
    # services/remains/
    "a step's time needs a timezone",
    "a step cannot happen at {at}, in the future",
    "a step cannot precede the body's last one ({after})",
    "no batch {batch_id}",
    "body {tag} is already registered",
    "no body tagged {tag}",
    "body {tag}: the family is notified after confirmation, not at {status}",
    "say to whom the body is released",
    "name the other party the death list goes to",
    "list {list_id} is our own: the declared count is the other side's",
    "list {list_id} is a {purpose} list, not a death list",
    "say {name} for the notification",
    "{name} is longer than 200 characters",
    "the bundle from {sender} to {recipient} declares a handover from {payload} to {payload2}",
    "batch {batch_id} was handed over by {from_party}: only {party}'s own handovers are signed "
    "here",
    "no bundle {bundle_sha256}",
    "bundle {bundle_sha256}… is no handover received by us",
    "the declared count is the other side's, not ours",
    "no reference family {family}",
    "{member} is not a relative in family {family}",
    # domain/accounts/
    "username '{username}' must be 2-40 lower-case letters, digits, '.', '_' or '-'",
    "{username} ({roles}) may not do this: it needs '{permission}'",
    # domain/
    "topic '{value}' is not one of {choices}",
    "stance '{value}' is not one of {choices}",
    "'{value}' is not one of {choices}",
    "a target '{kind}' needs a lower figure",
    "a target '{kind}' needs an upper figure",
    "'between' needs the lower figure first",
    "a registry count names the status it counts",
    "a target cannot be negative",
    "the case is closed",
    "a case cannot go from '{current}' to '{new}'",
    "closing a case needs a reason",
    "every change to a child's case needs a source",
    "'{text}' is not a date; use YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY",
    "year {year} is out of range",
    "a day without a month is not a date",
    "month {month} does not exist",
    "{self} is not a complete date",
    "{year}-{month} has no day {day}",
    "{what} '{code}' is not a party code such as UA, RU or TR",
    "age band '{text}' should look like 18-25",
    "age band {youngest}-{oldest} is not a range",
    "age band {youngest}-{oldest}: no one is older than {MAX_AGE}",
    "entry {in_reply_to}: a dispute needs a reason",
    "an entry needs a reference",
    "entry {ref}: no surname",
    "a list needs a name",
    "a list version starts at 1",
    "a list needs at least one recipient",
    "a list is not sent to its own sender",
    "entry reference {ref} appears twice",
    "thresholds must satisfy 0 < review <= accept < 1",
    "the margin must be a positive number of bits",
    "per_page must be one of {choices}",
    "cannot sort by '{sort}': choose {sorts}",
    "order must be asc or desc",
    "page {page} is past the last page",
    "{field} must be a whole number, 1 or more",
    "{field} {digits}… is too large",
    "offset must not be negative",
    "offset must be at most {MAX_OFFSET}",
    "limit must be between 1 and {MAX_LIMIT}",
    # domain/exchange/
    "an age band runs from a youngest to an oldest age, 0–150; got {youngest}–{oldest}",
    "months held cannot be negative; got {months}",
    "{attribute}: an empty list of values matches nobody",
    "'all' needs at least one rule",
    "'any' needs at least one rule",
    "a certificate is issued only for a decision to repatriate; this one is {decision}",
    "a certificate is issued after the examination",
    "a commission member needs a name",
    "a commission has two neutral members and one named by the detaining power; this one has "
    "{n_neutral} and {n_detaining} from the detaining power",
    "each member and deputy must have a distinct name",
    "one of the two neutral members chairs the commission, and only one",
    "a neutral member cannot belong to {party}, the detaining power's own country",
    "a deputy does not chair the commission",
    "a condition names its Annex I item",
    "{strangers} not a member of {name}",
    "all three members vote; no vote from {missing}",
    "a decision is notified after the visit",
    "a decision to repatriate must name the Annex I condition that qualifies",
    "{condition} predates the war and has not worsened: it does not qualify for repatriation (GC "
    "III art. 110, Annex I)",
    "only a decision to repatriate is carried out; this one is {decision}",
    "a repatriation is carried out after its notification",
    "'{text}': a member is written {MEMBER_SYNTAX}",
    "'{text}': role is 'neutral' or 'detaining_power', not '{role_text}'",
    "'{text}': party '{party}' is not a country code such as CH",
    "'{text}': a condition is written A1, A2 or A3, a colon, then the item (e.g. 'A2: splinter "
    "in the lungs')",
    "'{text}': a vote is written NAME=DECISION",
    "{who}a vote is one of {choices}, not '{text}'",
    "proposed by is one of {choices}, not '{text}'",
    "'{text}': '{flag}' is not 'chair', 'surgeon' or 'physician'",
    "stage {stage_id} already has an outcome for person {str}…: an outcome is recorded once "
    "(retract the event it appended to correct the history)",
    "stage {stage_id} already has an outcome for person {str}: an outcome is recorded once "
    "(retract the event it appended to correct the history)",
    "no outcome to record for stage {stage_id}",
    "outcome '{value}' is not one of {choices}",
    "person {person_id} is on neither manifest of stage {stage_id}",
    "a stage needs at least one agreed category",
    "capacity {capacity} is negative",
    "both manifests are for side {release_side}",
    "a priority criterion is listed twice",
    "no category named '{name}'; known: {known}",
    "category '{name}' is listed twice",
    "carried deficit for '{category}', not agreed for this stage",
    "carried deficit for side {side}, not a side of this stage",
    "carried deficit for '{category}', {side} is negative",
    "person {key} is in the pools twice",
    # domain/registry/
    "effective date {effective_date} is in the future",
    "only a retraction event may name an event it retracts",
    "the person is recorded dead since {effective_date}{event_ref}; retract that event before "
    "recording '{type}'",
    "a retraction must name the event it retracts",
    "a retraction must say why in its note",
    "event {retracts} is not in this person's history",
    "a retraction cannot itself be retracted; record the event anew",
    "event {id} is already retracted",
    "a name needs a surname",
    "a name needs a given name",
    "language '{language}' is not an ISO 639-1/3 code",
    "{kind} identifier is empty",
    "a relative needs a name",
    "a person needs at least one name",
    "only one name can be primary",
    "side '{side}' is not a party code such as UA or RU",
    "a record id is at most {RECORD_ID_LENGTH} characters",
    "{kind} {value} is given twice",
    # domain/remains/
    "a handoff names the bag, who received it and the seal number",
    "bag {bag}: a handoff cannot precede the last one",
    "a batch's counts cannot be negative",
    "a batch needs the place of handover",
    "a batch passes between two different parties",
    "body {body_tag}: {value} cannot follow {value2}",
    "body {body_tag}: name the missing person identified",
    "body {body_tag}: {recorded_by} recorded the preliminary identification; another person must "
    "confirm it",
    "body {body_tag}: the confirmation names another person than the preliminary identification",
    "say who gave or withdrew the consent",
    "a consent decision cannot be dated {on}, after today",
    # web/console/
    "'{text}' is not a date YYYY-MM-DD",
    "the claimed count is a whole number, 0 or more",
    # web/console/exchange/
    "'{text}' is not a registry id",
    "the day of the visit is needed",
    "the day it happened is needed",
    "'{text}' is not a whole number",
    "the file is too large",
    "'{person}' is not a registry id",
    # services/registry/
    "the file has no entries",
    "{text} is also on row {rows} of this file",
    "{value} already belongs to person {owner} in the registry",
    # services/remains/
    "{marker} is not in the instance's frequency table ({FREQUENCY_TABLE})",
    "family {name} is already stored",
    "{record} is already a missing person of family {where}",
    "no registry person {person_id}",
    "longer than {MAX_ALLELE}",
    "longer than {MAX_ID}",
    "body {member} is not registered: give the batch to register it in",
    "not a number",
    "body {member} already has a profile",
    # interchange/
    "not representable as canonical JSON: {exc}",
    "a bundle timestamp needs a timezone; naive datetimes are ambiguous",
    "must be a UTC timestamp such as 2025-06-02T10:00:00Z",
    "must be empty, YYYY, YYYY-MM or YYYY-MM-DD",
    "is not in canonical base64 form",
    "must encode {size} bytes, not {n_decoded}",
    "must be a day YYYY-MM-DD",
    "is not base64: {exc}",
    "recipients: a party is named twice",
    "changes.added names a key that is not among the entries",
    "changes.removed names a key that is still among the entries",
    "a relay's receipt must say to whom it forwarded the bundle",
    "a recipient's receipt forwards to nobody: forwarded_to is null",
    "new_fingerprint is not the fingerprint of new_public_key",
    "entries[{position}]: ref {ref} appears twice",
    "cannot seal this bundle: {check} check: {detail}",
    "a {value} bundle announces no key",
    "no printed words for language '{language}'",
    "{source}: key {signer_fingerprint} is not trusted for {party}{where}",
    "{source}: {refusal}",
    "--keep-column names no column of this file",
    "columns {quoted} are both {field}; keep one",
    "this column appears twice",
    "not read from a persons file: {_NOT_FOR_PERSONS}",
    "{private_path} exists; refusing to replace a signing key",
    "{directory} is not an Ed25519 key",
    "no key with fingerprint {fingerprint_text} in the trust store",
    "not an Ed25519 public key: {exc}",
    "key {fingerprint} is already trusted",
    "key {fingerprint} was revoked on {revoked_at}",
    "the key is not an Ed25519 public key",
    "row {number} has {n_row} cells for {n_columns} columns",
    "a list needs a full_name column, or surname and given_name columns",
    "'{values}' is not male or female",
    "the list has no entries",
    "a shared list does not carry this column; remove it",
    "'{value}' is not one of: {allowed}",
    "'{value}' is not a party code such as UA or RU",
    "required column is missing",
    "{birth} is in the future",
    "must not be empty",
    "a status needs its date (or an incident date)",
    "a status date was given without a status",
    "{when} is in the future",
    "'{domain}' is not a domain name such as ua.parley.invalid",
    "'{value}' is not a record id such as example.org/person.123",
    "'{value}' is not a UTC time such as 2024-05-01T12:00:00Z",
    "'{value}' is not a date; PFIF uses YYYY, YYYY-MM or YYYY-MM-DD",
    "'{value}' is not an upper-case two-letter country code such as UA",
    "'{value}' is not an age (a number, or a range such as 20-25)",
    "'{value}' is not a real time: {exc}",
    "'{value}' is not one of: {table}",
    "format '{fmt}' is not one of {FORMATS}",
    "'{suffix}' files are not supported; use CSV or XLSX",
    "a value in a column without a header; name the column or empty it",
    "{n_cells} cells but only {n_headers} headers; a value has no column",
    # store/
    "cannot sort by '{sort}': choose {columns}",
    "page {named} is past the last page",
    "no account with id {account_id}",
    # store/registry/
    "no person with id {person_id}",
    # linkage/
    "estimating the share of matching pairs",
    "estimating u from random pairs",
    "a registry of {registry} persons: keeping the default u",
    "a list of {n_training_list} entries: keeping the default m",
    "estimating m by expectation maximisation",
    "a training rule found no pairs; skipped",
    "EM underflowed within {limit} iterations; trying fewer",
    "{name} cannot name an extra field",
    "{name} of {unique_id} holds a separator: {text}",
    "{name} of {unique_id}: a key contains a space",
    # web/
    "this route needs an API token: 'Authorization: Bearer …'",
    "log in first",
    # what a running job says it is doing (the services' `note(...)`)
    "selecting the pools",
    "reading {n_release_ids} persons' records",
    "drawing the manifests",
    "storing the manifests as lists",
    "reading the list",
    "reading the file",
    "checking and storing the persons",
    "writing the document",
    "gathering the round's figures",
    "writing the report",
    "selecting persons",
    "engine records: {done}/{n_outdated}",
    "building the engine's records of {n_outdated} persons",
    "preparing the registry",
    "scoring candidate pairs",
    "scoring pairs within the registry",
    "no model yet: training on this list",
    "the stored model predates this engine's comparisons: retraining on this list",
    # what a finished job or an import says it did (services/jobs/kinds.py, registry/imports.py
    # and pfif.py)
    "match run {id}: {entries} entries — {matched} matched, {review} to review, {no_match} "
    "no match",
    "{file}: {rows} persons imported ({encoding})",
    "{file} was already imported on {when} by {by} (import {id}); nothing changed",
    "{file}: {imported} persons imported, {present} already present (PFIF 1.4, {records} records)",
    # Python's own ValueError, shown as the console's list form receives it (web/console/lists.py)
    "'{value}' is not a valid {enum}",
    "Invalid isoformat string: {value}",
    "month must be in 1..12",
    "day is out of range for month",
    # built by the error classes (domain/errors.py) and the job worker (domain/jobs.py)
    "bundle refused: {check} check failed: {detail}",
    "{file}: import refused, {count} problems found; nothing was stored",
    "{file}: import refused, {count} problem found; nothing was stored",
    "row {row}, field '{field}': {message}",
    "{file}: row {row}, field '{field}': {message}",
    "… and {more} more",
    "interrupted by restart",
    "the job failed without saying why",
    "{text} … (message cut)",
)
"""Every error message the console translates, in the code's exact English."""

_NESTED = {"message", "detail", "exc", "reason", "error"}
"""Values that are themselves a message (the error a wrapping one carries)."""
_COUNTS = {"done", "rows", "entries", "matched", "review", "no_match", "imported", "present"}
_COUNT = re.compile(r"\d{1,3}(,\d{3})*")
_MINUTE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


def _value(name: str, value: str, depth: int) -> str:
    if (name in _COUNTS or name.startswith("n_") or name == "records") and _COUNT.fullmatch(value):
        return i18n.format_number(int(value.replace(",", "")))
    if name == "when" and _MINUTE.fullmatch(value):  # an import's time, written in UTC
        moment = datetime.fromisoformat(value).replace(tzinfo=UTC)
        return str(i18n.format_when(moment).striptags())
    if name in _NESTED:
        inner = ERRORS.read(value, depth + 1)
        return inner if inner != value else SENTENCES.read(value, depth + 1)
    return value


_SHAPES = {
    "row": r"\d+",
    "birth": r"\S+",
    "when": r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?",
}
"""Values that are a number or a date, so that they never swallow a wrapper's words."""
ERRORS = Reader(TEMPLATES, _value, _SHAPES, default_shape=r".+?", split=False, wrappers_first=True)


def said(text: object) -> str:
    """An error message in the current language, line by line (a failed job's message lists
    a file's problems under it); as written where no template fits."""
    return "\n".join(ERRORS.read(line) for line in str(text or "").split("\n"))
