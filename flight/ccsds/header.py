"""The Space Packet primary header (CCSDS 133.0-B-2) as an immutable value."""

from dataclasses import dataclass
from enum import IntEnum
from typing import Self

from flight.ccsds.selection import codec

__all__ = ["IDLE_APID", "PacketType", "SequenceFlags", "SpacePacketHeader"]

IDLE_APID = 0x7FF


class PacketType(IntEnum):
    """Packet type bit: telemetry (0) or telecommand (1)."""

    TM = 0
    TC = 1


class SequenceFlags(IntEnum):
    """Segmentation of user data across packets."""

    CONTINUATION = 0b00
    FIRST = 0b01
    LAST = 0b10
    UNSEGMENTED = 0b11


@dataclass(frozen=True)
class SpacePacketHeader:
    """The 6-octet primary header.

    `data_length` is the packet data length field: octets in the data field minus one.

    >>> SpacePacketHeader(PacketType.TC, apid=100, seq_count=5, data_length=6).pack().hex()
    '1064c0050006'
    """

    packet_type: PacketType
    apid: int
    seq_count: int = 0
    data_length: int = 0
    sec_header_flag: bool = False
    seq_flags: SequenceFlags = SequenceFlags.UNSEGMENTED

    def __post_init__(self) -> None:
        self.pack()  # range-checks every field; raises FieldRangeError

    @property
    def packet_length(self) -> int:
        """Total octets of the packet this header starts."""
        return self.data_length + 7

    @property
    def is_idle(self) -> bool:
        """True for idle packets (APID 2047), which carry no user data."""
        return self.apid == IDLE_APID

    def pack(self) -> bytes:
        """Return the 6 header octets."""
        return codec.pack_header(  # type: ignore[no-any-return]
            int(self.packet_type),
            int(self.sec_header_flag),
            self.apid,
            int(self.seq_flags),
            self.seq_count,
            self.data_length,
        )

    @classmethod
    def unpack(cls, data: bytes | bytearray | memoryview) -> Self:
        """Read the header at the start of `data` (the rest of `data` is not examined)."""
        _, ptype, sec, apid, flags, count, length = codec.unpack_header(data, 0)
        return cls(PacketType(ptype), apid, count, length, bool(sec), SequenceFlags(flags))
