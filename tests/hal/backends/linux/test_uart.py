"""LinuxUart over a real pseudo-terminal pair: the same bytes a USB-UART carries."""

import os
import time
from collections.abc import Iterator

import pytest

from hal.backends.linux.uart import LinuxUart
from hal.errors import ConfigError, NotOpen


@pytest.fixture
def pty() -> Iterator[tuple[int, str]]:
    controller, peripheral = os.openpty()
    yield controller, os.ttyname(peripheral)
    os.close(controller)
    os.close(peripheral)


def test_write_read_and_timeout(pty: tuple[int, str]) -> None:
    controller, path = pty
    uart = LinuxUart(path, baudrate=115200)
    try:
        assert uart.write(b"$PUBX,00*33\r\n") == 13
        assert os.read(controller, 64) == b"$PUBX,00*33\r\n"
        os.write(controller, b"hello")
        assert uart.read(5, timeout_s=1.0) == b"hello"
        start = time.monotonic()
        assert uart.read(4, timeout_s=0.1) == b""
        assert 0.05 < time.monotonic() - start < 1.0
        uart.configure(baudrate=9600)
        assert uart.baudrate == 9600
    finally:
        uart.close()
    with pytest.raises(NotOpen):
        uart.write(b"x")


def test_missing_port_is_config_error() -> None:
    with pytest.raises(ConfigError):
        LinuxUart("/dev/does-not-exist-tty")
