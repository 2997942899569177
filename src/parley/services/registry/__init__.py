"""The registry track: its use cases, re-exported from the modules that hold them.

- `imports`: Importing a persons file: all rows or none, every problem reported at once.
- `persons`: The registry's use cases: register people, record what happened to them, find them.
- `pfif`: PFIF 1.4 export and import of persons: the registry's door to tracing registries
  elsewhere.
- `shown`: The registry track's use cases as the views every door shows.
- `statistics`: Aggregate figures for the public page: counts only, small ones suppressed.
- `views`: What the use cases show the outside world, as Pydantic models.

Shapes shown by every door are in `views`; what the repository takes and gives is in `rows`.
"""

from parley.services.accounts import PageView
from parley.services.registry.imports import (
    ImportOutcome,
    import_persons,
)
from parley.services.registry.persons import (
    AUDIT_CHUNK,
    PersonRecord,
    append_events,
    check_identifiers_free,
    find_persons,
    log_created,
    name_keys_of,
    person_sides,
    person_table,
    record_event,
    record_events,
    register_many,
    register_person,
    show_person,
    store_person,
    today,
    walk_persons,
)
from parley.services.registry.pfif import (
    DOMAIN_ENV,
    AlreadyPresent,
    PfifImportOutcome,
    domain_for,
    export_pfif,
    import_pfif,
)
from parley.services.registry.shown import (
    import_persons_view,
    import_pfif_view,
    person_view,
    persons_view,
    record_event_view,
    register_person_view,
    search_view,
    walk_person_views,
)
from parley.services.registry.statistics import (
    SUPPRESS_BELOW,
    PublicFigure,
    public_figure_views,
    public_figures,
)
from parley.services.registry.views import (
    AlreadyPresentView,
    EventView,
    Figure,
    IdentifierView,
    NameView,
    PersonsImportView,
    PersonSummaryView,
    PersonView,
    PfifImportView,
    RelativeView,
    SearchHitView,
)

__all__ = [
    "AUDIT_CHUNK",
    "DOMAIN_ENV",
    "SUPPRESS_BELOW",
    "AlreadyPresent",
    "AlreadyPresentView",
    "EventView",
    "Figure",
    "IdentifierView",
    "ImportOutcome",
    "NameView",
    "PageView",
    "PersonRecord",
    "PersonSummaryView",
    "PersonView",
    "PersonsImportView",
    "PfifImportOutcome",
    "PfifImportView",
    "PublicFigure",
    "RelativeView",
    "SearchHitView",
    "append_events",
    "check_identifiers_free",
    "domain_for",
    "export_pfif",
    "find_persons",
    "import_persons",
    "import_persons_view",
    "import_pfif",
    "import_pfif_view",
    "log_created",
    "name_keys_of",
    "person_sides",
    "person_table",
    "person_view",
    "persons_view",
    "public_figure_views",
    "public_figures",
    "record_event",
    "record_event_view",
    "record_events",
    "register_many",
    "register_person",
    "register_person_view",
    "search_view",
    "show_person",
    "store_person",
    "today",
    "walk_person_views",
    "walk_persons",
]
