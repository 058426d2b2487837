"""`starling ground` over serial (a socat pty pair) and TCP, against a real authenticated flight."""

import signal
from pathlib import Path

import pytest

from tests.flight.links.helpers import socat_ptys, start_flight
from tools.starling import ground


def _ground(data_dir: Path, url: str, *argv: str) -> int:
    common = ["--mission", "demo", "--data-dir", str(data_dir), "--link", url, "--no-archive"]
    return ground.main([*common, "--timeout", "5", *argv])


def _stop(process) -> None:  # type: ignore[no-untyped-def]
    process.send_signal(signal.SIGTERM)
    assert process.wait(10) == 0


def test_ping_and_send_over_a_serial_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    with socat_ptys(tmp_path) as (board, ground_end):
        flight = start_flight(data_dir, "--mission", "demo", "--link", f"serial:{board}")
        try:
            assert _ground(data_dir, f"serial:{ground_end}@115200", "ping") == 0
            assert "pong from core (APID 100)" in capsys.readouterr().out
            url = f"serial:{ground_end}"
            assert _ground(data_dir, url, "send", "sample.SET_GAIN", "gain=5") == 0
            assert "sample.SET_GAIN: completed" in capsys.readouterr().out
        finally:
            _stop(flight.process)


def test_ping_over_tcp(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    flight = start_flight(data_dir, "--mission", "demo", "--link", "tcp:127.0.0.1:0")
    try:
        (url,) = flight.urls
        assert url.startswith("tcp:127.0.0.1:")
        assert _ground(data_dir, url, "ping") == 0
        assert "pong from core (APID 100)" in capsys.readouterr().out
    finally:
        _stop(flight.process)


def test_a_missing_serial_device_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = f"serial:{tmp_path / 'ttyUSB9'}"
    argv = ["--mission", "open-bench", "--link", missing, "--no-archive", "ping"]
    assert ground.main(argv) == 1
    assert f"cannot open {missing}@115200" in capsys.readouterr().err
