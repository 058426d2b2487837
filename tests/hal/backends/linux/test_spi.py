"""LinuxSpiDevice through a seam that decodes spi_ioc_transfer as spidev would.

No /dev/spidev* here: the fake kernel unpacks the 32-byte struct, reads tx_buf from memory
and writes a loopback-plus-one answer into rx_buf.
"""

import ctypes
import errno
import glob
import os
import struct

import pytest

from hal.backends.linux import spi
from hal.errors import BusError, ConfigError, NotOpen


class FakeSpidev:
    def __init__(self) -> None:
        self.settings: dict[str, int] = {}
        self.transfers: list[tuple[bytes, int, int, int]] = []
        self.fail: int | None = None

    def open(self, path: str, flags: int) -> int:
        assert path == "/dev/spidev0.1"
        return 5

    def close(self, fd: int) -> None:
        pass

    def ioctl(self, fd: int, request: int, arg: bytearray) -> int:
        if self.fail:
            raise OSError(self.fail, os.strerror(self.fail))
        if request == spi.SPI_IOC_WR_MODE:
            self.settings["mode"] = struct.unpack("=B", arg)[0]
        elif request == spi.SPI_IOC_WR_BITS_PER_WORD:
            self.settings["bits"] = struct.unpack("=B", arg)[0]
        elif request == spi.SPI_IOC_WR_MAX_SPEED_HZ:
            self.settings["speed"] = struct.unpack("=I", arg)[0]
        elif request == spi.SPI_IOC_MESSAGE_1:
            assert len(arg) == 32
            tx, rx, length, speed, _delay, bits, cs_change, *_ = struct.unpack("=QQIIHBBBBBB", arg)
            data = ctypes.string_at(tx, length)
            self.transfers.append((data, speed, bits, cs_change))
            ctypes.memmove(rx, bytes((b + 1) & 0xFF for b in data), length)
        else:
            raise OSError(errno.ENOTTY, "bad ioctl")
        return 0


@pytest.fixture
def kernel() -> FakeSpidev:
    return FakeSpidev()


def test_configure_and_transfer(kernel: FakeSpidev) -> None:
    dev = spi.LinuxSpiDevice("/dev/spidev0.1", seam=kernel)  # type: ignore[arg-type]
    dev.configure(mode=3, speed_hz=500_000, bits_per_word=8)
    assert kernel.settings == {"mode": 3, "bits": 8, "speed": 500_000}
    assert dev.transfer(b"\x01\x80\x00") == b"\x02\x81\x01"
    assert kernel.transfers == [(b"\x01\x80\x00", 500_000, 8, 0)]


def test_errors(kernel: FakeSpidev) -> None:
    dev = spi.LinuxSpiDevice("/dev/spidev0.1", seam=kernel)  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        dev.configure(mode=4)
    with pytest.raises(ConfigError):
        dev.transfer(b"")
    kernel.fail = errno.EMSGSIZE
    with pytest.raises(BusError) as info:
        dev.transfer(b"\x00")
    assert info.value.__cause__ is not None
    dev.close()
    with pytest.raises(NotOpen):
        dev.transfer(b"\x00")


@pytest.mark.skipif(not glob.glob("/dev/spidev*"), reason="no /dev/spidev* on this machine")
def test_real_spidev_transfers() -> None:
    dev = spi.LinuxSpiDevice(sorted(glob.glob("/dev/spidev*"))[0])
    try:
        dev.configure(mode=0, speed_hz=100_000)
        assert len(dev.transfer(b"\x00\x00")) == 2
    finally:
        dev.close()
