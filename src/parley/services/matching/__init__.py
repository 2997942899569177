"""The matching track: its use cases, re-exported from the modules that hold them.

- `export`: A match run's results as one table, for review outside Parley and for the list's
  sender.
- `link_records`: The engine's records: built from a person or a list entry, and kept for every
  registry person.
- `reviews`: What waits for a reviewer across every run (the dashboard's count).
- `results`: Reading match runs and their entries, as rows and as the views every door shows.
- `runs`: Matching lists against the registry: train, run, review, decide, search.
- `tables`: The track's long tables (runs, a run's entries) paged, sorted and filtered in SQL.
- `views`: What the matching track shows: runs, their entries and candidates, models.

Shapes shown by every door are in `views`; what the repository takes and gives is in `rows`.
"""

from parley.services.matching.export import (
    COLUMNS,
    NO_CANDIDATE,
    ExportTable,
    export_rows,
)
from parley.services.matching.link_records import (
    FILL_BATCH,
    NAME_PACKAGES,
    RECIPE_VERSION,
    backfill,
    entry_record,
    for_linkage,
    person_record,
    recipe,
    refresh,
    registry_table,
    store_person_records,
)
from parley.services.matching.results import (
    entries_page,
    get_run,
    list_runs,
    run_entries,
    run_view,
    run_views,
)
from parley.services.matching.reviews import pending_reviews
from parley.services.matching.runs import (
    MAX_CANDIDATES,
    ReviewItem,
    RunOutcome,
    candidate_of,
    decide,
    entry_json,
    find_duplicates,
    match_entries,
    next_review,
    people,
    read_entries,
    run_match,
    settled_entries,
    split_full_name,
    train_model,
    train_view,
    training_entries_from_runs,
)
from parley.services.matching.search import (
    SEARCH_DEPTH,
    SearchHit,
    search_page,
    search_persons,
)
from parley.services.matching.tables import (
    ENTRY_FILTERS,
    ENTRY_SORTS,
    RUN_FILTERS,
    RUN_KINDS,
    RUN_SORTS,
    entry_table,
    run_table,
)
from parley.services.matching.views import (
    CandidateOut,
    EntriesOut,
    EntryOut,
    FieldOut,
    ModelOut,
    RunOut,
)

__all__ = [
    "COLUMNS",
    "ENTRY_FILTERS",
    "ENTRY_SORTS",
    "FILL_BATCH",
    "MAX_CANDIDATES",
    "NAME_PACKAGES",
    "NO_CANDIDATE",
    "RECIPE_VERSION",
    "RUN_FILTERS",
    "RUN_KINDS",
    "RUN_SORTS",
    "SEARCH_DEPTH",
    "CandidateOut",
    "EntriesOut",
    "EntryOut",
    "ExportTable",
    "FieldOut",
    "ModelOut",
    "ReviewItem",
    "RunOut",
    "RunOutcome",
    "SearchHit",
    "backfill",
    "candidate_of",
    "decide",
    "entries_page",
    "entry_json",
    "entry_record",
    "entry_table",
    "export_rows",
    "find_duplicates",
    "for_linkage",
    "get_run",
    "list_runs",
    "match_entries",
    "next_review",
    "pending_reviews",
    "people",
    "person_record",
    "read_entries",
    "recipe",
    "refresh",
    "registry_table",
    "run_entries",
    "run_match",
    "run_table",
    "run_view",
    "run_views",
    "search_page",
    "search_persons",
    "settled_entries",
    "split_full_name",
    "store_person_records",
    "train_model",
    "train_view",
    "training_entries_from_runs",
]
