"""The SQL unit of work: one session, one transaction, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from parley.store.agreements import SqlAgreementRepository
from parley.store.exchange_repository import SqlExchangeRepository
from parley.store.list_repository import SqlListRepository
from parley.store.match_repository import SqlMatchRepository
from parley.store.repositories import (
    SqlAccountRepository,
    SqlAuditRepository,
    SqlEventRepository,
    SqlImportRepository,
    SqlPersonRepository,
)


class SqlUnitOfWork:
    def __init__(self, engine: Engine) -> None:
        self._factory = sessionmaker(bind=engine, expire_on_commit=False)

    def __enter__(self) -> Self:
        self.session: Session = self._factory()
        self.persons = SqlPersonRepository(self.session)
        self.events = SqlEventRepository(self.session)
        self.accounts = SqlAccountRepository(self.session)
        self.audit = SqlAuditRepository(self.session)
        self.imports = SqlImportRepository(self.session)
        self.matches = SqlMatchRepository(self.session)
        self.lists = SqlListRepository(self.session)
        self.exchange = SqlExchangeRepository(self.session)
        self.agreements = SqlAgreementRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
