"""The injectable clock the executive runs on: the real monotonic clock, or a simulated one.

The executive never reads time or sleeps on its own; it asks its clock. `MonotonicClock`
waits for real. `SimulatedClock` jumps straight to the next deadline, so an hour of flight
runs in about a second and every run of the same inputs gives the same sequence of events.
"""

import time
from collections.abc import Callable
from typing import Protocol

__all__ = ["CCSDS_EPOCH_OFFSET", "Clock", "MonotonicClock", "SimulatedClock"]

# Seconds from 1958-01-01 (the CCSDS epoch) to 1970-01-01 (the Unix epoch); leap seconds are
# the ground's business: the board keeps UTC-based time until service 9 correlates it.
CCSDS_EPOCH_OFFSET = 378_691_200

Poll = Callable[[float], None]


class Clock(Protocol):
    """What the executive needs from time."""

    def now(self) -> float:
        """Seconds on a monotonic scale (scheduling, deadlines, backoff)."""
        ...

    def timestamp(self) -> float:
        """Seconds since the CCSDS epoch, for telemetry time fields."""
        ...

    def wait_until(self, deadline: float, poll: Poll) -> None:
        """Let `poll(timeout)` wait for I/O, and return once `deadline` is reached or I/O came."""
        ...


class MonotonicClock:
    """The board's clock: `time.monotonic()` for scheduling, wall time for time stamps."""

    def now(self) -> float:
        """Seconds from `time.monotonic()`."""
        return time.monotonic()

    def timestamp(self) -> float:
        """Seconds since the CCSDS epoch, from the system's wall clock."""
        return time.time() + CCSDS_EPOCH_OFFSET

    def wait_until(self, deadline: float, poll: Poll) -> None:
        """Block in `poll` until `deadline` at most; it may return earlier when I/O is ready."""
        poll(max(0.0, deadline - time.monotonic()))


class SimulatedClock:
    """A clock whose time moves only when the executive (or a test) advances it.

    Args:
        start: the monotonic reading at creation.
        epoch: seconds since the CCSDS epoch that `start` corresponds to.

    >>> clock = SimulatedClock()
    >>> clock.wait_until(3600.0, lambda timeout: None)
    >>> clock.now()
    3600.0
    """

    def __init__(self, start: float = 0.0, epoch: float = 2_000_000_000.0) -> None:
        self._now = start
        self._epoch = epoch - start

    def now(self) -> float:
        """The simulated monotonic reading."""
        return self._now

    def timestamp(self) -> float:
        """Seconds since the CCSDS epoch on the simulated scale."""
        return self._epoch + self._now

    def advance(self, seconds: float) -> None:
        """Move time forward, e.g. to model the processor time a piece of work costs."""
        if seconds < 0:
            raise ValueError(f"time cannot move backwards ({seconds} s)")
        self._now += seconds

    def wait_until(self, deadline: float, poll: Poll) -> None:
        """Poll I/O once without waiting, then jump to `deadline`."""
        poll(0.0)
        self._now = max(self._now, deadline)
