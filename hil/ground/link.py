"""The ground side of a link, with a seam for the security layer on the telecommand path.

Telecommand packets pass through a `TcEncoder` just before they leave: `PlainTcEncoder` sends
them as they are (the `open-bench` mission). The SDLS authentication layer plugs in here as
another encoder, wrapping each packet in its security header and trailer, without the client,
the command encoding or the CLI changing. Telemetry arrives one space packet per datagram;
a ``?framing=cop1`` URL opens `hil.ground.framed.FramedGroundLink` (FOP-1, TM frames) instead,
and ``serial:`` and ``tcp:`` URLs the flight's own link code (`OpenedGroundLink`).
"""

import socket
import time
from collections import deque
from typing import Protocol

from flight.ccsds.frames import TcFrame
from flight.core.errors import LinkError
from flight.links import open_link, parse_link_url, pump, split_framing
from hil.ground.errors import GroundLinkError

__all__ = [
    "GroundLink",
    "OpenedGroundLink",
    "PlainTcEncoder",
    "TcEncoder",
    "UdpGroundLink",
    "open_ground_link",
]

_MAX_DATAGRAM = 65542 + 1


class TcEncoder(Protocol):
    """The security layer on the telecommand path: packets on packet links, whole TC frames
    on framed links (`flight.links.Signer` on authenticating missions)."""

    def encode(self, packet: bytes) -> bytes:
        """The bytes to send for `packet` (e.g. a secured packet)."""
        ...

    def encode_frame(self, frame: TcFrame) -> TcFrame:
        """`frame` as it goes out (e.g. with a security header and MAC in its data field)."""
        ...


class PlainTcEncoder:
    """No security layer: packets and frames go out unchanged (unauthenticated missions only)."""

    def encode(self, packet: bytes) -> bytes:
        """Return `packet` unchanged."""
        return packet

    def encode_frame(self, frame: TcFrame) -> TcFrame:
        """Return `frame` unchanged."""
        return frame


class GroundLink(Protocol):
    """What the client needs from a link."""

    url: str

    def send(self, packet: bytes) -> None:
        """Send one telecommand packet (through the link's `TcEncoder`)."""
        ...

    def receive(self, deadline: float) -> bytes | None:
        """One telemetry packet, or None once `time.monotonic()` reaches `deadline`."""
        ...

    def close(self) -> None:
        """Release the link."""
        ...


class UdpGroundLink:
    """Telecommands to the flight's UDP port; telemetry comes back to the same socket.

    Args:
        host: the flight's address.
        port: the flight's port.
        encoder: the telecommand encoder (security layer seam).

    Raises:
        GroundLinkError: the socket cannot be created.
    """

    def __init__(self, host: str, port: int, encoder: TcEncoder | None = None) -> None:
        self.url = f"udp:{host}:{port}"
        self._address = (host, port)
        self._encoder = encoder or PlainTcEncoder()
        try:
            # Unbound: the first send picks the port the flight then answers to.
            self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        except OSError as exc:
            raise GroundLinkError(f"cannot open {self.url}: {exc}") from exc
        self.sent = 0
        self.received = 0

    def send(self, packet: bytes) -> None:
        """Encode and send one telecommand.

        Raises:
            GroundLinkError: the datagram cannot be sent.
        """
        try:
            self._sock.sendto(self._encoder.encode(packet), self._address)
        except OSError as exc:
            raise GroundLinkError(f"cannot send to {self.url}: {exc}") from exc
        self.sent += 1

    def receive(self, deadline: float) -> bytes | None:
        """Wait for one datagram until `deadline` (monotonic seconds)."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self._sock.settimeout(left)
            try:
                data, _ = self._sock.recvfrom(_MAX_DATAGRAM)
            except TimeoutError:
                return None
            except ConnectionRefusedError:
                continue  # ICMP port unreachable from an earlier send: the flight is not up yet
            except OSError as exc:
                raise GroundLinkError(f"cannot receive from {self.url}: {exc}") from exc
            self.received += 1
            return data

    def close(self) -> None:
        """Close the socket."""
        self._sock.close()


def open_ground_link(url: str, encoder: TcEncoder | None = None) -> GroundLink:
    """Open the ground end of `url`: ``udp:HOST:PORT`` or ``serial:DEVICE[@BAUD]`` (each
    optionally ``?framing=cop1&...``), or ``tcp:HOST:PORT``.

    Raises:
        GroundLinkError: malformed, or the link cannot be opened.
    """
    try:
        base, framing = split_framing(url)
        scheme, host, port = parse_link_url(base)
    except Exception as exc:  # the flight's LinkError, kept as the cause
        raise GroundLinkError(str(exc)) from exc
    if framing is not None:
        # hil.ground.framed imports this module
        from hil.ground.framed import (  # noqa: PLC0415
            FramedGroundLink,
            SerialFrameLine,
            UdpFrameLine,
        )

        if scheme == "udp":
            return FramedGroundLink(UdpFrameLine(host, port), framing, encoder)
        if scheme == "serial":
            line = SerialFrameLine(host, port, framing.frame_length)
            return FramedGroundLink(line, framing, encoder)
        raise GroundLinkError(f"the ground frames udp: and serial: links, not {url!r}")
    if scheme != "udp":
        return OpenedGroundLink(url, encoder)
    return UdpGroundLink(host, port, encoder)


class OpenedGroundLink:
    """The ground end of a serial or TCP link (``serial:DEVICE[@BAUD]``, ``tcp:HOST:PORT``).

    Wraps `flight.links.open_link(url, ..., ground=True)`: the same framing code the board
    runs (COBS on serial, length-delimited packets on TCP), driven by `flight.links.pump`
    while the client waits. A serial device must exist when the link opens; if it goes away
    later the link reopens it, as the board's does.

    Args:
        url: the unit's link URL.
        encoder: the telecommand encoder (security layer seam).

    Raises:
        GroundLinkError: the link cannot be opened.
    """

    def __init__(self, url: str, encoder: TcEncoder | None = None) -> None:
        self.url = url
        self._encoder = encoder or PlainTcEncoder()
        self._ready: deque[bytes] = deque()
        try:
            self._link = open_link(url, self._take, ground=True)
        except LinkError as exc:
            raise GroundLinkError(str(exc)) from exc

    def _take(self, packet: bytes) -> bool:
        self._ready.append(bytes(packet))
        return True

    def send(self, packet: bytes) -> None:
        """Encode and send one telecommand (the link queues and counts, never raises)."""
        self._link.send(self._encoder.encode(packet))
        pump(self._link, 0.0)

    def receive(self, deadline: float) -> bytes | None:
        """One telemetry packet, or None at `deadline`."""
        while not self._ready:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            pump(self._link, min(left, 0.1))
        return self._ready.popleft()

    def close(self) -> None:
        """Close the link."""
        self._link.close()
