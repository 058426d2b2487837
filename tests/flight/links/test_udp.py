"""The UDP link over real loopback sockets: framing, counters, replies to the last sender."""

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
    udp = UdpLink("127.0.0.1", 0, received.append)
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
    while udp.datagrams_in < expected_in:
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
    assert (udp.datagrams_in, udp.rejected) == (4, 3)


def test_telemetry_goes_to_the_sender_of_the_last_telecommand(
    link: tuple[UdpLink, list[bytes]], ground: socket.socket
) -> None:
    udp, _ = link
    udp.send(b"nobody to send to")
    assert udp.no_peer == 1
    ground.sendto(PusTc(17, 1, apid=100).pack(), udp.address)
    _pump(udp, 1)
    udp.send(b"reply")
    assert ground.recvfrom(100) == (b"reply", udp.address)
    assert udp.datagrams_out == 1


def test_urls() -> None:
    assert parse_link_url("udp:localhost:0") == ("udp", "localhost", 0)
    with pytest.raises(LinkError, match="unsupported"):
        parse_link_url("serial:/dev/ttyUSB0")
    with pytest.raises(LinkError, match="malformed"):
        parse_link_url("udp:nohost")
    with pytest.raises(LinkError, match="not implemented"):
        open_link("tcp:127.0.0.1:0", print)


def test_address_in_use_is_a_link_error(link: tuple[UdpLink, list[bytes]]) -> None:
    udp, _ = link
    with pytest.raises(LinkError, match="cannot bind"):
        UdpLink(*udp.address, print)
