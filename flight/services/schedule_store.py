"""The time-based schedule's contents and their power-safe record.

An `Activity` is one telecommand packet with its release time in 2^-16 s units since the
CCSDS epoch (integers, so ordering and storage are exact). The record holds the release
function's switch and every activity:

    enabled u8 | count u16 | count x (release u64 | length u16 | packet)

`decode_schedule` never trusts the record beyond its CRC-checked framing: an activity whose
packet no longer decodes as a telecommand is dropped (and logged), never released.
"""

import logging
import struct
from dataclasses import dataclass

from flight.ccsds import CodecError, PusTc
from flight.services.verification import request_id

__all__ = ["Activity", "decode_schedule", "encode_schedule"]

log = logging.getLogger(__name__)

_HEAD = struct.Struct(">BH")
_ENTRY = struct.Struct(">QH")


@dataclass(frozen=True, slots=True)
class Activity:
    """A telecommand waiting for its release time.

    Attributes:
        release: release time in 2^-16 s since the CCSDS epoch (mission time).
        packet: the whole telecommand packet, exactly as the ground sent it.
    """

    release: int
    packet: bytes

    @property
    def req_id(self) -> bytes:
        """The embedded telecommand's request ID (the one its own reports carry)."""
        return request_id(self.packet)


def encode_schedule(enabled: bool, activities: list[Activity]) -> bytes:
    """The record of a schedule."""
    parts = [_HEAD.pack(int(enabled), len(activities))]
    for activity in activities:
        parts.extend((_ENTRY.pack(activity.release, len(activity.packet)), activity.packet))
    return b"".join(parts)


def decode_schedule(payload: bytes) -> tuple[bool, list[Activity]]:
    """(enabled, activities in release order) from a record; damage ends the list early."""
    if len(payload) < _HEAD.size:
        return True, []
    enabled, count = _HEAD.unpack_from(payload)
    offset = _HEAD.size
    activities: list[Activity] = []
    for _ in range(count):
        if offset + _ENTRY.size > len(payload):
            log.error("schedule record ends inside an entry header; %d kept", len(activities))
            break
        release, length = _ENTRY.unpack_from(payload, offset)
        offset += _ENTRY.size
        packet = payload[offset : offset + length]
        offset += length
        if len(packet) != length:
            log.error("schedule record ends inside a packet; %d kept", len(activities))
            break
        try:
            PusTc.unpack(packet)
        except CodecError as exc:
            log.warning("stored activity dropped, its packet does not decode: %s", exc)
            continue
        activities.append(Activity(release, packet))
    activities.sort(key=lambda activity: activity.release)
    return bool(enabled), activities
