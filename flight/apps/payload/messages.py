"""The payload's commands (one type each, one per mode transition) and its housekeeping."""

from dataclasses import dataclass

import construct

from flight.core import Arg, Command, housekeeping

__all__ = [
    "COMMANDS",
    "PAYLOAD_HK",
    "EnterSafe",
    "ExitSafe",
    "FlushProduct",
    "Noop",
    "PowerOff",
    "PowerOn",
    "ResetCounters",
    "StartScience",
    "StopScience",
]


@dataclass(frozen=True)
class Noop(Command):
    """Do nothing but count and answer with an event."""

    CODE = 0


@dataclass(frozen=True)
class ResetCounters(Command):
    """Zero the command, error and sensor error counters."""

    CODE = 1


@dataclass(frozen=True)
class PowerOn(Command):
    """OFF -> STANDBY: switch the payload rail on and probe every sensor."""

    CODE = 2


@dataclass(frozen=True)
class PowerOff(Command):
    """STANDBY or SAFE -> OFF: switch the payload rail off."""

    CODE = 3


@dataclass(frozen=True)
class StartScience(Command):
    """STANDBY -> SCIENCE: start accumulating the radiation spectrum."""

    CODE = 4


@dataclass(frozen=True)
class StopScience(Command):
    """SCIENCE -> STANDBY: stop, and downlink the partial product."""

    CODE = 5


@dataclass(frozen=True)
class EnterSafe(Command):
    """STANDBY or SCIENCE -> SAFE: stop science, keep monitoring."""

    CODE = 6


@dataclass(frozen=True)
class ExitSafe(Command):
    """SAFE -> STANDBY: re-probe the failed sensors; refused while one still fails."""

    CODE = 7


@dataclass(frozen=True)
class FlushProduct(Command):
    """In SCIENCE: downlink the spectrum accumulated so far and start a new one."""

    CODE = 8


COMMANDS = (
    Noop,
    ResetCounters,
    PowerOn,
    PowerOff,
    StartScience,
    StopScience,
    EnterSafe,
    ExitSafe,
    FlushProduct,
)


def _f32(name: str, unit: str, description: str) -> Arg:
    return Arg(name, construct.Float32b, unit=unit, description=description)


def _u16(name: str, description: str) -> Arg:
    return Arg(name, construct.Int16ub, description=description)


PAYLOAD_HK = housekeeping(
    1,
    "PAYLOAD_HK",
    Arg("mode", construct.Int8ub, 0, 3, "", "0 OFF, 1 STANDBY, 2 SCIENCE, 3 SAFE"),
    Arg("sensors_ok", construct.Int8ub, description="bit per sensors.SensorId, 1 = ok"),
    Arg("limits_violated", construct.Int8ub, description="bit per limit (limits.LIMITS ident)"),
    _u16("bme280_errors", "failed BME280 reads"),
    _u16("tmp117_errors", "failed TMP117 reads"),
    _u16("ina219_errors", "failed INA219 reads"),
    _u16("lsm6dsox_errors", "failed LSM6DSOX reads"),
    _u16("mcp3008_errors", "failed MCP3008 reads"),
    _u16("gnss_errors", "corrupted GNSS messages"),
    _u16("fram_errors", "failed FRAM accesses"),
    _f32("air_temperature_c", "degC", "payload bay air temperature (BME280)"),
    _f32("pressure_pa", "Pa", "payload bay pressure (BME280)"),
    _f32("humidity_pct", "%", "payload bay relative humidity (BME280)"),
    _f32("detector_temperature_c", "degC", "detector temperature (TMP117)"),
    _f32("rail_voltage_v", "V", "payload rail voltage (INA219)"),
    _f32("rail_current_a", "A", "payload rail current (INA219)"),
    _f32("rate_x_rad_s", "rad/s", "body rate about X (LSM6DSOX)"),
    _f32("rate_y_rad_s", "rad/s", "body rate about Y (LSM6DSOX)"),
    _f32("rate_z_rad_s", "rad/s", "body rate about Z (LSM6DSOX)"),
    _f32("count_rate_cps", "1/s", "detector count rate (MCP3008 channel 1)"),
    _f32("dose_gy", "Gy", "total ionising dose (RADFET, MCP3008 channel 2)"),
    Arg("gnss_fix", construct.Int8ub, 0, 1, "", "1 while the position fix is valid"),
    _f32("latitude_deg", "deg", "last valid GNSS latitude"),
    _f32("longitude_deg", "deg", "last valid GNSS longitude"),
    _f32("altitude_m", "m", "last valid GNSS altitude above mean sea level"),
    Arg("samples", construct.Int32ub, description="sample cycles since start"),
    Arg("products", construct.Int32ub, description="science products made (FRAM, all boots)"),
    Arg("boots", construct.Int32ub, description="payload app boots (FRAM counter)"),
    interval=5.0,
)
