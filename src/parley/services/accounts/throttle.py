"""Failed logins, counted per account and per client address, with exponential backoff.

After `FREE_FAILURES` failures in a row a key waits `FIRST_WAIT`, doubling with each further
failure up to `LONGEST_WAIT`; a successful login clears the account's count (not the
address's, so one good account cannot launder an address's guesses). The counts live in this
process's memory: a restart clears them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

FREE_FAILURES = 5
FIRST_WAIT = 1.0
LONGEST_WAIT = 15 * 60.0


class Throttle:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float]] = {}

    @staticmethod
    def delay(failures: int) -> float:
        """How long to wait after `failures` failures in a row."""
        if failures < FREE_FAILURES:
            return 0.0
        return float(min(LONGEST_WAIT, FIRST_WAIT * 2 ** min(failures - FREE_FAILURES, 30)))

    def wait(self, key: str) -> float:
        """Seconds `key` must still wait before its next attempt is even checked."""
        with self._lock:
            count, last = self._failures.get(key, (0, 0.0))
        return max(0.0, last + self.delay(count) - self._clock())

    def failed(self, key: str) -> float:
        """Count a failure; the wait it imposes now (0 while under the free failures)."""
        with self._lock:
            count = self._failures.get(key, (0, 0.0))[0] + 1
            self._failures[key] = (count, self._clock())
        return self.delay(count)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._failures.clear()


LOGINS = Throttle()
"""The process's counts, shared by the console login and API token checks."""


def account_key(username: str) -> str:
    return f"account:{username.strip().lower()}"


def address_key(address: str | None) -> str | None:
    return f"address:{address}" if address else None
