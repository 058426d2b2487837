"""The launcher's supervisor mode, with a NOTIFY_SOCKET listener standing in for systemd.

The child is `standin_flight.py` (the real flight app is another issue's deliverable); its
``--mode`` makes it crash, hang or exit cleanly on purpose.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from hil.deploy.assets import asset
from tests.hil.deploy.conftest import STANDIN, free_port


@pytest.fixture
def listener() -> Iterator[tuple[socket.socket, str]]:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    name = f"starling-test-{uuid.uuid4().hex}"
    sock.bind("\0" + name)
    sock.settimeout(0.2)
    yield sock, "@" + name
    sock.close()


def start(tmp_path: Path, address: str, mode: str, *options: str) -> subprocess.Popen[bytes]:
    slot, root = tmp_path / "slot", tmp_path / "root"
    (root / "identity").mkdir(parents=True)
    (root / "identity" / "unit.toml").write_text(
        f'link = "udp:127.0.0.1:{free_port(socket.SOCK_DGRAM)}"\n'
    )
    slot.mkdir()
    (slot / "mission.toml").write_text("")
    entry = [sys.executable, str(STANDIN), "--link", "{link}", "--mode", mode]
    manifest = {
        "entry": [*entry, "--record", str(tmp_path / "starts")],
        "version": "t",
        "mission_file": "mission.toml",
        "watchdog_sec": 1.0,
        "ready": "notify",
    }
    (slot / "manifest.json").write_text(json.dumps(manifest))
    return subprocess.Popen(
        [
            sys.executable,
            str(asset("launcher.py")),
            "supervise",
            "--root",
            str(root),
            "--slot",
            str(slot),
            "--restart-delay",
            "0.1",
            *options,
        ],
        env=dict(os.environ, NOTIFY_SOCKET=address),
    )


def messages(sock: socket.socket, until: str, timeout: float) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and until not in seen:
        try:
            seen += sock.recv(4096).decode().splitlines()
        except TimeoutError:
            continue
    return seen


def starts(tmp_path: Path) -> list[int]:
    path = tmp_path / "starts"
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat").read_text().split()[2]
    return status != "Z"


def test_forwards_ready_and_heartbeats_then_sigterm(
    tmp_path: Path, listener: tuple[socket.socket, str]
) -> None:
    sock, address = listener
    launcher = start(tmp_path, address, "ok")
    try:
        assert "READY=1" in messages(sock, "READY=1", 10)
        assert "WATCHDOG=1" in messages(sock, "WATCHDOG=1", 5)
        launcher.send_signal(signal.SIGTERM)
        assert launcher.wait(15) == 0
        assert "STOPPING=1" in messages(sock, "STOPPING=1", 2)
        assert not alive(starts(tmp_path)[0])
    finally:
        launcher.kill()


def test_restarts_a_crashing_child_up_to_the_limit(
    tmp_path: Path, listener: tuple[socket.socket, str]
) -> None:
    launcher = start(tmp_path, listener[1], "crash", "--max-restarts", "2")
    try:
        assert launcher.wait(20) == 1
    finally:
        launcher.kill()
    assert len(starts(tmp_path)) == 3  # the first start and two restarts


def test_restarts_a_child_that_stops_heartbeating(
    tmp_path: Path, listener: tuple[socket.socket, str]
) -> None:
    launcher = start(tmp_path, listener[1], "hang")
    try:
        deadline = time.monotonic() + 15
        while len(starts(tmp_path)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        first, second = starts(tmp_path)[:2]
        assert not alive(first)
        assert alive(second)
        launcher.send_signal(signal.SIGTERM)
        assert launcher.wait(15) == 0
    finally:
        launcher.kill()


def test_clean_exit_is_not_restarted(tmp_path: Path, listener: tuple[socket.socket, str]) -> None:
    launcher = start(tmp_path, listener[1], "exit0")
    try:
        assert launcher.wait(15) == 0
    finally:
        launcher.kill()
    assert len(starts(tmp_path)) == 1
