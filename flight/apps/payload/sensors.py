"""The payload's sensors: drivers opened on demand, readings in SI units, failure bookkeeping.

Every read goes through `Sensor.read`, which turns a HAL error into a counted failure and
declares the sensor failed after `persistence` consecutive ones, so a single NACK on a noisy
bus costs one sample while a chip that is gone takes the payload to SAFE. Only the HAL's
typed errors are caught: anything else is a bug and is left to the executive's containment.

The detector front end on the MCP3008: channel 0 is the peak-hold output of the charge
amplifier (pulse height, read `PULSES_PER_SAMPLE` times per cycle into the spectrum),
channel 1 a ratemeter (`RATEMETER_CPS_PER_V`), channel 2 a RADFET dosimeter behind a gain
stage (`RADFET_ZERO_V` at zero dose, `RADFET_V_PER_GY`).
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, IntEnum
from typing import TYPE_CHECKING, Generic, TypeVar

from flight.apps.payload.product import Spectrum
from hal.chips.fram import PersistentCounter
from hal.chips.gnss import NavPvt, NmeaGga
from hal.errors import BusTimeout, DataError, DeviceNotFound, HalError, NackError

if TYPE_CHECKING:
    # The other drivers load when the payload first opens them (`hal.chips` imports lazily).
    from hal.chips import Bme280, Fram, Ina219, Lsm6dsox, Mcp3008, Tmp117

__all__ = [
    "BOOTS_OFFSET",
    "PRODUCTS_OFFSET",
    "PULSES_PER_SAMPLE",
    "RADFET_V_PER_GY",
    "RADFET_ZERO_V",
    "RATEMETER_CPS_PER_V",
    "Counters",
    "ErrorKind",
    "GnssFix",
    "Outcome",
    "Readings",
    "Sensor",
    "SensorId",
    "error_kind",
    "fix_from",
    "forget_readings",
    "read_bme280",
    "read_detector",
    "read_ina219",
    "read_lsm6dsox",
    "read_tmp117",
]

T = TypeVar("T")

PULSES_PER_SAMPLE = 16
RATEMETER_CPS_PER_V = 1000.0
RADFET_ZERO_V = 0.5
RADFET_V_PER_GY = 0.01
CHANNEL_PULSE, CHANNEL_RATE, CHANNEL_DOSE = 0, 1, 2
BOOTS_OFFSET, PRODUCTS_OFFSET = 0, 32  # FRAM addresses of the two A/B counters


class SensorId(IntEnum):
    """Sensor numbers: bit positions in `sensors_ok` and the first octet of sensor events."""

    BME280 = 0
    TMP117 = 1
    INA219 = 2
    LSM6DSOX = 3
    MCP3008 = 4
    GNSS = 5
    FRAM = 6


class Outcome(Enum):
    """What one `Sensor.read` came to."""

    OK = "ok"
    ERROR = "error"  # failed, but not often enough in a row to declare the sensor failed
    FAILED = "failed"  # this read declared the sensor failed
    SKIPPED = "skipped"  # the sensor is failed and not read until re-probed


class ErrorKind(IntEnum):
    """What the HAL reported (the second octet of `SENSOR_FAILED`)."""

    NACK = 1
    TIMEOUT = 2
    NOT_FOUND = 3
    DATA = 4
    OTHER = 5


def error_kind(exc: HalError) -> ErrorKind:
    """Classify a HAL error for telemetry."""
    if isinstance(exc, NackError):
        return ErrorKind.NACK
    if isinstance(exc, BusTimeout):
        return ErrorKind.TIMEOUT
    if isinstance(exc, DeviceNotFound):
        return ErrorKind.NOT_FOUND
    if isinstance(exc, DataError):
        return ErrorKind.DATA
    return ErrorKind.OTHER


@dataclass
class Readings:
    """The latest value of everything the payload measures (NaN until first read)."""

    air_temperature_c: float = math.nan
    pressure_pa: float = math.nan
    humidity_pct: float = math.nan
    detector_temperature_c: float = math.nan
    rail_voltage_v: float = math.nan
    rail_current_a: float = math.nan
    rate_x_rad_s: float = math.nan
    rate_y_rad_s: float = math.nan
    rate_z_rad_s: float = math.nan
    count_rate_cps: float = math.nan
    dose_gy: float = math.nan


@dataclass(frozen=True)
class GnssFix:
    """A valid position fix."""

    latitude_deg: float
    longitude_deg: float
    altitude_m: float


def fix_from(message: object) -> GnssFix | None:
    """The fix a GGA or NAV-PVT message carries, or None (other message, or no fix)."""
    if not isinstance(message, NmeaGga | NavPvt) or not message.valid:
        return None
    if message.lat_deg is None or message.lon_deg is None:
        return None
    return GnssFix(message.lat_deg, message.lon_deg, message.alt_m or 0.0)


class Sensor(Generic[T]):
    """One device: its driver (opened, and so probed, on first use) and its failure record.

    Args:
        ident: which sensor.
        opener: opens the driver; raises a HAL error when the chip does not answer.
        critical: whether its failure takes the payload to SAFE.
    """

    def __init__(self, ident: SensorId, opener: Callable[[], T], *, critical: bool) -> None:
        self.ident = ident
        self.critical = critical
        self._opener = opener
        self.driver: T | None = None
        self.errors = 0
        self.consecutive = 0
        self.failed = False
        self.last_error: HalError | None = None

    def read(self, use: Callable[[T], None], persistence: int) -> Outcome:
        """Run `use(driver)`, opening (and so probing) the driver first if needed.

        Args:
            use: reads the driver and keeps the values.
            persistence: consecutive errors that declare the sensor failed.
        """
        if self.failed:
            return Outcome.SKIPPED
        try:
            if self.driver is None:
                self.driver = self._opener()
            use(self.driver)
        except HalError as exc:
            self.errors += 1
            self.consecutive += 1
            self.last_error = exc
            if self.consecutive >= persistence:
                self.failed = True
                self.driver = None  # probed from scratch when the ground clears SAFE
                return Outcome.FAILED
            return Outcome.ERROR
        self.consecutive = 0
        return Outcome.OK

    def reprobe(self, use: Callable[[T], None]) -> bool:
        """Open a failed sensor afresh and read it once; True (and healthy again) if it works."""
        self.release()
        self.failed = False
        return self.read(use, persistence=1) is Outcome.OK

    def release(self) -> None:
        """Forget the driver (the rail went off: the chip must be probed again)."""
        self.driver = None
        self.consecutive = 0

    def reset_counters(self) -> None:
        """Zero the error count."""
        self.errors = 0


@dataclass(frozen=True)
class Counters:
    """The payload's persistent counters in FRAM, each an A/B pair that survives torn writes."""

    boots: PersistentCounter
    products: PersistentCounter

    @classmethod
    def open(cls, fram: "Fram") -> "Counters":
        """Load both counters from `fram`."""
        return cls(
            PersistentCounter(fram, offset=BOOTS_OFFSET),
            PersistentCounter(fram, offset=PRODUCTS_OFFSET),
        )


# -- readers: one driver into `Readings`, in SI units -----------------------------------------


def read_bme280(bme: "Bme280", readings: Readings) -> None:
    """Bay air temperature, pressure and humidity."""
    reading = bme.measure()
    readings.air_temperature_c = reading.temperature_c
    readings.pressure_pa = math.nan if reading.pressure_pa is None else reading.pressure_pa
    readings.humidity_pct = math.nan if reading.humidity_pct is None else reading.humidity_pct


def read_tmp117(tmp: "Tmp117", readings: Readings) -> None:
    """Detector temperature, from a one-shot conversion."""
    readings.detector_temperature_c = tmp.temperature_c()


def read_ina219(ina: "Ina219", readings: Readings) -> None:
    """Payload rail voltage and current."""
    reading = ina.read()
    readings.rail_voltage_v = reading.bus_voltage_v
    readings.rail_current_a = reading.current_a


def read_lsm6dsox(imu: "Lsm6dsox", readings: Readings) -> None:
    """Body rates, converted from the driver's deg/s to rad/s."""
    x, y, z = imu.angular_rate_dps()
    readings.rate_x_rad_s = math.radians(x)
    readings.rate_y_rad_s = math.radians(y)
    readings.rate_z_rad_s = math.radians(z)


def read_detector(adc: "Mcp3008", readings: Readings, spectrum: Spectrum | None) -> None:
    """Ratemeter and dosimeter; with a `spectrum`, a burst of pulse heights into it too."""
    rate = adc.volts(CHANNEL_RATE) * RATEMETER_CPS_PER_V
    dose = max(0.0, (adc.volts(CHANNEL_DOSE) - RADFET_ZERO_V) / RADFET_V_PER_GY)
    if spectrum is not None:
        codes = [adc.raw(CHANNEL_PULSE) for _ in range(PULSES_PER_SAMPLE)]
        for code in codes:  # counted only once the whole burst read cleanly
            spectrum.add_pulse(code)
        spectrum.add_sample(rate, dose)
    readings.count_rate_cps = rate
    readings.dose_gy = dose


_FIELDS = {
    SensorId.BME280: ("air_temperature_c", "pressure_pa", "humidity_pct"),
    SensorId.TMP117: ("detector_temperature_c",),
    SensorId.INA219: ("rail_voltage_v", "rail_current_a"),
    SensorId.LSM6DSOX: ("rate_x_rad_s", "rate_y_rad_s", "rate_z_rad_s"),
    SensorId.MCP3008: ("count_rate_cps", "dose_gy"),
}


def forget_readings(readings: Readings, ident: SensorId) -> None:
    """Set the readings of a failed sensor to NaN, so no limit judges a stale value."""
    for name in _FIELDS.get(ident, ()):
        setattr(readings, name, math.nan)
