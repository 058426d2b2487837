"""Sessions per mission, and the times operators type."""

import pytest

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


def test_authenticated_mission_says_the_security_layer_is_missing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    session = open_session("demo", archive_path=None)
    session.close()
    assert "no security layer is plugged in" in capsys.readouterr().err
