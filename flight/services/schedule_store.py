"""The time-based schedule's contents and their power-safe record.

An `Activity` is one telecommand packet with its release time in 2^-16 s units since the
CCSDS epoch (integers, so ordering and storage are exact). The record holds the release
function's switch and every activity, each marked whether it was armed (cleared for release
without another store write, see `TimeBasedSchedule`):

    flags u8 | count u16 | count x (release u64 | armed u8 | length u16 | packet)

Flags: bit 0 the release function's switch, bit 1 set (entries carry `armed`). A record
written before arming existed has bit 1 clear and entries without the `armed` octet; it
reads as nothing armed.

`decode_schedule` never trusts the record beyond its CRC-checked framing: an activity whose
packet no longer decodes as a telecommand is dropped (and logged), never released.
"""

import logging
import struct
from dataclasses import dataclass

from flight.ccsds import CodecError, PusTc
from flight.services.verification import request_id

__all__ = ["Activity", "StoredSchedule", "decode_schedule", "encode_schedule"]

log = logging.getLogger(__name__)

_HEAD = struct.Struct(">BH")
_ENABLED = 0x01
_ARMED_ENTRIES = 0x02
_ENTRY = struct.Struct(">QBH")
_ENTRY_UNARMED = struct.Struct(">QH")  # records written before arming


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


@dataclass(frozen=True, slots=True)
class StoredSchedule:
    """What a schedule record holds.

    Attributes:
        enabled: the release function's switch.
        waiting: the activities not armed, in release order.
        armed: the activities armed when the record was written, in release order.
    """

    enabled: bool
    waiting: list[Activity]
    armed: list[Activity]


def encode_schedule(enabled: bool, activities: list[Activity], armed_through: int = -1) -> bytes:
    """The record of a schedule; activities released by `armed_through` are marked armed."""
    parts = [_HEAD.pack(_ARMED_ENTRIES | (_ENABLED if enabled else 0), len(activities))]
    for activity in activities:
        armed = activity.release <= armed_through
        parts.extend((_ENTRY.pack(activity.release, armed, len(activity.packet)), activity.packet))
    return b"".join(parts)


def decode_schedule(payload: bytes) -> StoredSchedule:
    """The schedule a record holds; damage ends the list early."""
    if len(payload) < _HEAD.size:
        return StoredSchedule(True, [], [])
    flags, count = _HEAD.unpack_from(payload)
    entry = _ENTRY if flags & _ARMED_ENTRIES else _ENTRY_UNARMED
    offset = _HEAD.size
    waiting: list[Activity] = []
    armed: list[Activity] = []
    for _ in range(count):
        if offset + entry.size > len(payload):
            log.error("schedule record ends inside an entry header; %d kept", len(waiting))
            break
        release, *marked, length = entry.unpack_from(payload, offset)
        offset += entry.size
        packet = payload[offset : offset + length]
        offset += length
        if len(packet) != length:
            log.error("schedule record ends inside a packet; %d kept", len(waiting))
            break
        try:
            PusTc.unpack(packet)
        except CodecError as exc:
            log.warning("stored activity dropped, its packet does not decode: %s", exc)
            continue
        (armed if any(marked) else waiting).append(Activity(release, packet))
    waiting.sort(key=lambda activity: activity.release)
    armed.sort(key=lambda activity: activity.release)
    return StoredSchedule(bool(flags & _ENABLED), waiting, armed)
