"""Texas Instruments INA219 current, bus-voltage and power monitor over I2C.

From the INA219 datasheet (SBOS448): 16-bit big-endian registers; the calibration register
is programmed by the procedure of section 8.5.1 (Current_LSB from the maximum expected
current, ``Cal = trunc(0.04096 / (Current_LSB * R_shunt))``, Power_LSB = 20 * Current_LSB).

The INA219 has no ID register. The probe sets the reset bit and checks that the
configuration register reads its documented power-on value 0x399F, which nothing else at
these addresses is likely to do.
"""

from hal.deadline import poll_until
from hal.errors import ConfigError, DataError, DeviceNotFound
from hal.regmap import Bits, Register, RegisterMap

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from hal.regmap import I2CBus

__all__ = ["Ina219", "Ina219Reading", "calibration_for"]

DEFAULT_ADDRESS = 0x40
CONFIG_RESET_VALUE = 0x399F

REG_CONFIG = Register(name="configuration", address=0x00, width=2)
REG_SHUNT = Register(name="shunt_voltage", address=0x01, width=2, signed=True, readonly=True)
REG_BUS = Register(name="bus_voltage", address=0x02, width=2, readonly=True)
REG_POWER = Register(name="power", address=0x03, width=2, readonly=True)
REG_CURRENT = Register(name="current", address=0x04, width=2, signed=True, readonly=True)
REG_CALIBRATION = Register(name="calibration", address=0x05, width=2)

RST = Bits(name="RST", reg=REG_CONFIG, lsb=15)
BRNG = Bits(name="BRNG", reg=REG_CONFIG, lsb=13)
PG = Bits(name="PG", reg=REG_CONFIG, lsb=11, width=2)
BADC = Bits(name="BADC", reg=REG_CONFIG, lsb=7, width=4)
SADC = Bits(name="SADC", reg=REG_CONFIG, lsb=3, width=4)
MODE = Bits(name="MODE", reg=REG_CONFIG, lsb=0, width=3)
BUS_DATA = Bits(name="BD", reg=REG_BUS, lsb=3, width=13)
CNVR = Bits(name="CNVR", reg=REG_BUS, lsb=1)
OVF = Bits(name="OVF", reg=REG_BUS, lsb=0)

SHUNT_LSB_V = 10e-6
BUS_LSB_V = 4e-3
CAL_CONSTANT = 0.04096  # datasheet equation 1, fixed by the internal scaling
POWER_LSB_RATIO = 20
CURRENT_REGISTER_MAX = 32768  # 2**15: the current register is signed 16-bit
CAL_MAX = 0xFFFE  # bit 0 is not used
MODE_TRIGGERED_SHUNT_AND_BUS = 0b011
MODE_CONTINUOUS_SHUNT_AND_BUS = 0b111

# Shunt full-scale range by PG code (datasheet table 4): volts.
PGA_RANGES_V = {0: 0.04, 1: 0.08, 2: 0.16, 3: 0.32}
# Conversion time in seconds by BADC/SADC code (datasheet table 5, typical values; the
# 12-bit maximum is 10 % above typical, which the driver's timeout margin covers).
CONVERSION_TIMES_S = {
    0b0000: 84e-6, 0b0001: 148e-6, 0b0010: 276e-6, 0b0011: 532e-6,
    0b1000: 532e-6, 0b1001: 1.06e-3, 0b1010: 2.13e-3, 0b1011: 4.26e-3,
    0b1100: 8.51e-3, 0b1101: 17.02e-3, 0b1110: 34.05e-3, 0b1111: 68.10e-3,
}  # fmt: skip
_LSB_STEPS = (1, 2, 5)


def _round_up_125(value: float) -> float:
    """Smallest number of the form {1, 2, 5} * 10**n that is >= value."""
    decade = 1e-9
    while decade * 10 <= value:
        decade *= 10
    for step in _LSB_STEPS + (10,):  # noqa: RUF005 - MicroPython has no starred displays
        candidate = step * decade
        if candidate >= value * (1 - 1e-9):
            return candidate
    return 10 * decade


def calibration_for(
    *, shunt_ohms: float, max_expected_current_a: float, current_lsb_a: float | None = None
) -> "tuple[int, float]":
    """Apply the datasheet's calibration procedure (section 8.5.1).

    Args:
        shunt_ohms: Shunt resistance.
        max_expected_current_a: Largest current the application expects.
        current_lsb_a: Current register LSB; None picks the minimum LSB
            (max_expected / 2**15) rounded up to a 1-2-5 value, as the datasheet suggests.

    Returns:
        ``(calibration register value, current LSB in amperes)``.

    Raises:
        ConfigError: The values give a calibration outside the register's range.
    """
    if shunt_ohms <= 0 or max_expected_current_a <= 0:
        raise ConfigError("shunt resistance and maximum current must be positive")
    if current_lsb_a is None:
        current_lsb_a = _round_up_125(max_expected_current_a / CURRENT_REGISTER_MAX)
    cal = int(CAL_CONSTANT / (current_lsb_a * shunt_ohms))
    if not 1 <= cal <= CAL_MAX:
        raise ConfigError(f"calibration {cal} outside 1..{CAL_MAX}; choose another current LSB")
    return cal & CAL_MAX, current_lsb_a


class Ina219Reading:
    """One set of results: bus and shunt voltage, current, power, and the overflow flag."""

    def __init__(
        self,
        *,
        bus_voltage_v: float,
        shunt_voltage_v: float,
        current_a: float,
        power_w: float,
        overflow: bool,
    ) -> None:
        self.bus_voltage_v = bus_voltage_v
        self.shunt_voltage_v = shunt_voltage_v
        self.current_a = current_a
        self.power_w = power_w
        self.overflow = overflow

    def __repr__(self) -> str:
        return (
            f"Ina219Reading(bus_voltage_v={self.bus_voltage_v}, current_a={self.current_a}, "
            f"power_w={self.power_w}, overflow={self.overflow})"
        )


class Ina219:
    """INA219 driver.

    Args:
        bus: I2C bus.
        address: 0x40..0x4F (A0/A1 strapping).
        shunt_ohms: Shunt resistance.
        max_expected_current_a: For the calibration procedure.
        current_lsb_a: Optional explicit current LSB.
        timeout_s: Extra time allowed beyond the conversion time.
        clock: Monotonic clock for deadlines; a simulation passes its own.
        sleep: Sleep function used between polls.

    Raises:
        DeviceNotFound: The configuration register does not read 0x399F after reset.
    """

    def __init__(
        self,
        bus: "I2CBus",
        *,
        address: int = DEFAULT_ADDRESS,
        shunt_ohms: float = 0.1,
        max_expected_current_a: float = 2.0,
        current_lsb_a: float | None = None,
        timeout_s: float = 0.05,
        clock: "Callable[[], float] | None" = None,
        sleep: "Callable[[float], object] | None" = None,
    ) -> None:
        self.regs = RegisterMap(bus, address=address)
        self.timeout_s = timeout_s
        self._clock = clock
        self._sleep = sleep
        self.calibration, self.current_lsb_a = calibration_for(
            shunt_ohms=shunt_ohms,
            max_expected_current_a=max_expected_current_a,
            current_lsb_a=current_lsb_a,
        )
        self.power_lsb_w = POWER_LSB_RATIO * self.current_lsb_a
        self.probe()
        self.regs.write(REG_CALIBRATION, self.calibration)

    def probe(self) -> None:
        """Reset the chip and check the configuration register's power-on value.

        Raises:
            DeviceNotFound: With ``expected=0x399F`` and the value read.
        """
        self.regs.write(REG_CONFIG, RST.insert(0, 1))
        got = self.regs.read(REG_CONFIG)
        if got != CONFIG_RESET_VALUE:
            raise DeviceNotFound(
                "not an INA219 (configuration register after reset)",
                expected=CONFIG_RESET_VALUE,
                got=got,
                bus=self.regs.bus_name,
                address=self.regs.address,
                register=REG_CONFIG.address,
            )

    def configure(
        self,
        *,
        bus_range_v: int = 32,
        shunt_range_v: float = 0.32,
        adc_code: int = 0b0011,
        continuous: bool = True,
    ) -> None:
        """Set bus range (16 or 32 V), shunt range (0.04..0.32 V), ADC mode and operating mode.

        Raises:
            ConfigError: A value the datasheet does not list.
        """
        if bus_range_v not in (16, 32):
            raise ConfigError("bus range must be 16 or 32 V")
        pg = None
        for code, range_v in PGA_RANGES_V.items():
            if abs(range_v - shunt_range_v) < 1e-9:
                pg = code
        if pg is None:
            raise ConfigError("shunt range must be 0.04, 0.08, 0.16 or 0.32 V")
        if adc_code not in CONVERSION_TIMES_S:
            raise ConfigError("ADC code not in datasheet table 5")
        word = BRNG.insert(0, 1 if bus_range_v == 32 else 0)
        word = PG.insert(word, pg)
        word = BADC.insert(word, adc_code)
        word = SADC.insert(word, adc_code)
        mode = MODE_CONTINUOUS_SHUNT_AND_BUS if continuous else MODE_TRIGGERED_SHUNT_AND_BUS
        self.regs.write(REG_CONFIG, MODE.insert(word, mode))

    def raw_shunt_voltage(self) -> int:
        """Shunt voltage register, signed, 10 uV per LSB."""
        return self.regs.read(REG_SHUNT)

    def raw_bus_voltage(self) -> int:
        """Whole bus voltage register (data in bits 15:3, CNVR bit 1, OVF bit 0)."""
        return self.regs.read(REG_BUS)

    def shunt_voltage_v(self) -> float:
        """Shunt voltage in volts."""
        return self.raw_shunt_voltage() * SHUNT_LSB_V

    def bus_voltage_v(self) -> float:
        """Bus voltage in volts."""
        return BUS_DATA.extract(self.raw_bus_voltage()) * BUS_LSB_V

    def current_a(self) -> float:
        """Current in amperes from the current register."""
        return self.regs.read(REG_CURRENT) * self.current_lsb_a

    def power_w(self) -> float:
        """Power in watts from the power register (reading it clears CNVR)."""
        return self.regs.read(REG_POWER) * self.power_lsb_w

    def conversion_time_s(self) -> float:
        """Time for one shunt plus one bus conversion at the current ADC settings."""
        config = self.regs.read(REG_CONFIG)
        return CONVERSION_TIMES_S[BADC.extract(config)] + CONVERSION_TIMES_S[SADC.extract(config)]

    def read(self, *, wait: bool = True) -> Ina219Reading:
        """Wait for a fresh conversion (CNVR), then read all results.

        Raises:
            BusTimeout: CNVR stayed clear past the deadline.
            DataError: The math overflow flag is set, so current and power are meaningless.
        """
        if wait:
            bus_word = poll_until(
                self._ready_word,
                self.conversion_time_s() + self.timeout_s,
                message="INA219 conversion not ready",
                bus=self.regs.bus_name,
                address=self.regs.address,
                register=REG_BUS.address,
                clock=self._clock,
                sleep=self._sleep,
            )
        else:
            bus_word = self.raw_bus_voltage()
        if OVF.extract(bus_word):
            raise DataError(
                "INA219 math overflow: current or power out of range",
                reason="overflow",
                bus=self.regs.bus_name,
                address=self.regs.address,
                register=REG_BUS.address,
            )
        shunt = self.shunt_voltage_v()
        current = self.current_a()
        power = self.power_w()
        return Ina219Reading(
            bus_voltage_v=BUS_DATA.extract(bus_word) * BUS_LSB_V,
            shunt_voltage_v=shunt,
            current_a=current,
            power_w=power,
            overflow=False,
        )

    def _ready_word(self) -> int:
        word = self.raw_bus_voltage()
        # Returning the word itself would be falsy for 0 V; flag it with a set high bit.
        return word | (1 << 16) if CNVR.extract(word) else 0
