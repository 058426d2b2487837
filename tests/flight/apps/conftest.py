"""`starling flight` as a real subprocess, and a spacepackets ground talking to it over UDP."""

import contextlib
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from spacepackets.ecss.tc import PusTc
from spacepackets.ecss.tm import PusTm

TIME_LEN = 6
_LISTENING = re.compile(r"listening on udp:([\d.]+):(\d+)")


def flight_argv(*, direct: bool = False) -> list[str]:
    """The `starling flight` command line, through the umbrella CLI.

    `direct` runs the same command through its own module, skipping the CLI's argument
    dispatch: the kill -9 loop, starting a process per iteration, is glad of every saving.
    """
    if direct:
        return [sys.executable, "-m", "tools.starling.flight"]
    return [sys.executable, "-m", "tools.starling.cli", "flight"]


@dataclass
class FlightProcess:
    """A running flight process and a ground socket bound on 127.0.0.1."""

    process: subprocess.Popen[bytes]
    address: tuple[str, int]
    ground: socket.socket
    seq: int = 0

    def send(self, packet: bytes) -> None:
        self.ground.sendto(packet, self.address)

    def tc(self, apid: int, service: int, subtype: int, data: bytes = b"") -> bytes:
        self.seq = (self.seq + 1) & 0x3FFF
        packet = PusTc(service, subtype, apid=apid, app_data=data, seq_count=self.seq).pack()
        self.send(packet)
        return packet

    def receive_until(
        self, done: Callable[[list[PusTm]], bool], timeout: float = 5.0
    ) -> list[PusTm]:
        """Collect telemetry until `done(collected)` or the deadline (then fail)."""
        deadline = time.monotonic() + timeout
        collected: list[PusTm] = []
        while not done(collected):
            left = deadline - time.monotonic()
            assert left > 0, f"timed out; received {[(t.service, t.subservice) for t in collected]}"
            self.ground.settimeout(left)
            with contextlib.suppress(TimeoutError):
                data, _ = self.ground.recvfrom(65536)
                collected.append(PusTm.unpack(data, timestamp_len=TIME_LEN))
        return collected

    def drain(self) -> list[PusTm]:
        """The telemetry already waiting on the ground socket."""
        collected: list[PusTm] = []
        self.ground.setblocking(False)
        try:
            while True:
                try:
                    data = self.ground.recv(65536)
                except BlockingIOError:
                    return collected
                collected.append(PusTm.unpack(data, timestamp_len=TIME_LEN))
        finally:
            self.ground.setblocking(True)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int:
        self.process.send_signal(sig)
        return self.process.wait(timeout)

    def release(self) -> None:
        """Kill the process if it still runs and close its pipe and the ground socket."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)
        self.ground.close()
        if self.process.stdout is not None:
            self.process.stdout.close()


def start_flight(
    data_dir: Path,
    *extra: str,
    log: Path | None = None,
    timeout: float = 10.0,
    env: dict[str, str] | None = None,
    direct: bool = False,
) -> FlightProcess:
    """Start `starling flight` and wait until it announces its link."""
    stderr = log.open("ab") if log is not None else subprocess.DEVNULL
    process = subprocess.Popen(
        [*flight_argv(direct=direct), "--data-dir", str(data_dir), *extra],
        stdout=subprocess.PIPE,
        stderr=stderr,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    line = b""
    # poll, not select: a long kill -9 loop may hand out descriptors above FD_SETSIZE
    poller = select.poll()
    poller.register(process.stdout, select.POLLIN)
    while not line.endswith(b"\n"):
        left = deadline - time.monotonic()
        ready = poller.poll(max(left, 0) * 1000)
        if not ready or (process.poll() is not None and not ready):
            process.kill()
            pytest.fail(f"flight did not announce its link within {timeout} s")
        chunk = os.read(process.stdout.fileno(), 1)
        if not chunk:
            process.kill()
            pytest.fail(f"flight exited early with status {process.wait()}")
        line += chunk
    match = _LISTENING.search(line.decode())
    assert match, line
    ground = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    ground.bind(("127.0.0.1", 0))
    return FlightProcess(process, (match.group(1), int(match.group(2))), ground)


@pytest.fixture
def launch() -> Iterator[Callable[..., FlightProcess]]:
    """`launch(data_dir, *args, log=, env=, direct=)` starts a flight; killed after the test."""
    started: list[FlightProcess] = []

    def start(
        data_dir: Path,
        *extra: str,
        log: Path | None = None,
        env: dict[str, str] | None = None,
        direct: bool = False,
    ) -> FlightProcess:
        flight = start_flight(data_dir, *extra, log=log, env=env, direct=direct)
        started.append(flight)
        return flight

    yield start
    for flight in started:
        flight.release()
