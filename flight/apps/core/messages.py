"""The core app's commands and its housekeeping: the health of the whole flight process."""

from dataclasses import dataclass

import construct

from flight.core import Arg, Command, housekeeping

__all__ = ["CORE_HK", "Noop", "ResetCounters"]


@dataclass(frozen=True)
class Noop(Command):
    """Do nothing but count and answer with an event."""

    CODE = 0


@dataclass(frozen=True)
class ResetCounters(Command):
    """Zero the core app's command and error counters."""

    CODE = 1


def _u32(name: str, description: str) -> Arg:
    return Arg(name, construct.Int32ub, description=description)


CORE_HK = housekeeping(
    1,
    "CORE_HK",
    _u32("uptime_s", "seconds since the executive started"),
    _u32("tc_received", "telecommand packets delivered by the links"),
    _u32("tc_rejected", "telecommands refused at acceptance (1,2)"),
    _u32("tc_failed", "telecommands failed at start or completion (1,4, 1,8)"),
    _u32("tm_sent", "telemetry packets sent"),
    _u32("bus_dropped", "software bus messages dropped by full pipes"),
    _u32("overruns", "rate group overruns"),
    Arg("apps_failed", construct.Int8ub, description="apps waiting for a restart"),
    Arg("apps_disabled", construct.Int8ub, description="apps disabled after repeated failures"),
    _u32("link_in", "datagrams received on all links"),
    _u32("link_out", "datagrams sent on all links"),
    _u32("link_rejected", "datagrams rejected by the links (not one space packet)"),
    interval=10.0,
)
