"""The health app's events; the numbers are stable (10 and up: 1..9 belong to the base app).

Aux data is big-endian; limit numbers are those of `limits.LIMITS`.
"""

from flight.core import EventDef, Severity

__all__ = [
    "ALL",
    "COUNTERS_RESET",
    "LIMIT_EXCEEDED",
    "LIMIT_RECOVERED",
    "NOOP",
    "READ_FAILED",
    "READ_RECOVERED",
    "THROTTLING",
    "THROTTLING_ENDED",
]

NOOP = EventDef(10, "NOOP", Severity.INFO, "NOOP command received")
COUNTERS_RESET = EventDef(11, "COUNTERS_RESET", Severity.INFO, "counters zeroed")
LIMIT_EXCEEDED = EventDef(
    12, "LIMIT_EXCEEDED", Severity.MEDIUM, "aux: limit (u8), measured value (f32)"
)
LIMIT_RECOVERED = EventDef(
    13,
    "LIMIT_RECOVERED",
    Severity.INFO,
    "back inside by the hysteresis; aux: limit (u8), value (f32)",
)
THROTTLING = EventDef(
    14,
    "THROTTLING",
    Severity.HIGH,
    "under-voltage, frequency capping, throttling or the soft temperature limit is active; "
    "aux: get_throttled word (u32)",
)
THROTTLING_ENDED = EventDef(
    15, "THROTTLING_ENDED", Severity.INFO, "none of them is active any more; aux: word (u32)"
)
READ_FAILED = EventDef(16, "READ_FAILED", Severity.LOW, "board health could not be read")
READ_RECOVERED = EventDef(17, "READ_RECOVERED", Severity.INFO, "board health readable again")

ALL = (
    NOOP,
    COUNTERS_RESET,
    LIMIT_EXCEEDED,
    LIMIT_RECOVERED,
    THROTTLING,
    THROTTLING_ENDED,
    READ_FAILED,
    READ_RECOVERED,
)
