"""Science data from apps to the links: packet streams over the bus, one packet per send.

An app cuts a product into CRC-protected Space Packets with `flight.ccsds.Packetizer` on its
science APID and publishes the stream as `SciencePackets` under `SCIENCE_MID`. The
`ScienceRelay`, a rate-group task of the assembly, splits each stream with `split_packets`
(checking every CRC, so a stream that is not clean is counted and never half-sent) and hands
the packets to the link sinks, one packet per datagram as the links expect.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from flight.ccsds import split_packets
from flight.core import Pipe, SoftwareBus

__all__ = ["SCIENCE_MID", "SciencePackets", "ScienceRelay"]

log = logging.getLogger(__name__)

SCIENCE_MID = 0x0100  # a `SciencePackets` from any app

Sink = Callable[[bytes], None]


@dataclass(frozen=True, slots=True)
class SciencePackets:
    """A science product as a packet stream.

    Attributes:
        apid: the science APID the packets carry.
        number: the product's number (unique across reboots).
        stream: the packets, back to back.
    """

    apid: int
    number: int
    stream: bytes


class ScienceRelay:
    """Sends the science packets published on the bus to every sink.

    Args:
        bus: the software bus.
        depth: products held between two steps before new ones are dropped (and counted).
    """

    def __init__(self, bus: SoftwareBus, *, depth: int = 8) -> None:
        self.pipe = bus.subscribe(SCIENCE_MID, Pipe("science-relay", depth))
        self._sinks: list[Sink] = []
        self.products = 0
        self.packets = 0
        self.rejected = 0

    def add_sink(self, sink: Sink) -> None:
        """Send every science packet to `sink` too."""
        self._sinks.append(sink)

    def step(self) -> None:
        """Forward what arrived since the last step (a rate-group task)."""
        for message in self.pipe.drain():
            product = message.payload
            if not isinstance(product, SciencePackets):
                self.rejected += 1
                continue
            batch = split_packets(product.stream, check_crc=True)
            if batch.skipped or batch.consumed != len(product.stream):
                self.rejected += 1
                log.error(
                    "product %d from %s is not a clean stream", product.number, message.source
                )
                continue
            for packet in batch:
                data = bytes(packet)
                for sink in self._sinks:
                    sink(data)
            self.products += 1
            self.packets += batch.count
