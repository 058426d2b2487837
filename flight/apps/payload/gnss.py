"""The payload's position: the last valid GNSS fix, kept from the receiver's message stream.

Every step the app drains the receiver (up to `MESSAGES_PER_DRAIN` messages, `WAIT_S` each);
a GGA or NAV-PVT with a fix replaces the fix, one without a fix loses it, and a fix older than
`STALE_S` lapses. Corrupted messages are counted, not raised: they come off a UART link.
"""

from collections.abc import Callable

from flight.apps.payload.sensors import GnssFix, fix_from
from hal.chips import Gnss
from hal.errors import BusTimeout, DataError

__all__ = ["MESSAGES_PER_DRAIN", "STALE_S", "WAIT_S", "FixTracker"]

STALE_S = 5.0  # a fix older than this is no longer valid
WAIT_S = 0.001
MESSAGES_PER_DRAIN = 16


class FixTracker:
    """The last valid fix and when it arrived.

    Args:
        clock: monotonic time in seconds (the app's clock), read as each fix arrives.
        on_change: called with True when a fix is acquired and with False when it is lost.

    Attributes:
        fix: the last valid fix, or None.
        time: when `fix` arrived.
        corrupt: corrupted messages since start or the last counter reset.
    """

    def __init__(self, clock: Callable[[], float], on_change: Callable[[bool], None]) -> None:
        self._clock = clock
        self._on_change = on_change
        self.fix: GnssFix | None = None
        self.time = 0.0
        self.corrupt = 0

    def drain(self, gnss: Gnss) -> None:
        """Read what the receiver has buffered; other HAL errors go to the caller's `Sensor`."""
        for _ in range(MESSAGES_PER_DRAIN):
            try:
                message = gnss.read_message(WAIT_S)
            except BusTimeout:
                return  # nothing more has arrived: normal between epochs
            except DataError:
                self.corrupt += 1
                continue
            fix = fix_from(message)
            if fix is not None:
                if self.fix is None:
                    self._on_change(True)
                self.fix, self.time = fix, self._clock()
            elif getattr(message, "valid", True) is False:
                self.lose()

    def expire(self, now: float) -> None:
        """Lose a fix older than `STALE_S` at `now`."""
        if self.fix is not None and now - self.time > STALE_S:
            self.lose()

    def lose(self) -> None:
        """Forget the fix, reporting it if there was one."""
        if self.fix is not None:
            self.fix = None
            self._on_change(False)
