"""The accounts track: its use cases, re-exported from the modules that hold them.

- `accounts`: Accounts, passwords, API tokens and console sessions.
- `audit`: Reading and verifying the audit log. Writing to it happens inside every other use
  case.
- `checkpoints`: Signed checkpoints of the audit log: writing ours, keeping others', verifying
  against them.
- `need_to_know`: The one place the need-to-know rule is applied: a view in, the view this actor
  may see out.
- `shown`: The accounts track's use cases as the views every door shows.
- `views`: What the accounts track shows: the account asking, the audit log, its checkpoints.

Shapes shown by every door are in `views`; what the repository takes and gives is in `rows`.
"""

from parley.services.accounts.accounts import (
    LANGUAGES,
    SESSION_LIFETIME,
    TOKEN_PREFIX,
    IssuedToken,
    OpenedSession,
    SessionView,
    actor_for_token,
    actor_for_username,
    authenticate,
    check_csrf,
    close_session,
    create_account,
    generate_password,
    issue_token,
    list_accounts,
    list_tokens,
    open_session,
    resume_session,
    revoke_token,
    set_active,
    set_language,
)
from parley.services.accounts.audit import (
    audit_table,
    log,
    recent_entries,
    verify,
)
from parley.services.accounts.checkpoints import (
    checkpoint_content,
    keep_file,
    keep_received,
    list_checkpoints,
    read_against,
    sign_checkpoint,
    verify_log,
    write_checkpoint,
)
from parley.services.accounts.need_to_know import (
    redact,
    redact_all,
    sensitivity,
)
from parley.services.accounts.shown import (
    audit_view,
    checkpoints_view,
    keep_file_view,
    me,
    verify_log_view,
    write_checkpoint_view,
)
from parley.services.accounts.views import (
    AuditEntryView,
    AuditReport,
    CheckpointOut,
    CheckpointsOut,
    Health,
    Me,
    PageView,
    SignedCheckpointOut,
)

__all__ = [
    "LANGUAGES",
    "SESSION_LIFETIME",
    "TOKEN_PREFIX",
    "AuditEntryView",
    "AuditReport",
    "CheckpointOut",
    "CheckpointsOut",
    "Health",
    "IssuedToken",
    "Me",
    "OpenedSession",
    "PageView",
    "SessionView",
    "SignedCheckpointOut",
    "actor_for_token",
    "actor_for_username",
    "audit_table",
    "audit_view",
    "authenticate",
    "check_csrf",
    "checkpoint_content",
    "checkpoints_view",
    "close_session",
    "create_account",
    "generate_password",
    "issue_token",
    "keep_file",
    "keep_file_view",
    "keep_received",
    "list_accounts",
    "list_checkpoints",
    "list_tokens",
    "log",
    "me",
    "open_session",
    "read_against",
    "recent_entries",
    "redact",
    "redact_all",
    "resume_session",
    "revoke_token",
    "sensitivity",
    "set_active",
    "set_language",
    "sign_checkpoint",
    "verify",
    "verify_log",
    "verify_log_view",
    "write_checkpoint",
    "write_checkpoint_view",
]
