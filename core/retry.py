"""Waiting before trying again: one curve for every retry loop of the project.

Invariants:
- The pause before retry n (n = 1, 2, ...) is uniform in [0, min(cap, base x 2^(n-1))] ("full
  jitter"): writers that collided spread out instead of colliding again in step, and the
  expected wait doubles while the store stays busy, never beyond `cap`.
- A loop makes at most `attempts` tries; `Backoff.tries()` yields 0 .. attempts-1 and pauses
  before every try but the first, so the caller's loop has one exit after the last try.
- `sleep` and `random` are fields: a test passes its own and checks the curve without waiting.
"""

from __future__ import annotations

import random as _random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Backoff:
    base: float  # seconds: the ceiling of the first pause
    cap: float  # seconds: no pause is longer
    attempts: int  # tries in all, the first included
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)
    random: Callable[[], float] = field(default=_random.random, compare=False)  # in [0, 1)

    def delay(self, retry: int) -> float:
        """The pause before retry number `retry` (1 = the second try)."""
        return self.random() * min(self.cap, self.base * 2 ** max(0, retry - 1))

    def pause(self, retry: int) -> None:
        self.sleep(self.delay(retry))

    def at_most(self, attempts: int) -> Backoff:
        return replace(self, attempts=attempts)

    def tries(self) -> Iterator[int]:
        """0, 1, ... attempts-1, pausing before each try after the first."""
        for n in range(self.attempts):
            if n:
                self.pause(n)
            yield n


# Writers racing on one item (an account, a project's readings): short pauses, many tries.
CONFLICT = Backoff(base=0.005, cap=0.2, attempts=12)
# DynamoDB throttling (capacity exceeded) or a busy store: longer pauses that grow to a second.
THROTTLED = Backoff(base=0.05, cap=1.0, attempts=8)
