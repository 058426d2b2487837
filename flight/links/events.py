"""The link layer's events, reported on the core app's APID (IDs 30..39, declared by it).

One event per reason a telecommand is refused before it reaches the router; the aux data
says what arrived: the claimed SPI (u16) and sequence number (u32) where the unit was long
enough to carry them, otherwise its length (u16).
"""

from flight.core.declarations import EventDef, Severity

__all__ = [
    "AUTH_BAD_MAC",
    "AUTH_NOT_DURABLE",
    "AUTH_REPLAY",
    "AUTH_TRUNCATED",
    "AUTH_UNKNOWN_SPI",
    "AUTH_UNSECURED",
    "LINK_EVENTS",
    "REJECTION_EVENTS",
]

AUTH_TRUNCATED = EventDef(
    30, "AUTH_TRUNCATED", Severity.MEDIUM, "telecommand too short for its security header and MAC"
)
AUTH_UNSECURED = EventDef(
    31, "AUTH_UNSECURED", Severity.MEDIUM, "telecommand without a security header refused"
)
AUTH_UNKNOWN_SPI = EventDef(
    32, "AUTH_UNKNOWN_SPI", Severity.MEDIUM, "telecommand names a key ID (SPI) with no key"
)
AUTH_BAD_MAC = EventDef(
    33, "AUTH_BAD_MAC", Severity.HIGH, "telecommand failed authentication (MAC mismatch)"
)
AUTH_REPLAY = EventDef(
    34, "AUTH_REPLAY", Severity.HIGH, "telecommand sequence number replayed or below the window"
)
AUTH_NOT_DURABLE = EventDef(
    35,
    "AUTH_NOT_DURABLE",
    Severity.HIGH,
    "anti-replay state could not be stored durably; the telecommand was not executed",
)

REJECTION_EVENTS = (
    AUTH_TRUNCATED,
    AUTH_UNSECURED,
    AUTH_UNKNOWN_SPI,
    AUTH_BAD_MAC,
    AUTH_REPLAY,
    AUTH_NOT_DURABLE,
)
LINK_EVENTS = REJECTION_EVENTS
