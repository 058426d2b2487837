"""The serial link over pseudo-terminals: COBS framing, resynchronisation, unplug and replug.

A pty's slave end is a real tty that pyserial opens and configures exactly as a USB-UART;
closing the master makes the device node vanish, as pulling the adapter does, and a new pty
behind the same symlink is the adapter coming back (udev's /dev/serial/by-id names). tmtccmd's
`SerialCobsComIF` on a socat pty pair is the independent peer.
"""

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cobs import cobs
from spacepackets.ecss.tc import PusTc

from flight.core import LinkError
from flight.links import SerialLink, cobs_frame, open_link, pump
from tests.flight.links.helpers import PtyDevice, socat_ptys

PING = PusTc(17, 1, apid=100, seq_count=1).pack()


@pytest.fixture
def device(tmp_path: Path) -> Iterator[PtyDevice]:
    pty = PtyDevice(tmp_path / "ttyUSB0")
    yield pty
    pty.close()


def _until(link: SerialLink, done: Callable[[], bool], timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, f"timed out; counters {link.counters}"
        pump(link, 0.01)


def _board(device: PtyDevice, **options: object) -> tuple[SerialLink, list[bytes]]:
    received: list[bytes] = []

    def deliver(packet: bytes) -> bool:
        received.append(packet)
        return True

    return SerialLink(str(device.path), 115200, deliver, **options), received  # type: ignore[arg-type]


def test_cobs_frames_in_and_out(device: PtyDevice) -> None:
    link, received = _board(device)
    try:
        assert link.connected
        device.write(b"\x00" + cobs.encode(PING) + b"\x00")
        device.write(cobs.encode(PING) + b"\x00" + cobs.encode(PING) + b"\x00")  # shared zeros
        _until(link, lambda: len(received) == 3)
        assert received == [PING] * 3
        link.send(PING)
        wire = device.read(len(PING) + 3)
        assert wire == cobs_frame(PING)
        assert (wire[0], wire[-1]) == (0, 0)
        assert cobs.decode(wire[1:-1]) == PING  # an independent COBS
        assert (link.counters.packets_out, link.counters.bytes_out) == (1, len(wire))
    finally:
        link.close()


def test_garbage_is_counted_and_the_next_frame_gets_through(device: PtyDevice) -> None:
    link, received = _board(device, max_packet=64)
    try:
        device.write(b"line noise \xff\xfe")  # mid-frame start: no zero yet
        device.write(b"\x00" + cobs.encode(PING) + b"\x00")
        device.write(b"\x00" + cobs.encode(PING[:-1]) + b"\x00")  # not one packet
        device.write(b"\x00\x05ab\x00")  # a COBS code running past the frame
        device.write(b"\x00" + b"\x01" * 200 + b"\x00")  # longer than any allowed frame
        device.write(b"\x00" + cobs.encode(PING) + b"\x00")
        _until(link, lambda: len(received) == 2)
        counters = link.counters
        assert received == [PING, PING]
        assert counters.rejected == 4
        assert counters.overflows == 1
        assert counters.packets_in == 6
    finally:
        link.close()


def test_the_adapter_is_unplugged_and_comes_back(device: PtyDevice) -> None:
    link, received = _board(device, retry_s=0.05)
    try:
        device.unplug()
        _until(link, lambda: not link.connected)
        assert link.counters.disconnects == 1
        link.send(PING)
        assert link.counters.no_peer == 1
        for _ in range(3):
            pump(link, 0.06)  # retries against a missing device
        assert not link.connected
        device.plug()
        _until(link, lambda: link.connected)
        assert link.counters.reconnects == 1
        device.write(b"\x00" + cobs.encode(PING) + b"\x00")
        _until(link, lambda: received == [PING])
        link.send(PING)
        assert device.read(len(PING) + 3) == cobs_frame(PING)
    finally:
        link.close()


def test_a_missing_device_is_retried_on_board_and_an_error_on_ground(tmp_path: Path) -> None:
    absent = tmp_path / "ttyACM9"
    link = SerialLink(str(absent), 9600, lambda _: True)
    try:
        assert not link.connected
        assert link.url == f"serial:{absent}@9600"
    finally:
        link.close()
    with pytest.raises(LinkError, match="cannot open"):
        open_link(f"serial:{absent}", lambda _: True, ground=True)


def test_output_is_bounded_when_nobody_reads(device: PtyDevice) -> None:
    link, _ = _board(device, tx_limit=2048)
    try:
        for _ in range(2000):
            link.send(PING)  # the pty holds a few kB, the queue 2 kB; the rest is dropped
        counters = link.counters
        assert counters.overflows > 0
        assert counters.packets_out + counters.overflows == 2000
    finally:
        link.close()


@pytest.fixture
def socat_pair(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    with socat_ptys(tmp_path) as pair:
        yield pair


def test_tmtccmd_serial_cobs_interface_talks_to_the_link(
    socat_pair: tuple[Path, Path],
) -> None:
    com = pytest.importorskip("tmtccmd.com.serial_cobs")
    serial_cfg = pytest.importorskip("tmtccmd.com.serial_base").SerialCfg

    board_path, ground_path = socat_pair
    received: list[bytes] = []
    link = SerialLink(str(board_path), 115200, lambda p: received.append(p) is None)
    ground = com.SerialCobsComIF(serial_cfg("cobs", str(ground_path), 115200, 0.1))
    ground.open()
    try:
        ground.send(PING)
        _until(link, lambda: received == [PING])
        link.send(PING)
        deadline = time.monotonic() + 3
        packets: list[bytes] = []
        while not packets:
            assert time.monotonic() < deadline, "tmtccmd received nothing"
            pump(link, 0.02)
            packets = ground.receive()
        assert packets == [PING]
    finally:
        with contextlib.suppress(Exception):
            ground.close()
        link.close()
