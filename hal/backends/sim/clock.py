"""Clocks for the simulated board: real time, or simulated time that only moves when told.

Every sim bus takes one of these. Sleeping on a SimClock advances it, so a driver that waits
100 ms for a conversion costs no real time and runs the same way every time. Models are
advanced lazily: before a bus touches a model it calls ``ModelTimer.sync(model)``, which hands
the model the time elapsed since its last access (``model.advance(dt_s)``).
"""

import time

from hal.deadline import monotonic

__all__ = ["ModelTimer", "RealClock", "SimClock"]


class RealClock:
    """The host's monotonic clock."""

    def now(self) -> float:
        """Return monotonic seconds."""
        return monotonic()

    def now_ns(self) -> int:
        """Return monotonic nanoseconds (for event timestamps)."""
        return int(monotonic() * 1_000_000_000)

    def sleep(self, dt_s: float) -> None:
        """Sleep ``dt_s`` seconds of real time."""
        if dt_s > 0:
            time.sleep(dt_s)


class SimClock:
    """Simulated monotonic time, starting at ``start_s``; it moves only by ``advance``/``sleep``.

    >>> clock = SimClock()
    >>> clock.sleep(0.25)
    >>> clock.now()
    0.25
    """

    def __init__(self, start_s: float = 0.0) -> None:
        self._now_ns = int(start_s * 1_000_000_000)

    def now(self) -> float:
        """Return simulated seconds."""
        return self._now_ns / 1_000_000_000

    def now_ns(self) -> int:
        """Return simulated nanoseconds."""
        return self._now_ns

    def advance(self, dt_s: float) -> None:
        """Move time forward by ``dt_s`` seconds (never backward)."""
        if dt_s < 0:
            raise ValueError("simulated time cannot go backward")
        # Integer nanoseconds so repeated small steps do not drift; rounded up so that any
        # positive step moves the clock, or a deadline a fraction of a nanosecond away
        # (float rounding) would never be reached by the sleeps that wait for it.
        step = int(dt_s * 1_000_000_000)
        if step < dt_s * 1_000_000_000:
            step += 1
        self._now_ns += step

    def sleep(self, dt_s: float) -> None:
        """Same as ``advance``: sleeping in simulation is moving the clock."""
        if dt_s > 0:
            self.advance(dt_s)


class ModelTimer:
    """Hands each model the time that passed since the bus last touched it."""

    def __init__(self, clock: "RealClock | SimClock") -> None:
        self._clock = clock
        self._last: dict[int, float] = {}

    def start(self, model: object) -> None:
        """Start counting for ``model`` (called when it is attached to a bus)."""
        self._last[id(model)] = self._clock.now()

    def sync(self, model: object) -> None:
        """Call ``model.advance(elapsed)`` if time moved since the last sync."""
        now = self._clock.now()
        last = self._last.get(id(model), now)
        self._last[id(model)] = now
        advance = getattr(model, "advance", None)
        if advance is not None and now > last:
            advance(now - last)
