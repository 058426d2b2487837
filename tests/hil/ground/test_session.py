"""Sessions per mission, and the times operators type."""

import socket
from pathlib import Path

import pytest

from flight.ccsds import PusTc, SpacePacketHeader
from flight.core import load_mission
from flight.links.security import SECURED_APID, Unsealed, unseal
from flight.links.security_keys import ensure_dev_key, load_keyring
from hil.ground import GroundError, open_session, parse_time


def test_parse_time_forms() -> None:
    now = 1_000_000.0
    assert parse_time("now", now) == now
    assert parse_time("-10m", now) == now - 600
    assert parse_time("+30s", now) == now + 30
    assert parse_time("12.5", now) == 12.5
    assert parse_time("1970-01-01T00:01:00Z") == 60
    assert parse_time("1970-01-01T00:01:00") == 60  # no zone: UTC
    with pytest.raises(GroundError, match="cannot read time"):
        parse_time("yesterday-ish")


def test_unknown_mission_and_bad_link() -> None:
    with pytest.raises(GroundError, match="no shipped mission"):
        open_session("no-such-mission")
    with pytest.raises(GroundError, match="malformed link URL"):
        open_session("open-bench", link_url="udp:nowhere")


def test_authenticated_mission_without_its_key_is_refused_before_sending(tmp_path: Path) -> None:
    with pytest.raises(GroundError, match="its key is not usable"):
        open_session("demo", archive_path=None, data_dir=tmp_path)


def test_authenticated_mission_signs_with_the_flights_key(tmp_path: Path) -> None:
    """What the session puts on the wire is the ping sealed under the flight's own key."""
    mission = load_mission("demo")
    key_dir = mission.security.key_path(tmp_path)
    ensure_dev_key(key_dir, mission.security.spi)
    ping = PusTc(apid=100, service=17, subtype=1).pack()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as flight_end:
        flight_end.bind(("127.0.0.1", 0))
        flight_end.settimeout(5)
        port = flight_end.getsockname()[1]
        session = open_session(
            "demo", link_url=f"udp:127.0.0.1:{port}", archive_path=None, data_dir=tmp_path
        )
        try:
            session.link.send(ping)
            sent, _ = flight_end.recvfrom(65536)
        finally:
            session.close()
    assert SpacePacketHeader.unpack(sent).apid == SECURED_APID
    unsealed = unseal(sent, load_keyring(key_dir))
    assert isinstance(unsealed, Unsealed)
    assert (unsealed.spi, unsealed.packet) == (mission.security.spi, ping)
