"""The core app's commands and its housekeeping: the health of the whole flight process."""

from dataclasses import dataclass

import construct

from flight.core import Arg, Command, housekeeping

__all__ = ["CORE_HK", "LINK_HK", "Noop", "ResetCounters"]


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
    _u32("link_rejected", "units refused by the links: framing or authentication"),
    interval=10.0,
)


LINK_HK = housekeeping(
    2,
    "LINK_HK",
    _u32("bytes_in", "octets received on all links"),
    _u32("bytes_out", "octets sent on all links"),
    _u32("packets_in", "units received on all links (datagrams, frames), good or bad"),
    _u32("packets_out", "packets sent on all links"),
    _u32("framing_rejected", "units refused by the framing (length, COBS, junk)"),
    _u32("overflows", "frames over the length bound and packets dropped on full queues"),
    _u32("send_errors", "sends refused by the operating system"),
    _u32("no_peer", "packets with nobody to send to (no peer, client or device)"),
    _u32("disconnects", "serial devices lost and TCP connections dropped"),
    _u32("reconnects", "serial devices reopened"),
    Arg("links_down", construct.Int8ub, description="links with no device or peer now"),
    Arg("authentication", construct.Int8ub, 0, 1, description="1: telecommands authenticated"),
    _u32("auth_accepted", "telecommands authenticated and passed on"),
    _u32("auth_truncated", "refused: too short for the security header and MAC"),
    _u32("auth_unsecured", "refused: no security header (plain telecommand)"),
    _u32("auth_unknown_spi", "refused: no key with the named SPI"),
    _u32("auth_bad_mac", "refused: MAC mismatch"),
    _u32("auth_replayed", "refused: sequence number seen or below the window"),
    _u32("auth_not_durable", "refused: anti-replay state could not be stored"),
    _u32("auth_events_suppressed", "refusal events held back by the rate limit"),
    _u32("auth_highest_sn", "highest accepted sequence number (over all keys)"),
    interval=10.0,
    enabled=False,  # on request (3,27) or once enabled (3,5); CORE_HK carries the totals
)
