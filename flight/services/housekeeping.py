"""PUS service 3, housekeeping: periodic reports per structure ID, and their control.

Reports are 3,25: structure ID (u16), then the structure's items as the app declares them.
Telecommands (N is u8, structure IDs u16): 3,5 enable and 3,6 disable periodic reporting of
N structures; 3,27 one-shot report of N structures; 3,31 modify the interval of N structures,
each ID followed by the interval in milliseconds (u32, 100 ms .. 1 day).
"""

import logging
from dataclasses import dataclass

from flight.core.app import App
from flight.core.clock import Clock
from flight.core.errors import CommandRejectedError, FailureCode
from flight.core.executive import Executive
from flight.services.downlink import Downlink
from flight.services.reader import AppDataReader
from flight.services.router import Action, Request

__all__ = ["MAX_INTERVAL_MS", "MIN_INTERVAL_MS", "SID_OCTETS", "HousekeepingService"]

log = logging.getLogger(__name__)

SID_OCTETS = 2
MIN_INTERVAL_MS = 100  # the resolution of the rate group the service runs in
MAX_INTERVAL_MS = 86_400_000


@dataclass
class _Schedule:
    app: App
    sid: int
    enabled: bool
    interval: float
    due: float


class HousekeepingService:
    """Generates and controls housekeeping reports of every app.

    Args:
        downlink: where reports go.
        executive: contains an app whose housekeeping raises.
        clock: decides when reports are due.
    """

    service = 3
    subtypes = frozenset({5, 6, 27, 31})

    def __init__(self, downlink: Downlink, executive: Executive, clock: Clock) -> None:
        self._downlink = downlink
        self._executive = executive
        self._clock = clock
        self._schedules: dict[tuple[int, int], _Schedule] = {}
        self.reports = 0

    def add_app(self, app: App) -> None:
        """Schedule `app`'s structures with their declared defaults."""
        now = self._clock.now()
        for hk in app.structures.values():
            self._schedules[(app.apid, hk.sid)] = _Schedule(
                app, hk.sid, hk.enabled, hk.interval, now + hk.interval
            )

    def schedule(self, apid: int, sid: int) -> tuple[bool, float]:
        """(enabled, interval in seconds) of a structure."""
        entry = self._schedules[(apid, sid)]
        return entry.enabled, entry.interval

    def step(self) -> None:
        """Send the reports that are due (a rate-group task)."""
        now = self._clock.now()
        for entry in self._schedules.values():
            if entry.enabled and now >= entry.due:
                entry.due += entry.interval
                if entry.due <= now:  # fell behind (the loop stalled): skip, do not burst
                    entry.due = now + entry.interval
                self._report(entry.app, entry.sid)

    def _report(self, app: App, sid: int) -> None:
        def send() -> None:
            data = sid.to_bytes(SID_OCTETS, "big") + app.housekeeping(sid)
            self._downlink.send(app.apid, 3, 25, data)

        try:
            self._executive.execute(app, send)
        except CommandRejectedError as exc:
            log.warning("housekeeping %d of %s not sent: %s", sid, app.name, exc)
            return
        self.reports += 1

    def accept(self, request: Request) -> Action:
        """Decode the structure IDs (and intervals) and check each exists."""
        app = request.app
        reader = AppDataReader(request.tc.app_data)
        entries: list[tuple[_Schedule, float]] = []
        for _ in range(reader.uint(1)):
            sid = reader.uint(SID_OCTETS)
            entry = self._schedules.get((app.apid, sid))
            if entry is None:
                raise CommandRejectedError(
                    FailureCode.UNKNOWN_STRUCTURE, f"{app.name} has no {sid}"
                )
            interval = 0.0
            if request.tc.subtype == 31:
                millis = reader.uint(4)
                if not MIN_INTERVAL_MS <= millis <= MAX_INTERVAL_MS:
                    raise CommandRejectedError(FailureCode.ARGUMENT_OUT_OF_RANGE, f"{millis} ms")
                interval = millis / 1000
            entries.append((entry, interval))
        reader.finish()
        subtype = request.tc.subtype
        return lambda: self._apply(subtype, entries)

    def _apply(self, subtype: int, entries: list[tuple[_Schedule, float]]) -> None:
        now = self._clock.now()
        for entry, interval in entries:
            if subtype == 5:
                if not entry.enabled:
                    entry.enabled, entry.due = True, now + entry.interval
            elif subtype == 6:
                entry.enabled = False
            elif subtype == 27:
                self._report(entry.app, entry.sid)
            else:
                entry.interval, entry.due = interval, now + interval
