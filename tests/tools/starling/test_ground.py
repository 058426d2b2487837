"""`starling ground` end to end against a real `starling flight --mission open-bench` process."""

import csv
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from flight.ccsds import PusTc, PusTm
from tests.hil.ground.helpers import RunningFlight, running_flight
from tools.starling import ground


@pytest.fixture(scope="module")
def flight(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningFlight]:
    with running_flight(tmp_path_factory.mktemp("flight") / "data") as running:
        yield running


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ground") / "archive.sqlite"


def _ground(flight: RunningFlight, archive: Path, *argv: str) -> int:
    common = ["--mission", "open-bench", "--link", flight.url, "--archive", str(archive)]
    return ground.main([*common, "--timeout", "5", *argv])


def test_ping(flight: RunningFlight, archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _ground(flight, archive, "ping") == 0
    assert "pong from core (APID 100)" in capsys.readouterr().out
    assert _ground(flight, archive, "ping", "sample") == 0


def test_send_waits_for_verification_and_shows_events(
    flight: RunningFlight, archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _ground(flight, archive, "send", "sample.SET_GAIN", "gain=4") == 0
    out = capsys.readouterr().out
    assert "sample.SET_GAIN: completed" in out
    assert "(acceptance ok, start ok, completion ok)" in out
    assert "event sample: INFO GAIN_SET aux=04" in out


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        (["send", "sample.FLY"], "unknown command 'FLY' of sample"),
        (["send", "sample.SET_GAIN"], "missing argument gain"),
        (["send", "sample.SET_GAIN", "gain=3", "speed=2"], "unexpected argument speed"),
        (["send", "sample.SET_GAIN", "gain=99"], "gain must be <= 16, got 99"),
        (["params", "set", "sample", "threshold=0"], "threshold must be >= 1"),
    ],
)
def test_refused_before_sending(
    flight: RunningFlight,
    archive: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    reason: str,
) -> None:
    assert _ground(flight, archive, *argv) == 2
    assert reason in capsys.readouterr().err


def test_flight_failure_exits_nonzero_with_the_code_name(
    flight: RunningFlight, archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _ground(flight, archive, "schedule", "delete", "deadbeef") == 1
    assert "acceptance failed: UNKNOWN_REQUEST" in capsys.readouterr().err
    assert _ground(flight, archive, "schedule", "add", "--in", "-5", "sample.NOOP") == 1
    assert "RELEASE_TIME_PASSED" in capsys.readouterr().err


def test_params_get_and_set(
    flight: RunningFlight, archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _ground(flight, archive, "params", "set", "sample", "threshold=700") == 0
    assert _ground(flight, archive, "params", "get", "sample", "threshold") == 0
    assert "sample.threshold = 700" in capsys.readouterr().out


def test_schedule_add_list_delete(
    flight: RunningFlight, archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _ground(flight, archive, "schedule", "add", "--in", "600", "sample.NOOP") == 0
    request_id = capsys.readouterr().out.split("as request ")[1].split()[0]
    assert _ground(flight, archive, "schedule", "list") == 0
    assert request_id in capsys.readouterr().out
    assert _ground(flight, archive, "schedule", "delete", request_id) == 0
    assert _ground(flight, archive, "schedule", "list") == 0
    assert request_id not in capsys.readouterr().out


def test_time_sync(
    flight: RunningFlight, archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _ground(flight, archive, "time", "sync") == 0
    offset = float(capsys.readouterr().out.split("ground minus flight ")[1].split()[0])
    assert abs(offset) < 1.0


def test_watch_once_and_events(
    flight: RunningFlight, archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _ground(flight, archive, "watch", "--once") == 0
    out = capsys.readouterr().out
    assert "core.CORE_HK" in out
    assert "sample.SAMPLE_HK" in out
    assert "threshold" in out
    assert _ground(flight, archive, "watch", "--duration", "0.5", "--plain") == 0
    assert _ground(flight, archive, "events", "--duration", "0.3") == 0


def test_archive_query_export_plot(
    flight: RunningFlight, archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(2):
        assert _ground(flight, archive, "watch", "--once") == 0
    capsys.readouterr()
    assert _ground(flight, archive, "archive", "query", "--apid", "101", "--service", "3") == 0
    assert "SAMPLE_HK" in capsys.readouterr().out
    assert (
        _ground(
            flight, archive, "archive", "query", "--parameter", "sample.threshold", "--since=-1h"
        )
        == 0
    )
    assert "sample.threshold = " in capsys.readouterr().out
    out = tmp_path / "tm.csv"
    assert _ground(flight, archive, "archive", "export", "-o", str(out), "--service", "1") == 0
    rows = list(csv.DictReader(out.open()))
    assert rows
    assert {row["service"] for row in rows} == {"1"}
    png = tmp_path / "level.png"
    assert _ground(flight, archive, "archive", "plot", "sample.level", "-o", str(png)) == 0
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_decode_pcap(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tc = PusTc(apid=101, service=8, subtype=1, app_data=b"\x00\x02\x05").pack()
    tm = PusTm(apid=101, service=5, subtype=1, source_data=b"\x00\x0c\x05").pack()
    frames = b""
    for payload in (tc, tm):
        udp = struct.pack(">HHHH", 40000, 10015, 8 + len(payload), 0) + payload
        ip = (
            struct.pack(
                ">BBHHHBBH4s4s",
                0x45,
                0,
                20 + len(udp),
                0,
                0,
                64,
                17,
                0,
                b"\x7f\0\0\1",
                b"\x7f\0\0\1",
            )
            + udp
        )
        frames += struct.pack("<IIII", 0, 0, len(ip), len(ip)) + ip
    path = tmp_path / "cap.pcap"
    path.write_bytes(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101) + frames)
    assert ground.main(["--mission", "open-bench", "decode", str(path)]) == 0
    out = capsys.readouterr().out
    assert "TC sample seq=0 sample.SET_GAIN gain=5" in out
    assert "INFO GAIN_SET aux=05" in out


def test_as_a_subprocess_the_exit_status_is_the_contract(
    flight: RunningFlight, archive: Path
) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.starling.ground",
            "--mission",
            "open-bench",
            "--link",
            flight.url,
            "--archive",
            str(archive),
            "send",
            "core.NOOP",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "core.NOOP: completed" in result.stdout
