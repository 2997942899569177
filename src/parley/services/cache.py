"""Figures computed from the whole database, kept until a write changes the records.

The dashboard's counts and the All-for-all report read every stage, examination and case:
seconds on a full-scale instance. They are computed once per version of the data
(`UnitOfWork.data_version`, which changes when any transaction that wrote records commits) and
served from memory until then. Only figures are kept, never a page, and a key always carries
what the figures depend on besides the data (the day, the parameters, the permissions).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from parley.services.uow import UnitOfWork

T = TypeVar("T")


class VersionedCache(Generic[T]):
    """A small LRU of values, each valid for one data version."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._values: OrderedDict[tuple[int, Hashable], T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, uow: UnitOfWork, key: Hashable, compute: Callable[[], T]) -> T:
        version = uow.data_version
        with self._lock:
            if (version, key) in self._values:
                self._values.move_to_end((version, key))
                return self._values[(version, key)]
        value = compute()
        if uow.data_version == version:  # nothing was written while it was computed
            with self._lock:
                self._values[(version, key)] = value
                while len(self._values) > self._size:
                    self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
