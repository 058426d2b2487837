"""The telemetry source: stamps PUS-C TM packets with counters and time and hands them to links.

Sequence counts run per APID (14 bits, wrapping), message type counters per APID, service
and subtype (16 bits, wrapping). Sinks are the links' send functions; a sink that cannot
send counts its own drop and never raises into the loop.

Every report the flight sends passes through `send`, so it is the telemetry hot path: it packs
the fixed-layout PUS-C header (time as CUC 4+2 without P-field, the mission's format) with
one precompiled `struct` and the CRC with the codec's `crc16`, instead of building a `PusTm`
and a `CucTime` per packet, which costs four times as much. The octets are those of
``PusTm(...).pack()``; tests/flight/services/test_downlink.py holds the two side by side.
"""

import struct
from collections.abc import Callable
from typing import Protocol

from flight.ccsds import crc16

__all__ = ["Downlink", "Sink", "TimeSource"]

Sink = Callable[[bytes], None]

# Primary header (packet ID, sequence control, data length), then the PUS-C TM secondary
# header: PUS version 2 | time reference status 0, service, subtype, message type counter,
# destination ID, and the time as 4 coarse + 2 fine octets.
_HEADER = struct.Struct(">HHHBBBHHIH")
_TM_PACKET_ID = 0x0800  # version 0, type TM, secondary header present
_UNSEGMENTED = 0xC000
_PUS_VERSION = 0x20
_OVERHEAD = 7 + 6 + 2 - 1  # secondary header + time + CRC, minus the length field's one
_FINE = 1 << 16


class TimeSource(Protocol):
    """Where time stamps come from: a `Clock`, or the correlated `MissionTime`."""

    def timestamp(self) -> float:
        """Seconds since the CCSDS epoch."""
        ...


class Downlink:
    """Builds and sends telemetry packets.

    Args:
        clock: source of the time field (`MissionTime`, so service 9's correlation applies).
    """

    def __init__(self, clock: TimeSource) -> None:
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
        now = self._clock.timestamp()
        coarse = int(now)
        body = (
            _HEADER.pack(
                _TM_PACKET_ID | apid,
                _UNSEGMENTED | seq,
                _OVERHEAD + len(data),
                _PUS_VERSION,
                service,
                subtype,
                counter,
                0,
                coarse,
                int((now - coarse) * _FINE),
            )
            + data
        )
        packet = body + crc16(body).to_bytes(2, "big")
        for sink in self._sinks:
            sink(packet)
        self.sent += 1
        return packet
