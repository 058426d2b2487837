"""The UDP link: one space packet per datagram, telemetry to the sender of the last telecommand.

This is what tmtccmd's UDP client expects: it sends telecommands from one socket and reads
telemetry on the same socket. The socket is non-blocking and read by the executive's loop
(`fileno` + `on_readable`); a datagram that is not exactly one space packet is counted as
rejected and goes no further.
"""

import errno
import logging
import socket
from collections.abc import Callable

from flight.core.errors import LinkError

__all__ = ["MAX_DATAGRAM", "UdpLink"]

log = logging.getLogger(__name__)

MAX_DATAGRAM = 65542  # the largest space packet: 6-octet header + 65536 data octets
_HEADER = 6
_READS_PER_WAKE = 64  # bounds the work one readable socket can take from the loop


class UdpLink:
    """A bound UDP socket carrying raw space packets.

    Args:
        host: address to bind.
        port: port to bind (0 picks a free one; see `address`).
        deliver: called with each well-framed packet from the loop's thread.

    Raises:
        LinkError: the address cannot be bound.
    """

    def __init__(self, host: str, port: int, deliver: Callable[[bytes], None]) -> None:
        self._deliver = deliver
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            self._sock.bind((host, port))
        except OSError as exc:
            self._sock.close()
            raise LinkError(f"cannot bind udp:{host}:{port}: {exc.strerror}") from exc
        self._sock.setblocking(False)
        self.peer: tuple[str, int] | None = None
        self.datagrams_in = 0
        self.datagrams_out = 0
        self.rejected = 0
        self.send_errors = 0
        self.no_peer = 0

    @property
    def address(self) -> tuple[str, int]:
        """The bound (host, port)."""
        host, port = self._sock.getsockname()[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        """The link URL of the bound address."""
        host, port = self.address
        return f"udp:{host}:{port}"

    def fileno(self) -> int:
        """The socket's descriptor, for the executive's selector."""
        return self._sock.fileno()

    def on_readable(self) -> None:
        """Read what is waiting (up to a bound), reject bad framing, deliver packets."""
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
            self.datagrams_in += 1
            if len(data) < _HEADER or len(data) != _HEADER + 1 + int.from_bytes(data[4:6], "big"):
                self.rejected += 1
                continue
            self.peer = sender
            self._deliver(data)

    def send(self, packet: bytes) -> None:
        """Send one packet to the sender of the last telecommand; count, never raise."""
        if self.peer is None:
            self.no_peer += 1
            return
        try:
            self._sock.sendto(packet, self.peer)
        except OSError:
            # A full socket buffer or an unreachable peer loses this packet only.
            self.send_errors += 1
            return
        self.datagrams_out += 1

    def close(self) -> None:
        """Close the socket."""
        self._sock.close()
