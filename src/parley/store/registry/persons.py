"""SQL for the registry track: persons and their names (see `services.uow`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, case, exists, func, insert, literal, or_, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from parley.domain.dates import PartialDate
from parley.domain.errors import PersonNotFound
from parley.domain.paging import Page, PageRequest, TableQuery
from parley.domain.registry.events import Status
from parley.domain.registry.persons import (
    Identifier,
    IdentifierKind,
    Person,
    PersonCategory,
    PersonName,
    PersonQuery,
    PersonSummary,
    Relative,
    Script,
    SearchCandidate,
    Sex,
    fold,
)
from parley.services.matching.rows import PersonForLinkage
from parley.store import tables as t
from parley.store._sql import SortColumns, _aware, check_window, order_by
from parley.store._time import utc_now


class SqlPersonRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, person: Person, import_id: int | None = None) -> Person:
        self.add_many([person], import_id)
        return person

    def add_many(self, persons: Sequence[Person], import_id: int | None = None) -> None:
        """Store these persons with a few statements for them all (an import's batch): one
        statement per person cost more than the rest of an import together. Sets each one's id
        and creation time."""
        if not persons:
            return
        now = utc_now()
        # the record id only when one is given: migrations before 0006 (the 0003 backfill)
        # insert without it
        with_record = any(p.record_id for p in persons)
        rows = [
            _person_row(p, p.created_at or now, import_id)
            | ({"record_id": p.record_id} if with_record else {})
            for p in persons
        ]
        statement = insert(t.persons).returning(t.persons.c.id, sort_by_parameter_order=True)
        ids = [int(i) for i in self.session.scalars(statement, rows)]
        for person, person_id in zip(persons, ids, strict=True):
            person.id = person_id
            person.created_at = person.created_at or now
        self._insert_all(
            t.person_names,
            [
                {
                    "person_id": p.id,
                    "position": i,
                    "surname": n.surname,
                    "given": n.given,
                    "patronymic": n.patronymic,
                    "script": n.script.value,
                    "language": n.language,
                    "scheme": n.scheme,
                    "is_primary": n.primary,
                    "folded": fold(n.full),
                }
                for p in persons
                for i, n in enumerate(p.names)
            ],
        )
        self._insert_all(
            t.person_identifiers,
            [
                {"person_id": p.id, "kind": i.kind.value, "value": i.value}
                for p in persons
                for i in p.identifiers
            ],
        )
        self._insert_all(
            t.person_relatives,
            [
                {
                    "person_id": p.id,
                    "name": r.name,
                    "relationship": r.relationship,
                    "contact": r.contact,
                }
                for p in persons
                for r in p.relatives
            ],
        )

    def _insert_all(self, table: Any, rows: list[dict[str, Any]]) -> None:
        if rows:
            self.session.execute(insert(table), rows)

    def get(self, person_id: int) -> Person:
        found = self.get_many([person_id])
        if person_id not in found:
            raise PersonNotFound(f"no person with id {person_id}")
        return found[person_id]

    def get_many(self, person_ids: Sequence[int]) -> dict[int, Person]:
        """Whole persons by id in four queries per chunk, not four per person."""
        found: dict[int, Person] = {}
        wanted = list(dict.fromkeys(person_ids))
        for start in range(0, len(wanted), 900):
            chunk = wanted[start : start + 900]
            rows = self.session.execute(select(t.persons).where(t.persons.c.id.in_(chunk)))
            names: dict[int, list[Any]] = {}
            for n in self.session.execute(
                select(t.person_names)
                .where(t.person_names.c.person_id.in_(chunk))
                .order_by(t.person_names.c.person_id, t.person_names.c.position)
            ).mappings():
                names.setdefault(n["person_id"], []).append(n)
            idents: dict[int, list[Any]] = {}
            for i in self.session.execute(
                select(t.person_identifiers)
                .where(t.person_identifiers.c.person_id.in_(chunk))
                .order_by(t.person_identifiers.c.id)
            ).mappings():
                idents.setdefault(i["person_id"], []).append(i)
            relatives: dict[int, list[Any]] = {}
            for r in self.session.execute(
                select(t.person_relatives)
                .where(t.person_relatives.c.person_id.in_(chunk))
                .order_by(t.person_relatives.c.id)
            ).mappings():
                relatives.setdefault(r["person_id"], []).append(r)
            for row in rows.mappings():
                pid = row["id"]
                found[pid] = _person(
                    row, names.get(pid, []), idents.get(pid, []), relatives.get(pid, [])
                )
        return found

    def count(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(t.persons)) or 0)

    def summaries(self, person_ids: list[int]) -> list[PersonSummary]:
        """The list lines of these persons, in the order asked."""
        found: dict[int, PersonSummary] = {}
        for start in range(0, len(person_ids), 500):
            chunk = person_ids[start : start + 500]
            page = self._summaries(
                t.persons.c.id.in_(chunk), PageRequest(0, len(chunk)), by_id=True
            )
            found.update({p.id: p for p in page.items})
        return [found[i] for i in person_ids if i in found]

    def add_name_keys(self, keys: Sequence[tuple[int, str, str]]) -> None:
        """(person id, part, key) of many persons in one statement."""
        self._insert_all(
            t.person_name_keys, [{"person_id": p, "part": part, "key": k} for p, part, k in keys]
        )

    def ids_with_identifier(self, values: list[str], record_id: str) -> list[int]:
        """Persons holding one of these identifier values (stored upper case) or, as written
        or in any case, this record id of ours: a search that names a person exactly."""
        p, i = t.persons, t.person_identifiers
        found = set(self.session.scalars(select(i.c.person_id).where(i.c.value.in_(values))))
        if record_id:
            ours = or_(p.c.record_id == record_id, func.lower(p.c.record_id) == record_id.lower())
            found |= set(self.session.scalars(select(p.c.id).where(ours)))
        return sorted(int(person_id) for person_id in found)

    def search_candidates(
        self, word_keys: Sequence[frozenset[str]], years: set[int], limit: int
    ) -> list[SearchCandidate]:
        """The persons whose names carry keys of the most words asked for (the best tier),
        those born in one of `years` first and those born in another last, then by name; at
        most `limit`. Ranked by the database: a common name costs `limit` rows, not thousands."""
        k, p, n = t.person_name_keys, t.persons, t.person_names
        flags = [
            func.max(case((k.c.key.in_(sorted(keys)), 1), else_=0)).label(f"w{i}")
            for i, keys in enumerate(word_keys)
        ]
        matched = (
            select(k.c.person_id, *flags)
            .where(k.c.key.in_(sorted(set().union(*word_keys))))
            .group_by(k.c.person_id)
            .cte("matched")
        )
        words = sum((matched.c[f"w{i}"] for i in range(len(word_keys))), literal(0))
        counted = select(matched, words.label("words")).cte("counted")
        best = select(func.max(counted.c.words)).scalar_subquery()
        fit = (
            case((p.c.birth_year.in_(sorted(years)), 1), (p.c.birth_year.is_(None), 0), else_=-1)
            if years
            else literal(0)
        )
        rows = self.session.execute(
            select(counted, p.c.birth_year)
            .join(p, p.c.id == counted.c.person_id)
            .join(n, and_(n.c.person_id == p.c.id, n.c.is_primary.is_(True)))
            .where(counted.c.words == best)
            .order_by(fit.desc(), n.c.surname, n.c.given, n.c.patronymic, p.c.id)
            .limit(limit)
        ).mappings()
        return [
            SearchCandidate(
                int(r["person_id"]),
                tuple(bool(r[f"w{i}"]) for i in range(len(word_keys))),
                None if r["birth_year"] is None else int(r["birth_year"]),
            )
            for r in rows
        ]

    def linkage_rows(self) -> list[PersonForLinkage]:
        names: dict[int, list[tuple[str, str, str, bool]]] = {}
        for row in self.session.execute(
            select(
                t.person_names.c.person_id,
                t.person_names.c.surname,
                t.person_names.c.given,
                t.person_names.c.patronymic,
                t.person_names.c.is_primary,
            ).order_by(t.person_names.c.person_id, t.person_names.c.position)
        ):
            names.setdefault(row[0], []).append((row[1], row[2], row[3], bool(row[4])))
        identifiers: dict[int, dict[str, str]] = {}
        for person_id, kind, value in self.session.execute(
            select(
                t.person_identifiers.c.person_id,
                t.person_identifiers.c.kind,
                t.person_identifiers.c.value,
            )
        ):
            identifiers.setdefault(person_id, {}).setdefault(kind, value)
        people = (
            self.session.execute(
                select(
                    t.persons.c.id,
                    t.persons.c.sex,
                    t.persons.c.birth_year,
                    t.persons.c.birth_month,
                    t.persons.c.birth_day,
                ).order_by(t.persons.c.id)
            )
            .mappings()
            .all()
        )
        return [
            PersonForLinkage(
                p["id"], names.get(p["id"], []), _birth(p), p["sex"], identifiers.get(p["id"], {})
            )
            for p in people
        ]

    def count_by_status(self) -> dict[str, int]:
        status = func.coalesce(t.person_status.c.status, Status.REGISTERED.value)
        rows = self.session.execute(
            select(status, func.count())
            .select_from(
                t.persons.outerjoin(t.person_status, t.person_status.c.person_id == t.persons.c.id)
            )
            .group_by(status)
        ).all()
        return {str(s): int(n) for s, n in rows}

    def identifiers_taken(
        self, identifiers: list[tuple[IdentifierKind, str]]
    ) -> dict[tuple[IdentifierKind, str], int]:
        taken: dict[tuple[IdentifierKind, str], int] = {}
        by_kind: dict[IdentifierKind, list[str]] = {}
        for kind, value in identifiers:
            by_kind.setdefault(kind, []).append(value)
        for kind, values in by_kind.items():
            for start in range(0, len(values), 500):
                rows = self.session.execute(
                    select(t.person_identifiers.c.value, t.person_identifiers.c.person_id).where(
                        t.person_identifiers.c.kind == kind.value,
                        t.person_identifiers.c.value.in_(values[start : start + 500]),
                    )
                ).all()
                taken.update({(kind, value): person_id for value, person_id in rows})
        return taken

    def record_ids_taken(self, record_ids: list[str]) -> dict[str, int]:
        """Which of these record ids already name a person, and whom."""
        taken: dict[str, int] = {}
        for start in range(0, len(record_ids), 500):
            rows = self.session.execute(
                select(t.persons.c.record_id, t.persons.c.id).where(
                    t.persons.c.record_id.in_(record_ids[start : start + 500])
                )
            ).all()
            taken.update({str(r): int(i) for r, i in rows})
        return taken

    def query(self, query: PersonQuery, page: PageRequest) -> Page[PersonSummary]:
        return self._summaries(self._where(query), page)

    def sides(self) -> list[str]:
        """Every side a person in the registry is on (an index walk, not a table scan)."""
        found = self.session.scalars(select(t.persons.c.side).distinct().order_by(t.persons.c.side))
        return [str(side) for side in found]

    def table(self, query: PersonQuery, table: TableQuery) -> Page[PersonSummary]:
        """A page of the registry sorted by a column the list offers (`PERSON_SORTS`), by
        name when none is chosen; a page past the last is refused."""
        return self._summaries(self._where(query), table.window, table=table)

    def query_after(self, query: PersonQuery, after_id: int, limit: int) -> list[PersonSummary]:
        """The next `limit` persons by id after `after_id`: a walk a new person cannot shift."""
        where = and_(self._where(query), t.persons.c.id > after_id)
        return self._summaries(where, PageRequest(0, limit), by_id=True).items

    def _where(self, query: PersonQuery) -> Any:
        p, s = t.persons, t.person_status
        conditions: list[Any] = []
        if query.status:
            if query.status == Status.REGISTERED:
                conditions.append(or_(s.c.status.is_(None), s.c.status == Status.REGISTERED))
            else:
                conditions.append(s.c.status == query.status)
        if query.category:
            conditions.append(p.c.category == query.category.value)
        if query.side:
            conditions.append(p.c.side == query.side)
        # A partial birth date is in range if it may fall in it: a person born "1999"
        # must not vanish from a 1999-06..1999-12 search.
        if query.born_from:
            conditions.append(p.c.birth_latest >= query.born_from)
        if query.born_to:
            conditions.append(p.c.birth_earliest <= query.born_to)
        if query.incident_from:
            conditions.append(p.c.incident_date >= query.incident_from)
        if query.incident_to:
            conditions.append(p.c.incident_date <= query.incident_to)
        words: list[Any] = []
        for token in fold(query.text).split():
            n, i = t.person_names.alias("searched_name"), t.person_identifiers.alias("searched_id")
            words.append(
                or_(
                    exists().where(n.c.person_id == p.c.id, n.c.folded.contains(token)),
                    exists().where(i.c.person_id == p.c.id, i.c.value == token.upper()),
                )
            )
        if words:  # or the whole text is our record id, as written (Latin in any case)
            ours = query.text.strip()
            conditions.append(
                or_(
                    and_(*words),
                    p.c.record_id == ours,
                    func.lower(p.c.record_id) == ours.lower(),
                )
            )
        return and_(*conditions) if conditions else and_(True)

    def _summaries(
        self,
        where: Any,
        page: PageRequest,
        by_id: bool = False,
        table: TableQuery | None = None,
    ) -> Page[PersonSummary]:
        p, s = t.persons, t.person_status
        joined = p.outerjoin(s, s.c.person_id == p.c.id)
        total = (
            -1
            if by_id
            else int(
                self.session.scalar(select(func.count()).select_from(joined).where(where)) or 0
            )
        )
        if table is not None:
            check_window(total, page, table.page)
        names = t.person_names
        by_name = (names.c.surname, names.c.given, p.c.id)
        if by_id:
            ordering: list[Any] = [p.c.id]
        elif table is not None:
            ordering = order_by(table, _person_sorts(), by_name)
        else:
            ordering = list(by_name)
        rows = (
            self.session.execute(
                select(p, s.c.status, s.c.since, names.c.surname, names.c.given, names.c.patronymic)
                .select_from(
                    joined.join(
                        names, and_(names.c.person_id == p.c.id, names.c.is_primary.is_(True))
                    )
                )
                .where(where)
                .order_by(*ordering)
                .offset(page.offset)
                .limit(page.limit)
            )
            .mappings()
            .all()
        )
        items = [
            PersonSummary(
                id=r["id"],
                uid=r["uid"],
                name=" ".join(x for x in (r["surname"], r["given"], r["patronymic"]) if x),
                side=r["side"],
                category=PersonCategory(r["category"]),
                sex=Sex(r["sex"]),
                birth_date=_birth(r),
                status=r["status"] or Status.REGISTERED.value,
                status_since=r["since"],
                unit=r["unit"],
                incident_date=r["incident_date"],
                record_id=r["record_id"] or "",
            )
            for r in rows
        ]
        return Page(items, total, page.offset, page.limit)


def _person_row(person: Person, created_at: Any, import_id: int | None) -> dict[str, Any]:
    born = person.birth_date
    return {
        "uid": person.uid,
        "side": person.side,
        "category": person.category.value,
        "sex": person.sex.value,
        "birth_year": born.year if born else None,
        "birth_month": born.month if born else None,
        "birth_day": born.day if born else None,
        "birth_earliest": born.earliest() if born else None,
        "birth_latest": born.latest() if born else None,
        "unit": person.unit,
        "rank": person.rank,
        "incident_place": person.incident_place,
        "incident_date": person.incident_date,
        "health": person.health,
        "notes": person.notes,
        "import_id": import_id,
        "created_at": created_at,
        "created_by": person.created_by,
    }


def _person_sorts() -> SortColumns:
    """The columns the registry list sorts by; a person with no status row is registered."""
    p, s, n = t.persons, t.person_status, t.person_names
    return {
        "name": (n.c.surname, n.c.given),
        "born": (p.c.birth_earliest,),
        "side": (p.c.side,),
        "category": (p.c.category,),
        "status": (func.coalesce(s.c.status, Status.REGISTERED.value),),
        "since": (s.c.since,),
        "unit": (p.c.unit,),
        "incident": (p.c.incident_date,),
        "record_id": (p.c.record_id,),
    }


def _birth(row: RowMapping) -> PartialDate | None:
    if row["birth_year"] is None:
        return None
    return PartialDate(row["birth_year"], row["birth_month"], row["birth_day"])


def _person(
    row: Any, names: Sequence[Any], idents: Sequence[Any], relatives: Sequence[Any]
) -> Person:
    return Person(
        side=row["side"],
        category=PersonCategory(row["category"]),
        sex=Sex(row["sex"]),
        names=[
            PersonName(
                n["surname"],
                n["given"],
                n["patronymic"],
                Script(n["script"]),
                n["language"],
                n["scheme"],
                n["is_primary"],
            )
            for n in names
        ],
        birth_date=_birth(row),
        identifiers=[Identifier(IdentifierKind(i["kind"]), i["value"]) for i in idents],
        unit=row["unit"],
        rank=row["rank"],
        incident_place=row["incident_place"],
        incident_date=row["incident_date"],
        relatives=[Relative(r["name"], r["relationship"], r["contact"]) for r in relatives],
        health=row["health"],
        notes=row["notes"],
        record_id=row["record_id"] or "",
        uid=row["uid"],
        id=row["id"],
        created_at=_aware(row["created_at"]),
        created_by=row["created_by"],
    )
