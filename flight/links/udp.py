"""The UDP link: one space packet per datagram.

On the board the link binds and answers telemetry to the sender of the last *accepted*
telecommand, which is what tmtccmd's UDP client expects (it sends and reads on one socket);
a datagram that is rejected, by the framing or by authentication, never moves the downlink.
On the ground (`UdpLink.connect`) the peer is fixed and only its datagrams are taken.
The socket is non-blocking and read by the loop; a datagram that is not exactly one space
packet is counted as rejected and goes no further.
"""

import errno
import logging
import socket

from flight.core.errors import LinkError
from flight.links.base import Deliver, LinkCounters, is_one_packet

__all__ = ["MAX_DATAGRAM", "UdpLink"]

log = logging.getLogger(__name__)

MAX_DATAGRAM = 65542  # the largest space packet: 6-octet header + 65536 data octets
_READS_PER_WAKE = 64  # bounds the work one readable socket can take from the loop


class UdpLink:
    """A bound UDP socket carrying raw space packets.

    Args:
        host: address to bind.
        port: port to bind (0 picks a free one; see `address`).
        deliver: called with each well-framed packet from the loop's thread; returns whether
            it was accepted.

    Raises:
        LinkError: the address cannot be bound.
    """

    def __init__(self, host: str, port: int, deliver: Deliver) -> None:
        self._deliver = deliver
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            self._sock.bind((host, port))
        except OSError as exc:
            self._sock.close()
            raise LinkError(f"cannot bind udp:{host}:{port}: {exc.strerror}") from exc
        self._sock.setblocking(False)
        self.peer: tuple[str, int] | None = None
        self._fixed_peer = False
        self.counters = LinkCounters()

    @classmethod
    def connect(cls, host: str, port: int, deliver: Deliver) -> "UdpLink":
        """The ground end: send to `host:port`, take datagrams from there only.

        Raises:
            LinkError: the name does not resolve or no local port can be bound.
        """
        try:
            info = socket.getaddrinfo(host, port, socket.AF_INET, socket.SOCK_DGRAM)
        except OSError as exc:
            raise LinkError(f"cannot resolve udp:{host}:{port}: {exc}") from exc
        link = cls("0.0.0.0", 0, deliver)  # noqa: S104 - an ephemeral reply port
        address = info[0][4]
        link.peer = (str(address[0]), int(address[1]))
        link._fixed_peer = True
        return link

    @property
    def address(self) -> tuple[str, int]:
        """The bound (host, port)."""
        host, port = self._sock.getsockname()[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        """The link URL of the bound address (of the peer, on the ground)."""
        host, port = self.peer if self._fixed_peer and self.peer else self.address
        return f"udp:{host}:{port}"

    @property
    def connected(self) -> bool:
        """Whether there is a peer to send to."""
        return self.peer is not None

    def fileno(self) -> int:
        """The socket's descriptor, for the executive's selector."""
        return self._sock.fileno()

    def on_readable(self) -> None:
        """Read what is waiting (up to a bound), reject bad framing, deliver packets."""
        counters = self.counters
        for _ in range(_READS_PER_WAKE):
            try:
                data, sender = self._sock.recvfrom(MAX_DATAGRAM + 1)
            except BlockingIOError:
                return
            except OSError as exc:
                # ICMP port-unreachable from an earlier send surfaces here on Linux; harmless.
                if exc.errno != errno.ECONNREFUSED:
                    log.warning("udp receive failed: %s", exc)
                continue
            counters.packets_in += 1
            counters.bytes_in += len(data)
            if (self._fixed_peer and sender[:2] != self.peer) or not is_one_packet(data):
                counters.rejected += 1
                continue
            if self._fixed_peer:
                self._deliver(data)
                continue
            # The replies to a telecommand go out while it is delivered, so its sender is the
            # peer meanwhile; a refused packet (nothing is sent for it) puts the old one back.
            previous, self.peer = self.peer, (str(sender[0]), int(sender[1]))
            if not self._deliver(data):
                self.peer = previous

    def send(self, packet: bytes) -> None:
        """Send one packet to the peer; count, never raise."""
        if self.peer is None:
            self.counters.no_peer += 1
            return
        try:
            self._sock.sendto(packet, self.peer)
        except OSError:
            # A full socket buffer or an unreachable peer loses this packet only.
            self.counters.send_errors += 1
            return
        self.counters.packets_out += 1
        self.counters.bytes_out += len(packet)

    def tick(self) -> None:
        """Nothing to keep up: a datagram socket has no connection."""

    def close(self) -> None:
        """Close the socket."""
        self._sock.close()
