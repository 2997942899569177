"""One family of errors, each with a stable code.

The code is API: the web layer maps it to an HTTP status, the CLI to an exit code, and
`docs/errors.md` documents each one. Never rename a code.

    ParleyError
    ├── NotFound ─ InstanceNotFound, KeyNotFound, CheckpointNotFound
    │   ├── registry: PersonNotFound, EventNotFound
    │   ├── accounts: AccountNotFound
    │   ├── matching: MatchRunNotFound
    │   ├── lists: ListNotFound, EntryNotFound, BundleNotFound, ReconciliationNotFound
    │   ├── exchange: StageNotFound, CommissionNotFound, ExaminationNotFound
    │   ├── agreements: RoundNotFound, MemorandumNotFound, ProposalNotFound, ResponseNotFound,
    │   │               CommitmentNotFound, ClaimNotFound
    │   ├── children: ChildCaseNotFound, ExportRequestNotFound
    │   └── remains: RemainsNotFound
    ├── InvalidInput ─ InvalidCsrf, InvalidConfig, BackupRefused, CheckpointRefused
    │   ├── registry: InvalidDate, InvalidName, InvalidEvent, ImportRejected
    │   ├── matching: NoLinkageModel, NothingToMatch
    │   ├── lists: BundleRefused, ReceiptRefused, WrongParty, NoTrustedParty
    │   ├── exchange: InvalidCommission, InvalidExamination, UnknownCategory, NotOnManifest,
    │   │             StageNotReady
    │   ├── children: InvalidCaseStatus
    │   └── remains: InvalidRemainsStep
    ├── Conflict ─ InstanceExists, SigningKeyExists, KeyAlreadyTrusted, KeyAlreadyRevoked,
    │              DatabaseBusy
    │   ├── registry: DuplicateIdentifier
    │   ├── accounts: DuplicateAccount
    │   ├── lists: ListVersionExists, ListAltered
    │   ├── exchange: DuplicateCommission, ExaminationAlreadyRecorded, StepAlreadyRecorded,
    │   │             OutcomeAlreadyRecorded
    │   ├── agreements: RoundAlreadyRecorded
    │   └── remains: SecondPersonRequired
    ├── SchemaOutdated (run `parley upgrade`)
    ├── AuthenticationFailed, TooManyAttempts
    ├── PermissionDenied ─ children: ExportNotApproved
    └── IntegrityBroken (audit chain) ─ AuditLogRewritten (against a checkpoint)

A specific error keeps its parent's HTTP status and CLI exit code unless `web/errors.py` or
`cli/_common.py` name its own: a client that knew only `not_found` still sees a 404.

Everything that can be missing or refused has its own code. `InvalidInput` itself is raised
only for a value that is wrong on its face — a malformed date or number, a word not among the
choices, an empty required field, a figure out of range, a file's own syntax — where the
message and `field` already say what to fix and no code could tell a client more.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class ParleyError(Exception):
    code = "parley_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ParleyError):
    code = "not_found"


class PersonNotFound(NotFound):
    code = "person_not_found"


class AccountNotFound(NotFound):
    code = "account_not_found"


class EventNotFound(NotFound):
    code = "event_not_found"


class InstanceNotFound(NotFound):
    code = "instance_not_found"


class MatchRunNotFound(NotFound):
    code = "match_run_not_found"


class JobNotFound(NotFound):
    """No background job with that id, or one started by someone else (not shown to others)."""

    code = "job_not_found"


class ListNotFound(NotFound):
    code = "list_not_found"


class BundleNotFound(NotFound):
    code = "bundle_not_found"


class ReconciliationNotFound(NotFound):
    """The list exists but was never reconciled, so there is nothing to read or answer."""

    code = "reconciliation_not_found"


class StageNotFound(NotFound):
    code = "stage_not_found"


class CommissionNotFound(NotFound):
    code = "commission_not_found"


class ExaminationNotFound(NotFound):
    code = "examination_not_found"


class ChildCaseNotFound(NotFound):
    code = "child_case_not_found"


class RemainsNotFound(NotFound):
    """No repatriation batch or body with that id or tag."""

    code = "remains_not_found"


class InvalidInput(ParleyError):
    """`field`, when known, names the input at fault, so a form can show the error beside it."""

    code = "invalid_input"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InvalidDate(InvalidInput):
    code = "invalid_date"


class InvalidName(InvalidInput):
    code = "invalid_name"


class InvalidEvent(InvalidInput):
    code = "invalid_event"


class InvalidCsrf(InvalidInput):
    code = "invalid_csrf"


class UnknownCategory(InvalidInput):
    """A stage or a list check names a category the instance does not define."""

    code = "unknown_category"


class NotOnManifest(InvalidInput):
    """An outcome names a person on neither manifest of the stage."""

    code = "not_on_manifest"


class InvalidRemainsStep(InvalidInput):
    """A remains record breaks a rule: a body's step out of order, a bad batch or handoff."""

    code = "invalid_remains_step"


class NoLinkageModel(InvalidInput):
    code = "no_linkage_model"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of one row of an input file."""

    row: int
    field: str
    message: str
    file: str = ""

    def __str__(self) -> str:
        where = f"{self.file}: " if self.file else ""
        return f"{where}row {self.row}, field '{self.field}': {self.message}"


class ImportRejected(InvalidInput):
    """Every problem found, not just the first: the user fixes the file in one pass."""

    code = "import_rejected"

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        count = len(problems)
        super().__init__(
            f"{file}: import refused, {count} problem{'s' if count != 1 else ''} found; "
            "nothing was stored"
        )


class BundleRefused(InvalidInput):
    """A received bundle failed a check; `check` names it, so the message says what to fix."""

    code = "bundle_refused"

    def __init__(self, check: str, detail: str, bundle_sha256: str = "") -> None:
        super().__init__(f"bundle refused: {check} check failed: {detail}")
        self.check = check
        self.detail = detail
        self.bundle_sha256 = bundle_sha256


class CheckpointRefused(InvalidInput):
    """An audit checkpoint (a file, or one carried by a bundle) is malformed, not signed by a
    key trusted for its party, or signed by a key retired or revoked at that time."""

    code = "checkpoint_refused"


class BackupRefused(InvalidInput):
    """A backup file failed a check on restore; the message names the file at fault."""

    code = "backup_refused"


class Conflict(ParleyError):
    code = "conflict"


class DuplicateIdentifier(Conflict):
    code = "duplicate_identifier"


class DuplicateAccount(Conflict):
    code = "duplicate_account"


class InstanceExists(Conflict):
    code = "instance_exists"


class SigningKeyExists(Conflict):
    code = "signing_key_exists"


class KeyAlreadyTrusted(Conflict):
    code = "key_already_trusted"


class ListVersionExists(Conflict):
    """The sender already sent this version of the list with other content."""

    code = "list_version_exists"


class ListAltered(Conflict):
    """A stored list no longer hashes to the digest recorded when it was stored."""

    code = "list_altered"


class DuplicateCommission(Conflict):
    code = "duplicate_commission"


class ExaminationAlreadyRecorded(Conflict):
    code = "examination_already_recorded"


class StepAlreadyRecorded(Conflict):
    """A commission's decision is notified, and carried out, once."""

    code = "step_already_recorded"


class OutcomeAlreadyRecorded(Conflict):
    """A person's outcome at a stage is recorded once; retract the event to correct it."""

    code = "outcome_already_recorded"


class SecondPersonRequired(Conflict):
    """The account that recorded a preliminary identification tried to confirm it."""

    code = "second_person_required"


class SchemaOutdated(ParleyError):
    code = "schema_outdated"


class AuthenticationFailed(ParleyError):
    code = "authentication_failed"


class TooManyAttempts(ParleyError):
    """Too many failed logins for an account or from an address: wait `retry_after` seconds."""

    code = "too_many_attempts"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermissionDenied(ParleyError):
    code = "permission_denied"


@dataclass
class ChainBreak:
    entry_id: int
    reason: str


@dataclass
class IntegrityReport:
    checked: int
    breaks: list[ChainBreak] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks


class IntegrityBroken(ParleyError):
    code = "audit_chain_broken"


class AuditLogRewritten(IntegrityBroken):
    """The chain holds, but no longer extends a signed checkpoint: newest entries were deleted,
    or the log was rewritten and its later hashes recomputed."""

    code = "audit_log_rewritten"


class CheckpointNotFound(NotFound):
    code = "checkpoint_not_found"


class KeyNotFound(NotFound):
    """No key with that fingerprint in the trust store."""

    code = "key_not_found"


class KeyAlreadyRevoked(Conflict):
    code = "key_already_revoked"


class InvalidCommission(InvalidInput):
    """A Mixed Medical Commission not composed as GC III Annex II requires."""

    code = "invalid_commission"


class InvalidExamination(InvalidInput):
    """An examination whose votes or decision break GC III arts. 110–113 or Annex II."""

    code = "invalid_examination"


class ExportNotApproved(PermissionDenied):
    code = "export_not_approved"


class EntryNotFound(NotFound):
    """A reply or an answer names an entry reference the list does not hold."""

    code = "entry_not_found"


class RoundNotFound(NotFound):
    code = "round_not_found"


class MemorandumNotFound(NotFound):
    code = "memorandum_not_found"


class ProposalNotFound(NotFound):
    code = "proposal_not_found"


class ResponseNotFound(NotFound):
    code = "response_not_found"


class CommitmentNotFound(NotFound):
    code = "commitment_not_found"


class ClaimNotFound(NotFound):
    code = "claim_not_found"


class ExportRequestNotFound(NotFound):
    code = "export_request_not_found"


class InvalidConfig(InvalidInput):
    """The instance's own files are wrong: a setting missing from parley.toml, a database that
    is another folder's, a categories.toml that does not parse."""

    code = "invalid_config"


class NothingToMatch(InvalidInput):
    """A match or training run with nothing on one side: an empty list or an empty registry."""

    code = "nothing_to_match"


class ReceiptRefused(InvalidInput):
    """A receipt that acknowledges another bundle, or is signed by neither the addressee nor a
    trusted mediator."""

    code = "receipt_refused"


class WrongParty(InvalidInput):
    """A list or statement belongs to another party than the step needs: only our own are
    signed here, a bundle goes only to its addressees, a counterpart comes from the other side."""

    code = "wrong_party"


class NoTrustedParty(InvalidInput):
    """A new key has no one to be announced to: the trust store holds no other party."""

    code = "no_trusted_party"


class StageNotReady(InvalidInput):
    """A stage step asked for before what must come first: a manifest, every outcome, the
    signed record."""

    code = "stage_not_ready"


class InvalidCaseStatus(InvalidInput):
    """A child's case cannot move to that status: it is closed, or the status goes backwards."""

    code = "invalid_case_status"


class DatabaseBusy(Conflict):
    """Another change held the database past the busy timeout: try again in a moment."""

    code = "database_busy"


class RoundAlreadyRecorded(Conflict):
    code = "round_already_recorded"


ALL_ERRORS: tuple[type[ParleyError], ...] = (
    ParleyError,
    NotFound,
    PersonNotFound,
    AccountNotFound,
    EventNotFound,
    InstanceNotFound,
    MatchRunNotFound,
    ListNotFound,
    BundleNotFound,
    ReconciliationNotFound,
    StageNotFound,
    CommissionNotFound,
    ExaminationNotFound,
    InvalidInput,
    NoLinkageModel,
    InvalidDate,
    InvalidName,
    InvalidEvent,
    InvalidCsrf,
    UnknownCategory,
    NotOnManifest,
    ImportRejected,
    BundleRefused,
    BackupRefused,
    CheckpointRefused,
    Conflict,
    DuplicateIdentifier,
    DuplicateAccount,
    InstanceExists,
    SigningKeyExists,
    KeyAlreadyTrusted,
    ListVersionExists,
    ListAltered,
    DuplicateCommission,
    ExaminationAlreadyRecorded,
    StepAlreadyRecorded,
    OutcomeAlreadyRecorded,
    SchemaOutdated,
    AuthenticationFailed,
    PermissionDenied,
    TooManyAttempts,
    IntegrityBroken,
    InvalidCommission,
    InvalidExamination,
    InvalidRemainsStep,
    SecondPersonRequired,
    RemainsNotFound,
    ChildCaseNotFound,
    ExportNotApproved,
    EntryNotFound,
    RoundNotFound,
    MemorandumNotFound,
    ProposalNotFound,
    ResponseNotFound,
    CommitmentNotFound,
    ClaimNotFound,
    ExportRequestNotFound,
    InvalidConfig,
    NothingToMatch,
    ReceiptRefused,
    WrongParty,
    NoTrustedParty,
    StageNotReady,
    InvalidCaseStatus,
    DatabaseBusy,
    RoundAlreadyRecorded,
    AuditLogRewritten,
    KeyNotFound,
    KeyAlreadyRevoked,
    CheckpointNotFound,
)
