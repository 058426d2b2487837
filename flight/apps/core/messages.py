"""The core app's commands and its housekeeping: the health of the whole flight process."""

from dataclasses import dataclass

import construct

from flight.core import Arg, Command, housekeeping

__all__ = ["CORE_HK", "FRAME_HK", "LINK_HK", "Noop", "ResetCounters"]


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


def _u8(name: str, description: str) -> Arg:
    return Arg(name, construct.Int8ub, description=description)


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
    _u8(
        "scheduled_dropped",
        "time-tagged commands dropped at start-up: armed for release when the board stopped",
    ),
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


FRAME_HK = housekeeping(
    3,
    "FRAME_HK",
    _u8("framed_links", "links carrying TC/TM transfer frames under COP-1"),
    _u32("frames_in", "TC frames that decoded (CLTU and FECF good)"),
    _u32("frames_bad", "units whose CLTU or frame did not decode (BCH, FECF, header, length)"),
    _u32("frames_foreign", "good frames for another spacecraft or virtual channel"),
    _u32("farm_accepted", "AD frames FARM-1 accepted in sequence"),
    _u32("farm_bypass", "BD frames passed on unchecked"),
    _u32("farm_control", "Unlock and Set V(R) frames applied"),
    _u32("farm_duplicates", "refused: AD frames behind V(R), already accepted"),
    _u32("farm_ahead", "refused: AD frames ahead of V(R), a gap (retransmission asked for)"),
    _u32("farm_lockouts", "refused: AD frames outside both windows, or sent in Lockout"),
    _u32("farm_no_buffer", "refused: AD frames sent in Wait"),
    _u32("not_one_packet", "refused: frame data fields that were not exactly one packet"),
    _u32("frames_out", "TM frames sent, idle frames included"),
    _u32("idle_frames", "TM frames sent for their CLCW only"),
    _u32("strangers_unanswered", "idle-frame answers withheld from non-peers by the rate limit"),
    _u32("unauthenticated", "frames refused by authentication (before FARM-1)"),
    _u8("lockout", "CLCW of the first framed link: 1 while FARM-1 is in Lockout"),
    _u8("wait", "CLCW: 1 while FARM-1 has no buffer (Wait)"),
    _u8("retransmit", "CLCW: 1 while FARM-1 asks for retransmission"),
    _u8("report_value", "CLCW: V(R), the next AD frame sequence number expected"),
    _u8("farm_b_counter", "CLCW: FARM-B counter (BD frames accepted, 2 bits)"),
    interval=10.0,
    enabled=False,  # on request (3,27) or once enabled (3,5); framed missions only
)
