"""The lists track."""

from parley.services.lists.bundles import (
    Acknowledgment as Acknowledgment,
)
from parley.services.lists.bundles import (
    ImportOutcome as ImportOutcome,
)
from parley.services.lists.bundles import (
    Keyring as Keyring,
)
from parley.services.lists.bundles import (
    acknowledgments as acknowledgments,
)
from parley.services.lists.bundles import (
    announce_key as announce_key,
)
from parley.services.lists.bundles import (
    bundle_content as bundle_content,
)
from parley.services.lists.bundles import (
    export_bundle as export_bundle,
)
from parley.services.lists.bundles import (
    import_bundle as import_bundle,
)
from parley.services.lists.bundles import (
    list_bundles as list_bundles,
)
from parley.services.lists.bundles import (
    outcome_verification as outcome_verification,
)
from parley.services.lists.documents import (
    DOCUMENT_FORMATS as DOCUMENT_FORMATS,
)
from parley.services.lists.documents import (
    MEDIA_TYPES as MEDIA_TYPES,
)
from parley.services.lists.documents import (
    ListDocument as ListDocument,
)
from parley.services.lists.documents import (
    render as render,
)
from parley.services.lists.lists import (
    EXPORT_COLUMNS as EXPORT_COLUMNS,
)
from parley.services.lists.lists import (
    BuildResult as BuildResult,
)
from parley.services.lists.lists import (
    ListDetail as ListDetail,
)
from parley.services.lists.lists import (
    ListDraft as ListDraft,
)
from parley.services.lists.lists import (
    Note as Note,
)
from parley.services.lists.lists import (
    ReconciledEntry as ReconciledEntry,
)
from parley.services.lists.lists import (
    Reconciliation as Reconciliation,
)
from parley.services.lists.lists import (
    RegistrySelection as RegistrySelection,
)
from parley.services.lists.lists import (
    build_list as build_list,
)
from parley.services.lists.lists import (
    export_rows as export_rows,
)
from parley.services.lists.lists import (
    get_list as get_list,
)
from parley.services.lists.lists import (
    import_list as import_list,
)
from parley.services.lists.lists import (
    list_lists as list_lists,
)
from parley.services.lists.lists import (
    list_payload as list_payload,
)
from parley.services.lists.lists import (
    match_list as match_list,
)
from parley.services.lists.lists import (
    now_text as now_text,
)
from parley.services.lists.lists import (
    party_list_of as party_list_of,
)
from parley.services.lists.lists import (
    reconcile as reconcile,
)
from parley.services.lists.lists import (
    reconciliation as reconciliation,
)
from parley.services.lists.lists import (
    respond as respond,
)
from parley.services.lists.lists import (
    store_received as store_received,
)
from parley.services.lists.lists import (
    store_version as store_version,
)
from parley.services.lists.lists import (
    versions as versions,
)
