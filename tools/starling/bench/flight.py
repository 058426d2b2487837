"""`starling bench flight`: measure a real flight process over UDP loopback against its targets.

The benchmark starts ``starling flight --mission open-bench`` itself (a temporary data
directory, a free loopback port given with ``--link``) and measures, in one run:

  first_answer  exec to the first answered ping (17,1 -> 17,2), pinging every 2 ms
  rss           resident memory (VmRSS) once it answers
  ping          round trip of 17,1 -> 17,2, one at a time: p50 and p99
  tc_rate       telecommands per second, windowed, with every one answered (none lost)
  tm_rate       telemetry packets per second out: a 17,128 burst of 17,129 reports, timed
                from the first to the last report the ground receives
  idle_cpu      CPU of the flight process with housekeeping at 1 Hz, from /proc/PID/stat

The exit status is 0 when the benchmark ran, targets met or not; 1 when it could not run.
"""

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

__all__ = ["Figure", "register", "run"]

CORE = 100
SAMPLE = 101
_ACK_NONE = 0b0000
_ACK_COMPLETION = 0b1000
_RCVBUF = 4 * 1024 * 1024
_TM_SERVICE, _TM_SUBTYPE = 7, 8  # octet offsets in a PUS-C TM


@dataclass(frozen=True)
class Figure:
    """One measured figure and its target.

    Attributes:
        name: the figure's key in the JSON.
        value: what was measured.
        unit: its unit.
        target: the target value.
        higher_is_better: whether the target is a floor (True) or a ceiling (False).
        note: how it was measured.
    """

    name: str
    value: float
    unit: str
    target: float
    higher_is_better: bool
    note: str = ""

    @property
    def met(self) -> bool:
        """Whether the figure meets its target."""
        return self.value >= self.target if self.higher_is_better else self.value <= self.target


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add `flight` to `starling bench`."""
    parser = subparsers.add_parser(
        "flight",
        help="measure a flight process over UDP loopback against its targets",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="a short run, for smoke tests")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    parser.set_defaults(func=run)


class _Ground:
    """A UDP ground talking to one flight; telecommands built with the flight's own codec."""

    def __init__(self, address: tuple[str, int]) -> None:
        from flight.ccsds import PusTc  # noqa: PLC0415 -- keeps `starling` itself quick to start

        self._tc = PusTc
        self.address = address
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, _RCVBUF)
        self.sock.bind(("127.0.0.1", 0))
        self.seq = 0

    def packet(
        self, service: int, subtype: int, data: bytes = b"", *, apid: int = CORE, ack: int = 0
    ) -> bytes:
        self.seq = (self.seq + 1) & 0x3FFF
        tc = self._tc(
            apid=apid,
            service=service,
            subtype=subtype,
            app_data=data,
            seq_count=self.seq,
            ack_flags=ack,
        )
        return bytes(tc.pack())

    def send(self, packet: bytes) -> None:
        self.sock.sendto(packet, self.address)

    def receive(self, timeout: float) -> bytes | None:
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(65536)
        except TimeoutError:
            return None

    def drain(self) -> int:
        self.sock.setblocking(False)
        count = 0
        with contextlib.suppress(BlockingIOError):
            while True:
                self.sock.recv(65536)
                count += 1
        return count

    def wait_for(self, service: int, subtype: int, timeout: float = 5.0) -> bytes:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            data = self.receive(left)
            if data is not None and (data[_TM_SERVICE], data[_TM_SUBTYPE]) == (service, subtype):
                return data
        raise TimeoutError(f"no {service},{subtype} within {timeout} s")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def _flight(data_dir: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    argv = [sys.executable, "-m", "tools.starling.cli", "flight", "--mission", "open-bench"]
    argv += ["--data-dir", str(data_dir), "--link", f"udp:127.0.0.1:{port}"]
    process = subprocess.Popen(  # noqa: S603 -- our own interpreter and a fixed argv
        [*argv, "--log-level", "ERROR"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def _first_answer(ground: _Ground, started: float, timeout: float = 15.0) -> float:
    ping = ground.packet(17, 1, ack=_ACK_NONE)
    deadline = started + timeout
    while time.monotonic() < deadline:
        ground.send(ping)
        data = ground.receive(0.002)
        if data is not None and data[_TM_SERVICE] == 17:
            return time.monotonic() - started
    raise TimeoutError(f"the flight did not answer a ping within {timeout} s")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def _cpu_seconds(pid: int) -> float:
    # utime and stime are fields 14 and 15; the command name (field 2) may hold spaces.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _ping_rtts(ground: _Ground, count: int) -> list[float]:
    rtts = []
    for _ in range(count):
        ping = ground.packet(17, 1, ack=_ACK_NONE)
        sent = time.perf_counter()
        ground.send(ping)
        ground.wait_for(17, 2)
        rtts.append(time.perf_counter() - sent)
    return rtts


def _tc_rate(ground: _Ground, count: int, window: int = 64) -> tuple[float, int]:
    """(telecommands per second, how many were never answered)."""
    packets = [ground.packet(17, 1, ack=_ACK_NONE) for _ in range(count)]
    sent = answered = 0
    started = time.perf_counter()
    deadline = time.monotonic() + 30.0
    while answered < count and time.monotonic() < deadline:
        while sent < count and sent - answered < window:
            ground.send(packets[sent])
            sent += 1
        data = ground.receive(1.0)
        if data is not None and data[_TM_SERVICE] == 17:
            answered += 1
        elif data is None and sent == count:
            break
    return answered / (time.perf_counter() - started), count - answered


def _tm_rate(ground: _Ground, count: int) -> tuple[float, int]:
    """(telemetry packets per second received, how many of `count` were lost)."""
    ground.send(ground.packet(17, 128, count.to_bytes(4, "big"), ack=_ACK_COMPLETION))
    received = 0
    first = last = 0.0
    while True:
        data = ground.receive(2.0)
        if data is None:
            break
        kind = (data[_TM_SERVICE], data[_TM_SUBTYPE])
        if kind == (17, 129):
            last = time.perf_counter()
            if received == 0:
                first = last
            received += 1
        elif kind == (1, 7):
            break
    span = last - first
    return (received - 1) / span if received > 1 and span > 0 else 0.0, count - received


def _idle_cpu(ground: _Ground, pid: int, seconds: float) -> float:
    """Percent of one core the flight uses with housekeeping at 1 Hz and nothing else to do."""
    for apid in (CORE, SAMPLE):
        interval = (1).to_bytes(1, "big") + (1).to_bytes(2, "big") + (1000).to_bytes(4, "big")
        ground.send(ground.packet(3, 31, interval, apid=apid, ack=_ACK_COMPLETION))
        ground.wait_for(1, 7)
    time.sleep(0.5)
    before, started = _cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    used = _cpu_seconds(pid) - before
    elapsed = time.monotonic() - started
    ground.drain()
    return 100.0 * used / elapsed


def measure(*, quick: bool) -> list[Figure]:
    """Start a flight and measure it; return the figures."""
    pings, tcs, burst, idle_s = (200, 2_000, 10_000, 1.0) if quick else (5_000, 50_000, 50_000, 5.0)
    with tempfile.TemporaryDirectory(prefix="starling-bench-") as tmp:
        port = _free_port()
        ground = _Ground(("127.0.0.1", port))
        started = time.monotonic()
        with _flight(Path(tmp), port) as process:
            first = _first_answer(ground, started)
            time.sleep(0.2)
            rss = _rss_mb(process.pid)
            ground.drain()
            rtts = _ping_rtts(ground, pings)
            tc_rate, tc_lost = _tc_rate(ground, tcs)
            ground.drain()
            tm_rate, tm_lost = _tm_rate(ground, burst)
            ground.drain()
            cpu = _idle_cpu(ground, process.pid, idle_s)
        ground.sock.close()
    cuts = statistics.quantiles(rtts, n=100)
    return [
        Figure("ping_p50", cuts[49] * 1e3, "ms", 1.0, False, f"{pings} pings, one at a time"),
        Figure("ping_p99", cuts[98] * 1e3, "ms", 1.0, False, f"{pings} pings, one at a time"),
        Figure("tc_rate", tc_rate, "TC/s", 10_000, True, f"{tcs} TCs, {tc_lost} lost"),
        Figure("tc_lost", tc_lost, "TC", 0, False, "telecommands never answered"),
        Figure("tm_rate", tm_rate, "TM/s", 100_000, True, f"burst of {burst}, {tm_lost} lost"),
        Figure("rss", rss, "MB", 40.0, False, "VmRSS after the first answer"),
        Figure("first_answer", first, "s", 0.5, False, "exec to the first 17,2"),
        Figure("idle_cpu", cpu, "% core", 1.0, False, f"1 Hz housekeeping, {idle_s:g} s"),
    ]


def _render(figures: list[Figure]) -> str:
    lines = [f"{'figure':<13} {'measured':>14}  {'target':>14}  met   how"]
    for f in figures:
        target = f"{'>=' if f.higher_is_better else '<='} {f.target:g} {f.unit}"
        value = f"{f.value:,.3f} {f.unit}" if f.value < 100 else f"{f.value:,.0f} {f.unit}"
        lines.append(
            f"{f.name:<13} {value:>14}  {target:>14}  {'yes' if f.met else 'NO ':<4}  {f.note}"
        )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Run the benchmark; print the table and write the JSON if asked."""
    try:
        figures = measure(quick=args.quick)
    except (OSError, TimeoutError, RuntimeError) as exc:
        print(f"starling bench flight: {exc}", file=sys.stderr)
        return 1
    print(_render(figures))
    if args.json is not None:
        document: dict[str, Any] = {
            "benchmark": "flight",
            "quick": bool(args.quick),
            "python": sys.version.split()[0],
            "figures": {f.name: {**asdict(f), "met": f.met} for f in figures},
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return 0
