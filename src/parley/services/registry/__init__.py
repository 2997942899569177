"""The registry track: its use cases, re-exported from the modules that hold them.

- `imports`: Importing a persons file: all rows or none, every problem reported at once.
- `persons`: The registry's use cases: register people, record what happened to them, find them.
- `pfif`: PFIF 1.4 export and import of persons: the registry's door to tracing registries
  elsewhere.
- `statistics`: Aggregate figures for the public page: counts only, small ones suppressed.
- `views`: What the use cases show the outside world, as Pydantic models.

Shapes shown by every door are in `views`; what the repository takes and gives is in `rows`.
"""

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
    AlreadyPresentView,
    PfifImportOutcome,
    PfifImportView,
    domain_for,
    export_pfif,
    import_pfif,
)
from parley.services.registry.statistics import (
    SUPPRESS_BELOW,
    PublicFigure,
    public_figures,
)
from parley.services.registry.views import (
    EventView,
    IdentifierView,
    NameView,
    PageView,
    PersonSummaryView,
    PersonView,
    RelativeView,
    T,
)

__all__ = [
    "AUDIT_CHUNK",
    "DOMAIN_ENV",
    "SUPPRESS_BELOW",
    "AlreadyPresent",
    "AlreadyPresentView",
    "EventView",
    "IdentifierView",
    "ImportOutcome",
    "NameView",
    "PageView",
    "PersonRecord",
    "PersonSummaryView",
    "PersonView",
    "PfifImportOutcome",
    "PfifImportView",
    "PublicFigure",
    "RelativeView",
    "T",
    "append_events",
    "check_identifiers_free",
    "domain_for",
    "export_pfif",
    "find_persons",
    "import_persons",
    "import_pfif",
    "log_created",
    "name_keys_of",
    "person_sides",
    "person_table",
    "public_figures",
    "record_event",
    "record_events",
    "register_many",
    "register_person",
    "show_person",
    "store_person",
    "today",
    "walk_persons",
]
