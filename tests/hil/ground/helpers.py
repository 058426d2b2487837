"""`starling flight --mission open-bench` as a real subprocess on a free UDP port."""

import contextlib
import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_LISTENING = re.compile(r"listening on (udp:[\d.]+:\d+)")
START_TIMEOUT = 15.0


@dataclass
class RunningFlight:
    """A flight process and the link URL it announced."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path


def _announced_url(process: subprocess.Popen[bytes], timeout: float) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    line = b""
    while not line.endswith(b"\n"):
        left = deadline - time.monotonic()
        ready, _, _ = select.select([process.stdout], [], [], max(left, 0))
        if not ready:
            raise AssertionError(f"flight did not announce its link within {timeout} s")
        chunk = os.read(process.stdout.fileno(), 1)
        if not chunk:
            raise AssertionError(f"flight exited early with status {process.wait(5)}")
        line += chunk
    match = _LISTENING.search(line.decode())
    assert match, line
    return match.group(1)


@contextlib.contextmanager
def running_flight(data_dir: Path) -> Iterator[RunningFlight]:
    """Start the open-bench flight on a port the kernel picks; stop it with SIGTERM after."""
    log = data_dir.parent / f"{data_dir.name}-flight.log"
    with log.open("ab") as stderr:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "tools.starling.flight", "--mission", "open-bench"),
                *("--data-dir", str(data_dir), "--link", "udp:127.0.0.1:0"),
            ],
            stdout=subprocess.PIPE,
            stderr=stderr,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        yield RunningFlight(process, _announced_url(process, START_TIMEOUT), log)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        if process.stdout is not None:
            process.stdout.close()
