"""SPI through spidev (include/uapi/linux/spi/spidev.h).

A transfer is one ``SPI_IOC_MESSAGE(1)`` ioctl carrying ``struct spi_ioc_transfer`` (32 bytes:
``__u64 tx_buf, rx_buf; __u32 len, speed_hz; __u16 delay_usecs; __u8 bits_per_word,
cs_change, tx_nbits, rx_nbits, word_delay_usecs, pad``), so chip select stays asserted for the
whole buffer. Mode, word size and clock are set with the SPI_IOC_WR_* ioctls.
"""

import ctypes
import os
import struct

from hal.backends.linux.seam import OsSeam, iow, raise_mapped
from hal.errors import ConfigError, NotOpen

__all__ = [
    "SPI_IOC_MESSAGE_1",
    "SPI_IOC_WR_BITS_PER_WORD",
    "SPI_IOC_WR_MAX_SPEED_HZ",
    "SPI_IOC_WR_MODE",
    "SPI_TRANSFER_FORMAT",
    "LinuxSpiDevice",
    "open_url",
]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hal.open import Url

SPI_IOC_MAGIC = ord("k")
SPI_TRANSFER_FORMAT = "=QQIIHBBBBBB"  # struct spi_ioc_transfer
SPI_IOC_MESSAGE_1 = iow(SPI_IOC_MAGIC, 0, struct.calcsize(SPI_TRANSFER_FORMAT))
SPI_IOC_WR_MODE = iow(SPI_IOC_MAGIC, 1, 1)
SPI_IOC_WR_BITS_PER_WORD = iow(SPI_IOC_MAGIC, 3, 1)
SPI_IOC_WR_MAX_SPEED_HZ = iow(SPI_IOC_MAGIC, 4, 4)
SPIDEV_BUFSIZ = 4096  # spidev's default bufsiz module parameter


class LinuxSpiDevice:
    """One spidev node, e.g. /dev/spidev0.1 (bus 0, chip select 1).

    Args:
        path: Device node.
        seam: OS access (tests pass a fake kernel).
    """

    def __init__(self, path: str, *, seam: OsSeam | None = None) -> None:
        self.path = path
        self.name = "linux:" + path
        self.mode = 0
        self.speed_hz = 1_000_000
        self.bits_per_word = 8
        self._seam = OsSeam() if seam is None else seam
        try:
            self._fd: int | None = self._seam.open(path, os.O_RDWR)
        except OSError as exc:
            raise_mapped(exc, f"cannot open {path}", bus=self.name)

    def configure(
        self, *, mode: int = 0, speed_hz: int = 1_000_000, bits_per_word: int = 8
    ) -> None:
        """Set SPI mode (0-3), clock rate (Hz) and word size (bits)."""
        fd = self._open_fd()
        if mode not in (0, 1, 2, 3):
            raise ConfigError(f"SPI mode {mode!r} is not 0-3", bus=self.name)
        if not isinstance(speed_hz, int) or not 0 < speed_hz < 1 << 32:
            raise ConfigError(f"speed_hz {speed_hz!r} is out of range", bus=self.name)
        if not isinstance(bits_per_word, int) or not 1 <= bits_per_word <= 32:
            raise ConfigError(f"bits_per_word {bits_per_word!r} is out of range", bus=self.name)
        for request, fmt, value in (
            (SPI_IOC_WR_MODE, "=B", mode),
            (SPI_IOC_WR_BITS_PER_WORD, "=B", bits_per_word),
            (SPI_IOC_WR_MAX_SPEED_HZ, "=I", speed_hz),
        ):
            try:
                self._seam.ioctl(fd, request, bytearray(struct.pack(fmt, value)))
            except OSError as exc:
                raise_mapped(exc, "SPI configure failed", bus=self.name)
        self.mode, self.speed_hz, self.bits_per_word = mode, speed_hz, bits_per_word

    def transfer(self, data: bytes) -> bytes:
        """Clock ``data`` out with chip select asserted; return the bytes clocked in."""
        fd = self._open_fd()
        data = bytes(data)
        if not 0 < len(data) <= SPIDEV_BUFSIZ:
            raise ConfigError(
                f"transfer length {len(data)} is outside 1..{SPIDEV_BUFSIZ}", bus=self.name
            )
        tx = ctypes.create_string_buffer(data, len(data))
        rx = ctypes.create_string_buffer(len(data))
        message = bytearray(
            struct.pack(
                SPI_TRANSFER_FORMAT,
                ctypes.addressof(tx),
                ctypes.addressof(rx),
                len(data),
                self.speed_hz,
                0,
                self.bits_per_word,
                0,
                0,
                0,
                0,
                0,
            )
        )
        try:
            self._seam.ioctl(fd, SPI_IOC_MESSAGE_1, message)
        except OSError as exc:
            raise_mapped(exc, "SPI transfer failed", bus=self.name)
        return rx.raw

    def close(self) -> None:
        """Close the device node."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            self._seam.close(fd)

    def _open_fd(self) -> int:
        if self._fd is None:
            raise NotOpen("device is closed", bus=self.name)
        return self._fd


def open_url(url: "Url") -> LinuxSpiDevice:
    """Open ``linux:/dev/spidevB.C[?mode=M&speed_hz=N]``."""
    if not url.target.startswith("/dev/"):
        raise ConfigError(f"{url.url!r}: expected linux:/dev/spidevB.C")
    device = LinuxSpiDevice(url.target)
    device.configure(
        mode=url.int_option("mode", 0) or 0,
        speed_hz=url.int_option("speed_hz", 1_000_000) or 1_000_000,
    )
    return device
