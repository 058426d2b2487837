"""The health app's commands and its housekeeping structure."""

from dataclasses import dataclass

import construct

from flight.core import Arg, Command, housekeeping

__all__ = ["COMMANDS", "HEALTH_HK", "Noop", "ResetCounters"]


@dataclass(frozen=True)
class Noop(Command):
    """Do nothing but count and answer with an event."""

    CODE = 0


@dataclass(frozen=True)
class ResetCounters(Command):
    """Zero the command, error and read error counters."""

    CODE = 1


COMMANDS = (Noop, ResetCounters)


def _f32(name: str, unit: str, description: str) -> Arg:
    return Arg(name, construct.Float32b, unit=unit, description=description)


def _u64(name: str, description: str) -> Arg:
    return Arg(name, construct.Int64ub, unit="B", description=description)


HEALTH_HK = housekeeping(
    1,
    "HEALTH_HK",
    _f32("soc_temperature_c", "degC", "SoC temperature (NaN: no sensor)"),
    Arg("throttled", construct.Int32ub, description="raw get_throttled word (0: unknown)"),
    Arg(
        "throttle_flags",
        construct.Int8ub,
        description="bits 0-3 now, 4-7 since boot: under-voltage, capped, throttled, soft limit",
    ),
    _f32("load_1m", "", "1-minute load average"),
    _f32("load_5m", "", "5-minute load average"),
    _f32("load_15m", "", "15-minute load average"),
    _f32("cpu_utilisation", "", "busy fraction since the previous sample (NaN: first)"),
    _u64("memory_total", "RAM"),
    _u64("memory_available", "RAM available without swapping"),
    _f32("memory_used", "", "fraction of RAM not available"),
    _u64("storage_total", "data filesystem size"),
    _u64("storage_free", "data filesystem space free for the flight software"),
    _f32("storage_used", "", "fraction of the data filesystem in use"),
    Arg("limits_exceeded", construct.Int8ub, description="bit per limit (limits.LIMITS ident)"),
    Arg("read_errors", construct.Int16ub, description="health readings that failed"),
    Arg("samples", construct.Int32ub, description="health readings taken"),
    interval=5.0,
)
