"""Mission time: the executive clock's time stamps plus a correlation offset set from the ground.

The board's own clock (`Clock.timestamp`) may be off: a Pi has no battery-backed clock and
boots at whatever the last NTP sync or fake-hwclock left. PUS service 9 sets the time or
nudges it, which changes one number, the offset added to every time stamp: telemetry time
fields and the release times of the time-based schedule both read `MissionTime.timestamp`.

The offset is kept in units of 2^-16 s (the CUC fine resolution) so it stores exactly, and
is saved in an A/B `Store` before it takes effect: a power cut leaves the old or the new
offset, and a failed save changes nothing.
"""

import logging
import struct

from flight.core.clock import Clock
from flight.core.persistence import Store

__all__ = ["FINE_PER_SECOND", "MissionTime"]

log = logging.getLogger(__name__)

FINE_PER_SECOND = 1 << 16  # CUC 4+2: the fine octets count 2^-16 s
_RECORD = struct.Struct(">q")


class MissionTime:
    """Time stamps on the mission's scale: the clock's plus a stored correlation offset.

    Args:
        clock: the executive's clock.
        store: where the offset lives across boots (None keeps it in memory only).

    >>> from flight.core.clock import SimulatedClock
    >>> time = MissionTime(SimulatedClock(epoch=1000.0))
    >>> time.correlate(-2.5)
    >>> time.timestamp()
    997.5
    """

    def __init__(self, clock: Clock, store: Store | None = None) -> None:
        self._clock = clock
        self._store = store
        self._offset_fine = 0
        self.offset = 0.0
        self.changes = 0

    def timestamp(self) -> float:
        """Seconds since the CCSDS epoch on the mission's scale."""
        return self._clock.timestamp() + self.offset

    def restore(self) -> bool:
        """Load the stored offset; return whether one was found (a bad record is ignored)."""
        if self._store is None:
            return False
        payload = self._store.load()
        if payload is None or len(payload) != _RECORD.size:
            return False
        (fine,) = _RECORD.unpack(payload)
        self._apply(fine)
        return True

    def set_time(self, seconds: float) -> None:
        """Make the mission time read `seconds` now.

        Raises:
            DurabilityError: the new offset could not be stored; the old one stays.
        """
        self._commit(round((seconds - self._clock.timestamp()) * FINE_PER_SECOND))

    def correlate(self, delta: float) -> None:
        """Move the mission time by `delta` seconds (negative: back).

        Raises:
            DurabilityError: the new offset could not be stored; the old one stays.
        """
        self._commit(self._offset_fine + round(delta * FINE_PER_SECOND))

    def _commit(self, fine: int) -> None:
        if self._store is not None:
            self._store.save(_RECORD.pack(fine))
        self._apply(fine)
        self.changes += 1
        log.info("mission time offset now %+.6f s", self.offset)

    def _apply(self, fine: int) -> None:
        self._offset_fine = fine
        self.offset = fine / FINE_PER_SECOND
