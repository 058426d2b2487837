"""The Linux watchdog device (include/uapi/linux/watchdog.h).

Opening /dev/watchdog arms it. WDIOC_SETTIMEOUT sets the timeout (the driver writes back the
value it chose), WDIOC_KEEPALIVE kicks it. Closing after writing the magic character 'V'
disarms it; closing without 'V' (or a crash) leaves it armed, so the board resets unless
someone reopens and kicks it: that is what a flight watchdog is for.
"""

import os
import struct

from hal.backends.linux.seam import OsSeam, ior, iowr, raise_mapped
from hal.errors import ConfigError, NotOpen

__all__ = ["WDIOC_GETTIMEOUT", "WDIOC_KEEPALIVE", "WDIOC_SETTIMEOUT", "LinuxWatchdog", "open_url"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hal.open import Url

_W = ord("W")
_INT = struct.calcsize("=i")
WDIOC_KEEPALIVE = ior(_W, 5, _INT)
WDIOC_SETTIMEOUT = iowr(_W, 6, _INT)
WDIOC_GETTIMEOUT = ior(_W, 7, _INT)
MAGIC_CLOSE = b"V"


class LinuxWatchdog:
    """A /dev/watchdogN device; not opened (so not armed) until ``start()``.

    Args:
        path: Device node.
        seam: OS access (tests pass a fake kernel).
    """

    def __init__(self, path: str = "/dev/watchdog", *, seam: OsSeam | None = None) -> None:
        self.path = path
        self.name = "linux:" + path
        self._seam = OsSeam() if seam is None else seam
        self._fd: int | None = None
        self._timeout_s = 0

    @property
    def timeout_s(self) -> float:
        """The timeout the driver reports (WDIOC_GETTIMEOUT)."""
        buf = bytearray(_INT)
        self._ioctl(WDIOC_GETTIMEOUT, buf, "get timeout")
        self._timeout_s = struct.unpack("=i", buf)[0]
        return float(self._timeout_s)

    def start(self, timeout_s: float) -> None:
        """Open (arming it) and set the timeout, rounded to whole seconds."""
        seconds = round(timeout_s)
        if seconds < 1:
            raise ConfigError(f"watchdog timeout {timeout_s!r} s is below 1 s", bus=self.name)
        if self._fd is None:
            try:
                self._fd = self._seam.open(self.path, os.O_WRONLY)
            except OSError as exc:
                raise_mapped(exc, f"cannot open {self.path}", bus=self.name)
        buf = bytearray(struct.pack("=i", seconds))
        self._ioctl(WDIOC_SETTIMEOUT, buf, "set timeout")
        self._timeout_s = struct.unpack("=i", buf)[0]

    def kick(self) -> None:
        """Restart the countdown."""
        self._ioctl(WDIOC_KEEPALIVE, bytearray(_INT), "keepalive")

    def stop(self) -> None:
        """Disarm with the magic close (ignored by kernels built with nowayout)."""
        fd = self._require_fd()
        try:
            self._seam.write(fd, MAGIC_CLOSE)
        except OSError as exc:
            raise_mapped(exc, "magic close failed", bus=self.name)
        self.close()

    def close(self) -> None:
        """Close without the magic character: the watchdog stays armed."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            self._seam.close(fd)

    def _require_fd(self) -> int:
        if self._fd is None:
            raise NotOpen("watchdog not started", bus=self.name)
        return self._fd

    def _ioctl(self, request: int, buf: bytearray, what: str) -> None:
        fd = self._require_fd()
        try:
            self._seam.ioctl(fd, request, buf)
        except OSError as exc:
            raise_mapped(exc, f"watchdog {what} failed", bus=self.name, nack_errnos=frozenset())


def open_url(url: "Url") -> LinuxWatchdog:
    """Return a LinuxWatchdog for ``linux:/dev/watchdogN`` (armed only by start())."""
    if not url.target.startswith("/dev/"):
        raise ConfigError(f"{url.url!r}: expected linux:/dev/watchdog")
    return LinuxWatchdog(url.target)
