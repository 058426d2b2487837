"""Sessions per mission, and the times operators type."""

from pathlib import Path

import pytest

from flight.ccsds import PusTc, SpacePacketHeader
from flight.core import load_mission
from flight.links.security import SECURED_APID
from flight.links.security_keys import ensure_dev_key
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
    mission = load_mission("demo")
    ensure_dev_key(mission.security.key_path(tmp_path), mission.security.spi)
    session = open_session("demo", archive_path=None, data_dir=tmp_path)
    try:
        sent = session.link._encoder.encode(PusTc(apid=100, service=17, subtype=1).pack())
    finally:
        session.close()
    # the unit on the link is the ping sealed on the security APID, not the bare ping
    assert SpacePacketHeader.unpack(sent).apid == SECURED_APID
