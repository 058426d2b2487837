"""The telemetry source: stamps PUS-C TM packets with counters and time and hands them to links.

Sequence counts run per APID (14 bits, wrapping), message type counters per APID, service
and subtype (16 bits, wrapping). Sinks are the links' send functions; a sink that cannot
send counts its own drop and never raises into the loop.
"""

from collections.abc import Callable

from flight.ccsds import CucTime, PusTm
from flight.core.clock import Clock

__all__ = ["Downlink", "Sink"]

Sink = Callable[[bytes], None]


class Downlink:
    """Builds and sends telemetry packets.

    Args:
        clock: source of the time field (`Clock.timestamp`).
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._sinks: list[Sink] = []
        self._seq: dict[int, int] = {}
        self._counters: dict[tuple[int, int, int], int] = {}
        self.sent = 0

    def add_sink(self, sink: Sink) -> None:
        """Send every packet to `sink` too."""
        self._sinks.append(sink)

    def send(self, apid: int, service: int, subtype: int, data: bytes = b"") -> bytes:
        """Build a TM (service, subtype) on `apid` carrying `data`, send it, and return it."""
        seq = self._seq.get(apid, 0)
        self._seq[apid] = (seq + 1) & 0x3FFF
        key = (apid, service, subtype)
        counter = self._counters.get(key, 0)
        self._counters[key] = (counter + 1) & 0xFFFF
        packet = PusTm(
            apid=apid,
            service=service,
            subtype=subtype,
            source_data=data,
            seq_count=seq,
            msg_counter=counter,
            time=CucTime.from_seconds(self._clock.timestamp()),
        ).pack()
        for sink in self._sinks:
            sink(packet)
        self.sent += 1
        return packet
