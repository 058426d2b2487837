"""Ground ends the rig needs besides `hil.ground`'s UDP link: a pseudo-terminal serial pair.

`PtyGroundLink` holds the master side of a pty whose slave the flight opens as
``serial:/dev/pts/N`` through its real serial link stack; packets travel COBS-framed
(``00 <cobs> 00``) exactly as on a USB-UART. It implements `hil.ground.GroundLink`, so the
one ground client drives it unchanged.
"""

import contextlib
import os
import select
import termios
import time
import tty
from collections import deque

from flight.ccsds import CodecError, cobs_decode
from hil.ground import GroundLinkError, PlainTcEncoder, TcEncoder

__all__ = ["OpenedGroundLink", "PtyGroundLink", "RigEncoder"]

_READ = 4096


class RigEncoder:
    """The mission's telecommand encoder, with a way around it for hostile tests.

    Every packet goes through `inner` (the signer on authenticated missions), except the
    exact octets handed to `verbatim`, which go out unchanged once: how a test injects a
    forged or replayed unit over the real link, from the real ground socket.

    Args:
        inner: the mission's encoder.
    """

    def __init__(self, inner: TcEncoder | None = None) -> None:
        self.inner: TcEncoder = inner or PlainTcEncoder()
        self._verbatim: list[bytes] = []

    def verbatim(self, unit: bytes) -> None:
        """Send `unit` unchanged the next time it is encoded."""
        self._verbatim.append(unit)

    def encode(self, packet: bytes) -> bytes:
        """`packet` unchanged if it was handed to `verbatim`, else through `inner`."""
        if packet in self._verbatim:
            self._verbatim.remove(packet)
            return packet
        return self.inner.encode(packet)


class PtyGroundLink:
    """The ground's end of a pseudo-terminal pair.

    Args:
        encoder: the telecommand encoder (security layer seam).

    Attributes:
        device: the slave's path, for the flight's ``--link serial:DEVICE``.
        url: the link URL the flight opens.
        undecodable: frames that did not COBS-decode.
    """

    def __init__(self, encoder: TcEncoder | None = None) -> None:
        # The serial link stack is imported only by the units that use it.
        from flight.links.serial import CobsDeframer, cobs_frame  # noqa: PLC0415

        self._frame = cobs_frame
        self._master, slave = os.openpty()
        tty.setraw(slave, termios.TCSANOW)
        self.device = os.ttyname(slave)
        # The slave stays open here too, so the pair survives the flight's restarts.
        self._slave = slave
        os.set_blocking(self._master, False)
        self.url = f"serial:{self.device}@115200"
        self._encoder = encoder or PlainTcEncoder()
        self._deframer = CobsDeframer()
        self._ready: deque[bytes] = deque()
        self.sent = 0
        self.received = 0
        self.undecodable = 0

    def set_encoder(self, encoder: TcEncoder) -> None:
        """Use `encoder` for the telecommands sent from now on."""
        self._encoder = encoder

    def send(self, packet: bytes) -> None:
        """Frame and write one telecommand.

        Raises:
            GroundLinkError: the pty refused the write.
        """
        data = self._frame(self._encoder.encode(packet))
        deadline = time.monotonic() + 2.0
        while data:
            try:
                written = os.write(self._master, data)
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise GroundLinkError(f"{self.url}: the flight is not reading") from None
                select.select([], [self._master], [], 0.05)
                continue
            except OSError as exc:
                raise GroundLinkError(f"cannot write {self.url}: {exc}") from exc
            data = data[written:]
        self.sent += 1

    def receive(self, deadline: float) -> bytes | None:
        """One telemetry packet, or None at `deadline` (monotonic seconds)."""
        while not self._ready:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self._master], [], [], left)
            if not ready:
                return None
            try:
                chunk = os.read(self._master, _READ)
            except BlockingIOError:
                continue
            except OSError as exc:
                raise GroundLinkError(f"cannot read {self.url}: {exc}") from exc
            for frame in self._deframer.feed(chunk):
                if frame is None:  # ran past the length bound
                    self.undecodable += 1
                    continue
                try:
                    self._ready.append(cobs_decode(frame))
                except CodecError:
                    self.undecodable += 1
        self.received += 1
        return self._ready.popleft()

    def close(self) -> None:
        """Close both ends."""
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)


class OpenedGroundLink:
    """The ground end of any flight link (``serial:``, ``tcp:``) as a `GroundLink`.

    Wraps `flight.links.open_link(url, ..., ground=True)`: the same framing code the board
    runs, driven by `flight.links.pump` while the client waits.

    Args:
        url: the unit's link URL.
        encoder: the telecommand encoder (security layer seam).

    Raises:
        GroundLinkError: the link cannot be opened.
    """

    def __init__(self, url: str, encoder: TcEncoder | None = None) -> None:
        from flight.core import LinkError  # noqa: PLC0415 -- the flight's link stack, lazily
        from flight.links import open_link, pump  # noqa: PLC0415

        self.url = url
        self._encoder = encoder or PlainTcEncoder()
        self._ready: deque[bytes] = deque()
        self._pump = pump
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
        self._pump(self._link, 0.0)

    def receive(self, deadline: float) -> bytes | None:
        """One telemetry packet, or None at `deadline`."""
        while not self._ready:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self._pump(self._link, min(left, 0.1))
        return self._ready.popleft()

    def close(self) -> None:
        """Close the link."""
        self._link.close()
