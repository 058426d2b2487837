"""I2C through i2c-dev: every transfer is one ``I2C_RDWR`` ioctl (include/uapi/linux/i2c-dev.h).

``I2C_RDWR`` takes ``struct i2c_rdwr_ioctl_data { struct i2c_msg *msgs; __u32 nmsgs; }`` with
``struct i2c_msg { __u16 addr; __u16 flags; __u16 len; __u8 *buf; }``; a write-then-read is
two messages in one call, so the adapter issues a repeated start between them and no other
master can slip in.
"""

import ctypes
import os

from hal.backends.linux.seam import OsSeam, raise_mapped
from hal.errors import ConfigError, NotOpen

__all__ = [
    "I2C_M_RD",
    "I2C_RDWR",
    "I2C_RDWR_MAX_BYTES",
    "I2cMsg",
    "I2cRdwrIoctlData",
    "LinuxI2CBus",
    "open_url",
]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hal.open import Url

I2C_RDWR = 0x0707  # not built from _IOC: i2c-dev predates the macros
I2C_M_RD = 0x0001
I2C_RDWR_MAX_BYTES = 8192  # i2c-dev refuses longer messages (EINVAL)


class I2cMsg(ctypes.Structure):
    """``struct i2c_msg``."""

    _fields_ = (
        ("addr", ctypes.c_uint16),
        ("flags", ctypes.c_uint16),
        ("len", ctypes.c_uint16),
        ("buf", ctypes.POINTER(ctypes.c_uint8)),
    )


class I2cRdwrIoctlData(ctypes.Structure):
    """``struct i2c_rdwr_ioctl_data``."""

    _fields_ = (("msgs", ctypes.POINTER(I2cMsg)), ("nmsgs", ctypes.c_uint32))


class LinuxI2CBus:
    """An i2c-dev bus, e.g. /dev/i2c-1.

    Args:
        path: Device node.
        seam: OS access (tests pass a fake kernel).
    """

    def __init__(self, path: str, *, seam: OsSeam | None = None) -> None:
        self.path = path
        self.name = "linux:" + path
        self._seam = OsSeam() if seam is None else seam
        try:
            self._fd: int | None = self._seam.open(path, os.O_RDWR)
        except OSError as exc:
            raise_mapped(exc, f"cannot open {path}", bus=self.name)

    def write(self, address: int, data: bytes) -> None:
        """Write ``data`` to ``address`` in one message."""
        self._transfer(address, [(0, bytes(data))])

    def read(self, address: int, length: int) -> bytes:
        """Read ``length`` bytes from ``address``."""
        return self._transfer(address, [(I2C_M_RD, length)])

    def write_read(self, address: int, data: bytes, length: int) -> bytes:
        """Write ``data`` then read ``length`` bytes, with a repeated start between."""
        return self._transfer(address, [(0, bytes(data)), (I2C_M_RD, length)])

    def close(self) -> None:
        """Close the device node."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            self._seam.close(fd)

    def _transfer(self, address: int, parts: list[tuple[int, bytes | int]]) -> bytes:
        if self._fd is None:
            raise NotOpen("bus is closed", bus=self.name, address=address)
        if not isinstance(address, int) or not 0 <= address <= 0x7F:
            raise ConfigError(f"I2C address {address!r} is not a 7-bit address", bus=self.name)
        first = parts[0][1]
        register = first[0] if isinstance(first, bytes) and first else None
        msgs = (I2cMsg * len(parts))()
        buffers = []
        for msg, (flags, payload) in zip(msgs, parts, strict=True):
            size = payload if isinstance(payload, int) else len(payload)
            if not 0 <= size <= I2C_RDWR_MAX_BYTES:
                raise ConfigError(
                    f"message length {size} is outside 0..{I2C_RDWR_MAX_BYTES}",
                    bus=self.name,
                    address=address,
                )
            buf = (ctypes.c_uint8 * max(size, 1))()
            if isinstance(payload, bytes):
                ctypes.memmove(buf, payload, size)
            buffers.append(buf)
            msg.addr, msg.flags, msg.len = address, flags, size
            msg.buf = ctypes.cast(buf, ctypes.POINTER(ctypes.c_uint8))
        request = I2cRdwrIoctlData(msgs=ctypes.cast(msgs, ctypes.POINTER(I2cMsg)), nmsgs=len(parts))
        try:
            self._seam.ioctl(self._fd, I2C_RDWR, request)
        except OSError as exc:
            raise_mapped(
                exc, "I2C transfer failed", bus=self.name, address=address, register=register
            )
        flags, payload = parts[-1]
        if flags & I2C_M_RD:
            return bytes(buffers[-1])[: int(payload)]
        return b""


def open_url(url: "Url") -> LinuxI2CBus:
    """Open ``linux:/dev/i2c-N``."""
    if not url.target.startswith("/dev/"):
        raise ConfigError(f"{url.url!r}: expected linux:/dev/i2c-N")
    return LinuxI2CBus(url.target)
