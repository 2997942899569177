"""The lists track's use cases as the views every door shows.

Each function runs a use case and gives back what the API returns and the CLI prints with
`--json`, so neither door converts rows and the two cannot drift apart. The console, which
renders more than a view holds, calls the use cases themselves.
"""

from __future__ import annotations

from parley.domain.accounts.accounts import Actor
from parley.domain.lists import EntryResponse
from parley.domain.paging import PageRequest
from parley.interchange.keys import TrustStore
from parley.services.lists.bundles import (
    Keyring,
    acknowledgments,
    import_bundle,
    list_bundles,
    revoke_key,
    trusted_keys,
)
from parley.services.lists.lists import (
    ListDraft,
    RegistrySelection,
    build_list,
    get_list,
    list_entries,
    versions,
)
from parley.services.lists.lists import list_lists as _list_lists
from parley.services.lists.reconciliation import reconcile, reconciliation, respond
from parley.services.lists.views import (
    AckOut,
    BuildOut,
    BundleImportView,
    BundlesOut,
    ListDetailOut,
    ListEntriesOut,
    ListOut,
    ListsOut,
    ReconciliationOut,
    TrustedKeyOut,
)
from parley.services.uow import UnitOfWork


def lists_view(uow: UnitOfWork, actor: Actor, offset: int = 0, limit: int = 50) -> ListsOut:
    """A page of every list version held here: `GET /lists`, `parley list all --json`."""
    found, total = _list_lists(uow, actor, offset, limit)
    return ListsOut.of(found, total)


def build_list_view(
    uow: UnitOfWork, actor: Actor, party: str, draft: ListDraft, selection: RegistrySelection
) -> BuildOut:
    return BuildOut.of(build_list(uow, actor, party, draft, selection))


def list_view(uow: UnitOfWork, actor: Actor, list_id: int) -> ListDetailOut:
    """A list with every entry at once (a long list: `list_entries_view`, a window at a time)."""
    return ListDetailOut.of(get_list(uow, actor, list_id))


def list_entries_view(
    uow: UnitOfWork, actor: Actor, list_id: int, offset: int = 0, limit: int = 50
) -> ListEntriesOut:
    """A window of a list's entries in list order: `GET /lists/{id}/entries`."""
    stored, entries = list_entries(uow, actor, list_id, PageRequest(offset, limit))
    return ListEntriesOut.of(stored, entries, offset, limit)


def versions_view(uow: UnitOfWork, actor: Actor, list_id: int) -> list[ListOut]:
    return [ListOut.of(s) for s in versions(uow, actor, list_id)]


def reconcile_view(uow: UnitOfWork, actor: Actor, list_id: int) -> ReconciliationOut:
    return ReconciliationOut.of(reconcile(uow, actor, list_id))


def reconciliation_view(uow: UnitOfWork, actor: Actor, list_id: int) -> ReconciliationOut:
    """The latest reconciliation: `GET /lists/{id}/reconciliation`, `parley list report --json`."""
    return ReconciliationOut.of(reconciliation(uow, actor, list_id))


def respond_view(
    uow: UnitOfWork,
    actor: Actor,
    party: str,
    list_id: int,
    overrides: dict[str, EntryResponse] | None = None,
) -> BuildOut:
    return BuildOut.of(respond(uow, actor, party, list_id, overrides))


def import_bundle_view(
    uow: UnitOfWork, actor: Actor, keyring: Keyring, file_name: str, raw: bytes, relay: bool
) -> BundleImportView:
    """A bundle taken in (or refused, `accepted` false, the failed check among `checks`)."""
    return BundleImportView.of(import_bundle(uow, actor, keyring, file_name, raw, relay))


def bundles_view(uow: UnitOfWork, actor: Actor, offset: int = 0, limit: int = 50) -> BundlesOut:
    found, total = list_bundles(uow, actor, offset, limit)
    return BundlesOut.of(found, total)


def acknowledgments_view(
    uow: UnitOfWork, actor: Actor, offset: int = 0, limit: int = 50
) -> list[AckOut]:
    """Our lists as sent, each with the receipts that came back."""
    return [AckOut.of(a) for a in acknowledgments(uow, actor, offset, limit)[0]]


def trusted_keys_view(actor: Actor, store: TrustStore) -> list[TrustedKeyOut]:
    return [TrustedKeyOut.of(k) for k in trusted_keys(actor, store)]


def revoke_key_view(
    uow: UnitOfWork, actor: Actor, store: TrustStore, key_fingerprint: str, reason: str
) -> TrustedKeyOut:
    return TrustedKeyOut.of(revoke_key(uow, actor, store, key_fingerprint, reason))
