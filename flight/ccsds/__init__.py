"""CCSDS Space Packets carrying ECSS PUS-C, with a C backend and a pure-Python twin.

`backend` says which codec runs ("c" or "python"); `STARLING_CODEC=python` forces the twin.
Both give identical results. Every decoding error is a `CodecError` naming the offending
field and its offset (see `flight.ccsds.errors`).
"""

from flight.ccsds.cuc import EPOCH_AGENCY, EPOCH_CCSDS, CucTime
from flight.ccsds.errors import (
    ChecksumError,
    CodecError,
    CodingError,
    FieldRangeError,
    FramingError,
    HeaderError,
    LengthError,
    TruncatedError,
)
from flight.ccsds.header import IDLE_APID, PacketType, SequenceFlags, SpacePacketHeader
from flight.ccsds.pus import PusTc, PusTm
from flight.ccsds.selection import backend, codec
from flight.ccsds.stream import MAX_PACKET_LENGTH, PacketBatch, Packetizer, split_packets

__all__ = [
    "EPOCH_AGENCY",
    "EPOCH_CCSDS",
    "IDLE_APID",
    "MAX_PACKET_LENGTH",
    "ChecksumError",
    "CodecError",
    "CodingError",
    "CucTime",
    "FieldRangeError",
    "FramingError",
    "HeaderError",
    "LengthError",
    "PacketBatch",
    "PacketType",
    "Packetizer",
    "PusTc",
    "PusTm",
    "SequenceFlags",
    "SpacePacketHeader",
    "TruncatedError",
    "backend",
    "cobs_decode",
    "cobs_encode",
    "crc16",
    "split_packets",
]


def crc16(data: bytes | bytearray | memoryview, crc: int = 0xFFFF) -> int:
    """CRC-16/CCITT-FALSE of `data`, continuing from `crc`.

    >>> hex(crc16(b"123456789"))
    '0x29b1'
    """
    return codec.crc16(data, crc)  # type: ignore[no-any-return]


def cobs_encode(data: bytes | bytearray | memoryview) -> bytes:
    """COBS-encode `data` (no delimiters; the serial link frames it as 00 <cobs> 00).

    >>> cobs_encode(b"\\x11\\x00\\x22").hex()
    '02110222'
    """
    return codec.cobs_encode(data)  # type: ignore[no-any-return]


def cobs_decode(data: bytes | bytearray | memoryview) -> bytes:
    """Decode one COBS frame given without its delimiters; raises `FramingError`."""
    return codec.cobs_decode(data)  # type: ignore[no-any-return]
