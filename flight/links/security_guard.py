"""The board's gate on the telecommand path: authenticate, check for replay, persist, pass on.

`CommandGuard` sits between every link and the router. For each unit it runs `unseal`
(length, APID, SPI, MAC in constant time), then the key's `ReplayWindow`; a unit that
passes has its window stored power-safely (`Store`: A/B copies, fsync, rename) *before*
the telecommand inside goes to the router, so a power cut after a command ran can never
reopen its sequence number. If the store fails, the command does not run and the window
stays as it was, so the ground can send it again.

On a framed link the frame itself is secured (`unseal_frame`): the link asks `open_frame`
for the MAC check before FARM-1 sees the frame, and `record`s the sequence number only for a
frame FARM-1 takes, so that COP-1 can retransmit a frame it discarded (out of sequence, in
Lockout) under the same number.

Every refusal is counted by reason (`AuthCounters`, reported in link housekeeping) and
reported by event. Events are rate-limited by a token bucket, so a flood of forgeries cannot
crowd the downlink; the ones held back are counted too.

Stored record: per key, SPI u16 | highest u32 | seen-bitmap u64.
"""

import logging
import struct
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass

from flight.core.declarations import EventDef
from flight.core.errors import DurabilityError
from flight.core.persistence import Store
from flight.links.base import Deliver
from flight.links.events import REJECTION_EVENTS
from flight.links.ratelimit import RateLimit
from flight.links.security import (
    MAX_WINDOW,
    Rejection,
    ReplayWindow,
    Unsealed,
    unseal,
    unseal_frame,
)

__all__ = ["AuthCounters", "CommandGuard", "EventSink"]

log = logging.getLogger(__name__)

EventSink = Callable[[EventDef, bytes], None]
_RECORD = struct.Struct(">HIQ")
_EVENT_BURST = 20.0
_EVENT_RATE_HZ = 5.0
_EVENT_OF = {Rejection(i + 1): event for i, event in enumerate(REJECTION_EVENTS)}


@dataclass
class AuthCounters:
    """What the guard let through and what it refused, by reason."""

    accepted: int = 0
    truncated: int = 0
    unsecured: int = 0
    unknown_spi: int = 0
    bad_mac: int = 0
    replayed: int = 0
    not_durable: int = 0
    events_suppressed: int = 0

    @property
    def rejected(self) -> int:
        """Every refusal, whatever the reason."""
        return (
            self.truncated
            + self.unsecured
            + self.unknown_spi
            + self.bad_mac
            + self.replayed
            + self.not_durable
        )

    def as_dict(self) -> dict[str, int]:
        """The counters by name (with the total of refusals)."""
        return {**asdict(self), "rejected": self.rejected}


_FIELD = {
    Rejection.TRUNCATED: "truncated",
    Rejection.UNSECURED: "unsecured",
    Rejection.UNKNOWN_SPI: "unknown_spi",
    Rejection.BAD_MAC: "bad_mac",
    Rejection.REPLAY: "replayed",
    Rejection.NOT_DURABLE: "not_durable",
}


class CommandGuard:
    """Authenticates telecommands for the links in front of the router.

    Args:
        keys: the unit's keys by SPI (from `load_keyring`; never from a link).
        store: where the anti-replay windows persist.
        window: the anti-replay window size (1..64).
        emit: reports an event (the core app's APID); None only logs.
        monotonic: the time source of the event rate limit.

    Raises:
        ValueError: a window size outside 1..64.
    """

    def __init__(
        self,
        keys: Mapping[int, bytes],
        store: Store,
        *,
        window: int = MAX_WINDOW,
        emit: EventSink | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._keys = dict(keys)
        self._store = store
        self._size = window
        self._emit = emit
        self.counters = AuthCounters()
        self.windows: dict[int, ReplayWindow] = {spi: ReplayWindow(window) for spi in keys}
        self._event_limit = RateLimit(_EVENT_RATE_HZ, _EVENT_BURST, monotonic)
        self._restore()

    @property
    def spis(self) -> tuple[int, ...]:
        """The key IDs the guard knows."""
        return tuple(sorted(self._keys))

    def _restore(self) -> None:
        saved = self._store.load() or b""
        mask = (1 << self._size) - 1
        for offset in range(0, len(saved) - len(saved) % _RECORD.size, _RECORD.size):
            spi, highest, seen = _RECORD.unpack_from(saved, offset)
            if spi in self.windows:
                self.windows[spi] = ReplayWindow(self._size, highest, (seen & mask) | 1)
        restored = {spi: w.highest for spi, w in self.windows.items() if w.highest}
        if restored:
            log.info("anti-replay windows restored (highest sequence number by SPI): %s", restored)

    def _persist(self, windows: Mapping[int, ReplayWindow]) -> None:
        record = b"".join(
            _RECORD.pack(spi, w.highest, w.seen) for spi, w in sorted(windows.items())
        )
        self._store.save(record)

    def check(self, unit: bytes) -> bytes | None:
        """Return the telecommand inside `unit` once authenticated and recorded, else None."""
        result = unseal(unit, self._keys)
        if isinstance(result, Rejection):
            self._refuse(result, unit[6:12], len(unit))
            return None
        if not self.is_fresh(result):
            self.refuse_replay(result)
            return None
        return result.packet if self.record(result) else None

    def open_frame(self, header: bytes, data: bytes) -> Unsealed | None:
        """Authenticate a secured TC frame (its primary header and data field); None (counted
        and reported) if it is not authentic. The sequence number is not checked here."""
        result = unseal_frame(header, data, self._keys)
        if isinstance(result, Rejection):
            self._refuse(result, data[:6], len(data))
            return None
        return result

    def is_fresh(self, unsealed: Unsealed) -> bool:
        """Whether the anti-replay window takes the unit's sequence number."""
        return self.windows[unsealed.spi].allows(unsealed.sequence)

    def refuse_replay(self, unsealed: Unsealed) -> None:
        """Count and report a unit whose sequence number the window does not take."""
        self._refuse(Rejection.REPLAY, b"", 0, unsealed)

    def record(self, unsealed: Unsealed) -> bool:
        """Store the window with the unit's (fresh) sequence number taken, before the unit is
        acted on; False (counted and reported) if the store failed: then nothing changed."""
        window = self.windows[unsealed.spi]
        updated = {**self.windows, unsealed.spi: window.accept(unsealed.sequence)}
        try:
            self._persist(updated)
        except DurabilityError as exc:
            log.error("anti-replay state not stored, telecommand dropped: %s", exc)  # noqa: TRY400
            self._refuse(Rejection.NOT_DURABLE, b"", 0, unsealed)
            return False
        self.windows = updated
        self.counters.accepted += 1
        return True

    def gate(self, handle: Callable[[bytes], None]) -> Deliver:
        """A link's `deliver`: authenticated telecommands go on to `handle`."""

        def deliver(unit: bytes) -> bool:
            packet = self.check(unit)
            if packet is None:
                return False
            handle(packet)
            return True

        return deliver

    def _refuse(
        self, reason: Rejection, claimed: bytes, length: int, unsealed: Unsealed | None = None
    ) -> None:
        """Count and report; the aux data is the SPI and sequence number (authenticated, or
        as claimed by a unit that failed the MAC or named no key), else the unit's length."""
        name = _FIELD[reason]
        setattr(self.counters, name, getattr(self.counters, name) + 1)
        if unsealed is not None:
            aux = unsealed.spi.to_bytes(2, "big") + unsealed.sequence.to_bytes(4, "big")
        elif reason in (Rejection.UNKNOWN_SPI, Rejection.BAD_MAC):
            aux = bytes(claimed)
        else:
            aux = min(length, 0xFFFF).to_bytes(2, "big")
        log.info("telecommand refused: %s (%s)", reason.name, aux.hex())
        if self._emit is None:
            return
        if not self._event_limit.allow():
            self.counters.events_suppressed += 1
            return
        self._emit(_EVENT_OF[reason], aux)
