"""Microchip MCP3008 8-channel 10-bit SPI ADC.

From the MCP3008 datasheet (DS21295), section 6.1: with 8-bit transfers the host sends
``0x01`` (start bit), then ``SGL/DIFF D2 D1 D0`` in the top nibble, then a don't-care byte;
the result comes back as a null bit (0) followed by B9..B0 in the low bits of the second and
third bytes. ``code = 1024 * V_in / V_ref``.

The MCP3008 has no ID. The driver checks the null bit, which a missing chip (MISO pulled up,
0xFF) fails, and raises DeviceNotFound then; a bus stuck low is indistinguishable from 0 V.
"""

from hal.errors import ConfigError, DeviceNotFound

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol

    class SpiDevice(Protocol):
        """The part of the SPI device interface the driver uses."""

        def transfer(self, data: bytes) -> bytes:
            """Full-duplex transfer."""

        def configure(self, *, mode: int = 0, speed_hz: int = 1_000_000) -> None:
            """Set SPI mode and clock."""


__all__ = ["Mcp3008"]

START_BIT = 0x01
SINGLE_ENDED = 0x80
CHANNEL_SHIFT = 4
CHANNELS = 8
FULL_SCALE_CODES = 1024
NULL_BIT = 0x04  # bit 2 of the second byte is the null bit, then B9, B8
HIGH_BITS = 0x03
MAX_SPEED_HZ = 1_350_000  # at 2.7 V (datasheet table 1-1)
SPI_MODE = 0


class Mcp3008:
    """MCP3008 driver.

    Args:
        spi: SPI device (chip select already bound).
        vref_v: Reference voltage on VREF.
        speed_hz: SPI clock.
    """

    def __init__(self, spi: "SpiDevice", *, vref_v: float = 3.3, speed_hz: int = 1_000_000) -> None:
        if vref_v <= 0:
            raise ConfigError("vref_v must be positive")
        if not 0 < speed_hz <= MAX_SPEED_HZ:
            raise ConfigError(f"speed_hz must be 1..{MAX_SPEED_HZ}")
        self.spi = spi
        self.vref_v = vref_v
        self.spi.configure(mode=SPI_MODE, speed_hz=speed_hz)
        self._tx = bytearray(3)
        self.probe()

    def probe(self) -> None:
        """Convert channel 0 and check the null bit.

        Raises:
            DeviceNotFound: The null bit read 1 (nothing drives MISO).
        """
        self.raw(0)

    def raw(self, channel: int, *, differential: bool = False) -> int:
        """Return the 10-bit code of a channel or a differential pair.

        Args:
            channel: 0-7. Differential: 0 is CH0+/CH1-, 1 is CH0-/CH1+, ... (table 5-2).
            differential: Pseudo-differential conversion of a channel pair.
        """
        if not 0 <= channel < CHANNELS:
            raise ConfigError("channel must be 0-7")
        self._tx[0] = START_BIT
        self._tx[1] = (0 if differential else SINGLE_ENDED) | (channel << CHANNEL_SHIFT)
        self._tx[2] = 0
        rx = self.spi.transfer(bytes(self._tx))
        if rx[1] & NULL_BIT:
            raise DeviceNotFound(
                "MCP3008 null bit is 1: no ADC answering",
                expected=0,
                got=rx[1] & NULL_BIT,
                address=channel,
            )
        return ((rx[1] & HIGH_BITS) << 8) | rx[2]

    def volts(self, channel: int, *, differential: bool = False) -> float:
        """Return the input voltage of a channel (or pair) in volts."""
        return self.raw(channel, differential=differential) * self.vref_v / FULL_SCALE_CODES
