"""SPI over ``machine.SPI`` with a ``machine.Pin`` as chip select (active low)."""

from hal.backends.micropython._errno import mapped
from hal.errors import ConfigError, NotOpen

__all__ = ["MpySpiDevice"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from machine import SPI, Pin, SoftSPI


class MpySpiDevice:
    """One device: a machine.SPI bus plus its chip-select pin.

    Args:
        spi: The machine.SPI object.
        cs: The chip-select machine.Pin, configured as an output.
        name: Device name used in errors.
    """

    def __init__(self, spi: "SPI | SoftSPI", cs: "Pin", *, name: str = "mpy:spi") -> None:
        self._spi: SPI | SoftSPI | None = spi
        self._cs = cs
        self.name = name
        cs.value(1)

    def configure(self, *, mode: int = 0, speed_hz: int = 1000000, bits_per_word: int = 8) -> None:
        """Set SPI mode 0-3 (polarity = bit 1, phase = bit 0), clock and word size."""
        spi = self._check()
        if mode not in (0, 1, 2, 3):
            raise ConfigError("SPI mode must be 0-3", bus=self.name)
        if not isinstance(speed_hz, int) or speed_hz <= 0:
            raise ConfigError("speed_hz must be a positive int", bus=self.name)
        spi.init(baudrate=speed_hz, polarity=mode >> 1, phase=mode & 1, bits=bits_per_word)

    def transfer(self, data: bytes) -> bytes:
        """Assert chip select, clock ``data`` out and the answer in, release chip select."""
        spi = self._check()
        buf = bytearray(len(data))
        self._cs.value(0)
        try:
            spi.write_readinto(data, buf)
        except OSError as exc:
            raise mapped(exc, "transfer", bus=self.name) from None
        finally:
            self._cs.value(1)
        return bytes(buf)

    def close(self) -> None:
        """Forget the machine objects."""
        self._spi = None

    def _check(self) -> "SPI | SoftSPI":
        if self._spi is None:
            raise NotOpen("device is closed", bus=self.name)
        return self._spi
