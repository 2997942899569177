"""The lists track: its use cases, re-exported from the modules that hold them.

- `bundles`: Signed handover: export our lists as bundles, take in the other side's, relay,
  acknowledge.
- `documents`: A list as a file people open: CSV and XLSX for spreadsheets, PDF for paper.
- `lists`: Lists: build one from the registry or a file, keep its versions, read and export
  them.
- `reconciliation`: Reconciliation: the matching engine over a received list, and the response
  it proposes.
- `views`: What the lists track shows: lists, versions, reconciliations, bundles and receipts.

Shapes shown by every door are in `views`; what the repository takes and gives is in `rows`.
"""

from parley.services.lists.bundles import (
    Acknowledgment,
    ImportOutcome,
    Keyring,
    acknowledgments,
    announce_key,
    bundle_content,
    export_bundle,
    import_bundle,
    keep_bundle,
    list_bundles,
    outcome_verification,
    register_receiver,
    revoke_key,
    trusted_keys,
    unacknowledged,
)
from parley.services.lists.documents import (
    DOCUMENT_FORMATS,
    MEDIA_TYPES,
    ListDocument,
    render,
)
from parley.services.lists.lists import (
    EXPORT_COLUMNS,
    BuildResult,
    ListDetail,
    ListDraft,
    Note,
    RegistrySelection,
    build_list,
    export_rows,
    get_list,
    import_list,
    list_lists,
    list_payload,
    now_text,
    party_list_of,
    store_received,
    store_version,
    versions,
)
from parley.services.lists.reconciliation import (
    ReconciledEntry,
    Reconciliation,
    match_list,
    reconcile,
    reconciliation,
    respond,
)
from parley.services.lists.views import (
    AckOut,
    BuildOut,
    BundleOut,
    BundlesOut,
    CheckOut,
    ListDetailOut,
    ListOut,
    ListsOut,
    ReconciledOut,
    ReconciliationOut,
    checks_of,
)

__all__ = [
    "DOCUMENT_FORMATS",
    "EXPORT_COLUMNS",
    "MEDIA_TYPES",
    "AckOut",
    "Acknowledgment",
    "BuildOut",
    "BuildResult",
    "BundleOut",
    "BundlesOut",
    "CheckOut",
    "ImportOutcome",
    "Keyring",
    "ListDetail",
    "ListDetailOut",
    "ListDocument",
    "ListDraft",
    "ListOut",
    "ListsOut",
    "Note",
    "ReconciledEntry",
    "ReconciledOut",
    "Reconciliation",
    "ReconciliationOut",
    "RegistrySelection",
    "acknowledgments",
    "announce_key",
    "build_list",
    "bundle_content",
    "checks_of",
    "export_bundle",
    "export_rows",
    "get_list",
    "import_bundle",
    "import_list",
    "keep_bundle",
    "list_bundles",
    "list_lists",
    "list_payload",
    "match_list",
    "now_text",
    "outcome_verification",
    "party_list_of",
    "reconcile",
    "reconciliation",
    "register_receiver",
    "render",
    "respond",
    "revoke_key",
    "store_received",
    "store_version",
    "trusted_keys",
    "unacknowledged",
    "versions",
]
