"""Figures computed from the whole database, kept until a write changes the records.

The dashboard's counts and the All-for-all report read every stage, examination and case:
seconds on a full-scale instance. They are computed once per version of the data
(`UnitOfWork.data_version`, which changes when any transaction that wrote records commits) and
served from memory until then. Only figures are kept, never a page, and a key always carries
what the figures depend on besides the data (the day, the parameters, the permissions).

A figure is computed once per version even when several requests ask for it together: the
first computes, the others wait for its value. A figure kept with a recipe (`kept`) is
computed again after a write by the server's `Warmer`, in the background, so that the first
request after the write finds it ready (or waits for that one computation, already under way).
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from parley.services.uow import UnitOfWork

T = TypeVar("T")
Recipe = Callable[[UnitOfWork], T]
"""Computes a figure inside a transaction already open on the unit of work it is given."""

log = logging.getLogger(__name__)

KEEP_WARM_S = 600.0
"""A recipe is computed again after a write while a request used it within this time."""
DEFER_S = 5.0
"""The warmer waits at most this long for the requests being served to finish before it
computes the next figure (a figure computed meanwhile would take the interpreter from them)."""
WAIT_S = 120.0
"""A request waits at most this long for another's computation of the same figure, then
computes it itself (a computation that hangs must not hang every request behind it)."""


@dataclass
class _Pending(Generic[T]):
    """A figure one thread is computing; the others asking for it wait for `done`."""

    owner: int
    done: threading.Event = field(default_factory=threading.Event)
    value: T | None = None
    ok: bool = False


@dataclass
class _Used(Generic[T]):
    recipe: Recipe[T]
    source: Hashable
    at: float


_caches: weakref.WeakSet[VersionedCache[object]] = weakref.WeakSet()


class VersionedCache(Generic[T]):
    """A small LRU of values, each valid for one data version."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._values: OrderedDict[tuple[int, Hashable], T] = OrderedDict()
        self._pending: dict[tuple[int, Hashable], _Pending[T]] = {}
        self._used: OrderedDict[Hashable, _Used[T]] = OrderedDict()
        self._lock = threading.Lock()
        self.computed = 0
        """How many values were computed (tests and benchmarks read it)."""
        _caches.add(self)  # type: ignore[arg-type]

    def get(self, uow: UnitOfWork, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for the key at the unit of work's data version, computed if no one has
        (or waited for if another thread is computing it now)."""
        version = uow.data_version
        slot = (version, key)
        me = threading.get_ident()
        with self._lock:
            if slot in self._values:
                self._values.move_to_end(slot)
                return self._values[slot]
            pending = self._pending.get(slot)
            if pending is None or pending.owner == me:
                pending = self._pending[slot] = _Pending(me)
                mine = True
            else:
                mine = False
        if not mine:
            if pending.done.wait(WAIT_S) and pending.ok:
                return pending.value  # type: ignore[return-value]
            return compute()  # it failed (the owner raised) or hangs: compute here
        try:
            value = compute()
        except BaseException:
            with self._lock:
                self._pending.pop(slot, None)
            pending.done.set()
            raise
        with self._lock:
            self.computed += 1
            if uow.data_version == version:  # nothing was written while it was computed
                self._values[slot] = value
                while len(self._values) > self._size:
                    self._values.popitem(last=False)
            self._pending.pop(slot, None)
        pending.value, pending.ok = value, True
        pending.done.set()
        return value

    def kept(self, uow: UnitOfWork, key: Hashable, recipe: Recipe[T]) -> T:
        """`get` with a recipe the `Warmer` may run again after a write, on a unit of work of
        its own. Called inside a transaction on `uow`; the recipe reads only through the unit
        of work it is given, and writes nothing, not even the audit log (the caller logs)."""
        with self._lock:
            self._used[key] = _Used(recipe, uow.data_source, time.monotonic())
            self._used.move_to_end(key)
            while len(self._used) > self._size:
                self._used.popitem(last=False)
        return self.get(uow, key, lambda: recipe(uow))

    def recipes(self, source: Hashable, since: float) -> list[tuple[float, Hashable, Recipe[T]]]:
        """The recipes requests on this database used since a time (`time.monotonic`)."""
        with self._lock:
            return [
                (u.at, key, u.recipe)
                for key, u in self._used.items()
                if u.source == source and u.at >= since
            ]

    def forget(self, key: Hashable) -> None:
        """Warm this key no more (its recipe failed)."""
        with self._lock:
            self._used.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._used.clear()


class ContentCache(Generic[T]):
    """A small LRU of values whose key is everything they are computed from (a chart keyed on
    the figures and words it draws): valid whatever the data version, so a write that leaves
    the figures as they were does not draw the chart again."""

    def __init__(self, size: int = 16) -> None:
        self._size = size
        self._values: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = compute()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self._size:
                self._values.popitem(last=False)
        return value


class InFlight:
    """How many requests the server is serving now: the warmer gives way to them."""

    def __init__(self) -> None:
        self._count = 0
        self._lock = threading.Lock()

    def __enter__(self) -> None:
        with self._lock:
            self._count += 1

    def __exit__(self, *_exc: object) -> None:
        with self._lock:
            self._count -= 1

    def busy(self) -> bool:
        return self._count > 0


def warm(
    uow: Callable[[], UnitOfWork],
    keep_s: float = KEEP_WARM_S,
    busy: Callable[[], bool] = lambda: False,
    defer_s: float = DEFER_S,
) -> int:
    """Compute every figure a request kept with a recipe in the last `keep_s` seconds, on this
    database, at its current version: most recently used first, each in its own read, each
    once no request is being served (or after `defer_s`). Returns how many were computed
    (those already kept, or computed meanwhile by a request, are not computed again)."""
    source = uow().data_source
    since = time.monotonic() - keep_s
    wanted = [
        (at, cache, key, recipe)
        for cache in list(_caches)
        for at, key, recipe in cache.recipes(source, since)
    ]
    wanted.sort(key=lambda w: w[0], reverse=True)
    done = 0
    for _at, cache, key, recipe in wanted:
        deadline = time.monotonic() + defer_s
        while busy() and time.monotonic() < deadline:
            time.sleep(0.01)
        before = cache.computed
        reader = uow()
        try:
            with reader:
                cache.get(reader, key, lambda r=reader, f=recipe: f(r))  # type: ignore[misc]
        except Exception:
            log.exception("a kept figure could not be computed again: %r", key)
            cache.forget(key)
        done += cache.computed - before
    return done


class Warmer:
    """The server's thread that computes the kept figures again once a write has committed.

    It looks at the data version every `poll_s`; once a new version has held for `settle_s`
    (a job committing batch after batch is left alone until it pauses) it runs `warm`, which
    starts each figure only while no request is being served (`busy`): Python runs one thread
    at a time, and a request should not share it with a figure nobody asked for yet. A request
    arriving meanwhile waits for the computation under way if it needs that figure. It never
    shows anything: a request still reads the figures of its own version.
    """

    def __init__(
        self,
        uow: Callable[[], UnitOfWork],
        busy: Callable[[], bool] = lambda: False,
        poll_s: float = 0.05,
        settle_s: float = 0.2,
    ) -> None:
        self._uow = uow
        self._busy = busy
        self._poll_s = poll_s
        self._settle_s = settle_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._warmed: int | None = None

    def settled(self, timeout: float) -> bool:
        """Wait until the figures of the current data version are warm (tests, benchmarks)."""
        deadline = time.monotonic() + timeout
        while self._warmed != self._uow().data_version:
            if time.monotonic() > deadline:
                return False
            time.sleep(self._poll_s / 2)
        return True

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="parley-warmer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        probe = self._uow()  # never entered: it reads the live version, cheaply
        self._warmed = seen = probe.data_version
        since = time.monotonic()
        while not self._stop.wait(self._poll_s):
            try:
                version = probe.data_version
            except Exception:  # the database went away (shutting down): try again later
                continue
            if version != seen:
                seen, since = version, time.monotonic()
            if version == self._warmed or time.monotonic() - since < self._settle_s:
                continue
            try:
                warm(self._uow, busy=self._busy)
            except Exception:
                log.exception("warming the kept figures failed")
            self._warmed = version
