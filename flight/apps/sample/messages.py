"""The sample app's commands (one type each) and its housekeeping structure."""

from dataclasses import dataclass

import construct

from flight.core import Arg, Command, housekeeping

__all__ = ["SAMPLE_HK", "Hang", "Noop", "ResetCounters", "SetGain"]


@dataclass(frozen=True)
class Noop(Command):
    """Do nothing but count and answer with an event: the first command to try on a new link."""

    CODE = 0


@dataclass(frozen=True)
class ResetCounters(Command):
    """Zero the command and error counters."""

    CODE = 1


@dataclass(frozen=True)
class SetGain(Command):
    """Set the simulated sensor's gain."""

    CODE = 2
    ARGS = (Arg("gain", construct.Int8ub, 1, 16, "", "sensor gain, 1..16"),)
    gain: int


@dataclass(frozen=True)
class Hang(Command):
    """TEST ONLY: block the flight loop in this handler for `seconds`.

    Exists for exactly one purpose: proving that a hung app stops the watchdog keep-alives
    (tests/flight/apps/test_watchdog.py). The loop, every app and every link stall while it
    runs, as they would behind any handler that blocks; systemd or the hardware watchdog
    then resets the board if `seconds` outlasts their timeouts. Never send it in flight.
    """

    CODE = 0x7F
    ARGS = (Arg("seconds", construct.Int8ub, 1, 30, "s", "how long the handler blocks"),)
    seconds: int


SAMPLE_HK = housekeeping(
    1,
    "SAMPLE_HK",
    Arg("gain", construct.Int8ub, description="current sensor gain"),
    Arg("threshold", construct.Int16ub, description="level above which LEVEL_HIGH fires"),
    Arg("level", construct.Int16ub, description="latest simulated reading"),
    Arg("samples", construct.Int32ub, description="readings taken since start"),
    interval=5.0,
)
