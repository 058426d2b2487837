"""PUS service 5, event reporting: 5,1..5,4 reports by severity; 5,5 / 5,6 enable / disable.

Reports carry the event ID (u16) then the event's auxiliary data, on the emitting app's
APID, with the subtype equal to the severity (1 informative .. 4 high). Events arrive over
the software bus; when the service's pipe is full the excess is dropped and counted.
Telecommands 5,5 and 5,6 carry N (u8) then N event IDs (u16) of the addressed app.
"""

import logging

from flight.core.app import App
from flight.core.bus import EVENT_MID, Pipe, SoftwareBus
from flight.core.declarations import EventRecord, Severity
from flight.core.errors import CommandRejectedError, FailureCode
from flight.services.downlink import Downlink
from flight.services.reader import AppDataReader
from flight.services.router import Action, Request

__all__ = ["EVENT_ID_OCTETS", "EventService"]

log = logging.getLogger(__name__)

EVENT_ID_OCTETS = 2
_LOG_LEVELS = {
    Severity.INFO: logging.INFO,
    Severity.LOW: logging.WARNING,
    Severity.MEDIUM: logging.ERROR,
    Severity.HIGH: logging.CRITICAL,
}


class EventService:
    """Turns bus events into reports and keeps the per-event enable switches.

    Args:
        downlink: where reports go.
        bus: where events come from.
        depth: events buffered between two steps before drops start.
    """

    service = 5
    subtypes = frozenset({5, 6})

    def __init__(self, downlink: Downlink, bus: SoftwareBus, *, depth: int = 256) -> None:
        self._downlink = downlink
        self.pipe = bus.subscribe(EVENT_MID, Pipe("pus-events", depth))
        self._disabled: set[tuple[int, int]] = set()
        self.reported = 0
        self.suppressed = 0

    def is_enabled(self, apid: int, eid: int) -> bool:
        """Whether event `eid` of the app on `apid` is reported."""
        return (apid, eid) not in self._disabled

    def step(self) -> None:
        """Report the events waiting in the pipe (a rate-group task)."""
        for message in self.pipe.drain():
            record = message.payload
            if not isinstance(record, EventRecord):
                continue
            event = record.event
            log.log(
                _LOG_LEVELS[event.severity],
                "event %s.%s (%d) aux=%s",
                record.source,
                event.name,
                event.eid,
                record.aux.hex(),
            )
            if (record.apid, event.eid) in self._disabled:
                self.suppressed += 1
                continue
            data = event.eid.to_bytes(EVENT_ID_OCTETS, "big") + record.aux
            self._downlink.send(record.apid, 5, int(event.severity), data)
            self.reported += 1

    def accept(self, request: Request) -> Action:
        """Decode the event IDs and check the addressed app declares each."""
        app: App = request.app
        reader = AppDataReader(request.tc.app_data)
        eids = [reader.uint(EVENT_ID_OCTETS) for _ in range(reader.uint(1))]
        reader.finish()
        for eid in eids:
            if eid not in app.events_by_id:
                raise CommandRejectedError(
                    FailureCode.UNKNOWN_EVENT, f"{app.name} has no event {eid}"
                )
        keys = [(app.apid, eid) for eid in eids]
        if request.tc.subtype == 5:
            return lambda: self._disabled.difference_update(keys)
        return lambda: self._disabled.update(keys)
