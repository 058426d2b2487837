"""The narrow OS surface the Linux backends use, and errno -> HAL error mapping.

:class:`OsSeam` is the default: plain ``os``/``fcntl``/``select`` calls. A test replaces it
with an object that decodes each ioctl's struct and plays a device, since this machine has no
/dev/i2c-*, /dev/spidev*, /dev/gpiochip* or /dev/watchdog.

Request numbers are built with the kernel's ``_IOC`` macros (include/uapi/asm-generic/ioctl.h:
8-bit number, 8-bit type, 14-bit size, 2-bit direction).
"""

import errno
import fcntl
import os
import select
from typing import Any, NoReturn

from hal.errors import BusError, BusTimeout, ConfigError, HalError, NackError, NotOpen

__all__ = ["IOC_READ", "IOC_WRITE", "OsSeam", "io", "ior", "iow", "iowr", "raise_mapped"]

IOC_NONE = 0
IOC_WRITE = 1
IOC_READ = 2


def _ioc(direction: int, kind: int, nr: int, size: int) -> int:
    if not 0 <= size < 1 << 14:
        raise ValueError(f"ioctl size {size} does not fit in 14 bits")
    return (direction << 30) | (size << 16) | (kind << 8) | nr


def io(kind: int, nr: int) -> int:
    """``_IO(type, nr)``."""
    return _ioc(IOC_NONE, kind, nr, 0)


def ior(kind: int, nr: int, size: int) -> int:
    """``_IOR(type, nr, size)``: the kernel writes ``size`` bytes to user space."""
    return _ioc(IOC_READ, kind, nr, size)


def iow(kind: int, nr: int, size: int) -> int:
    """``_IOW(type, nr, size)``: the kernel reads ``size`` bytes from user space."""
    return _ioc(IOC_WRITE, kind, nr, size)


def iowr(kind: int, nr: int, size: int) -> int:
    """``_IOWR(type, nr, size)``."""
    return _ioc(IOC_READ | IOC_WRITE, kind, nr, size)


class OsSeam:
    """The real OS: what the backends call when no test seam is given."""

    def open(self, path: str, flags: int) -> int:
        """``os.open``."""
        return os.open(path, flags | os.O_CLOEXEC)

    def close(self, fd: int) -> None:
        """``os.close``."""
        os.close(fd)

    def ioctl(self, fd: int, request: int, arg: Any) -> int:
        """``fcntl.ioctl`` with a mutable buffer the kernel may write back into."""
        return int(fcntl.ioctl(fd, request, arg, True))

    def read(self, fd: int, size: int) -> bytes:
        """``os.read``."""
        return os.read(fd, size)

    def write(self, fd: int, data: bytes) -> int:
        """``os.write``."""
        return os.write(fd, data)

    def poll(self, fd: int, timeout_s: float) -> bool:
        """Return True when ``fd`` becomes readable within ``timeout_s``."""
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLPRI)
        return bool(poller.poll(max(0, round(timeout_s * 1000))))

    def listdir(self, path: str) -> list[str]:
        """``os.listdir``."""
        return os.listdir(path)


_NACK = {errno.ENXIO, errno.EREMOTEIO, errno.EIO}
_CONFIG = {errno.ENOENT, errno.ENODEV, errno.EACCES, errno.EPERM, errno.EINVAL, errno.ENOTTY}


def raise_mapped(
    exc: OSError,
    action: str,
    *,
    bus: str,
    address: int | None = None,
    register: int | None = None,
    nack_errnos: frozenset[int] | set[int] = _NACK,
) -> NoReturn:
    """Raise the HAL error for an OSError from the kernel, keeping it as the cause.

    ENXIO/EREMOTEIO/EIO (what i2c drivers return for a missing ACK) become NackError,
    ETIMEDOUT BusTimeout, EBADF NotOpen, a missing node, missing permission or a refused
    argument ConfigError, anything else BusError.
    """
    code = exc.errno
    message = f"{action}: {os.strerror(code) if code else exc}"
    error: HalError
    if code in nack_errnos:
        error = NackError(message, bus=bus, address=address, register=register)
    elif code == errno.ETIMEDOUT:
        error = BusTimeout(message, bus=bus, address=address, register=register)
    elif code == errno.EBADF:
        error = NotOpen(message, bus=bus, address=address, register=register)
    elif code in _CONFIG:
        error = ConfigError(message, bus=bus, address=address, register=register)
    else:
        error = BusError(message, bus=bus, address=address, register=register)
    raise error from exc
