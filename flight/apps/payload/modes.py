"""The payload's modes and the one table of transitions the ground may command.

    command        from               to
    PowerOn        OFF                STANDBY
    PowerOff       STANDBY, SAFE      OFF
    StartScience   STANDBY            SCIENCE
    StopScience    SCIENCE            STANDBY
    EnterSafe      STANDBY, SCIENCE   SAFE
    ExitSafe       SAFE               STANDBY

A command whose (command, current mode) pair is not in `TRANSITIONS` is refused with
`FailureCode.REFUSED` and changes nothing. SAFE is also entered autonomously, from STANDBY or
SCIENCE, when a sensor fails or a safety limit is violated.
"""

from enum import IntEnum

from flight.apps.payload.messages import (
    EnterSafe,
    ExitSafe,
    PowerOff,
    PowerOn,
    StartScience,
    StopScience,
)
from flight.core import Command

__all__ = ["TRANSITIONS", "Cause", "Mode", "next_mode"]


class Mode(IntEnum):
    """Payload modes, as reported in housekeeping and events."""

    OFF = 0
    STANDBY = 1
    SCIENCE = 2
    SAFE = 3


class Cause(IntEnum):
    """Why the mode changed (the third octet of `MODE_CHANGED`'s aux data)."""

    COMMAND = 0
    SENSOR_FAILURE = 1
    LIMIT_VIOLATION = 2


TRANSITIONS: dict[tuple[type[Command], Mode], Mode] = {
    (PowerOn, Mode.OFF): Mode.STANDBY,
    (PowerOff, Mode.STANDBY): Mode.OFF,
    (PowerOff, Mode.SAFE): Mode.OFF,
    (StartScience, Mode.STANDBY): Mode.SCIENCE,
    (StopScience, Mode.SCIENCE): Mode.STANDBY,
    (EnterSafe, Mode.STANDBY): Mode.SAFE,
    (EnterSafe, Mode.SCIENCE): Mode.SAFE,
    (ExitSafe, Mode.SAFE): Mode.STANDBY,
}


def next_mode(command: type[Command], mode: Mode) -> Mode | None:
    """The mode `command` leads to from `mode`, or None when the transition is not allowed.

    >>> next_mode(StartScience, Mode.STANDBY).name, next_mode(StartScience, Mode.OFF)
    ('SCIENCE', None)
    """
    return TRANSITIONS.get((command, mode))
