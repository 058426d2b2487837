"""LinuxGpioLine through a seam that decodes the GPIO v2 uAPI structs (no /dev/gpiochip* here).

The fake kernel reads each request struct as raw bytes at the C offsets of
include/uapi/linux/gpio.h, so a wrong field layout on our side fails here.
"""

import errno
import glob
import struct
from typing import ClassVar

import pytest

from hal.backends.linux import gpio
from hal.errors import BusError, ConfigError, NotOpen


class FakeGpioKernel:
    """Two chips; line fds hold one line with a level and an event queue."""

    LABELS: ClassVar[dict[str, bytes]] = {
        "/dev/gpiochip0": b"pinctrl-bcm2711",
        "/dev/gpiochip4": b"pinctrl-rp1",
    }

    def __init__(self) -> None:
        self.fds: dict[int, str] = {}
        self.requests: list[dict[str, object]] = []
        self.configs: list[int] = []
        self.level = 0
        self.events: list[bytes] = []
        self.busy = False

    def listdir(self, path: str) -> list[str]:
        assert path == "/dev"
        return ["gpiochip4", "null", "gpiochip0"]

    def open(self, path: str, flags: int) -> int:
        fd = 10 + len(self.fds)
        self.fds[fd] = path
        return fd

    def close(self, fd: int) -> None:
        del self.fds[fd]

    def ioctl(self, fd: int, request: int, arg: object) -> int:
        raw = bytearray(bytes(arg))  # type: ignore[call-overload]
        if request == gpio.GPIO_GET_CHIPINFO_IOCTL:
            label = self.LABELS[self.fds[fd]]
            raw[32:64] = label.ljust(32, b"\0")
        elif request == gpio.GPIO_V2_GET_LINE_IOCTL:
            if self.busy:
                raise OSError(errno.EBUSY, "Device or resource busy")
            offset = struct.unpack_from("=I", raw, 0)[0]
            consumer = bytes(raw[256:288]).rstrip(b"\0")
            flags = struct.unpack_from("=Q", raw, 288)[0]
            num_lines = struct.unpack_from("=I", raw, 560)[0]
            self.requests.append(
                {"offset": offset, "consumer": consumer, "flags": flags, "num_lines": num_lines}
            )
            line_fd = 100
            self.fds[line_fd] = "line"
            raw[588:592] = struct.pack("=i", line_fd)
        elif request == gpio.GPIO_V2_LINE_SET_CONFIG_IOCTL:
            flags, num_attrs = struct.unpack_from("=QI", raw, 0)
            attr_id, _, value, mask = struct.unpack_from("=IIQQ", raw, 32)
            self.configs.append(flags)
            if num_attrs and attr_id == 2 and mask & 1:
                self.level = value & 1
        elif request == gpio.GPIO_V2_LINE_GET_VALUES_IOCTL:
            bits, mask = struct.unpack("=QQ", raw)
            raw[0:8] = struct.pack("=Q", self.level & mask)
        elif request == gpio.GPIO_V2_LINE_SET_VALUES_IOCTL:
            bits, mask = struct.unpack("=QQ", raw)
            if mask & 1:
                self.level = bits & 1
        else:
            raise OSError(errno.ENOTTY, "bad ioctl")
        memoryview(arg).cast("B")[:] = raw  # type: ignore[arg-type]
        return 0

    def poll(self, fd: int, timeout_s: float) -> bool:
        assert self.fds[fd] == "line"
        return bool(self.events)

    def read(self, fd: int, size: int) -> bytes:
        assert size == 48
        return self.events.pop(0)

    def edge(self, timestamp_ns: int, rising: bool) -> None:
        self.events.append(struct.pack("=QIIII24x", timestamp_ns, 1 if rising else 2, 17, 1, 1))


@pytest.fixture
def kernel() -> FakeGpioKernel:
    return FakeGpioKernel()


def test_request_input_and_read(kernel: FakeGpioKernel) -> None:
    line = gpio.LinuxGpioLine("/dev/gpiochip0", 17, consumer="pps", seam=kernel)  # type: ignore[arg-type]
    assert kernel.requests == [
        {"offset": 17, "consumer": b"pps", "flags": gpio.FLAG_INPUT, "num_lines": 1}
    ]
    assert list(kernel.fds.values()) == ["line"]  # chip fd closed after the request
    kernel.level = 1
    assert line.value() == 1


def test_output_config_carries_the_initial_value(kernel: FakeGpioKernel) -> None:
    line = gpio.LinuxGpioLine("/dev/gpiochip0", 5, seam=kernel)  # type: ignore[arg-type]
    line.configure(direction="out", bias="pull-down")
    assert kernel.configs == [gpio.FLAG_OUTPUT | gpio.FLAG_BIAS_PULL_DOWN]
    line.set(1)
    assert kernel.level == 1
    with pytest.raises(ConfigError):
        line.set(3)
    with pytest.raises(ConfigError):
        line.configure(direction="out", edge="both")


def test_edges_are_read_with_timestamps(kernel: FakeGpioKernel) -> None:
    line = gpio.LinuxGpioLine("/dev/gpiochip0", 17, seam=kernel)  # type: ignore[arg-type]
    line.configure(direction="in", edge="both", bias="pull-up")
    assert kernel.configs[-1] == (
        gpio.FLAG_INPUT | gpio.FLAG_EDGE_RISING | gpio.FLAG_EDGE_FALLING | gpio.FLAG_BIAS_PULL_UP
    )
    kernel.edge(123_456_789, rising=True)
    kernel.edge(223_456_789, rising=False)
    assert line.wait_edge(0.1) == (123_456_789, True)
    assert line.wait_edge(0.1) == (223_456_789, False)
    assert line.wait_edge(0.01) is None
    line.close()
    with pytest.raises(NotOpen):
        line.value()


def test_chip_found_by_label(kernel: FakeGpioKernel) -> None:
    assert gpio.find_chip("pinctrl-rp1", seam=kernel) == "/dev/gpiochip4"  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="gpiochip0, gpiochip4"):
        gpio.find_chip("pinctrl-nope", seam=kernel)  # type: ignore[arg-type]
    assert kernel.fds == {}


def test_busy_line_is_bus_error(kernel: FakeGpioKernel) -> None:
    kernel.busy = True
    with pytest.raises(BusError) as info:
        gpio.LinuxGpioLine("/dev/gpiochip0", 3, seam=kernel)  # type: ignore[arg-type]
    assert info.value.address == 3
    assert kernel.fds == {}


@pytest.mark.skipif(not glob.glob("/dev/gpiochip*"), reason="no /dev/gpiochip* on this machine")
def test_real_chip_line_reads() -> None:
    line = gpio.LinuxGpioLine(sorted(glob.glob("/dev/gpiochip*"))[0], 0)
    try:
        assert line.value() in (0, 1)
    finally:
        line.close()
