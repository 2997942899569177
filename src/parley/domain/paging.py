"""Pages of long lists: every list in the API and the console is paginated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from parley.domain.errors import InvalidInput

T = TypeVar("T")

MAX_LIMIT = 500


@dataclass(frozen=True)
class PageRequest:
    offset: int = 0
    limit: int = 50

    def __post_init__(self) -> None:
        if self.offset < 0:
            raise InvalidInput("offset must not be negative")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.items) < self.total

    @property
    def has_previous(self) -> bool:
        return self.offset > 0
