"""The TCP link over loopback: reassembly, resynchronisation, bounds, clients, reconnection."""

import socket
import time
from collections.abc import Callable, Iterator

import pytest
from spacepackets.ecss.tc import PusTc

from flight.core import LinkError
from flight.links import Link, TcpClientLink, TcpServerLink, open_link, pump

PING = PusTc(17, 1, apid=100).pack()


def _until(links: list[Link], done: Callable[[], bool], timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "timed out"
        for link in links:
            pump(link, 0.01)


@pytest.fixture
def server() -> Iterator[tuple[TcpServerLink, list[bytes]]]:
    received: list[bytes] = []

    def deliver(packet: bytes) -> bool:
        received.append(packet)
        return True

    link = TcpServerLink("127.0.0.1", 0, deliver)
    yield link, received
    link.close()


def test_packets_split_across_reads_and_glued_together_are_reassembled(
    server: tuple[TcpServerLink, list[bytes]],
) -> None:
    link, received = server
    with socket.create_connection(link.address, timeout=2) as raw:
        for octet in PING:  # one octet per segment
            raw.sendall(bytes([octet]))
            pump(link, 0.005)
        raw.sendall(PING * 3 + PING[:4])
        raw.sendall(PING[4:])
        _until([link], lambda: len(received) == 5)
    assert received == [PING] * 5
    assert link.counters.rejected == 0
    assert link.counters.bytes_in == 5 * len(PING)


def test_junk_in_the_stream_is_skipped_and_counted(
    server: tuple[TcpServerLink, list[bytes]],
) -> None:
    link, received = server
    with socket.create_connection(link.address, timeout=2) as raw:
        raw.sendall(PING + b"\xff\xfe\xfd" + PING)
        _until([link], lambda: len(received) == 2)
    assert received == [PING, PING]
    assert link.counters.rejected == 1


def test_telemetry_goes_to_the_last_accepted_client_and_output_is_bounded() -> None:
    accepted = {"yes": True}
    link = TcpServerLink("127.0.0.1", 0, lambda _: accepted["yes"], tx_limit=100_000)
    got: list[bytes] = []
    ground = TcpClientLink(*link.address, lambda p: got.append(p) is None)
    try:
        link.send(PING)
        assert link.counters.no_peer == 1
        ground.send(PING)
        _until([link, ground], lambda: link.connected)
        link.send(PING)
        _until([link, ground], lambda: got == [PING])
        # A refused packet from a second client does not take the downlink.
        accepted["yes"] = False
        with socket.create_connection(link.address, timeout=2) as other:
            other.sendall(PING)
            _until([link], lambda: link.counters.packets_in == 2)
            # The first client stops reading: the socket and then the queue fill to their
            # bounds, and what does not fit is dropped whole.
            big = PusTc(17, 1, apid=100, app_data=bytes(60_000)).pack()
            for _ in range(1000):
                link.send(big)
            assert link.counters.overflows > 0
            assert link.counters.packets_out + link.counters.overflows == 1001
            other.settimeout(0.2)
            with pytest.raises(TimeoutError):
                other.recv(1)
    finally:
        ground.close()
        link.close()


def test_clients_beyond_the_limit_are_refused() -> None:
    link = TcpServerLink("127.0.0.1", 0, lambda _: True, max_clients=1)
    try:
        first = socket.create_connection(link.address, timeout=2)
        _until([link], lambda: link.clients == 1)
        second = socket.create_connection(link.address, timeout=2)
        _until([link], lambda: link.refused == 1)
        second.settimeout(2)
        assert second.recv(1) == b""  # closed by the board
        first.close()
        _until([link], lambda: link.clients == 0)
        assert link.counters.disconnects == 1
        second.close()
    finally:
        link.close()


def test_ground_reconnects_after_the_board_restarts() -> None:
    received: list[bytes] = []
    board = TcpServerLink("127.0.0.1", 0, lambda p: received.append(p) is None)
    host, port = board.address
    ground = open_link(f"tcp:{host}:{port}", lambda _: True, ground=True)
    try:
        assert isinstance(ground, TcpClientLink)
        _until([board], lambda: board.clients == 1)
        board.close()
        _until([ground], lambda: not ground.connected)
        ground.send(PING)
        assert ground.counters.no_peer == 1
        board = TcpServerLink(host, port, lambda p: received.append(p) is None)
        _until([ground, board], lambda: ground.connected)
        assert ground.counters.reconnects == 1
        ground.send(PING)
        _until([board], lambda: received == [PING])
    finally:
        ground.close()
        board.close()


def test_nothing_listening_is_a_link_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(LinkError, match="cannot connect"):
        open_link(f"tcp:127.0.0.1:{port}", lambda _: True, ground=True)
    board = TcpServerLink("127.0.0.1", 0, lambda _: True)
    try:
        with pytest.raises(LinkError, match="cannot listen"):
            TcpServerLink(*board.address, lambda _: True)
    finally:
        board.close()
