"""The synthetic war's people and the registries that record them: the truth of who is
missing, held, returned or dead, and clerks who write down what each side knows of it.

`population.generate_world` is the entry point; this module is its machinery.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from itertools import accumulate

from faker import Faker
from faker.providers.person.ru_RU import Provider as RussianFaker
from faker.providers.person.uk_UA import Provider as UkrainianFaker

from parley.domain.dates import PartialDate
from parley.domain.registry.events import EventDraft, EventType, Source
from parley.domain.registry.persons import (
    Identifier,
    IdentifierKind,
    Person,
    PersonCategory,
    PersonName,
    Relative,
    Script,
    Sex,
    normalise_identifier,
)
from parley.scenarios import _distort, _facts, _names
from parley.scenarios._facts import RU, UK, WAR_START, Condition, Place, Rank

SIDES = ("UA", "RU")
"""The two parties that hold registries; the mediator (TR) holds none of its own."""


LANGUAGE = {"UA": UK, "RU": RU}


class Scale(StrEnum):
    SMALL = "small"
    FULL = "full"


_OWN_PEOPLE = {Scale.SMALL: 200, Scale.FULL: 8000}


class Surnames(StrEnum):
    """How surnames are drawn: `flat`, half from Faker's list of common surnames and half
    from the dictionary, each uniformly (the demo's); `ranked`, by realistic frequencies: the
    same pools ranked once (Faker's first) with weight 1/(rank + 50), so a few surnames are
    very common (the commonest about 0.3 % of people, as Мельник is in Ukraine) and most are
    rare (the law `benchmarks/scale.py` draws its registries by)."""

    FLAT = "flat"
    RANKED = "ranked"


SURNAME_RANK_OFFSET = 50
"""`Surnames.RANKED`: a surname of rank r (from 0) has weight 1/(r + SURNAME_RANK_OFFSET)."""


class _Fate(StrEnum):
    MISSING = "missing"
    HELD = "held"
    RETURNED = "returned"
    DIED_IN_CAPTIVITY = "died_in_captivity"
    KILLED = "killed"


# Shares of each side's missing people by what really happened to them; the rest are missing.
_FATE_SHARES = (
    (_Fate.HELD, 0.36),
    (_Fate.RETURNED, 0.05),
    (_Fate.DIED_IN_CAPTIVITY, 0.01),
    (_Fate.KILLED, 0.14),
)


_IN_ENEMY_HANDS = frozenset({_Fate.HELD, _Fate.RETURNED, _Fate.DIED_IN_CAPTIVITY})


# Ages on `today` of soldiers lost in 2022-2025: few under 25, most 30-40, a tail to 60.
_MILITARY_AGES = tuple(range(18, 61))


_MILITARY_AGE_WEIGHTS = tuple(
    1.3 if age <= 25 else 2.2 if age <= 29 else 3.0 if age <= 40 else 2.2 if age <= 50 else 0.9
    for age in _MILITARY_AGES
)


_DOCUMENTS = {
    PersonCategory.MILITARY: (
        (IdentifierKind.SERVICE_NUMBER, 0.55),
        (IdentifierKind.MILITARY_ID, 0.45),
        (IdentifierKind.PASSPORT, 0.35),
        (IdentifierKind.TAX_NUMBER, 0.40),
    ),
    PersonCategory.CIVILIAN: ((IdentifierKind.PASSPORT, 0.7), (IdentifierKind.TAX_NUMBER, 0.5)),
}


# How often a captor finds each document on a prisoner.
_FOUND_ON_PRISONER = {
    IdentifierKind.SERVICE_NUMBER: 0.6,
    IdentifierKind.MILITARY_ID: 0.5,
    IdentifierKind.PASSPORT: 0.3,
    IdentifierKind.TAX_NUMBER: 0.15,
}


@dataclass(frozen=True)
class PersonDraft:
    """One registry record before it is stored, with the key of the true person behind it."""

    person: Person
    events: list[EventDraft]
    truth_key: str


def _uid(rng: random.Random) -> str:
    """Seeded, so the same world has the same uids (uuid4 would not)."""
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _day_between(rng: random.Random, first: date, last: date) -> date | None:
    if first > last:
        return None
    return first + timedelta(days=rng.randint(0, (last - first).days))


@dataclass(frozen=True)
class _Truth:
    """A true person: what each registry renders, each in its own way."""

    key: str
    side: str
    sex: Sex
    category: PersonCategory
    surname: str  # a man's form; women's forms are derived in each language
    given: str
    father: str  # the father's given name, which sets the patronymic
    born: date
    incident: date
    place: Place
    unit: str
    rank: Rank | None
    identifiers: tuple[Identifier, ...]
    condition: Condition | None
    relatives: tuple[Relative, ...]
    fate: _Fate
    fate_date: date | None  # exchanged or died

    @property
    def language(self) -> str:
        return LANGUAGE[self.side]

    def own_name(self) -> PersonName:
        lang = self.language
        surname = _names.feminine(self.surname, lang) if self.sex is Sex.FEMALE else self.surname
        return PersonName(
            surname,
            self.given,
            _names.patronymic(self.father, self.sex, lang),
            Script.CYRILLIC,
            lang,
            None,
            primary=True,
        )


@lru_cache(maxsize=2)
def _ranked_surnames(lang: str) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Men's surnames of one language ranked once (Faker's common ones first, each group in a
    fixed shuffled order) and their cumulative weights 1/(rank + SURNAME_RANK_OFFSET)."""
    fakers = UkrainianFaker if lang == UK else RussianFaker
    common = sorted({s.strip() for s in fakers.last_names_male})
    rare = _names.ukrainian_surnames() if lang == UK else _names.russian_surnames()
    rng = random.Random(f"ranked-surnames/{lang}")
    rng.shuffle(common)
    tail = sorted(set(rare) - set(common))
    rng.shuffle(tail)
    pool = tuple(common + tail)
    return pool, tuple(accumulate(1 / (rank + SURNAME_RANK_OFFSET) for rank in range(len(pool))))


class _Census:
    """Draws the true people of one world: one seeded generator, never the global one."""

    def __init__(self, seed: int, today: date, surnames: Surnames = Surnames.FLAT) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.surnames = surnames
        self.fakers = {UK: Faker("uk_UA"), RU: Faker("ru_RU")}
        for faker in self.fakers.values():
            faker.seed_instance(seed)
        self.issued: set[str] = set()
        self.exchanges = self._exchange_days()

    def _exchange_days(self) -> tuple[date, ...]:
        """Exchanges every two to six weeks since the first one in March 2022."""
        days, day = [], date(2022, 3, 24)
        while day <= self.today:
            days.append(day)
            day += timedelta(days=self.rng.randint(12, 45))
        return tuple(days)

    def people(self, side: str, count: int) -> list[_Truth]:
        fates = [fate for fate, share in _FATE_SHARES for _ in range(round(count * share))]
        fates += [_Fate.MISSING] * (count - len(fates))
        self.rng.shuffle(fates)
        units = self._units(side, max(12, count // 40))
        return [self._person(side, i + 1, fate, units) for i, fate in enumerate(fates)]

    def _units(self, side: str, count: int) -> list[str]:
        codes: list[str] = []
        while len(codes) < count:
            code = _facts.unit_code(side, self.rng)
            if code not in codes:
                codes.append(code)
        return codes

    def _person(self, side: str, number: int, fate: _Fate, units: list[str]) -> _Truth:
        rng, lang = self.rng, LANGUAGE[side]
        civilian = rng.random() < 0.05
        category = PersonCategory.CIVILIAN if civilian else PersonCategory.MILITARY
        sex = Sex.FEMALE if rng.random() < (0.35 if civilian else 0.03) else Sex.MALE
        if civilian:
            age = rng.randint(18, 75)
        else:
            age = rng.choices(_MILITARY_AGES, weights=_MILITARY_AGE_WEIGHTS)[0]
        born = _years_later(self.today, -age) - timedelta(days=rng.randrange(365))
        place, incident = self._incident(side, category, born)
        age_then = age - (self.today - incident).days // 365
        rank, unit = None, ""
        if not civilian:
            ranks = [r for r in _facts.RANKS[side] if r.min_age <= age_then]
            rank = rng.choices(ranks, weights=[r.weight for r in ranks])[0]
            unit = rng.choices(units, weights=[1 / (i + 1) ** 0.7 for i in range(len(units))])[0]
        identifiers = tuple(
            Identifier(kind, _facts.unique_number(kind, side, born, sex, rng, self.issued))
            for kind, share in _DOCUMENTS[category]
            if rng.random() < share
        )
        condition = None
        if rng.random() < 0.15:
            conditions = _facts.CONDITIONS
            condition = rng.choices(conditions, weights=[c.weight for c in conditions])[0]
        surname, given, father = self._name(lang, sex)
        fate, fate_date = self._fate_date(fate, incident)
        return _Truth(
            key=f"{side}-{number:06d}",
            side=side,
            sex=sex,
            category=category,
            surname=surname,
            given=given,
            father=father,
            born=born,
            incident=incident,
            place=place,
            unit=unit,
            rank=rank,
            identifiers=identifiers,
            condition=condition,
            relatives=self._relatives(side, sex, surname, given, father, age),
            fate=fate,
            fate_date=fate_date,
        )

    def _incident(self, side: str, category: PersonCategory, born: date) -> tuple[Place, date]:
        """Where and when: only where fighting went on then, and only once the person was 18."""
        earliest = max(WAR_START, _years_later(born, 18))
        civilian = category is PersonCategory.CIVILIAN
        options: list[tuple[Place, date, date, float]] = []
        for only_civilian_places in (True, False) if civilian else (False,):
            for place in _facts.PLACES:
                if only_civilian_places and place.civilians != side:
                    continue
                weight = place.weight_ua if side == "UA" else place.weight_ru
                if only_civilian_places:
                    weight = 1.0
                start, end = max(place.start, earliest), min(place.end or self.today, self.today)
                if start <= end and weight > 0:
                    options.append((place, start, end, weight))
            if options:
                break
        if not options:  # cannot happen a month into the war; kept so a typo in a table
            return _facts.PLACES[0], self.today  # does not end the generation
        place, start, end, _ = self.rng.choices(options, weights=[o[3] for o in options])[0]
        return place, start + timedelta(days=self.rng.randint(0, (end - start).days))

    def _fate_date(self, fate: _Fate, incident: date) -> tuple[_Fate, date | None]:
        rng = self.rng
        if fate is _Fate.RETURNED:
            exchanges = [d for d in self.exchanges if d >= incident + timedelta(days=30)]
            return (fate, rng.choice(exchanges)) if exchanges else (_Fate.HELD, None)
        if fate is _Fate.DIED_IN_CAPTIVITY:
            died = _day_between(rng, incident + timedelta(days=14), self.today)
            return (fate, died) if died else (_Fate.HELD, None)
        if fate is _Fate.KILLED:
            return fate, min(self.today, incident + timedelta(days=rng.randint(0, 2)))
        return fate, None

    def _given(self, lang: str, sex: Sex) -> str:
        """Mostly the common names of the generation, with Faker's and the dictionary's tail."""
        rng, faker = self.rng, self.fakers[lang]
        roll = rng.random()
        if sex is Sex.FEMALE:
            if roll < 0.85:
                return _names.weighted(rng, _names.UK_FEMALE if lang == UK else _names.RU_FEMALE)
            return str(faker.first_name_female())
        if roll < 0.90:
            return _names.weighted(rng, _names.UK_MALE if lang == UK else _names.RU_MALE)
        if roll < 0.96:
            return str(faker.first_name_male())
        return rng.choice(_names.male_given_tail(lang))

    def _surname(self, lang: str) -> str:
        if self.surnames is Surnames.RANKED:
            pool, cumulative = _ranked_surnames(lang)
            return self.rng.choices(pool, cum_weights=cumulative)[0]
        if self.rng.random() < 0.55:
            return str(self.fakers[lang].last_name_male())
        pool = _names.ukrainian_surnames() if lang == UK else _names.russian_surnames()
        return self.rng.choice(pool)

    def _father(self, lang: str) -> str:
        return _names.weighted(self.rng, _names.UK_FATHERS if lang == UK else _names.RU_FATHERS)

    def _name(self, lang: str, sex: Sex) -> tuple[str, str, str]:
        return self._surname(lang), self._given(lang, sex), self._father(lang)

    def _relatives(
        self, side: str, sex: Sex, surname: str, given: str, father: str, age: int
    ) -> tuple[Relative, ...]:
        """Who asked after the person: parents, a spouse, siblings, grown children."""
        rng, lang = self.rng, LANGUAGE[side]
        if rng.random() >= 0.45:
            return ()
        kin = {"mother": 5.0, "father": 2.0, "sister": 1.5, "brother": 1.5}
        if age >= 22:
            kin["husband" if sex is Sex.FEMALE else "wife"] = 4.0
        if age >= 38:
            kin.update(son=0.8, daughter=0.8)
        chosen: list[str] = []
        for _ in range(1 if rng.random() < 0.7 else 2):
            left = sorted(k for k in kin if k not in chosen)
            chosen.append(rng.choices(left, weights=[kin[k] for k in left])[0])
        relatives = []
        for kinship in chosen:
            if kinship in ("sister", "brother"):
                parent = father
            elif kinship in ("son", "daughter") and sex is Sex.MALE:
                parent = given
            else:  # the relative's own father: not otherwise known
                parent = self._father(lang)
            if kinship in ("mother", "wife", "sister", "daughter"):
                women = _names.feminine(surname, lang)
                first = self._given(lang, Sex.FEMALE)
                full = f"{women} {first} {_names.patronymic(parent, Sex.FEMALE, lang)}"
            else:
                first = father if kinship == "father" else self._given(lang, Sex.MALE)
                full = f"{surname} {first} {_names.patronymic(parent, Sex.MALE, lang)}"
            kind = _facts.RELATIONSHIPS[lang][kinship]
            relatives.append(Relative(full, kind, _facts.phone(side, rng)))
        return tuple(relatives)


class _Clerk:
    """Writes one party's registry: its own people as it knows them, its prisoners as it
    lists them."""

    def __init__(self, party: str, rng: random.Random, today: date, issued: set[str]) -> None:
        self.party = party
        self.lang = LANGUAGE[party]
        self.rng = rng
        self.today = today
        self.issued = issued

    # ---- own people

    def own_record(self, t: _Truth) -> PersonDraft:
        rng = self.rng
        health = ""
        if t.condition and (t.condition.chronic or rng.random() < 0.5):
            health = t.condition.written(self.lang)
        person = Person(
            side=t.side,
            category=t.category,
            sex=t.sex,
            names=[t.own_name()],
            birth_date=self._own_birth_date(t.born),
            identifiers=list(t.identifiers),
            unit=f"в/ч {t.unit}" if t.unit else "",
            rank=t.rank.written(self.lang) if t.rank else "",
            incident_place=t.place.written(self.lang, rng),
            incident_date=t.incident,
            relatives=list(t.relatives),
            health=health,
            uid=_uid(rng),
        )
        return PersonDraft(person, self._own_events(t), t.key)

    def _own_birth_date(self, born: date) -> PartialDate:
        roll = self.rng.random()
        if roll < 0.05:
            return PartialDate(born.year)
        if roll < 0.09:
            return PartialDate(born.year, born.month)
        return PartialDate.of(born)

    def _own_events(self, t: _Truth) -> list[EventDraft]:
        rng, day = self.rng, timedelta(days=1)
        family = t.category is PersonCategory.CIVILIAN or rng.random() < 0.2
        source = Source.FAMILY if family else Source.OWN_INFORMATION
        events = [EventDraft(EventType.REPORTED_MISSING, t.incident, source)]
        if t.fate in _IN_ENEMY_HANDS:
            knows = {_Fate.HELD: 0.8, _Fate.RETURNED: 0.75, _Fate.DIED_IN_CAPTIVITY: 0.6}[t.fate]
            last = t.fate_date - day if t.fate_date else self.today
            latest = min(last, t.incident + timedelta(days=rng.randint(3, 240)))
            confirmed = _day_between(rng, t.incident + day, latest)
            if confirmed and rng.random() < knows:
                how = rng.choices(
                    (Source.ICRC, Source.OTHER_SIDE_LIST, Source.RETURNEE), weights=(4, 4, 2)
                )[0]
                events.append(EventDraft(EventType.CAPTURE_CONFIRMED, confirmed, how))
                seen = _day_between(rng, confirmed + day, self.today)
                if t.fate is _Fate.HELD and seen and rng.random() < 0.25:
                    witness = rng.choice((Source.RETURNEE, Source.ICRC))
                    events.append(EventDraft(EventType.SEEN_IN_DETENTION, seen, witness))
            if t.fate is _Fate.RETURNED and t.fate_date:
                events.append(
                    EventDraft(EventType.REPATRIATED, t.fate_date, Source.OWN_INFORMATION)
                )
            if t.fate is _Fate.DIED_IN_CAPTIVITY and t.fate_date and rng.random() < 0.8:
                events.append(EventDraft(EventType.DIED, t.fate_date, Source.OTHER_SIDE_LIST))
        elif t.fate is _Fate.KILLED and t.fate_date and rng.random() < 0.7:
            events += self._death_and_remains(t.fate_date)
        if t.fate in (_Fate.MISSING, _Fate.KILLED) and rng.random() < 0.2:
            events.append(self._family_note(t.incident))
        events.sort(key=lambda e: e.effective_date)  # stable: same-day events keep their order
        return events

    def _death_and_remains(self, died: date) -> list[EventDraft]:
        rng = self.rng
        how = rng.choice((Source.OWN_INFORMATION, Source.OTHER_SIDE_LIST))
        events = [EventDraft(EventType.DIED, died, how)]
        if rng.random() < 0.35:
            received = _day_between(rng, died + timedelta(days=20), self.today)
            if received:
                events.append(EventDraft(EventType.REMAINS_RECEIVED, received, Source.MEDIATOR))
                identified = _day_between(
                    rng, received + timedelta(days=14), received + timedelta(days=200)
                )
                if identified and identified <= self.today and rng.random() < 0.7:
                    note = _facts.IDENTIFIED_BY_DNA[self.lang]
                    events.append(
                        EventDraft(EventType.IDENTIFIED, identified, Source.OWN_INFORMATION, note)
                    )
        return events

    def _family_note(self, incident: date) -> EventDraft:
        rng = self.rng
        when = _day_between(rng, incident, min(self.today, incident + timedelta(days=300)))
        last_call = incident - timedelta(days=rng.randint(0, 3))
        text = rng.choice(_facts.FAMILY_NOTES[self.lang]).format(
            date=last_call.strftime("%d.%m.%Y")
        )
        return EventDraft(EventType.NOTE, when or incident, Source.FAMILY, text)

    # ---- prisoners of the other side

    def prisoner_record(self, t: _Truth) -> PersonDraft:
        rng = self.rng
        person = Person(
            side=t.side,
            category=t.category,
            sex=t.sex,
            names=self._prisoner_names(t),
            birth_date=_distort.birth_date_as_listed(t.born, rng),
            identifiers=self._documents_found(t),
            unit=self._unit_as_listed(t.unit),
            rank=t.rank.written(self.lang) if t.rank and rng.random() < 0.7 else "",
            incident_place=t.place.written(self.lang, rng) if rng.random() < 0.9 else "",
            incident_date=t.incident,
            health=t.condition.written(self.lang) if t.condition and rng.random() < 0.85 else "",
            uid=_uid(rng),
        )
        return PersonDraft(person, self._prisoner_events(t, person.health), t.key)

    def _prisoner_names(self, t: _Truth) -> list[PersonName]:
        """The captor's spelling: its own language's form of each part, then the slips."""
        rng, lang = self.rng, self.lang
        own = t.own_name()
        if lang == RU:
            surname = _names.to_russian(t.surname, _names.LAST)
            given = _names.to_russian(t.given, _names.FIRST)
            patronymic = _names.to_russian(own.patronymic, _names.PATRONYMIC)
        else:
            surname = _names.to_ukrainian(t.surname, _names.LAST, rng)
            given = _names.to_ukrainian(t.given, _names.FIRST, rng)
            patronymic = _names.to_ukrainian(own.patronymic, _names.PATRONYMIC, rng)
        if t.sex is Sex.FEMALE:
            surname = _names.feminine(surname, lang)
        if rng.random() < 0.2:
            patronymic = ""
        if rng.random() < 0.1:
            if rng.random() < 0.7:
                surname = _distort.typo(surname, rng)
            else:
                given = _distort.typo(given, rng)
        written = PersonName(surname, given, patronymic, Script.CYRILLIC, lang, None, primary=True)
        if rng.random() >= 0.14:
            return [written]
        source = own if rng.random() < 0.5 else written
        latin = _names.romanise(source, rng, keep_patronymic=rng.random() < 0.4)
        if rng.random() < 0.45:  # a list kept in Latin script only (from an ICRC form, say)
            return [replace(latin, primary=True)]
        return [written, latin]

    def _documents_found(self, t: _Truth) -> list[Identifier]:
        found = []
        for ident in t.identifiers:
            if self.rng.random() >= _FOUND_ON_PRISONER[ident.kind]:
                continue
            value = ident.value
            if self.rng.random() < 0.06:
                slipped = _distort.misread_digit(value, self.rng)
                if normalise_identifier(slipped) not in self.issued:
                    self.issued.add(normalise_identifier(slipped))
                    value = slipped
            found.append(Identifier(ident.kind, value))
        return found

    def _unit_as_listed(self, code: str) -> str:
        roll = self.rng.random()
        if not code or roll < 0.4:
            return ""
        if roll < 0.8:
            return f"в/ч {code}"
        if roll < 0.9:
            return code
        return f"{_facts.UNIT_WORDS[self.lang]} {code}"

    def _prisoner_events(self, t: _Truth, health: str) -> list[EventDraft]:
        rng, day = self.rng, timedelta(days=1)
        mine = Source.OWN_INFORMATION
        events = [EventDraft(EventType.DETAINED, t.incident, mine)]
        last = t.fate_date - day if t.fate_date else self.today
        if health and rng.random() < 0.7:
            examined = _day_between(rng, t.incident + day, min(last, t.incident + 30 * day))
            if examined:
                events.append(EventDraft(EventType.EXAMINED, examined, mine, health))
        if rng.random() < 0.15:
            noted = _day_between(rng, t.incident + 3 * day, last)
            if noted:
                text = rng.choice(_facts.HOLDER_NOTES[self.lang]).format(n=rng.randint(1, 12))
                events.append(EventDraft(EventType.NOTE, noted, mine, text))
        if t.fate is _Fate.RETURNED and t.fate_date:
            events.append(EventDraft(EventType.RELEASED, t.fate_date, mine))
        if t.fate is _Fate.DIED_IN_CAPTIVITY and t.fate_date:
            note = _facts.DIED_IN_CAPTIVITY[self.lang]
            events.append(EventDraft(EventType.DIED, t.fate_date, mine, note))
        events.sort(key=lambda e: e.effective_date)
        return events
