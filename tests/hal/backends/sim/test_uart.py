"""SimUart with a tiny line-echo device as stimulus; time is simulated."""

import pytest

from hal.backends.sim.clock import SimClock
from hal.backends.sim.uart import SimUart
from hal.errors import ConfigError, NotOpen


class Echo:
    """Echoes what it receives, upper-cased, and emits b'tick' every second."""

    name = "echo"

    def __init__(self) -> None:
        self.out = bytearray()
        self.baudrate = 9600
        self.t = 0.0

    def uart_receive(self, data: bytes) -> None:
        self.out.extend(data.upper())

    def uart_transmit(self, max_bytes: int) -> bytes:
        data, self.out = bytes(self.out[:max_bytes]), self.out[max_bytes:]
        return data

    def advance(self, dt_s: float) -> None:
        before, self.t = self.t, self.t + dt_s
        self.out.extend(b"tick" * (int(self.t) - int(before)))


@pytest.fixture
def clock() -> SimClock:
    return SimClock()


@pytest.fixture
def uart(clock: SimClock) -> SimUart:
    return SimUart("sim:uart0", Echo(), clock=clock)


def test_write_and_read_back(uart: SimUart) -> None:
    assert uart.write(b"hello") == 5
    assert uart.read(3, timeout_s=0.1) == b"HEL"
    assert uart.read(10, timeout_s=0.1) == b"LO"


def test_read_waits_on_the_clock_until_data_or_deadline(uart: SimUart, clock: SimClock) -> None:
    assert uart.read(4, timeout_s=1.5) == b"tick"
    assert 1.0 <= clock.now() < 1.1
    start = clock.now()
    assert uart.read(4, timeout_s=0.5) == b""
    assert clock.now() - start == pytest.approx(0.5)


def test_baud_mismatch_garbles(uart: SimUart) -> None:
    uart.configure(baudrate=115200)
    uart.write(b"abcdefgh")
    assert uart.read(8, timeout_s=0.01) != b"ABCDEFGH"


def test_drop_and_corrupt_faults(uart: SimUart) -> None:
    uart.inject("drop", direction="tx", probability=1.0, count=1)
    uart.write(b"abc")
    assert uart.read(3, timeout_s=0.01) == b""
    uart.write(b"abc")
    assert uart.read(3, timeout_s=0.01) == b"ABC"
    uart.inject("corrupt", probability=1.0, seed=5)
    uart.write(b"zzzz")
    got = uart.read(4, timeout_s=0.01)
    assert len(got) == 4
    assert all(bin(a ^ b).count("1") == 1 for a, b in zip(got, b"ZZZZ", strict=True))


def test_bad_arguments(uart: SimUart) -> None:
    with pytest.raises(ConfigError):
        uart.configure(baudrate=0)
    with pytest.raises(ConfigError):
        uart.inject("drop", direction="sideways")
    uart.close()
    with pytest.raises(NotOpen):
        uart.write(b"x")
