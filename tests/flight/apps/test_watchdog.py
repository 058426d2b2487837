"""The watchdog chain end to end: a real flight process, a real NOTIFY_SOCKET listener.

The flight is told to hang with the sample app's test-only `Hang` command (8,1 function
0x7F): its handler blocks the loop, the heartbeats age, and the keep-alives must stop until
the loop is back. The listener sits in the abstract namespace (``@name``), as systemd's own
socket does on some distributions.
"""

import itertools
import signal
import socket
import struct
import time
import uuid
from importlib import resources
from pathlib import Path

from flight.core import load_mission

SAMPLE = 101
HANG = 0x7F
WATCHDOG_USEC = 300_000  # keep-alives every 0.15 s
HEARTBEAT_TIMEOUT = 0.5


def _mission(tmp_path: Path) -> Path:
    text = resources.files("flight.missions").joinpath("open-bench.toml").read_text()
    path = tmp_path / "watched.toml"
    path.write_text(
        text + f"\n[health]\nheartbeat_timeout_s = {HEARTBEAT_TIMEOUT}\nwatchdog_timeout_s = 5.0\n"
    )
    assert load_mission(str(path)).heartbeat_timeout_s == HEARTBEAT_TIMEOUT
    return path


def _collect(sock: socket.socket, seconds: float) -> list[tuple[float, bytes]]:
    deadline = time.monotonic() + seconds
    got: list[tuple[float, bytes]] = []
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            got.append((time.monotonic(), sock.recv(4096)))
        except TimeoutError:
            break
    return got


def test_a_hung_handler_stops_watchdog_keepalives_until_the_loop_is_back(
    tmp_path: Path,
    launch,  # type: ignore[no-untyped-def]
) -> None:
    name = f"starling-watchdog-{uuid.uuid4().hex}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as systemd:
        systemd.bind("\0" + name)
        flight = launch(
            tmp_path / "data",
            "--mission",
            str(_mission(tmp_path)),
            "--link",
            "udp:127.0.0.1:0",
            log=tmp_path / "flight.log",
            env={"NOTIFY_SOCKET": "@" + name, "WATCHDOG_USEC": str(WATCHDOG_USEC)},
        )
        first = _collect(systemd, 1.0)
        assert first[0][1] == b"READY=1\nSTATUS=flying"
        beats = [t for t, m in first if m == b"WATCHDOG=1"]
        assert len(beats) >= 4
        assert max(b - a for a, b in itertools.pairwise(beats)) < 0.3

        hang_s = 2
        flight.tc(SAMPLE, 8, 1, struct.pack(">HB", HANG, hang_s))
        during = [m for _, m in _collect(systemd, hang_s + 1.0)]
        silent = next(
            i
            for i, message in enumerate(during)
            if message.startswith(b"STATUS=not checking in: ")
            and message.endswith(b"; loop busy in sample")
        )
        back = during.index(b"STATUS=flying")
        # Between the monitor noticing the hang and the loop coming back: no keep-alive.
        assert silent < back
        assert b"WATCHDOG=1" not in during[silent:back]
        assert b"WATCHDOG=1" in during[back:], "keep-alives did not resume"
        log = (tmp_path / "flight.log").read_text()
        assert "; loop busy in sample" in log
        assert "not checking in: core, sample" in log

        # The hang itself completes (the loop came back) and the process is still flying.
        tms = flight.receive_until(
            lambda got: any(t.service == 1 and t.subservice == 7 for t in got)
        )
        assert tms
        assert flight.process.poll() is None
        assert flight.stop(signal.SIGTERM) == 0
        last = _collect(systemd, 0.5)
        assert (last[-1][1] if last else b"") == b"STOPPING=1\nSTATUS=stopping"
