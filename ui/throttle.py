"""Password guessing, throttled: a client address with too many wrong admin passwords is locked out a while."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable


class Throttle:
    """`max_failures` wrong passwords from one client within `lockout_s` lock it out for `lockout_s`.

    During a lockout every attempt is refused, the right password too, so guessing gains nothing from it.
    """

    def __init__(self, max_failures: int, lockout_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_failures, self.lockout_s, self.clock = max_failures, lockout_s, clock
        self._failures: dict[str, list[float]] = {}
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait_s(self, client: str) -> int:
        """Whole seconds `client` must still wait; 0 when it may try."""
        with self._lock:
            left = self._until.get(client, 0.0) - self.clock()
            if left <= 0:
                self._until.pop(client, None)
                return 0
            return math.ceil(left)

    def fail(self, client: str) -> int:
        """Record a wrong password; returns the failures counted, `max_failures` when this one locks it out."""
        with self._lock:
            now = self.clock()
            recent = [t for t in self._failures.get(client, []) if now - t < self.lockout_s] + [now]
            if len(recent) >= self.max_failures:
                self._failures.pop(client, None)
                self._until[client] = now + self.lockout_s
            else:
                self._failures[client] = recent
            if len(self._failures) + len(self._until) > 10_000:  # many addresses: forget the stale ones
                self._failures = {c: ts for c, ts in self._failures.items() if now - ts[-1] < self.lockout_s}
                self._until = {c: t for c, t in self._until.items() if t > now}
            return len(recent)

    def succeed(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)
