"""The accounts track."""

from parley.services.accounts.accounts import (
    LANGUAGES as LANGUAGES,
)
from parley.services.accounts.accounts import (
    SESSION_LIFETIME as SESSION_LIFETIME,
)
from parley.services.accounts.accounts import (
    TOKEN_PREFIX as TOKEN_PREFIX,
)
from parley.services.accounts.accounts import (
    IssuedToken as IssuedToken,
)
from parley.services.accounts.accounts import (
    OpenedSession as OpenedSession,
)
from parley.services.accounts.accounts import (
    SessionView as SessionView,
)
from parley.services.accounts.accounts import (
    actor_for_token as actor_for_token,
)
from parley.services.accounts.accounts import (
    actor_for_username as actor_for_username,
)
from parley.services.accounts.accounts import (
    authenticate as authenticate,
)
from parley.services.accounts.accounts import (
    check_csrf as check_csrf,
)
from parley.services.accounts.accounts import (
    close_session as close_session,
)
from parley.services.accounts.accounts import (
    create_account as create_account,
)
from parley.services.accounts.accounts import (
    generate_password as generate_password,
)
from parley.services.accounts.accounts import (
    issue_token as issue_token,
)
from parley.services.accounts.accounts import (
    list_accounts as list_accounts,
)
from parley.services.accounts.accounts import (
    list_tokens as list_tokens,
)
from parley.services.accounts.accounts import (
    open_session as open_session,
)
from parley.services.accounts.accounts import (
    resume_session as resume_session,
)
from parley.services.accounts.accounts import (
    revoke_token as revoke_token,
)
from parley.services.accounts.accounts import (
    set_active as set_active,
)
from parley.services.accounts.accounts import (
    set_language as set_language,
)
from parley.services.accounts.audit import (
    log as log,
)
from parley.services.accounts.audit import (
    recent_entries as recent_entries,
)
from parley.services.accounts.audit import (
    verify as verify,
)
