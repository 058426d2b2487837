"""The UDP link over real loopback sockets: framing, counters, replies to the accepted sender."""

import select
import socket
from collections.abc import Iterator

import pytest
from spacepackets.ecss.tc import PusTc

from flight.core import LinkError
from flight.links import UdpLink, open_link, parse_link_url


@pytest.fixture
def link() -> Iterator[tuple[UdpLink, list[bytes]]]:
    received: list[bytes] = []

    def deliver(packet: bytes) -> bool:
        received.append(packet)
        return packet[-1] != 0xEE  # a test stand-in for "failed authentication"

    udp = UdpLink("127.0.0.1", 0, deliver)
    yield udp, received
    udp.close()


@pytest.fixture
def ground() -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(2.0)
    yield sock
    sock.close()


def _pump(udp: UdpLink, expected_in: int) -> None:
    while udp.counters.packets_in < expected_in:
        ready, _, _ = select.select([udp], [], [], 2.0)
        assert ready, "datagram did not arrive within 2 s"
        udp.on_readable()


def test_one_packet_per_datagram_and_bad_framing_rejected(
    link: tuple[UdpLink, list[bytes]], ground: socket.socket
) -> None:
    udp, received = link
    ping = PusTc(17, 1, apid=100).pack()
    ground.sendto(ping, udp.address)
    ground.sendto(ping + b"\x00", udp.address)  # trailing junk
    ground.sendto(ping[:-1], udp.address)  # truncated
    ground.sendto(b"\x18", udp.address)  # shorter than a header
    _pump(udp, 4)
    assert received == [ping]
    counters = udp.counters
    assert (counters.packets_in, counters.rejected) == (4, 3)
    assert counters.bytes_in == len(ping) + (len(ping) + 1) + (len(ping) - 1) + 1


def test_telemetry_goes_to_the_sender_of_the_last_telecommand(
    link: tuple[UdpLink, list[bytes]], ground: socket.socket
) -> None:
    udp, _ = link
    udp.send(b"nobody to send to")
    assert udp.counters.no_peer == 1
    ground.sendto(PusTc(17, 1, apid=100).pack(), udp.address)
    _pump(udp, 1)
    udp.send(b"reply")
    assert ground.recvfrom(100) == (b"reply", udp.address)
    assert (udp.counters.packets_out, udp.counters.bytes_out) == (1, 5)


def test_a_refused_packet_never_moves_the_downlink(
    link: tuple[UdpLink, list[bytes]], ground: socket.socket
) -> None:
    udp, received = link
    ground.sendto(PusTc(17, 1, apid=100).pack(), udp.address)
    _pump(udp, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as intruder:
        intruder.bind(("127.0.0.1", 0))
        refused = bytes.fromhex("1864c000000100ee")  # well framed, refused by `deliver`
        intruder.sendto(refused, udp.address)
        _pump(udp, 2)
    assert received[-1] == refused
    assert udp.peer == ground.getsockname()


def test_ground_end_sends_to_the_board_and_takes_only_its_datagrams(
    link: tuple[UdpLink, list[bytes]],
) -> None:
    board, on_board = link
    got: list[bytes] = []
    ground_link = open_link(board.url, lambda p: got.append(p) is None, ground=True)
    try:
        assert isinstance(ground_link, UdpLink)
        assert ground_link.url == board.url
        ping = PusTc(17, 1, apid=100).pack()
        ground_link.send(ping)
        _pump(board, 1)
        assert on_board == [ping]
        board.send(b"\x08\x64\xc0\x00\x00\x00\x01")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as stranger:
            stranger.sendto(ping, ground_link.address)
        _pump(ground_link, 2)
        assert got == [b"\x08\x64\xc0\x00\x00\x00\x01"]
        assert ground_link.counters.rejected == 1
    finally:
        ground_link.close()


def test_urls() -> None:
    assert parse_link_url("udp:localhost:0") == ("udp", "localhost", 0)
    assert parse_link_url("tcp:127.0.0.1:7") == ("tcp", "127.0.0.1", 7)
    assert parse_link_url("serial:/dev/ttyUSB0") == ("serial", "/dev/ttyUSB0", 115200)
    assert parse_link_url("serial:/dev/serial/by-path/pci-0:1@9600")[1:] == (
        "/dev/serial/by-path/pci-0:1",
        9600,
    )
    with pytest.raises(LinkError, match="unsupported"):
        parse_link_url("ftp:host:21")
    with pytest.raises(LinkError, match="malformed"):
        parse_link_url("udp:nohost")
    with pytest.raises(LinkError, match="malformed"):
        parse_link_url("serial:/dev/ttyUSB0@fast")
    with pytest.raises(LinkError, match="malformed"):
        parse_link_url("serial:@9600")


def test_address_in_use_is_a_link_error(link: tuple[UdpLink, list[bytes]]) -> None:
    udp, _ = link
    with pytest.raises(LinkError, match="cannot bind"):
        UdpLink(*udp.address, bool)


def test_replies_sent_while_a_telecommand_is_delivered_reach_its_sender(
    ground: socket.socket,
) -> None:
    def answer(packet: bytes) -> bool:
        udp.send(b"ack " + packet[-2:])  # the router answers inside delivery, as 1,1 does
        return True

    udp = UdpLink("127.0.0.1", 0, answer)
    try:
        ground.sendto(PusTc(17, 1, apid=100).pack(), udp.address)
        _pump(udp, 1)
        data, _ = ground.recvfrom(100)
        assert data.startswith(b"ack ")
        assert udp.counters.no_peer == 0
    finally:
        udp.close()
