"""The TCP link: a stream of space packets, cut apart by their own length fields.

The board listens (`TcpServerLink`) and the ground connects (`TcpClientLink`). Packets are
reassembled with `split_packets`, which skips junk an octet at a time so a stream that went
wrong resynchronises, and whose `max_length` bounds how much a corrupted length field can hold
back. Every buffer is bounded: input by the longest packet plus one read, output by
`tx_limit` (a packet that does not fit is dropped whole and counted). Telemetry goes to the
client that sent the last accepted telecommand, as on UDP; at most `max_clients` are served.
"""

import logging
import socket

from flight.ccsds import MAX_PACKET_LENGTH, split_packets
from flight.core.errors import LinkError
from flight.links.base import Deliver, LinkCounters, OutputQueue, PollSet

__all__ = ["TX_LIMIT", "TcpClientLink", "TcpServerLink"]

log = logging.getLogger(__name__)

TX_LIMIT = 256 * 1024
_READ = 65536
_READS_PER_WAKE = 16
_CONNECT_TIMEOUT_S = 2.0


class _Stream:
    """One connected socket: bounded reassembly in, bounded queue out."""

    def __init__(self, sock: socket.socket, counters: LinkCounters, tx_limit: int) -> None:
        sock.setblocking(False)
        self.sock = sock
        self.fd = sock.fileno()
        self.counters = counters
        self.rx = bytearray()
        self.tx = OutputQueue(tx_limit)

    def read(self, deliver: Deliver, max_packet: int) -> bool:
        """Read and deliver; return whether the connection is still open."""
        for _ in range(_READS_PER_WAKE):
            try:
                data = self.sock.recv(_READ)
            except (BlockingIOError, InterruptedError):
                return True
            except OSError as exc:
                log.info("tcp connection failed: %s", exc)
                return False
            if not data:
                return False
            self.counters.bytes_in += len(data)
            self.rx += data
            batch = split_packets(self.rx, max_length=max_packet)
            packets = [bytes(packet) for packet in batch]
            if batch.skipped:
                self.counters.packets_in += 1
                self.counters.rejected += 1
            # A new buffer rather than resizing one the codec may still hold a view of.
            self.rx = self.rx[batch.consumed :]
            del batch
            for packet in packets:
                self.counters.packets_in += 1
                deliver(packet)
        return True

    def queue(self, packet: bytes) -> bool:
        """Queue `packet` whole; False (counted) when the output bound is reached."""
        if not self.tx.put(packet):
            self.counters.overflows += 1
            return False
        self.counters.packets_out += 1
        return True

    def flush(self) -> bool:
        """Write what the socket takes; False when the connection failed."""
        try:
            self.counters.bytes_out += self.tx.flush(self.sock.send)
        except OSError:
            self.counters.send_errors += 1
            return False
        return True

    def close(self) -> None:
        self.sock.close()


class TcpServerLink:
    """The board's end: listens on `host:port` and serves up to `max_clients` connections.

    Args:
        host: address to listen on.
        port: port (0 picks a free one; see `address`).
        deliver: called with each packet; returns whether it was accepted.
        max_packet: the longest packet taken; longer length fields count as junk.
        max_clients: connections served at once; more are closed at once (and counted).
        tx_limit: octets queued per client before packets are dropped.

    Raises:
        LinkError: the address cannot be bound.
    """

    def __init__(
        self,
        host: str,
        port: int,
        deliver: Deliver,
        *,
        max_packet: int = MAX_PACKET_LENGTH,
        max_clients: int = 4,
        tx_limit: int = TX_LIMIT,
    ) -> None:
        self._deliver = deliver
        self._max_packet = max_packet
        self._max_clients = max_clients
        self._tx_limit = tx_limit
        self.counters = LinkCounters()
        self.refused = 0
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self._listener.bind((host, port))
            self._listener.listen(max_clients)
        except OSError as exc:
            self._listener.close()
            raise LinkError(f"cannot listen on tcp:{host}:{port}: {exc.strerror}") from exc
        self._listener.setblocking(False)
        self._poll = PollSet()
        self._poll.watch(self._listener.fileno())
        self._clients: dict[int, _Stream] = {}
        self._peer: _Stream | None = None

    @property
    def address(self) -> tuple[str, int]:
        """The listening (host, port)."""
        host, port = self._listener.getsockname()[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        """The link URL of the listening address."""
        host, port = self.address
        return f"tcp:{host}:{port}"

    @property
    def connected(self) -> bool:
        """Whether a client has sent an accepted packet and is still connected."""
        return self._peer is not None

    @property
    def clients(self) -> int:
        """Connections open now."""
        return len(self._clients)

    def fileno(self) -> int:
        """The link's own poll set."""
        return self._poll.fileno()

    def on_readable(self) -> None:
        """Accept, read, deliver, and flush whatever is ready."""
        for fd, readable, writable in self._poll.ready():
            if fd == self._listener.fileno():
                self._accept()
                continue
            stream = self._clients.get(fd)
            if stream is None:
                continue
            if readable and not stream.read(self._from(stream), self._max_packet):
                self._drop(stream)
                continue
            if writable and not self._flush(stream):
                self._drop(stream)

    def _from(self, stream: _Stream) -> Deliver:
        def deliver(packet: bytes) -> bool:
            # Replies go out while a telecommand is delivered, so its client is the peer
            # meanwhile; a refused packet (nothing is sent for it) puts the old one back.
            previous, self._peer = self._peer, stream
            if self._deliver(packet):
                return True
            self._peer = previous
            return False

        return deliver

    def _accept(self) -> None:
        try:
            sock, address = self._listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            log.warning("tcp accept failed: %s", exc)
            return
        if len(self._clients) >= self._max_clients:
            self.refused += 1
            sock.close()
            return
        stream = _Stream(sock, self.counters, self._tx_limit)
        self._clients[stream.fd] = stream
        self._poll.watch(stream.fd)
        log.info("tcp client %s:%d connected to %s", address[0], address[1], self.url)

    def _flush(self, stream: _Stream) -> bool:
        ok = stream.flush()
        if ok:
            self._poll.watch(stream.fd, write=len(stream.tx) > 0)
        return ok

    def _drop(self, stream: _Stream) -> None:
        self.counters.disconnects += 1
        self._poll.forget(stream.fd)
        del self._clients[stream.fd]
        if self._peer is stream:
            self._peer = None
        stream.close()

    def send(self, packet: bytes) -> None:
        """Queue one packet for the client of the last accepted telecommand."""
        stream = self._peer
        if stream is None:
            self.counters.no_peer += 1
            return
        if stream.queue(packet) and not self._flush(stream):
            self._drop(stream)

    def tick(self) -> None:
        """Nothing to keep up: clients reconnect on their own."""

    def close(self) -> None:
        """Close every connection and the listener."""
        for stream in list(self._clients.values()):
            self._poll.forget(stream.fd)
            stream.close()
        self._clients.clear()
        self._peer = None
        self._poll.close()
        self._listener.close()


class TcpClientLink:
    """The ground's end: connects to `host:port` and reconnects on `tick` after a drop.

    Args:
        host: the board's address.
        port: its port.
        deliver: called with each packet received.
        max_packet: the longest packet taken.
        tx_limit: octets queued before packets are dropped.

    Raises:
        LinkError: the first connection fails.
    """

    def __init__(
        self,
        host: str,
        port: int,
        deliver: Deliver,
        *,
        max_packet: int = MAX_PACKET_LENGTH,
        tx_limit: int = TX_LIMIT,
    ) -> None:
        self.url = f"tcp:{host}:{port}"
        self._address = (host, port)
        self._deliver = deliver
        self._max_packet = max_packet
        self._tx_limit = tx_limit
        self.counters = LinkCounters()
        self._poll = PollSet()
        self._stream: _Stream | None = None
        if not self._connect():
            self._poll.close()
            raise LinkError(f"cannot connect to {self.url}")

    @property
    def connected(self) -> bool:
        """Whether the connection is up."""
        return self._stream is not None

    def _connect(self) -> bool:
        try:
            sock = socket.create_connection(self._address, timeout=_CONNECT_TIMEOUT_S)
        except OSError as exc:
            log.info("cannot connect to %s: %s", self.url, exc)
            return False
        self._stream = _Stream(sock, self.counters, self._tx_limit)
        self._poll.watch(self._stream.fd)
        return True

    def fileno(self) -> int:
        """The link's own poll set."""
        return self._poll.fileno()

    def on_readable(self) -> None:
        """Read and deliver, flush pending output."""
        stream = self._stream
        if stream is None:
            return
        for _, readable, writable in self._poll.ready():
            open_ = stream.read(self._deliver, self._max_packet) if readable else True
            if not open_ or (writable and not stream.flush()):
                self._lost()
                return
            self._poll.watch(stream.fd, write=len(stream.tx) > 0)

    def _lost(self) -> None:
        if self._stream is not None:
            self._poll.forget(self._stream.fd)
            self._stream.close()
            self._stream = None
            self.counters.disconnects += 1

    def send(self, packet: bytes) -> None:
        """Queue one packet; count, never raise."""
        stream = self._stream
        if stream is None:
            self.counters.no_peer += 1
            return
        if stream.queue(packet):
            if not stream.flush():
                self._lost()
                return
            self._poll.watch(stream.fd, write=len(stream.tx) > 0)

    def tick(self) -> None:
        """Reconnect after a drop."""
        if self._stream is None and self._connect():
            self.counters.reconnects += 1

    def close(self) -> None:
        """Close the connection."""
        if self._stream is not None:
            self._poll.forget(self._stream.fd)
            self._stream.close()
            self._stream = None
        self._poll.close()
