"""Shared by the link tests: pty devices, a `starling flight` subprocess on any link, a ground."""

import contextlib
import os
import select
import shutil
import signal
import subprocess
import sys
import time
import tty
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from spacepackets.ecss.tm import PusTm

from flight.links import Link, open_link, pump

TIME_LEN = 6
CORE = 100


class PtyDevice:
    """A pseudo-terminal behind a stable symlink, which the test can unplug and plug back.

    The slave end is a real tty, opened and configured by pyserial as a USB-UART would be;
    closing the master makes the device node vanish, as pulling the adapter does.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.master = -1
        self.plug()

    def plug(self) -> None:
        master, slave = os.openpty()
        tty.setraw(slave)  # the board's end opens raw too; no echo before it does
        name = os.ttyname(slave)
        os.close(slave)
        os.set_blocking(master, False)
        self.master = master
        tmp = self.path.with_suffix(".new")
        tmp.symlink_to(name)
        tmp.replace(self.path)

    def unplug(self) -> None:
        os.close(self.master)
        self.master = -1
        self.path.unlink()

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def read_some(self, timeout: float) -> bytes:
        if select.select([self.master], [], [], max(timeout, 0))[0]:
            try:
                return os.read(self.master, 65536)
            except BlockingIOError:
                return b""
            except OSError:  # EIO: nobody has the device open (yet)
                time.sleep(timeout)
        return b""

    def read(self, count: int, timeout: float = 2.0) -> bytes:
        data = b""
        deadline = time.monotonic() + timeout
        while len(data) < count:
            left = deadline - time.monotonic()
            assert left > 0, f"read {data.hex()} of {count} octets"
            data += self.read_some(left)[: count - len(data)]
        return data

    def close(self) -> None:
        if self.master >= 0:
            os.close(self.master)
            self.master = -1


@dataclass
class FlightRun:
    """A `starling flight` subprocess and the link URLs it announced."""

    process: subprocess.Popen[bytes]
    urls: list[str]
    log: Path

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout)


def start_flight(data_dir: Path, *args: str, links: int = 1, timeout: float = 10.0) -> FlightRun:
    """Start `python -m tools.starling.flight` and wait for `links` "listening on" lines."""
    log = data_dir / "flight.log"
    with log.open("ab") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "tools.starling.flight", "--data-dir", str(data_dir), *args],
            stdout=subprocess.PIPE,
            stderr=stderr,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    text = b""
    urls: list[str] = []
    while len(urls) < links:
        left = deadline - time.monotonic()
        ready = select.select([process.stdout], [], [], max(left, 0))[0]
        chunk = os.read(process.stdout.fileno(), 4096) if ready else b""
        if not chunk:
            process.kill()
            process.wait(5)
            raise AssertionError(f"flight did not start: {log.read_text()[-2000:]}")
        text += chunk
        urls = [
            line.rsplit(" ", 1)[1] for line in text.decode().splitlines() if "listening on" in line
        ]
    return FlightRun(process, urls, log)


@dataclass
class Ground:
    """The ground's end of a link (the same link classes), collecting telemetry."""

    link: Link
    received: list[PusTm] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)

    @classmethod
    def open(cls, url: str) -> "Ground":
        ground = cls.__new__(cls)
        ground.received, ground.raw = [], []

        def deliver(packet: bytes) -> bool:
            ground.raw.append(packet)
            ground.received.append(PusTm.unpack(packet, timestamp_len=TIME_LEN))
            return True

        ground.link = open_link(url, deliver, ground=True)
        return ground

    def until(self, done: Callable[[list[PusTm]], bool], timeout: float = 5.0) -> list[PusTm]:
        deadline = time.monotonic() + timeout
        while not done(self.received):
            left = deadline - time.monotonic()
            assert left > 0, f"timed out; received {kinds(self.received)}"
            pump(self.link, min(left, 0.05))
        return self.received

    def quiet(self, seconds: float) -> list[PusTm]:
        """Whatever arrives within `seconds`."""
        before = len(self.received)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            pump(self.link, 0.02)
        return self.received[before:]

    def close(self) -> None:
        self.link.close()


def kinds(tms: list[PusTm]) -> list[tuple[int, int]]:
    return [(tm.service, tm.subservice) for tm in tms]


def ping_done(tms: list[PusTm]) -> bool:
    return (1, 7) in kinds(tms)


@contextlib.contextmanager
def socat_ptys(directory: Path) -> Iterator[tuple[Path, Path]]:
    """Two raw ptys joined by socat, as ``directory/board`` and ``directory/ground``."""
    if shutil.which("socat") is None:
        pytest.skip("socat is not installed")
    board, ground = directory / "board", directory / "ground"
    process = subprocess.Popen(
        ["socat", f"pty,raw,echo=0,link={board}", f"pty,raw,echo=0,link={ground}"],
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 5
        while not (board.exists() and ground.exists()):
            assert time.monotonic() < deadline, "socat did not create its ptys"
            time.sleep(0.02)
        yield board, ground
    finally:
        process.terminate()
        process.wait(5)
