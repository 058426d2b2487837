"""What every link shares: counters, the delivery callback, bounded output, its own poll set.

Each link owns a selector and hands its descriptor to whoever polls it (the executive on the
board, `pump` on the ground). The executive registers one descriptor per link, once; a serial
adapter that is unplugged and comes back, or TCP clients that come and go, change the
descriptors underneath, and the link keeps those in its own set, whose descriptor never
changes. A link never raises on bad input or a failed send: it counts and carries on.
"""

import contextlib
import select
import selectors
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from flight.links.framed import FramedEndpoint

__all__ = [
    "HEADER_LENGTH",
    "Deliver",
    "FramedLink",
    "Link",
    "LinkCounters",
    "OutputQueue",
    "PollSet",
    "is_one_packet",
    "pump",
]

HEADER_LENGTH = 6  # a space packet's primary header

Deliver = Callable[[bytes], bool]
"""Called with each well-framed packet; returns whether it was accepted (e.g. authenticated).

A UDP or TCP link answers telemetry to the sender of the last *accepted* packet, so a
rejected datagram can never redirect the downlink.
"""


def is_one_packet(data: bytes | bytearray | memoryview) -> bool:
    """True when `data` is exactly one space packet according to its length field."""
    return len(data) > HEADER_LENGTH and len(data) == HEADER_LENGTH + 1 + int.from_bytes(
        data[4:6], "big"
    )


@dataclass
class LinkCounters:
    """A link's counters, reported in the core app's link housekeeping.

    Attributes:
        bytes_in: octets read (datagrams, stream or serial bytes).
        bytes_out: octets written.
        packets_in: units received (datagrams, COBS frames, stream packets), good or bad.
        packets_out: packets sent.
        rejected: units refused by the framing (not exactly one packet, bad COBS, junk runs).
        overflows: frames longer than the bound, and packets dropped on a full output queue.
        send_errors: sends the operating system refused.
        no_peer: packets with nobody to send to (no UDP peer, TCP client or serial device).
        disconnects: times the device or connection went away.
        reconnects: times it came back.
    """

    bytes_in: int = 0
    bytes_out: int = 0
    packets_in: int = 0
    packets_out: int = 0
    rejected: int = 0
    overflows: int = 0
    send_errors: int = 0
    no_peer: int = 0
    disconnects: int = 0
    reconnects: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counters by name."""
        return asdict(self)


class Link(Protocol):
    """What the flight loop (and the ground) needs from a link."""

    counters: LinkCounters

    @property
    def url(self) -> str:
        """The link's URL (its bound or peer address)."""
        ...

    @property
    def connected(self) -> bool:
        """Whether the link can send now (a device is open, a peer is known)."""
        ...

    def fileno(self) -> int:
        """A descriptor that turns readable whenever `on_readable` has work."""
        ...

    def on_readable(self) -> None:
        """Do the waiting input and output work, within a bound."""
        ...

    def send(self, packet: bytes) -> None:
        """Queue one packet; count, never raise."""
        ...

    def tick(self) -> None:
        """Periodic upkeep (reconnect attempts); called about once a second."""
        ...

    def close(self) -> None:
        """Release everything the link holds."""
        ...


def pump(link: Link, timeout: float) -> None:
    """Wait up to `timeout` s for `link` to have work, do it, then tick (ground-side loop)."""
    ready, _, _ = select.select([link], [], [], max(timeout, 0.0))
    if ready:
        link.on_readable()
    link.tick()


class PollSet:
    """A link's own selector, watched by the outer loop through one stable descriptor."""

    def __init__(self) -> None:
        self._selector = selectors.DefaultSelector()
        if not hasattr(self._selector, "fileno"):  # pragma: no cover - Linux has epoll
            raise OSError("this platform's selector has no descriptor to poll")

    def fileno(self) -> int:
        """The selector's descriptor: readable while any member is ready."""
        return int(self._selector.fileno())

    def watch(self, fd: int, *, write: bool = False) -> None:
        """Watch `fd` for input (and output when `write`), adding or updating it."""
        events = selectors.EVENT_READ | (selectors.EVENT_WRITE if write else 0)
        try:
            self._selector.modify(fd, events)
        except KeyError:
            self._selector.register(fd, events)

    def forget(self, fd: int) -> None:
        """Stop watching `fd` (before it is closed)."""
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(fd)

    def ready(self) -> list[tuple[int, bool, bool]]:
        """(fd, readable, writable) for every member ready now; never blocks."""
        return [
            (int(key.fd), bool(mask & selectors.EVENT_READ), bool(mask & selectors.EVENT_WRITE))
            for key, mask in self._selector.select(0)
        ]

    def close(self) -> None:
        """Close the selector."""
        self._selector.close()


class OutputQueue:
    """Octets waiting for a non-blocking descriptor, bounded; whole packets are refused.

    Args:
        limit: the most octets held; a packet that would pass it is dropped (and counted by
            the link), never cut, so the far end never sees half a frame. An empty queue
            takes any one packet, so the bound is `limit` plus the longest packet.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._pending = bytearray()

    def __len__(self) -> int:
        return len(self._pending)

    def put(self, data: bytes) -> bool:
        """Append `data` whole, or refuse it (False) when it would pass the bound."""
        if self._pending and len(self._pending) + len(data) > self.limit:
            return False
        self._pending += data
        return True

    def flush(self, write: Callable[[memoryview], int]) -> int:
        """Write what the descriptor takes now; return the octets written.

        Raises:
            OSError: the descriptor failed (other than being full).
        """
        written = 0
        view = memoryview(self._pending)
        try:
            while written < len(view):
                try:
                    with view[written:] as chunk:
                        n = write(chunk)
                except (BlockingIOError, InterruptedError):
                    break
                if n <= 0:
                    break
                written += n
        finally:
            view.release()
            del self._pending[:written]
        return written

    def clear(self) -> None:
        """Drop everything pending (the connection is gone)."""
        self._pending.clear()


@runtime_checkable
class FramedLink(Protocol):
    """A link that carries transfer frames: it has a COP-1 endpoint (FARM-1, its counters)."""

    @property
    def endpoint(self) -> "FramedEndpoint":
        """The board's end of COP-1 on this link."""
        ...
