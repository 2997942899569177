"""SQL for the registry track: persons and their names (`persons`), their events, status and
the files imported (`events`); see `services.uow`."""

from parley.store.registry.events import SqlEventRepository, SqlImportRepository
from parley.store.registry.persons import SqlPersonRepository

__all__ = ["SqlEventRepository", "SqlImportRepository", "SqlPersonRepository"]
