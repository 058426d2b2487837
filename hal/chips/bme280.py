"""Bosch BME280 temperature, pressure and humidity sensor over I2C.

Registers are from the BME280 datasheet (BST-BME280-DS002, section 5.4); the trimming
parameters and the integer compensation formulas (section 4.2 and appendix 8.2) are in
:mod:`hal.chips.bme280_compensation` and re-exported here. The driver measures in forced mode: it
starts one conversion, polls the ``measuring`` status bit against a deadline, then reads the eight
data registers in one burst so the three values come from
the same conversion.

Runs on MicroPython (arbitrary-precision ints are needed for the 64-bit pressure variant; use
``pressure_64bit=False`` on a port without them).
"""

from hal.chips.bme280_compensation import (
    Bme280Calibration,
    compensate_humidity,
    compensate_pressure_int32,
    compensate_pressure_int64,
    compensate_temperature,
)
from hal.deadline import poll_until
from hal.errors import ConfigError, DataError, DeviceNotFound
from hal.regmap import Bits, Register, RegisterMap

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from hal.regmap import I2CBus

__all__ = [
    "CHIP_ID",
    "Bme280",
    "Bme280Calibration",
    "Bme280Reading",
    "compensate_humidity",
    "compensate_pressure_int32",
    "compensate_pressure_int64",
    "compensate_temperature",
]

DEFAULT_ADDRESS = 0x76
CHIP_ID = 0x60
RESET_COMMAND = 0xB6

REG_ID = Register(name="id", address=0xD0, readonly=True)
REG_RESET = Register(name="reset", address=0xE0)
REG_CTRL_HUM = Register(name="ctrl_hum", address=0xF2)
REG_STATUS = Register(name="status", address=0xF3, readonly=True)
REG_CTRL_MEAS = Register(name="ctrl_meas", address=0xF4)
REG_CONFIG = Register(name="config", address=0xF5)

OSRS_H = Bits(name="osrs_h", reg=REG_CTRL_HUM, lsb=0, width=3)
MEASURING = Bits(name="measuring", reg=REG_STATUS, lsb=3)
IM_UPDATE = Bits(name="im_update", reg=REG_STATUS, lsb=0)
OSRS_T = Bits(name="osrs_t", reg=REG_CTRL_MEAS, lsb=5, width=3)
OSRS_P = Bits(name="osrs_p", reg=REG_CTRL_MEAS, lsb=2, width=3)
MODE = Bits(name="mode", reg=REG_CTRL_MEAS, lsb=0, width=2)
T_SB = Bits(name="t_sb", reg=REG_CONFIG, lsb=5, width=3)
FILTER = Bits(name="filter", reg=REG_CONFIG, lsb=2, width=3)

MODE_SLEEP = 0b00
MODE_FORCED = 0b01
MODE_NORMAL = 0b11

CALIB_TP_START = 0x88  # calib00..calib25: dig_T1..dig_P9, then dig_H1 at 0xA1
CALIB_TP_LENGTH = 26
CALIB_H_START = 0xE1  # calib26..calib32: dig_H2..dig_H6
CALIB_H_LENGTH = 7
DATA_START = 0xF7  # press_msb .. hum_lsb
DATA_LENGTH = 8

# Oversampling factor -> register code (datasheet tables 20, 23, 24); 0 skips the measurement.
OVERSAMPLING_CODES = {0: 0b000, 1: 0b001, 2: 0b010, 4: 0b011, 8: 0b100, 16: 0b101}
FILTER_CODES = {0: 0b000, 2: 0b001, 4: 0b010, 8: 0b011, 16: 0b100}

# A skipped measurement reads back as these values (datasheet section 5.4.7 to 5.4.9).
SKIPPED_20BIT = 0x80000
SKIPPED_16BIT = 0x8000

# Operating range (datasheet table 1); a compensated value outside it is a sensor fault.
TEMPERATURE_RANGE_C = (-40.0, 85.0)
PRESSURE_RANGE_PA = (30000.0, 110000.0)

# Maximum measurement time, datasheet appendix 9.1, in ms: 1.25 + 2.3 * osrs_t
# + (2.3 * osrs_p + 0.575) + (2.3 * osrs_h + 0.575); polling gets this plus a margin.
_T_BASE_MS = 1.25
_T_PER_SAMPLE_MS = 2.3
_T_CHANNEL_MS = 0.575
_STARTUP_TIMEOUT_S = 0.01


class Bme280Reading:
    """One compensated measurement; a value is None when its channel was skipped.

    Attributes:
        temperature_c: Degrees Celsius, 0.01 resolution.
        pressure_pa: Pascal.
        humidity_pct: Percent relative humidity.
    """

    def __init__(
        self, *, temperature_c: float, pressure_pa: float | None, humidity_pct: float | None
    ) -> None:
        self.temperature_c = temperature_c
        self.pressure_pa = pressure_pa
        self.humidity_pct = humidity_pct

    def __repr__(self) -> str:
        return (
            f"Bme280Reading(temperature_c={self.temperature_c}, "
            f"pressure_pa={self.pressure_pa}, humidity_pct={self.humidity_pct})"
        )


class Bme280:
    """BME280 driver: probe, soft reset, trimming readout, forced-mode measurement.

    Args:
        bus: I2C bus.
        address: 0x76 (SDO to GND) or 0x77.
        timeout_s: Extra time allowed beyond the datasheet's maximum measurement time.
        pressure_64bit: Use the 64-bit pressure formula (default) or the 32-bit one.
        clock: Monotonic clock for deadlines (see hal.deadline); a simulation passes its own.
        sleep: Sleep function used between polls; a simulation passes one that moves its clock.

    Raises:
        DeviceNotFound: The chip-ID register does not read 0x60.
    """

    def __init__(
        self,
        bus: "I2CBus",
        *,
        address: int = DEFAULT_ADDRESS,
        timeout_s: float = 0.05,
        pressure_64bit: bool = True,
        clock: "Callable[[], float] | None" = None,
        sleep: "Callable[[float], object] | None" = None,
    ) -> None:
        self.regs = RegisterMap(bus, address=address)
        self._clock = clock
        self._sleep = sleep
        self.timeout_s = timeout_s
        self.pressure_64bit = pressure_64bit
        self.oversampling = {"t": 1, "p": 1, "h": 1}
        self.probe()
        self.reset()
        self.calibration = Bme280Calibration.from_registers(
            self.regs.read_block(CALIB_TP_START, CALIB_TP_LENGTH),
            self.regs.read_block(CALIB_H_START, CALIB_H_LENGTH),
        )
        self.configure()

    def probe(self) -> None:
        """Check the chip ID.

        Raises:
            DeviceNotFound: With ``expected=0x60`` and the ID read.
        """
        got = self.regs.read(REG_ID)
        if got != CHIP_ID:
            raise DeviceNotFound(
                "not a BME280",
                expected=CHIP_ID,
                got=got,
                bus=self.regs.bus_name,
                address=self.regs.address,
                register=REG_ID.address,
            )

    def reset(self) -> None:
        """Soft reset, then wait until the trimming data has been copied from NVM."""
        self.regs.write(REG_RESET, RESET_COMMAND)
        poll_until(
            lambda: self.regs.read(IM_UPDATE) == 0,
            _STARTUP_TIMEOUT_S + self.timeout_s,
            message="BME280 NVM copy did not finish",
            bus=self.regs.bus_name,
            address=self.regs.address,
            register=REG_STATUS.address,
            clock=self._clock,
            sleep=self._sleep,
        )

    def configure(
        self, *, temperature_os: int = 1, pressure_os: int = 1, humidity_os: int = 1, iir: int = 0
    ) -> None:
        """Set oversampling (0 = skip, 1, 2, 4, 8, 16) and the IIR filter coefficient.

        Raises:
            ConfigError: A value not in the datasheet's list; temperature cannot be skipped
                because pressure and humidity compensation need it.
        """
        for value in (temperature_os, pressure_os, humidity_os):
            if value not in OVERSAMPLING_CODES:
                raise ConfigError("oversampling must be one of 0, 1, 2, 4, 8, 16")
        if temperature_os == 0:
            raise ConfigError("temperature cannot be skipped: compensation needs t_fine")
        if iir not in FILTER_CODES:
            raise ConfigError("IIR coefficient must be one of 0, 2, 4, 8, 16")
        # ctrl_hum takes effect only after the following write to ctrl_meas (datasheet 5.4.3).
        self.regs.write(OSRS_H, OVERSAMPLING_CODES[humidity_os])
        self.regs.write(FILTER, FILTER_CODES[iir])
        self.regs.write_fields(
            (OSRS_T, OVERSAMPLING_CODES[temperature_os]),
            (OSRS_P, OVERSAMPLING_CODES[pressure_os]),
            (MODE, MODE_SLEEP),
        )
        self.oversampling = {"t": temperature_os, "p": pressure_os, "h": humidity_os}

    def max_measurement_time_s(self) -> float:
        """Return the datasheet's maximum measurement time for the current oversampling."""
        ms = _T_BASE_MS + _T_PER_SAMPLE_MS * self.oversampling["t"]
        for channel in ("p", "h"):
            if self.oversampling[channel]:
                ms += _T_PER_SAMPLE_MS * self.oversampling[channel] + _T_CHANNEL_MS
        return ms / 1000.0

    def read_raw(self) -> "tuple[int, int, int]":
        """Run one forced-mode conversion; return ``(raw_temperature, raw_pressure, raw_humidity)``.

        Raises:
            BusTimeout: The measuring bit stayed set past the deadline.
        """
        self.regs.write(MODE, MODE_FORCED)
        poll_until(
            lambda: self.regs.read(MEASURING) == 0,
            self.max_measurement_time_s() + self.timeout_s,
            message="BME280 conversion did not finish",
            bus=self.regs.bus_name,
            address=self.regs.address,
            register=REG_STATUS.address,
            clock=self._clock,
            sleep=self._sleep,
        )
        data = self.regs.read_block(DATA_START, DATA_LENGTH)
        raw_pressure = (data[0] << 12) | (data[1] << 4) | (data[2] >> 4)
        raw_temperature = (data[3] << 12) | (data[4] << 4) | (data[5] >> 4)
        raw_humidity = (data[6] << 8) | data[7]
        return raw_temperature, raw_pressure, raw_humidity

    def measure(self) -> Bme280Reading:
        """Run one conversion and return compensated values.

        Raises:
            DataError: A configured channel reads the "skipped" value, or a compensated value
                is outside the sensor's operating range.
            BusTimeout: The conversion did not finish in time.
        """
        raw_t, raw_p, raw_h = self.read_raw()
        if raw_t == SKIPPED_20BIT:
            raise self._data_error("temperature not measured", "skipped")
        centi_c, t_fine = compensate_temperature(self.calibration, raw_t)
        temperature_c = centi_c / 100.0
        if not TEMPERATURE_RANGE_C[0] <= temperature_c <= TEMPERATURE_RANGE_C[1]:
            raise self._data_error(f"temperature {temperature_c} C out of range", "range")
        pressure_pa = None
        if self.oversampling["p"]:
            if raw_p == SKIPPED_20BIT:
                raise self._data_error("pressure not measured", "skipped")
            if self.pressure_64bit:
                pressure_pa = compensate_pressure_int64(self.calibration, raw_p, t_fine) / 256.0
            else:
                pressure_pa = float(compensate_pressure_int32(self.calibration, raw_p, t_fine))
            if not PRESSURE_RANGE_PA[0] <= pressure_pa <= PRESSURE_RANGE_PA[1]:
                raise self._data_error(f"pressure {pressure_pa} Pa out of range", "range")
        humidity_pct = None
        if self.oversampling["h"]:
            if raw_h == SKIPPED_16BIT:
                raise self._data_error("humidity not measured", "skipped")
            humidity_pct = compensate_humidity(self.calibration, raw_h, t_fine) / 1024.0
        return Bme280Reading(
            temperature_c=temperature_c, pressure_pa=pressure_pa, humidity_pct=humidity_pct
        )

    def _data_error(self, message: str, reason: str) -> DataError:
        return DataError(
            message,
            reason=reason,
            bus=self.regs.bus_name,
            address=self.regs.address,
            register=DATA_START,
        )
