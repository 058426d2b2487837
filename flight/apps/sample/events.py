"""The sample app's events; the numbers are stable (10 and up: 1..9 belong to the base app)."""

from flight.core import EventDef, Severity

__all__ = ["COUNTERS_RESET", "GAIN_SET", "LEVEL_HIGH", "NOOP"]

NOOP = EventDef(10, "NOOP", Severity.INFO, "NOOP command received")
COUNTERS_RESET = EventDef(11, "COUNTERS_RESET", Severity.INFO, "counters zeroed")
GAIN_SET = EventDef(12, "GAIN_SET", Severity.INFO, "gain changed; aux = new gain (u8)")
LEVEL_HIGH = EventDef(13, "LEVEL_HIGH", Severity.LOW, "level rose above threshold; aux = level")
