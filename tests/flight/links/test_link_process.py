"""A real `starling flight` process over TCP and over serial (pty, replugged), signed pings.

And the independent peer: tmtccmd's `SerialCobsComIF` commanding `open-bench` over a socat
pty pair, its replies parsed by spacepackets.
"""

import signal
import time
from pathlib import Path

import pytest
from cobs import cobs
from spacepackets.ecss.pus_1_verification import Service1Tm, UnpackParams
from spacepackets.ecss.tc import PusTc
from spacepackets.ecss.tm import PusTm

from flight.core import load_mission
from flight.links import CobsDeframer, signer_for_mission
from tests.flight.links.helpers import (
    CORE,
    TIME_LEN,
    Ground,
    PtyDevice,
    kinds,
    ping_done,
    socat_ptys,
    start_flight,
)

PING_KINDS = [(1, 1), (1, 3), (17, 2), (1, 7)]


def _service_kinds(tms: list[PusTm]) -> list[tuple[int, int]]:
    return [k for k in kinds(tms) if k[0] in {1, 17}]


def test_demo_over_tcp_answers_a_signed_ping(tmp_path: Path) -> None:
    flight = start_flight(tmp_path, "--link", "tcp:127.0.0.1:0")
    assert flight.urls[0].startswith("tcp:127.0.0.1:")
    ground = Ground.open(flight.urls[0])
    try:
        signer = signer_for_mission(load_mission("demo"), data_dir=tmp_path)
        ground.link.send(PusTc(17, 1, apid=CORE).pack())  # plain: refused, no answer
        ground.link.send(signer.encode(PusTc(17, 1, apid=CORE, seq_count=5).pack()))
        assert _service_kinds(ground.until(ping_done)) == PING_KINDS
        assert flight.stop() == 0
    finally:
        ground.close()
        flight.stop(signal.SIGKILL)


class PtyGround:
    """The ground on a pty master: COBS frames out, frames in, decoded by spacepackets."""

    def __init__(self, device: PtyDevice) -> None:
        self.device = device
        self.deframer = CobsDeframer()
        self.received: list[PusTm] = []

    def send(self, unit: bytes) -> None:
        self.device.write(b"\x00" + cobs.encode(unit) + b"\x00")  # an independent COBS

    def until_ping(self, timeout: float = 5.0) -> list[PusTm]:
        deadline = time.monotonic() + timeout
        while not ping_done(self.received):
            left = deadline - time.monotonic()
            assert left > 0, f"timed out; received {kinds(self.received)}"
            for frame in self.deframer.feed(self.device.read_some(min(left, 0.1))):
                assert frame is not None
                packet = cobs.decode(frame)
                self.received.append(PusTm.unpack(packet, timestamp_len=TIME_LEN))
        return self.received


def test_demo_over_serial_answers_signed_pings_across_an_unplug(tmp_path: Path) -> None:
    device = PtyDevice(tmp_path / "ttyUSB0")
    flight = start_flight(tmp_path, "--link", f"serial:{device.path}@115200")
    try:
        assert flight.urls == [f"serial:{device.path}@115200"]
        signer = signer_for_mission(load_mission("demo"), data_dir=tmp_path)
        ground = PtyGround(device)
        ground.send(signer.encode(PusTc(17, 1, apid=CORE, seq_count=1).pack()))
        assert _service_kinds(ground.until_ping()) == PING_KINDS

        device.unplug()  # the USB adapter is pulled ...
        time.sleep(0.3)
        device.plug()  # ... and comes back under the same name
        ground = PtyGround(device)
        deadline = time.monotonic() + 8
        while not ping_done(ground.received):  # the board reopens within about a second
            assert time.monotonic() < deadline, "the board did not reopen the device"
            ground.send(signer.encode(PusTc(17, 1, apid=CORE, seq_count=2).pack()))
            try:
                ground.until_ping(timeout=0.7)
            except AssertionError:
                continue
        assert flight.process.poll() is None
        assert flight.stop() == 0
        log = flight.log.read_text()
        assert "lost" in log
        assert log.count(f"serial:{device.path}@115200 open") >= 2
    finally:
        flight.stop(signal.SIGKILL)
        device.close()


def test_tmtccmd_commands_open_bench_over_serial_cobs(tmp_path: Path) -> None:
    serial_cobs = pytest.importorskip("tmtccmd.com.serial_cobs")
    serial_cfg = pytest.importorskip("tmtccmd.com.serial_base").SerialCfg

    with socat_ptys(tmp_path) as (board, ground_path):
        flight = start_flight(tmp_path, "--mission", "open-bench", "--link", f"serial:{board}")
        com = serial_cobs.SerialCobsComIF(serial_cfg("cobs", str(ground_path), 115200, 0.1))
        com.open()
        try:
            ping = PusTc(17, 1, apid=CORE, seq_count=9)
            com.send(ping.pack())
            tms: list[PusTm] = []
            deadline = time.monotonic() + 5
            while not ping_done(tms):
                assert time.monotonic() < deadline, f"received {kinds(tms)}"
                if com.data_available(0.1):
                    tms += [PusTm.unpack(p, timestamp_len=TIME_LEN) for p in com.receive()]
            assert _service_kinds(tms) == PING_KINDS
            params = UnpackParams(timestamp_len=TIME_LEN, bytes_err_code=2)
            report = Service1Tm.unpack(next(t for t in tms if t.service == 1).pack(), params)
            assert report.tc_req_id.as_u32() == int.from_bytes(ping.pack()[:4], "big")
            assert flight.stop() == 0
        finally:
            com.close()
            flight.stop(signal.SIGKILL)
