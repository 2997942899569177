"""The registry track."""

from parley.services.registry.imports import (
    ImportOutcome as ImportOutcome,
)
from parley.services.registry.imports import (
    import_persons as import_persons,
)
from parley.services.registry.persons import (
    AUDIT_CHUNK as AUDIT_CHUNK,
)
from parley.services.registry.persons import (
    PersonRecord as PersonRecord,
)
from parley.services.registry.persons import (
    append_events as append_events,
)
from parley.services.registry.persons import (
    check_identifiers_free as check_identifiers_free,
)
from parley.services.registry.persons import (
    find_persons as find_persons,
)
from parley.services.registry.persons import (
    log_created as log_created,
)
from parley.services.registry.persons import (
    name_keys_of as name_keys_of,
)
from parley.services.registry.persons import (
    record_event as record_event,
)
from parley.services.registry.persons import (
    record_events as record_events,
)
from parley.services.registry.persons import (
    register_many as register_many,
)
from parley.services.registry.persons import (
    register_person as register_person,
)
from parley.services.registry.persons import (
    show_person as show_person,
)
from parley.services.registry.persons import (
    store_person as store_person,
)
from parley.services.registry.persons import (
    today as today,
)
from parley.services.registry.persons import (
    walk_persons as walk_persons,
)
from parley.services.registry.pfif import (
    DOMAIN_ENV as DOMAIN_ENV,
)
from parley.services.registry.pfif import (
    AlreadyPresent as AlreadyPresent,
)
from parley.services.registry.pfif import (
    AlreadyPresentView as AlreadyPresentView,
)
from parley.services.registry.pfif import (
    PfifImportOutcome as PfifImportOutcome,
)
from parley.services.registry.pfif import (
    PfifImportView as PfifImportView,
)
from parley.services.registry.pfif import (
    domain_for as domain_for,
)
from parley.services.registry.pfif import (
    export_pfif as export_pfif,
)
from parley.services.registry.pfif import (
    import_pfif as import_pfif,
)
from parley.services.registry.statistics import (
    SUPPRESS_BELOW as SUPPRESS_BELOW,
)
from parley.services.registry.statistics import (
    PublicFigure as PublicFigure,
)
from parley.services.registry.statistics import (
    public_figures as public_figures,
)
