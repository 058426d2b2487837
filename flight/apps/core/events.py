"""The core app's events: its own (10 and up) and the executive's (20..29)."""

from flight.core import EXECUTIVE_EVENTS, EventDef, Severity

__all__ = [
    "AUTHENTICATION_OFF",
    "COUNTERS_RESET",
    "EXECUTIVE_EVENTS",
    "NOOP",
    "SCHEDULED_DROPPED",
    "STARTED",
]

NOOP = EventDef(10, "NOOP", Severity.INFO, "NOOP command received")
COUNTERS_RESET = EventDef(11, "COUNTERS_RESET", Severity.INFO, "counters zeroed")
STARTED = EventDef(12, "STARTED", Severity.INFO, "flight software started")
AUTHENTICATION_OFF = EventDef(
    13, "AUTHENTICATION_OFF", Severity.HIGH, "telecommands are accepted without authentication"
)
SCHEDULED_DROPPED = EventDef(
    14,
    "SCHEDULED_DROPPED",
    Severity.MEDIUM,
    "time-tagged commands armed for release when the board stopped were dropped: they may"
    " have run (aux: how many, u16)",
)
