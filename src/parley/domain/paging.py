"""Pages of long lists: every list in the API and the console is paginated."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from parley.domain.errors import InvalidInput

T = TypeVar("T")

MAX_LIMIT = 500
# Past this no table has rows, and a database's 64-bit integer would overflow on the way.
MAX_OFFSET = 2**31 - 1


@dataclass(frozen=True)
class PageRequest:
    offset: int = 0
    limit: int = 50

    def __post_init__(self) -> None:
        if self.offset < 0:
            raise InvalidInput("offset must not be negative", "offset")
        if self.offset > MAX_OFFSET:
            raise InvalidInput(f"offset must be at most {MAX_OFFSET}", "offset")
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

    @property
    def number(self) -> int:
        """This page's number, from 1."""
        return self.offset // self.limit + 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit))


PER_PAGE_CHOICES = (25, 50, 100, 200)
ORDERS = ("asc", "desc")


@dataclass(frozen=True)
class TableQuery:
    """What a long table was asked for: page, page size, sort column, order and filters.

    Parsed once from the query string by `table_query` (every value checked against what the
    table offers), so each screen pages, sorts and filters the same way, and every link it
    draws (next page, another sort) keeps the filters (`href`).
    """

    page: int = 1
    per_page: int = 50
    sort: str = ""
    order: str = "asc"
    filters: tuple[tuple[str, str], ...] = ()
    prefix: str = ""
    """Set when a page holds a second long table: its query names start with it
    (`removed_page`, `removed_q`), so each table pages on its own."""
    others: tuple[tuple[str, str], ...] = ()
    """The query values of the page's other table, which every link of this one keeps."""
    anchor: str = ""
    """The id the links of this table return to (`#removed`), when it is not the page's top."""

    @property
    def window(self) -> PageRequest:
        return PageRequest((self.page - 1) * self.per_page, self.per_page)

    @property
    def descending(self) -> bool:
        return self.order == "desc"

    def filter(self, name: str) -> str:
        return dict(self.filters).get(name, "")

    def params(self, **changes: str | int) -> dict[str, str]:
        """The query string as a dict: filters first, then paging and sorting, with changes."""
        values = {k: v for k, v in self.filters if v}
        values |= {
            "page": str(self.page),
            "per_page": str(self.per_page),
            "sort": self.sort,
            "order": self.order,
        }
        values |= {k: str(v) for k, v in changes.items()}
        own = {self.prefix + k: v for k, v in values.items() if v}
        return {k: v for k, v in self.others if v and k not in own} | own

    def href(self, path: str, **changes: str | int) -> str:
        """A link to the same table with some values changed; a new sort starts on page 1."""
        if "sort" in changes or "order" in changes or "per_page" in changes:
            changes.setdefault("page", 1)
        anchor = f"#{self.anchor}" if self.anchor else ""
        return f"{path}?{urlencode(self.params(**changes))}{anchor}"

    def sort_href(self, path: str, column: str) -> str:
        """The link a column header gives: sort by it, or flip the order if it is the sort."""
        order = "desc" if column == self.sort and self.order == "asc" else "asc"
        return self.href(path, sort=column, order=order)


def table_query(
    params: Mapping[str, str],
    *,
    sorts: Sequence[str],
    filters: Sequence[str] = (),
    default_sort: str = "",
    default_order: str = "asc",
    per_page: int = 50,
    prefix: str = "",
    keep: Sequence[str] = (),
    anchor: str = "",
) -> TableQuery:
    """Check `page`, `per_page`, `sort`, `order` and the named filters of a query string.

    A value the table does not offer is refused with the field it came in (the console shows
    it beside the table, the API answers 400), never silently replaced. A page's second table
    reads its values under `prefix` and keeps the first one's (`keep`, see `query_names`).
    """
    page = _whole(params.get(prefix + "page", ""), prefix + "page", 1)
    size = _whole(params.get(prefix + "per_page", ""), prefix + "per_page", per_page)
    if size not in PER_PAGE_CHOICES and size != per_page:
        choices = ", ".join(str(c) for c in PER_PAGE_CHOICES)
        raise InvalidInput(f"{prefix}per_page must be one of {choices}", prefix + "per_page")
    sort = params.get(prefix + "sort", "") or default_sort
    if sort and sort not in sorts:
        raise InvalidInput(f"cannot sort by '{sort}': choose {', '.join(sorts)}", prefix + "sort")
    order = params.get(prefix + "order", "") or default_order
    if order not in ORDERS:
        raise InvalidInput(f"{prefix}order must be asc or desc", prefix + "order")
    if (page - 1) * size > MAX_OFFSET:
        raise InvalidInput(f"page {page} is past the last page", prefix + "page")
    chosen = tuple((name, params.get(prefix + name, "").strip()) for name in filters)
    others = tuple((name, params.get(name, "")) for name in keep if params.get(name, ""))
    return TableQuery(page, size, sort, order, chosen, prefix, others, anchor)


def query_names(filters: Sequence[str] = (), prefix: str = "") -> tuple[str, ...]:
    """Every query name a table reads: what a second table on the same page keeps."""
    return tuple(prefix + name for name in (*filters, "page", "per_page", "sort", "order"))


def _whole(text: str, field: str, default: int) -> int:
    if not text.strip():
        return default
    digits = text.strip()
    # ASCII only and short: "²" passes isdigit() but not int(), and 5,000 digits overflow it.
    if not (digits.isascii() and digits.isdigit()) or int(digits[:19]) < 1:
        raise InvalidInput(f"{field} must be a whole number, 1 or more", field)
    if len(digits) > 18:
        raise InvalidInput(f"{field} {digits[:19]}… is too large", field)
    return int(digits)


def page_of(
    items: Sequence[T],
    query: TableQuery,
    keys: Mapping[str, Callable[[T], Any]],
) -> Page[T]:
    """One page of a list already filtered, sorted by the query's column (missing values
    last whatever the order, ties kept in their given order)."""
    ordered = list(items)
    key = keys.get(query.sort)
    if key is not None:
        present = [i for i in ordered if key(i) is not None]
        missing = [i for i in ordered if key(i) is None]
        present.sort(key=key, reverse=query.descending)
        ordered = present + missing
    window = query.window
    if window.offset >= len(ordered) and ordered:
        raise InvalidInput(f"page {query.page} is past the last page", "page")
    return Page(
        ordered[window.offset : window.offset + window.limit],
        len(ordered),
        window.offset,
        window.limit,
    )
