"""The board's framed serial link: CLTUs up, ASM-prefixed TM frames down, on a UART (COP-1).

What a radio modem with a serial data port carries: the board reads a byte stream of CLTUs
(231.0-B) and finds them by their start sequence, resynchronising after junk or a lost tail
(`FramedEndpoint.take_stream`), and writes fixed-length TM frames each behind the ASM, which
the ground finds in its own byte stream. Everything else is the serial link's: pyserial opens
the port, output is bounded and written as the port takes it, and a device that goes away is
reopened by `tick`.

There is one peer on a line, so every good frame is answered at once with the CLCW: the
packets it produced carry it, and a frame that produced none (a duplicate, a control command,
a frame FARM-1 discarded) gets an idle frame. `tick` also sends an idle frame when the line
has been quiet for ``idle`` seconds or the CLCW changed.
"""

from flight.ccsds import MAX_PACKET_LENGTH
from flight.links.base import Deliver
from flight.links.framed import FrameAuthenticator, FramedCounters, FramedEndpoint
from flight.links.framing import FramingConfig
from flight.links.serial import SerialLink

__all__ = ["FramedSerialLink"]


class FramedSerialLink(SerialLink):
    """TC frames (as CLTUs) in and TM frames out on a serial device.

    Args:
        device: the device path.
        baudrate: the line rate.
        deliver: called with each packet FARM-1 lets through; returns whether accepted.
        config: the framing (spacecraft ID, virtual channel, frame length, idle rate).
        authenticator: authenticates every frame before FARM-1 sees it (see `FramedEndpoint`).

    Raises:
        LinkError: a bad baud rate.
    """

    def __init__(
        self,
        device: str,
        baudrate: int,
        deliver: Deliver,
        config: FramingConfig,
        *,
        authenticator: FrameAuthenticator | None = None,
    ) -> None:
        self.config = config
        self.endpoint = FramedEndpoint(config, deliver, stream=True, authenticator=authenticator)
        self._sent_in_read = 0
        super().__init__(device, baudrate, deliver, max_packet=MAX_PACKET_LENGTH)
        self.url = f"serial:{device}@{baudrate}?{config.query}"

    @property
    def framing(self) -> FramedCounters:
        """The framing layer's counters (FARM-1 events, frames in and out)."""
        return self.endpoint.counters

    def _received(self, data: bytes) -> None:
        counters, framing = self.counters, self.endpoint.counters
        before = framing.frames_in + framing.bad
        refused = framing.bad + framing.unauthenticated
        self._sent_in_read = 0
        valid, _accepted = self.endpoint.take_stream(data)
        counters.packets_in += framing.frames_in + framing.bad - before
        counters.rejected += framing.bad + framing.unauthenticated - refused
        if valid and not self._sent_in_read:
            self._queue(b"".join(self.endpoint.frames()))  # the CLCW, at once

    def _reset_input(self) -> None:
        self.endpoint.reset_stream()

    def _encode(self, packet: bytes) -> bytes:
        self._sent_in_read += 1
        return b"".join(self.endpoint.frames(packet))

    def tick(self) -> None:
        """Reopen a lost device; send an idle frame when the line was quiet or the CLCW changed."""
        super().tick()
        if self.connected and self.endpoint.idle_due():
            self._queue(b"".join(self.endpoint.frames()))
