"""The serial link: COBS-framed space packets over a UART, through pyserial.

Each packet travels as ``00 <COBS(packet)> 00``, the framing tmtccmd's `SerialCobsComIF`
sends and expects. Zero octets only ever delimit, so a receiver that starts mid-stream or
meets line noise loses at most the frame it is in: bytes up to the next zero are one frame,
and a frame that does not COBS-decode to exactly one space packet is counted and dropped.

pyserial opens and configures the port (raw mode, baud rate, an exclusive lock); the data
goes through its non-blocking descriptor directly, because pyserial's own non-blocking write
spins while the port is full. A USB adapter that disappears shows up as end-of-file or an
error on read or write: the link closes the port, counts a disconnect, and `tick` reopens
the same device path (a udev symlink comes back under the same name) every `retry_s`.
"""

import contextlib
import logging
import os
import time
from collections.abc import Iterator

import serial

from flight.ccsds import MAX_PACKET_LENGTH, CodecError, cobs_decode, cobs_encode
from flight.core.errors import LinkError
from flight.links.base import Deliver, LinkCounters, OutputQueue, PollSet, is_one_packet

__all__ = ["DEFAULT_BAUD", "CobsDeframer", "SerialLink", "cobs_frame"]

log = logging.getLogger(__name__)

DEFAULT_BAUD = 115200
_TX_LIMIT = 64 * 1024  # about 5.7 s of output at 115200 baud
_READ = 4096
_READS_PER_WAKE = 16


def cobs_frame(packet: bytes) -> bytes:
    """The octets that carry `packet` on the wire: ``00 <COBS(packet)> 00``."""
    return b"\x00" + cobs_encode(packet) + b"\x00"


def _cobs_bound(max_packet: int) -> int:
    return max_packet + max_packet // 254 + 1


class CobsDeframer:
    """Cuts a byte stream into COBS frames at zero octets, bounded.

    Args:
        max_packet: the longest packet expected; a frame longer than its encoding is
            discarded up to the next zero and reported as `None`.

    >>> deframer = CobsDeframer(100)
    >>> list(deframer.feed(b"junk\\x00\\x02x\\x00\\x00\\x03ab"))
    [b'junk', b'\\x02x']
    >>> list(deframer.feed(b"\\x00"))
    [b'\\x03ab']
    """

    def __init__(self, max_packet: int = MAX_PACKET_LENGTH) -> None:
        self.limit = _cobs_bound(max_packet)
        self._frame = bytearray()
        self._overflowed = False

    def feed(self, data: bytes) -> Iterator[bytes | None]:
        """Yield each frame that `data` completes; None for one that ran past the bound."""
        *complete, rest = data.split(b"\x00")
        for part in complete:
            if self._overflowed or len(self._frame) + len(part) > self.limit:
                yield None
            elif self._frame or part:  # an empty frame is only a pair of delimiters
                yield bytes(self._frame + part)
            self._frame.clear()
            self._overflowed = False
        if self._overflowed:
            return
        if len(self._frame) + len(rest) > self.limit:
            self._frame.clear()
            self._overflowed = True
        else:
            self._frame += rest

    def reset(self) -> None:
        """Forget a partial frame (the device went away)."""
        self._frame.clear()
        self._overflowed = False


class SerialLink:
    """COBS-framed packets on a serial device, reopened when the device comes back.

    The same class serves the board and the ground; both ends are alike.

    Args:
        device: the device path, e.g. ``/dev/ttyUSB0`` or a stable udev symlink.
        baudrate: the line rate.
        deliver: called with each packet; returns whether it was accepted.
        max_packet: the longest packet taken.
        tx_limit: octets queued before packets are dropped (whole).
        retry_s: seconds between attempts to reopen a missing device.
        required: raise if the device cannot be opened now (the ground wants to know at
            once; the board keeps flying and retries).

    Raises:
        LinkError: `required` and the device cannot be opened, or a bad baud rate.
    """

    def __init__(
        self,
        device: str,
        baudrate: int,
        deliver: Deliver,
        *,
        max_packet: int = MAX_PACKET_LENGTH,
        tx_limit: int = _TX_LIMIT,
        retry_s: float = 1.0,
        required: bool = False,
    ) -> None:
        if baudrate <= 0:
            raise LinkError(f"bad baud rate {baudrate} for serial:{device}")
        self.device = device
        self.baudrate = baudrate
        self.url = f"serial:{device}@{baudrate}"
        self._deliver = deliver
        self._max_packet = max_packet
        self._retry_s = retry_s
        self.counters = LinkCounters()
        self._poll = PollSet()
        self._deframer = CobsDeframer(max_packet)
        self._tx = OutputQueue(tx_limit)
        self._port: serial.Serial | None = None
        self._fd = -1
        self._retry_at = 0.0
        self._reported_missing = False
        if not self._open() and required:
            self._poll.close()
            raise LinkError(f"cannot open {self.url}")

    @property
    def connected(self) -> bool:
        """Whether the device is open."""
        return self._port is not None

    def _open(self) -> bool:
        try:
            port = serial.Serial(
                self.device, self.baudrate, timeout=0, write_timeout=0, exclusive=True
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            if not self._reported_missing:
                log.warning(
                    "%s unavailable (retrying every %.1f s): %s", self.url, self._retry_s, exc
                )
                self._reported_missing = True
            self._retry_at = time.monotonic() + self._retry_s
            return False
        self._port = port
        self._fd = port.fileno()
        self._reported_missing = False
        self._poll.watch(self._fd, write=len(self._tx) > 0)
        log.info("%s open", self.url)
        return True

    def _lost(self, why: object) -> None:
        log.warning("%s lost: %s", self.url, why)
        self.counters.disconnects += 1
        self._poll.forget(self._fd)
        if self._port is not None:
            # The device may be gone already; closing then fails with nothing left to release.
            with contextlib.suppress(serial.SerialException, OSError):
                self._port.close()
        self._port = None
        self._fd = -1
        self._reset_input()
        self._tx.clear()  # half a frame may have gone out; the next starts with a delimiter
        self._retry_at = time.monotonic() + self._retry_s

    def fileno(self) -> int:
        """The link's own poll set."""
        return self._poll.fileno()

    def on_readable(self) -> None:
        """Read and deliver what is waiting, flush pending output; notice a lost device."""
        for _, readable, writable in self._poll.ready():
            if readable and not self._read():
                return
            if writable:
                self._flush()

    def _read(self) -> bool:
        for _ in range(_READS_PER_WAKE):
            try:
                data = os.read(self._fd, _READ)
            except (BlockingIOError, InterruptedError):
                return True
            except OSError as exc:
                self._lost(exc)
                return False
            if not data:
                self._lost("end of file (device unplugged?)")
                return False
            self.counters.bytes_in += len(data)
            self._received(data)
            if len(data) < _READ:
                return True
        return True

    def _received(self, data: bytes) -> None:
        """Octets from the line: deliver every packet they complete."""
        for frame in self._deframer.feed(data):
            self._take(frame)

    def _reset_input(self) -> None:
        """Forget a partial frame (the device went away)."""
        self._deframer.reset()

    def _encode(self, packet: bytes) -> bytes:
        """The octets that carry `packet` on the line."""
        return cobs_frame(packet)

    def _take(self, frame: bytes | None) -> None:
        counters = self.counters
        counters.packets_in += 1
        if frame is None:
            counters.overflows += 1
            counters.rejected += 1
            return
        try:
            packet = cobs_decode(frame)
        except CodecError:
            counters.rejected += 1
            return
        if not is_one_packet(packet):
            counters.rejected += 1
            return
        self._deliver(packet)

    def _flush(self) -> None:
        if self._port is None:
            return
        try:
            self.counters.bytes_out += self._tx.flush(lambda chunk: os.write(self._fd, chunk))
        except OSError as exc:
            self.counters.send_errors += 1
            self._lost(exc)
            return
        self._poll.watch(self._fd, write=len(self._tx) > 0)

    def send(self, packet: bytes) -> None:
        """Queue one packet (a COBS frame) and write what the port takes now."""
        if self._port is None:
            self.counters.no_peer += 1
            return
        if self._queue(self._encode(packet)):
            self.counters.packets_out += 1

    def _queue(self, octets: bytes) -> bool:
        """Queue `octets` whole, and write what the port takes now; False if they do not fit."""
        if not self._tx.put(octets):
            self.counters.overflows += 1
            return False
        self._flush()
        return True

    def tick(self) -> None:
        """Reopen the device once it is back."""
        if self._port is None and time.monotonic() >= self._retry_at and self._open():
            self.counters.reconnects += 1

    def close(self) -> None:
        """Close the port."""
        if self._port is not None:
            self._poll.forget(self._fd)
            self._port.close()
            self._port = None
        self._poll.close()
