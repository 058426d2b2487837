"""I2C over ``machine.I2C``: writeto / readfrom, with a repeated start for write_read."""

from hal.backends.micropython._errno import mapped
from hal.errors import ConfigError, NackError, NotOpen

__all__ = ["MpyI2CBus"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from machine import I2C, SoftI2C


class MpyI2CBus:
    """Adapter from a ``machine.I2C`` (or ``SoftI2C``) to the HAL's I2C bus interface.

    Args:
        i2c: The machine.I2C object.
        name: Bus name used in errors, e.g. "mpy:0".
    """

    def __init__(self, i2c: "I2C | SoftI2C", *, name: str = "mpy:i2c") -> None:
        self._i2c: I2C | SoftI2C | None = i2c
        self.name = name

    def write(self, address: int, data: bytes) -> None:
        """Write ``data`` to ``address`` with a stop condition."""
        i2c = self._check(address)
        try:
            acks = i2c.writeto(address, data)
        except OSError as exc:
            raise mapped(
                exc, "write", bus=self.name, address=address, register=data[0] if data else None
            ) from None
        self._check_acks(acks, data, address)

    def read(self, address: int, length: int) -> bytes:
        """Read ``length`` bytes from ``address``."""
        i2c = self._check(address)
        try:
            return bytes(i2c.readfrom(address, length))
        except OSError as exc:
            raise mapped(exc, "read", bus=self.name, address=address) from None

    def write_read(self, address: int, data: bytes, length: int) -> bytes:
        """Write ``data`` without a stop, then read ``length`` bytes (repeated start)."""
        i2c = self._check(address)
        register = data[0] if data else None
        try:
            acks = i2c.writeto(address, data, False)
            self._check_acks(acks, data, address)
            return bytes(i2c.readfrom(address, length))
        except OSError as exc:
            raise mapped(
                exc, "write_read", bus=self.name, address=address, register=register
            ) from None

    def close(self) -> None:
        """Forget the machine object (MicroPython buses have no close)."""
        self._i2c = None

    def _check(self, address: int) -> "I2C | SoftI2C":
        if self._i2c is None:
            raise NotOpen("bus is closed", bus=self.name, address=address)
        if not isinstance(address, int) or not 0 <= address <= 0x7F:
            raise ConfigError("I2C address is not 7-bit", bus=self.name)
        return self._i2c

    def _check_acks(self, acks: object, data: bytes, address: int) -> None:
        # writeto returns how many bytes were ACKed; a short count is a NACK mid-write.
        if isinstance(acks, int) and acks < len(data):
            raise NackError(
                "byte " + str(acks) + " not acknowledged",
                bus=self.name,
                address=address,
                register=data[0] if data else None,
            )
