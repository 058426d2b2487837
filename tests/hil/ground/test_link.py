"""The telecommand encoder seam: what a security layer would wrap goes out wrapped."""

import socket
import time

import pytest

from flight.ccsds import PusTc
from hil.ground import GroundLinkError, UdpGroundLink, open_ground_link


class _Framing:
    """Stands in for the SDLS layer: prefixes a header and appends a trailer."""

    def encode(self, packet: bytes) -> bytes:
        return b"HDR" + packet + b"MAC"


def test_encoder_wraps_every_telecommand() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as flight:
        flight.bind(("127.0.0.1", 0))
        flight.settimeout(2)
        link = UdpGroundLink("127.0.0.1", flight.getsockname()[1], _Framing())
        packet = PusTc(apid=100, service=17, subtype=1).pack()
        link.send(packet)
        data, ground = flight.recvfrom(1024)
        assert data == b"HDR" + packet + b"MAC"
        flight.sendto(b"answer", ground)  # telemetry comes back to the sending socket
        assert link.receive(time.monotonic() + 2) == b"answer"
        assert link.receive(time.monotonic() + 0.05) is None
        link.close()


def test_plain_by_default_and_frames_on_udp_and_serial_only() -> None:
    link = open_ground_link("udp:127.0.0.1:9")
    assert link.url == "udp:127.0.0.1:9"
    link.close()
    with pytest.raises(GroundLinkError, match="frames udp: and serial: links, not"):
        open_ground_link("tcp:127.0.0.1:9?framing=cop1&scid=1")
    with pytest.raises(GroundLinkError, match="cannot connect"):
        open_ground_link("tcp:127.0.0.1:9")  # nobody listens on the discard port
