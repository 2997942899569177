"""The matching track."""

from parley.services.matching.export import (
    COLUMNS as COLUMNS,
)
from parley.services.matching.export import (
    NO_CANDIDATE as NO_CANDIDATE,
)
from parley.services.matching.export import (
    ExportTable as ExportTable,
)
from parley.services.matching.export import (
    export_rows as export_rows,
)
from parley.services.matching.link_records import (
    FILL_BATCH as FILL_BATCH,
)
from parley.services.matching.link_records import (
    NAME_PACKAGES as NAME_PACKAGES,
)
from parley.services.matching.link_records import (
    RECIPE_VERSION as RECIPE_VERSION,
)
from parley.services.matching.link_records import (
    backfill as backfill,
)
from parley.services.matching.link_records import (
    entry_record as entry_record,
)
from parley.services.matching.link_records import (
    for_linkage as for_linkage,
)
from parley.services.matching.link_records import (
    person_record as person_record,
)
from parley.services.matching.link_records import (
    recipe as recipe,
)
from parley.services.matching.link_records import (
    refresh as refresh,
)
from parley.services.matching.link_records import (
    registry_table as registry_table,
)
from parley.services.matching.link_records import (
    store as store,
)
from parley.services.matching.runs import (
    MAX_CANDIDATES as MAX_CANDIDATES,
)
from parley.services.matching.runs import (
    SEARCH_DEPTH as SEARCH_DEPTH,
)
from parley.services.matching.runs import (
    ReviewItem as ReviewItem,
)
from parley.services.matching.runs import (
    RunOutcome as RunOutcome,
)
from parley.services.matching.runs import (
    SearchHit as SearchHit,
)
from parley.services.matching.runs import (
    candidate_of as candidate_of,
)
from parley.services.matching.runs import (
    decide as decide,
)
from parley.services.matching.runs import (
    entry_json as entry_json,
)
from parley.services.matching.runs import (
    find_duplicates as find_duplicates,
)
from parley.services.matching.runs import (
    get_run as get_run,
)
from parley.services.matching.runs import (
    list_runs as list_runs,
)
from parley.services.matching.runs import (
    match_entries as match_entries,
)
from parley.services.matching.runs import (
    next_review as next_review,
)
from parley.services.matching.runs import (
    people as people,
)
from parley.services.matching.runs import (
    read_entries as read_entries,
)
from parley.services.matching.runs import (
    run_entries as run_entries,
)
from parley.services.matching.runs import (
    run_match as run_match,
)
from parley.services.matching.runs import (
    search_page as search_page,
)
from parley.services.matching.runs import (
    search_persons as search_persons,
)
from parley.services.matching.runs import (
    settled_entries as settled_entries,
)
from parley.services.matching.runs import (
    split_full_name as split_full_name,
)
from parley.services.matching.runs import (
    train_model as train_model,
)
from parley.services.matching.runs import (
    training_entries_from_runs as training_entries_from_runs,
)
