"""PUS service 17, test: are-you-alive, and a telemetry burst for measuring the downlink.

17,1 is answered by 17,2 from the addressed app's APID. The mission-specific 17,128 carries
a count N (u32, 1..`MAX_BURST`) and is answered by N reports 17,129, each carrying its index
(u32) so the ground can count losses; they are sent back to back from the loop, which does
nothing else meanwhile. It is a diagnostic (``starling bench flight`` uses it), bounded so
that the loop is back well before the heartbeats go stale.
"""

from flight.core.errors import CommandRejectedError, FailureCode
from flight.services.downlink import Downlink
from flight.services.reader import AppDataReader
from flight.services.router import Action, Request

__all__ = ["MAX_BURST", "TestService"]

MAX_BURST = 50_000


class TestService:
    """Answers 17,1 with 17,2 and 17,128 with a burst of 17,129."""

    service = 17
    subtypes = frozenset({1, 128})

    def __init__(self, downlink: Downlink) -> None:
        self._downlink = downlink

    def accept(self, request: Request) -> Action:
        """A ping carries no application data; a burst carries its count."""
        reader = AppDataReader(request.tc.app_data)
        apid = request.app.apid
        if request.tc.subtype == 1:
            reader.finish()
            return lambda: self._send(apid)
        count = reader.uint(4)
        reader.finish()
        if not 1 <= count <= MAX_BURST:
            raise CommandRejectedError(
                FailureCode.ARGUMENT_OUT_OF_RANGE, f"burst of {count}, 1..{MAX_BURST}"
            )
        return lambda: self._burst(apid, count)

    def _send(self, apid: int) -> None:
        self._downlink.send(apid, 17, 2)

    def _burst(self, apid: int, count: int) -> None:
        send = self._downlink.send
        for index in range(count):
            send(apid, 17, 129, index.to_bytes(4, "big"))
