"""LinuxI2CBus through a seam that decodes I2C_RDWR as the kernel would.

This machine has no /dev/i2c-*; the fake kernel below reads the i2c_rdwr_ioctl_data and
i2c_msg structs from memory by their C layout, follows the buffer pointers and plays a
register-file device at 0x76.
"""

import ctypes
import errno
import glob
import os
import struct

import pytest

from hal.backends.linux.i2c import I2C_M_RD, I2C_RDWR, LinuxI2CBus
from hal.errors import ConfigError, NackError, NotOpen


class FakeI2cKernel:
    """Plays i2c-dev with one device at 0x76."""

    def __init__(self) -> None:
        self.regs = bytearray(range(256))
        self.pointer = 0
        self.calls: list[list[tuple[int, int, bytes | int]]] = []
        self.closed: list[int] = []
        self.errno: int | None = None

    def open(self, path: str, flags: int) -> int:
        if path != "/dev/i2c-1":
            raise FileNotFoundError(errno.ENOENT, "No such file", path)
        assert flags & os.O_RDWR
        return 3

    def close(self, fd: int) -> None:
        self.closed.append(fd)

    def ioctl(self, fd: int, request: int, arg: ctypes.Structure) -> int:
        assert (fd, request) == (3, I2C_RDWR)
        msgs_ptr, nmsgs = struct.unpack("@PI4x", bytes(arg))
        transfer = []
        for i in range(nmsgs):
            addr, flags, length, buf = struct.unpack(
                "@HHH2xP", ctypes.string_at(msgs_ptr + 16 * i, 16)
            )
            data = ctypes.string_at(buf, length)
            transfer.append((addr, flags, data if not flags & I2C_M_RD else length))
        self.calls.append(transfer)
        if self.errno is not None:
            raise OSError(self.errno, os.strerror(self.errno))
        for i, (addr, flags, payload) in enumerate(transfer):
            if addr != 0x76:
                raise OSError(errno.EREMOTEIO, "Remote I/O error")
            if flags & I2C_M_RD:
                assert isinstance(payload, int)
                out = bytes(self.regs[(self.pointer + k) & 0xFF] for k in range(payload))
                _, _, _, buf = struct.unpack("@HHH2xP", ctypes.string_at(msgs_ptr + 16 * i, 16))
                ctypes.memmove(buf, out, payload)
            else:
                assert isinstance(payload, bytes)
                self.pointer = payload[0]
                for k, b in enumerate(payload[1:]):
                    self.regs[(self.pointer + k) & 0xFF] = b
        return int(nmsgs)


@pytest.fixture
def kernel() -> FakeI2cKernel:
    return FakeI2cKernel()


@pytest.fixture
def bus(kernel: FakeI2cKernel) -> LinuxI2CBus:
    return LinuxI2CBus("/dev/i2c-1", seam=kernel)  # type: ignore[arg-type]


def test_write_read_is_one_ioctl_with_two_messages(bus: LinuxI2CBus, kernel: FakeI2cKernel) -> None:
    assert bus.write_read(0x76, b"\xd0", 2) == b"\xd0\xd1"
    assert kernel.calls == [[(0x76, 0, b"\xd0"), (0x76, I2C_M_RD, 2)]]


def test_write_and_read(bus: LinuxI2CBus, kernel: FakeI2cKernel) -> None:
    bus.write(0x76, b"\xf4\x27")
    assert kernel.regs[0xF4] == 0x27
    assert bus.read(0x76, 1) == b"\x27"  # the pointer still addresses 0xF4
    assert kernel.calls[-1] == [(0x76, I2C_M_RD, 1)]


def test_missing_device_is_nack_with_cause(bus: LinuxI2CBus) -> None:
    with pytest.raises(NackError) as info:
        bus.write_read(0x77, b"\xd0", 1)
    assert (info.value.address, info.value.register) == (0x77, 0xD0)
    assert isinstance(info.value.__cause__, OSError)


def test_bad_arguments_and_close(bus: LinuxI2CBus, kernel: FakeI2cKernel) -> None:
    with pytest.raises(ConfigError):
        bus.read(0x80, 1)
    with pytest.raises(ConfigError):
        bus.read(0x76, 9000)
    bus.close()
    assert kernel.closed == [3]
    with pytest.raises(NotOpen):
        bus.read(0x76, 1)
    with pytest.raises(ConfigError):
        LinuxI2CBus("/dev/i2c-9", seam=kernel)  # type: ignore[arg-type]


@pytest.mark.skipif(not glob.glob("/dev/i2c-*"), reason="no /dev/i2c-* on this machine")
def test_real_bus_opens_and_nacks_an_empty_address() -> None:
    bus = LinuxI2CBus(sorted(glob.glob("/dev/i2c-*"))[0])
    try:
        # 0x08 is reserved (SMBus host); nothing should answer it.
        with pytest.raises(NackError):
            bus.read(0x08, 1)
    finally:
        bus.close()
