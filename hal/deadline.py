"""Monotonic deadlines: every wait in the HAL runs against one of these, never ``while True``.

CPython uses ``time.monotonic``; MicroPython has no such function, so there the deadline
counts ``time.ticks_ms`` with ``time.ticks_diff``, which stays correct across tick wrap-around.
A clock can be injected (a callable returning seconds) so simulated time drives the same code.
"""

import sys
import time

from hal.errors import BusTimeout

# mypy treats TYPE_CHECKING as true; at run time it is a plain False, because MicroPython has
# no typing module. Annotations naming these imports are quoted so CPython never evaluates them.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeVar

    T = TypeVar("T")

__all__ = ["Deadline", "monotonic", "poll_until"]

if sys.implementation.name == "micropython":
    _ticks_ms = getattr(time, "ticks_ms")  # noqa: B009 - absent from CPython's time stubs
    _ticks_diff = getattr(time, "ticks_diff")  # noqa: B009
    _TICKS_ORIGIN = _ticks_ms()

    def monotonic() -> float:
        """Return seconds since this module loaded, from the wrap-safe millisecond ticks."""
        return float(_ticks_diff(_ticks_ms(), _TICKS_ORIGIN)) / 1000.0

else:

    def monotonic() -> float:
        """Return ``time.monotonic()``."""
        return time.monotonic()


class Deadline:
    """A point in time ``timeout_s`` seconds from construction.

    Args:
        timeout_s: Seconds from now; must not be negative.
        clock: Callable returning monotonic seconds; defaults to the platform's monotonic clock.

    >>> d = Deadline(10.0)
    >>> d.expired()
    False
    >>> 9.0 < d.remaining() <= 10.0
    True
    """

    def __init__(self, timeout_s: float, *, clock: "Callable[[], float] | None" = None) -> None:
        if timeout_s < 0:
            raise ValueError("timeout_s must not be negative")
        self._clock = monotonic if clock is None else clock
        self.timeout_s = timeout_s
        self._end = self._clock() + timeout_s

    def remaining(self) -> float:
        """Return the seconds left, never below zero."""
        left = self._end - self._clock()
        return left if left > 0 else 0.0

    def expired(self) -> bool:
        """Return True once the deadline has passed."""
        return self._clock() >= self._end


def poll_until(
    predicate: "Callable[[], T]",
    timeout_s: float,
    interval_s: float = 0.001,
    *,
    message: str = "condition not met before the deadline",
    bus: str | None = None,
    address: int | None = None,
    register: int | None = None,
    clock: "Callable[[], float] | None" = None,
    sleep: "Callable[[float], object] | None" = None,
) -> "T":
    """Call ``predicate`` until it returns something truthy, or raise BusTimeout.

    The predicate is always called at least once, and once more after the deadline passes,
    so a condition that became true during the last sleep is not reported as a timeout.

    Args:
        predicate: Callable with no arguments.
        timeout_s: Seconds to keep trying.
        interval_s: Seconds to sleep between calls (capped by the time left).
        message: Message of the BusTimeout.
        bus: Context for the BusTimeout.
        address: Context for the BusTimeout.
        register: Context for the BusTimeout.
        clock: Monotonic clock in seconds (see Deadline).
        sleep: Sleep function; defaults to time.sleep. A simulation passes one that advances
            its clock.

    Returns:
        The predicate's first truthy result.

    Raises:
        BusTimeout: The predicate stayed falsy until the deadline.

    >>> poll_until(lambda: 42, timeout_s=0.1)
    42
    """
    deadline = Deadline(timeout_s, clock=clock)
    do_sleep = time.sleep if sleep is None else sleep
    while not deadline.expired():
        result = predicate()
        if result:
            return result
        do_sleep(min(interval_s, deadline.remaining()))
    result = predicate()
    if result:
        return result
    raise BusTimeout(message, bus=bus, address=address, register=register)
