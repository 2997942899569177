"""One family of errors, each with a stable code.

The code is API: the web layer maps it to an HTTP status, the CLI to an exit code, and
`docs/errors.md` documents each one. Never rename a code.

    ParleyError
    ├── NotFound ─ InstanceNotFound
    │   ├── registry: PersonNotFound, EventNotFound
    │   ├── accounts: AccountNotFound
    │   ├── matching: MatchRunNotFound
    │   ├── lists: ListNotFound, BundleNotFound, ReconciliationNotFound
    │   ├── exchange: StageNotFound, CommissionNotFound, ExaminationNotFound
    │   ├── children: ChildCaseNotFound
    │   └── remains: RemainsNotFound
    ├── InvalidInput ─ InvalidCsrf, BackupRefused
    │   ├── registry: InvalidDate, InvalidName, InvalidEvent, ImportRejected
    │   ├── matching: NoLinkageModel
    │   ├── lists: BundleRefused
    │   ├── exchange: InvalidCommission, InvalidExamination, UnknownCategory, NotOnManifest
    │   └── remains: InvalidRemainsStep
    ├── Conflict ─ InstanceExists, SigningKeyExists, KeyAlreadyTrusted
    │   ├── registry: DuplicateIdentifier
    │   ├── accounts: DuplicateAccount
    │   ├── lists: ListVersionExists, ListAltered
    │   └── exchange: DuplicateCommission, ExaminationAlreadyRecorded, StepAlreadyRecorded,
    │   │             OutcomeAlreadyRecorded
    │   └── remains: SecondPersonRequired
    ├── SchemaOutdated (run `parley upgrade`)
    ├── AuthenticationFailed
    ├── PermissionDenied ─ children: ExportNotApproved
    └── IntegrityBroken (audit chain)

A specific error keeps its parent's HTTP status and CLI exit code unless `web/errors.py` or
`cli/_common.py` name its own: a client that knew only `not_found` still sees a 404.
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


class InvalidCommission(InvalidInput):
    """A Mixed Medical Commission not composed as GC III Annex II requires."""

    code = "invalid_commission"


class InvalidExamination(InvalidInput):
    """An examination whose votes or decision break GC III arts. 110–113 or Annex II."""

    code = "invalid_examination"


class ExportNotApproved(PermissionDenied):
    code = "export_not_approved"


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
)
