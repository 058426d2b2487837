"""The payload's events; the numbers are stable (10 and up: 1..9 belong to the base app).

Aux data is big-endian. Sensor numbers are `sensors.SensorId`, limit numbers `limits.LIMITS`.
"""

from flight.core import EventDef, Severity

__all__ = [
    "ALL",
    "BOOTED",
    "COUNTERS_RESET",
    "GNSS_FIX_ACQUIRED",
    "GNSS_FIX_LOST",
    "LIMIT_RECOVERED",
    "LIMIT_VIOLATED",
    "MODE_CHANGED",
    "NOOP",
    "PRODUCT_READY",
    "SENSOR_FAILED",
    "SENSOR_RECOVERED",
]

NOOP = EventDef(10, "NOOP", Severity.INFO, "NOOP command received")
COUNTERS_RESET = EventDef(11, "COUNTERS_RESET", Severity.INFO, "counters zeroed")
MODE_CHANGED = EventDef(
    12, "MODE_CHANGED", Severity.INFO, "aux: old mode (u8), new mode (u8), cause (u8)"
)
SENSOR_FAILED = EventDef(
    13,
    "SENSOR_FAILED",
    Severity.HIGH,
    "a sensor failed repeatedly and is out of use; aux: sensor (u8), HAL error kind (u8)",
)
SENSOR_RECOVERED = EventDef(
    14, "SENSOR_RECOVERED", Severity.INFO, "a failed sensor probed fine again; aux: sensor (u8)"
)
LIMIT_VIOLATED = EventDef(
    15, "LIMIT_VIOLATED", Severity.MEDIUM, "aux: limit (u8), measured value (f32)"
)
LIMIT_RECOVERED = EventDef(
    16, "LIMIT_RECOVERED", Severity.INFO, "aux: limit (u8), measured value (f32)"
)
PRODUCT_READY = EventDef(
    17,
    "PRODUCT_READY",
    Severity.INFO,
    "a science product went down; aux: number (u32), packets (u16)",
)
GNSS_FIX_ACQUIRED = EventDef(18, "GNSS_FIX_ACQUIRED", Severity.INFO, "GNSS position fix valid")
GNSS_FIX_LOST = EventDef(19, "GNSS_FIX_LOST", Severity.LOW, "no valid GNSS fix any more")
BOOTED = EventDef(20, "BOOTED", Severity.INFO, "payload app started; aux: boot count (u32)")

ALL = (
    NOOP,
    COUNTERS_RESET,
    MODE_CHANGED,
    SENSOR_FAILED,
    SENSOR_RECOVERED,
    LIMIT_VIOLATED,
    LIMIT_RECOVERED,
    PRODUCT_READY,
    GNSS_FIX_ACQUIRED,
    GNSS_FIX_LOST,
    BOOTED,
)
