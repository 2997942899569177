"""Dates that may be known only to the year or the month.

Lists typed by hand give `1990`, `03.1990`, `1990-03-14` or `14.03.1990`; a registry must keep
exactly what is known, and never invent a day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from parley.domain.errors import InvalidDate

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DOTTED = re.compile(r"^(?:(\d{1,2})[./])?(\d{1,2})[./](\d{4})$")


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1800 <= self.year <= 2200:
            raise InvalidDate(f"year {self.year} is out of range")
        if self.month is None and self.day is not None:
            raise InvalidDate("a day without a month is not a date")
        if self.month is not None and not 1 <= self.month <= 12:
            raise InvalidDate(f"month {self.month} does not exist")
        if self.day is not None:
            assert self.month is not None
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise InvalidDate(f"{self.year}-{self.month:02d} has no day {self.day}")

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Accept ISO (`1990`, `1990-03`, `1990-03-14`) and dotted (`14.03.1990`, `03.1990`)."""
        raw = text.strip()
        if m := _ISO.match(raw):
            year, month, day = m.groups()
            return cls(int(year), int(month) if month else None, int(day) if day else None)
        if m := _DOTTED.match(raw):
            day, month, year = m.groups()
            return cls(int(year), int(month), int(day) if day else None)
        raise InvalidDate(f"'{text}' is not a date; use YYYY, YYYY-MM, YYYY-MM-DD or DD.MM.YYYY")

    @classmethod
    def of(cls, value: date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def is_complete(self) -> bool:
        return self.day is not None

    def earliest(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return date(self.year, month, day)

    def to_date(self) -> date:
        if self.day is None or self.month is None:
            raise InvalidDate(f"{self} is not a complete date")
        return date(self.year, self.month, self.day)

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def parse_full_date(text: str) -> date:
    """An event's effective date must be a whole day: status is derived by ordering them."""
    return PartialDate.parse(text).to_date()


def whole_years(born: date, on: date) -> int:
    """Completed years from `born` to `on`, as an age is counted: someone born on 29 February
    turns a year older on 1 March in a common year (negative when `on` comes first)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
