"""A token bucket: how often a link may answer or report something an outsider can provoke.

A refused telecommand raises an event and a good frame from any sender earns an idle frame
back; without a limit, whoever can reach the link decides how much the board sends. The
bucket holds `burst` tokens and refills at `rate_hz`; what finds it empty is counted by the
caller and dropped.
"""

import time
from collections.abc import Callable

__all__ = ["RateLimit"]


class RateLimit:
    """Allow `burst` at once, then `rate_hz` a second on average.

    >>> now = [0.0]
    >>> limit = RateLimit(rate_hz=1.0, burst=2, clock=lambda: now[0])
    >>> [limit.allow() for _ in range(3)]
    [True, True, False]
    >>> now[0] = 1.0
    >>> limit.allow(), limit.allow()
    (True, False)
    """

    def __init__(
        self, rate_hz: float, burst: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate_hz <= 0 or burst < 1:
            raise ValueError(f"rate limit: need rate_hz > 0 and burst >= 1, not {rate_hz}, {burst}")
        self._rate = rate_hz
        self._burst = float(burst)
        self._clock = clock
        self._tokens = float(burst)
        self._refilled = clock()

    def allow(self) -> bool:
        """Take a token if there is one."""
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + (now - self._refilled) * self._rate)
        self._refilled = now
        if self._tokens < 1.0:
            return False
        self._tokens -= 1.0
        return True
