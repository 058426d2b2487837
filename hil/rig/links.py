"""Ground ends the rig needs besides `hil.ground`'s UDP link: a pseudo-terminal serial pair.

`PtyGroundLink` holds the master side of a pty whose slave the flight opens as
``serial:/dev/pts/N`` through its real serial link stack; packets travel COBS-framed
(``00 <cobs> 00``) exactly as on a USB-UART. It implements `hil.ground.GroundLink`, so the
one ground client drives it unchanged, and `hil.rig.proxy.FaultyLink`: each frame can be
dropped, duplicated, reordered, delayed or have one bit of its packet flipped (inside the
COBS framing, which stays intact, as a UART's byte errors would not), as the UDP proxy does
to datagrams.
"""

import contextlib
import heapq
import os
import select
import termios
import time
import tty

from flight.ccsds import CodecError, cobs_decode
from flight.ccsds.frames import TcFrame
from hil.ground import GroundLinkError, PlainTcEncoder, TcEncoder
from hil.rig.proxy import Pending, TwoWayDamage

__all__ = ["PtyGroundLink", "RigEncoder"]

_READ = 4096
_TICK = 0.02


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

    def encode_frame(self, frame: TcFrame) -> TcFrame:
        """`frame` through `inner` (hostile frames go out with `transmit_frame`)."""
        return self.inner.encode_frame(frame)


class PtyGroundLink(TwoWayDamage):
    """The ground's end of a pseudo-terminal pair.

    Args:
        encoder: the telecommand encoder (security layer seam).

    Attributes:
        device: the slave's path, for the flight's ``--link serial:DEVICE``.
        url: the link URL the flight opens.
        undecodable: frames that did not COBS-decode.
    """

    def __init__(self, encoder: TcEncoder | None = None) -> None:
        super().__init__()
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
        self._up: list[Pending] = []  # heaps, by due time
        self._down: list[Pending] = []
        self.sent = 0
        self.received = 0
        self.undecodable = 0

    def set_encoder(self, encoder: TcEncoder) -> None:
        """Use `encoder` for the telecommands sent from now on."""
        self._encoder = encoder

    # -- FaultyLink --------------------------------------------------------------------------

    def clear(self) -> None:
        """No faults; release anything held back for reordering."""
        with self._lock:
            for unit in self._lift_faults():
                heapq.heappush(self._up if unit.upstream else self._down, unit)

    def settle(self, timeout: float = 2.0) -> None:
        """Write every delayed telecommand (bounded by `timeout`); delayed telemetry is
        returned by the next `receive` calls."""
        deadline = time.monotonic() + timeout
        while (self._up or self.uplink.held) and time.monotonic() < deadline:
            self._flush_up()
            time.sleep(_TICK)

    # -- GroundLink --------------------------------------------------------------------------

    def send(self, packet: bytes) -> None:
        """Frame and write one telecommand (once its damage, if any, lets it go).

        Raises:
            GroundLinkError: the pty refused the write.
        """
        for unit in self.uplink.take(self._encoder.encode(packet), time.monotonic()):
            heapq.heappush(self._up, unit)
        self._flush_up()
        self.sent += 1

    def _flush_up(self) -> None:
        now = time.monotonic()
        while self._up and self._up[0].due <= now:
            unit = heapq.heappop(self._up)
            self._write(self._frame(unit.data))
            self.uplink.delivered(unit)

    def _write(self, data: bytes) -> None:
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

    def receive(self, deadline: float) -> bytes | None:
        """One telemetry packet, or None at `deadline` (monotonic seconds)."""
        while True:
            self._flush_up()
            now = time.monotonic()
            if self._down and self._down[0].due <= now:
                unit = heapq.heappop(self._down)
                self.downlink.delivered(unit)
                self.received += 1
                return unit.data
            if now >= deadline:
                return None
            wait = min([deadline] + [heap[0].due for heap in (self._up, self._down) if heap])
            if select.select([self._master], [], [], max(wait - now, 0.0))[0]:
                self._read(now)

    def _read(self, now: float) -> None:
        try:
            chunk = os.read(self._master, _READ)
        except BlockingIOError:
            return
        except OSError as exc:
            raise GroundLinkError(f"cannot read {self.url}: {exc}") from exc
        for frame in self._deframer.feed(chunk):
            if frame is None:  # ran past the length bound
                self.undecodable += 1
                continue
            try:
                packet = cobs_decode(frame)
            except CodecError:
                self.undecodable += 1
                continue
            for unit in self.downlink.take(packet, now):
                heapq.heappush(self._down, unit)

    def close(self) -> None:
        """Close both ends."""
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)
