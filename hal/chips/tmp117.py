"""Texas Instruments TMP117 precision temperature sensor over I2C.

From the TMP117 datasheet (SNOSD82): 16-bit big-endian registers, temperature in two's
complement at 7.8125 m°C per LSB (table 7-1), device ID 0x0117 in register 0x0F (bits 11:0;
bits 15:12 are the revision), ``Data_Ready`` in the configuration register, cleared when the
configuration or the temperature register is read.
"""

from hal.deadline import poll_until
from hal.errors import ConfigError, DataError, DeviceNotFound
from hal.regmap import Bits, Register, RegisterMap

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from hal.regmap import I2CBus

__all__ = ["DEVICE_ID", "Tmp117", "raw_to_celsius"]

DEFAULT_ADDRESS = 0x48
DEVICE_ID = 0x0117
RESOLUTION_C = 0.0078125
POWER_ON_RESULT = -32768  # reads -256 degC until the first conversion completes

REG_TEMP = Register(name="temp_result", address=0x00, width=2, signed=True, readonly=True)
REG_CONFIG = Register(name="configuration", address=0x01, width=2)
REG_DEVICE_ID = Register(name="device_id", address=0x0F, width=2, readonly=True)

DATA_READY = Bits(name="Data_Ready", reg=REG_CONFIG, lsb=13, readonly=True)
MOD = Bits(name="MOD", reg=REG_CONFIG, lsb=10, width=2)
CONV = Bits(name="CONV", reg=REG_CONFIG, lsb=7, width=3)
AVG = Bits(name="AVG", reg=REG_CONFIG, lsb=5, width=2)
SOFT_RESET = Bits(name="Soft_Reset", reg=REG_CONFIG, lsb=1)
DID = Bits(name="DID", reg=REG_DEVICE_ID, lsb=0, width=12)
REVISION = Bits(name="REV", reg=REG_DEVICE_ID, lsb=12, width=4)

MODE_CONTINUOUS = 0b00
MODE_SHUTDOWN = 0b01
MODE_ONE_SHOT = 0b11
AVERAGES = {1: 0b00, 8: 0b01, 32: 0b10, 64: 0b11}
# Active conversion time per averaging setting (datasheet table 7-7): 15.5 ms per sample.
CONVERSION_TIME_S = {1: 0.0155, 8: 0.125, 32: 0.5, 64: 1.0}
_SOFT_RESET_S = 0.002


def raw_to_celsius(raw: int) -> float:
    """Convert a signed temperature register value to degrees Celsius.

    >>> raw_to_celsius(0x0C80)
    25.0
    """
    return raw * RESOLUTION_C


class Tmp117:
    """TMP117 driver: probe, one-shot or continuous conversion with a Data_Ready poll.

    Args:
        bus: I2C bus.
        address: 0x48..0x4B.
        timeout_s: Extra time allowed beyond the conversion time.
        clock: Monotonic clock for deadlines; a simulation passes its own.
        sleep: Sleep function used between polls.
    """

    def __init__(
        self,
        bus: "I2CBus",
        *,
        address: int = DEFAULT_ADDRESS,
        timeout_s: float = 0.05,
        clock: "Callable[[], float] | None" = None,
        sleep: "Callable[[float], object] | None" = None,
    ) -> None:
        self.regs = RegisterMap(bus, address=address)
        self.timeout_s = timeout_s
        self.averages = 8
        self._clock = clock
        self._sleep = sleep
        self.revision = 0
        self.probe()

    def probe(self) -> None:
        """Check the device ID.

        Raises:
            DeviceNotFound: ``expected=0x0117`` and the ID read (revision bits masked off).
        """
        word = self.regs.read(REG_DEVICE_ID)
        if DID.extract(word) != DEVICE_ID:
            raise DeviceNotFound(
                "not a TMP117",
                expected=DEVICE_ID,
                got=DID.extract(word),
                bus=self.regs.bus_name,
                address=self.regs.address,
                register=REG_DEVICE_ID.address,
            )
        self.revision = REVISION.extract(word)

    def configure(self, *, averages: int = 8, continuous: bool = False) -> None:
        """Set averaging (1, 8, 32, 64) and the conversion mode (one-shot by default: shutdown).

        Raises:
            ConfigError: An averaging count the datasheet does not list.
        """
        if averages not in AVERAGES:
            raise ConfigError("averages must be 1, 8, 32 or 64")
        self.averages = averages
        self.regs.write_fields(
            (AVG, AVERAGES[averages]),
            (CONV, 0),
            (MOD, MODE_CONTINUOUS if continuous else MODE_SHUTDOWN),
        )

    def raw_temperature(self) -> int:
        """The signed temperature register (clears Data_Ready)."""
        return self.regs.read(REG_TEMP)

    def temperature_c(self) -> float:
        """Run a one-shot conversion, wait for Data_Ready, return degrees Celsius.

        Raises:
            BusTimeout: Data_Ready did not set in time.
            DataError: The result still holds the power-on value (-256 degC).
        """
        self.regs.write(MOD, MODE_ONE_SHOT)
        return self.read_ready()

    def read_ready(self) -> float:
        """Wait for Data_Ready (continuous or one-shot mode) and return the result in degC."""
        poll_until(
            lambda: self.regs.read(DATA_READY),
            CONVERSION_TIME_S[self.averages] + self.timeout_s,
            message="TMP117 data not ready",
            bus=self.regs.bus_name,
            address=self.regs.address,
            register=REG_CONFIG.address,
            clock=self._clock,
            sleep=self._sleep,
        )
        raw = self.raw_temperature()
        if raw == POWER_ON_RESULT:
            raise DataError(
                "TMP117 result holds its power-on value",
                reason="no_conversion",
                bus=self.regs.bus_name,
                address=self.regs.address,
                register=REG_TEMP.address,
            )
        return raw_to_celsius(raw)
