"""SimSpiBus with a tiny echo-with-offset device as stimulus."""

import pytest

from hal.backends.sim.clock import SimClock
from hal.backends.sim.spi import SimSpiBus
from hal.errors import ConfigError, NotOpen


class PlusOne:
    """Returns each MOSI byte plus one on MISO; records what it saw."""

    name = "plusone"

    def __init__(self) -> None:
        self.seen: list[bytes] = []

    def spi_transfer(self, data: bytes) -> bytes:
        self.seen.append(data)
        return bytes((b + 1) & 0xFF for b in data)


@pytest.fixture
def bus() -> SimSpiBus:
    b = SimSpiBus("sim:spi0", clock=SimClock())
    b.attach(PlusOne(), cs=1)
    return b


def test_transfer_reaches_the_model_on_its_chip_select(bus: SimSpiBus) -> None:
    dev = bus.device(1)
    assert dev.transfer(b"\x01\x02\xff") == b"\x02\x03\x00"
    assert bus.model(1).seen == [b"\x01\x02\xff"]


def test_empty_chip_select_reads_all_ones(bus: SimSpiBus) -> None:
    assert bus.device(0).transfer(b"\x00\x00") == b"\xff\xff"


def test_disconnected_and_stuck_miso(bus: SimSpiBus) -> None:
    dev = bus.device(1)
    bus.inject(1, "disconnected", count=1)
    assert dev.transfer(b"\x10") == b"\xff"
    assert bus.model(1).seen == []
    bus.inject(1, "stuck_miso", level=0)
    assert dev.transfer(b"\x10\x11") == b"\x00\x00"
    bus.clear_faults(1)
    bus.inject(1, "stuck_bits", and_mask=0x0F)
    assert dev.transfer(b"\x3f") == b"\x00"


def test_noise_is_deterministic(bus: SimSpiBus) -> None:
    dev = bus.device(1)
    bus.inject(1, "noise", probability=0.5, seed=3)
    a = dev.transfer(bytes(32))
    bus.clear_faults()
    bus.inject(1, "noise", probability=0.5, seed=3)
    assert dev.transfer(bytes(32)) == a != bytes([1] * 32)


def test_configure_validates(bus: SimSpiBus) -> None:
    dev = bus.device(1)
    dev.configure(mode=3, speed_hz=2_000_000)
    assert (dev.mode, dev.speed_hz) == (3, 2_000_000)
    for bad in ({"mode": 4}, {"speed_hz": 0}, {"bits_per_word": 9}):
        with pytest.raises(ConfigError):
            dev.configure(**bad)
    dev.close()
    with pytest.raises(NotOpen):
        dev.transfer(b"\x00")
