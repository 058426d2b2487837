"""The framed UDP link: one CLTU (or bare TC frame) per datagram up, one TM frame per datagram down.

The board's end binds; its downlink peer is the sender of the last *accepted* TC unit, as on
the plain UDP link, so neither a forged unit nor a COP-1 control frame can move it. Every good
frame is answered with the CLCW at once: the packets its unit produced go to the peer in TM
frames that carry it, and a sender that is not the peer (a ground that has not been
authenticated yet, e.g. while it initiates the AD service) gets one idle frame, within a rate
limit: anyone who can forge a good frame's source address could otherwise make the board send
a long TM frame for every short TC frame to an address of their choosing.
Packets sent outside a read (housekeeping, events) go out at once, each batch completed with
an idle packet; `tick` sends an idle frame when the line has been quiet for ``idle`` seconds
or the CLCW changed.
"""

import errno
import logging
import socket

from flight.core.errors import LinkError
from flight.links.base import Deliver, LinkCounters
from flight.links.framed import MAX_TC_FRAME, FrameAuthenticator, FramedCounters, FramedEndpoint
from flight.links.framing import FramingConfig
from flight.links.ratelimit import RateLimit

__all__ = ["FramedUdpLink"]

log = logging.getLogger(__name__)

_READS_PER_WAKE = 64
_MAX_UNIT = 2 * MAX_TC_FRAME  # a CLTU of the longest frame is ~1.15x the frame
# Idle frames to senders that are not the peer, all of them together: enough for a ground
# initiating the AD service (Unlock, Set V(R), a few retries), too few to reflect a flood.
STRANGER_ANSWERS_PER_S = 4.0
STRANGER_BURST = 8


class FramedUdpLink:
    """A bound UDP socket carrying CCSDS TC frames up and TM frames down (COP-1).

    Args:
        host: address to bind.
        port: port to bind (0 picks one).
        deliver: called with each TC unit FARM-1 lets through; returns whether accepted.
        config: the framing (spacecraft ID, virtual channel, frame length, idle rate).
        authenticator: authenticates every frame before FARM-1 sees it (see `FramedEndpoint`).

    Raises:
        LinkError: the address cannot be bound.
    """

    def __init__(
        self,
        host: str,
        port: int,
        deliver: Deliver,
        config: FramingConfig,
        *,
        authenticator: FrameAuthenticator | None = None,
    ) -> None:
        self.config = config
        self._deliver = deliver
        self.endpoint = FramedEndpoint(
            config, self._deliver_from_sender, authenticator=authenticator
        )
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            self._sock.bind((host, port))
        except OSError as exc:
            self._sock.close()
            raise LinkError(f"cannot bind udp:{host}:{port}: {exc.strerror}") from exc
        self._sock.setblocking(False)
        self.peer: tuple[str, int] | None = None
        self.counters = LinkCounters()
        self._sender: tuple[str, int] | None = None
        self._held: list[bytes] | None = None  # packets sent while a read is being handled
        self._stranger_answers = RateLimit(STRANGER_ANSWERS_PER_S, STRANGER_BURST)

    @property
    def framing(self) -> FramedCounters:
        """The framing layer's counters (FARM-1 events, frames in and out)."""
        return self.endpoint.counters

    @property
    def address(self) -> tuple[str, int]:
        """The bound (host, port)."""
        host, port = self._sock.getsockname()[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        """The link URL of the bound address, with its framing options."""
        host, port = self.address
        return f"udp:{host}:{port}?{self.config.query}"

    @property
    def connected(self) -> bool:
        """Whether there is a peer to send to."""
        return self.peer is not None

    def fileno(self) -> int:
        """The socket's descriptor."""
        return self._sock.fileno()

    def _deliver_from_sender(self, unit: bytes) -> bool:
        # The sender is the peer while its unit is handled; a refused unit puts the old back.
        previous, self.peer = self.peer, self._sender
        accepted = self._deliver(unit)
        if not accepted:
            self.peer = previous
        return accepted

    def on_readable(self) -> None:
        """Take the waiting datagrams (up to a bound) through FARM-1; answer with the CLCW."""
        counters = self.counters
        answer: set[tuple[str, int]] = set()
        self._held = []
        try:
            for _ in range(_READS_PER_WAKE):
                try:
                    data, sender = self._sock.recvfrom(_MAX_UNIT + 1)
                except BlockingIOError:
                    break
                except OSError as exc:
                    if exc.errno != errno.ECONNREFUSED:
                        log.warning("udp receive failed: %s", exc)
                    continue
                counters.packets_in += 1
                counters.bytes_in += len(data)
                self._sender = (str(sender[0]), int(sender[1]))
                valid, _accepted = self.endpoint.take_unit(data)
                if valid:
                    answer.add(self._sender)
                else:
                    counters.rejected += 1
        finally:
            held, self._held = self._held, None
            self._sender = None
        if held or (self.peer in answer):
            self._transmit(self.endpoint.frames(b"".join(held)), self.peer, packets=len(held))
        for address in answer - {self.peer}:
            if self._stranger_answers.allow():
                self._transmit(self.endpoint.frames(), address)
            else:
                self.framing.strangers_unanswered += 1

    def send(self, packet: bytes) -> None:
        """Send one packet in TM frames (held until the current read is answered)."""
        if self._held is not None:
            self._held.append(packet)
            return
        if self.peer is None:
            self.counters.no_peer += 1
            return
        self._transmit(self.endpoint.frames(packet), self.peer, packets=1)

    def _transmit(
        self, frames: list[bytes], address: tuple[str, int] | None, *, packets: int = 0
    ) -> None:
        if address is None:
            self.counters.no_peer += 1
            return
        for frame in frames:
            try:
                self._sock.sendto(frame, address)
            except OSError:
                self.counters.send_errors += 1
                continue
            self.counters.bytes_out += len(frame)
        self.counters.packets_out += packets

    def tick(self) -> None:
        """Send an idle frame (with the CLCW) when the line was quiet or the CLCW changed."""
        if self.peer is not None and self.endpoint.idle_due():
            self._transmit(self.endpoint.frames(), self.peer)

    def close(self) -> None:
        """Close the socket."""
        self._sock.close()
