"""Space Packet primary header (CCSDS 133.0-B-2), stream splitting and packetizing.

Header layout (6 octets, big-endian):
    version:3 | type:1 | secondary_header_flag:1 | apid:11
    sequence_flags:2 | sequence_count:14
    packet_data_length:16   (octets in the data field minus one)
"""

from array import array

from flight.ccsds.errors import FieldRangeError, HeaderError, LengthError, TruncatedError
from flight.ccsds.pure.crc import crc16

HEADER_LEN = 6
MAX_PACKET_LEN = HEADER_LEN + 65536
MAX_BUFFER_LEN = 0xFFFFFFFF  # offsets are 32-bit


def _check(name: str, value: int, high: int) -> None:
    if value < 0 or value > high:
        raise FieldRangeError(name, 0, high, value)


def pack_header(
    ptype: int, sec_hdr: int, apid: int, seq_flags: int, seq_count: int, data_length: int
) -> bytes:
    """Return the 6-octet primary header; `data_length` is the field value (octets - 1)."""
    _check("packet_type", ptype, 1)
    _check("secondary_header_flag", sec_hdr, 1)
    _check("apid", apid, 0x7FF)
    _check("sequence_flags", seq_flags, 3)
    _check("sequence_count", seq_count, 0x3FFF)
    _check("packet_data_length", data_length, 0xFFFF)
    word0 = (ptype << 12) | (sec_hdr << 11) | apid
    word1 = (seq_flags << 14) | seq_count
    return bytes(
        (word0 >> 8, word0 & 0xFF, word1 >> 8, word1 & 0xFF, data_length >> 8, data_length & 0xFF)
    )


def unpack_header(
    data: bytes | bytearray | memoryview, offset: int = 0
) -> tuple[int, int, int, int, int, int, int]:
    """Return (version, type, sec_hdr, apid, seq_flags, seq_count, data_length) at `offset`.

    Raises:
        TruncatedError: fewer than 6 octets from `offset`.
        HeaderError: the version number is not 0.
    """
    if offset < 0:
        # a negative offset would index from the end of `data`
        raise FieldRangeError("offset", 0, len(data), offset)
    available = len(data) - offset
    if available < HEADER_LEN:
        raise TruncatedError("primary_header", offset, HEADER_LEN, max(available, 0))
    b0 = data[offset]
    version = b0 >> 5
    if version != 0:
        raise HeaderError("version", offset, 0, version)
    return (
        version,
        (b0 >> 4) & 1,
        (b0 >> 3) & 1,
        ((b0 & 0x07) << 8) | data[offset + 1],
        data[offset + 2] >> 6,
        ((data[offset + 2] & 0x3F) << 8) | data[offset + 3],
        (data[offset + 4] << 8) | data[offset + 5],
    )


def split(
    buf: bytes | bytearray | memoryview, max_length: int = MAX_PACKET_LEN, check_crc: bool = False
) -> tuple[int, int, int, array, array, array, array]:  # type: ignore[type-arg]
    """Walk a byte stream and locate every complete packet in it.

    A position is a packet start when its version is 0, its total length is at most
    `max_length` and, with `check_crc`, its last two octets are the CRC-16 of the rest.
    Anything else is junk: one octet is skipped and counted, and the walk resynchronises.
    A packet that runs past the end of `buf` is left for the next read.

    Returns:
        (count, consumed, skipped, offsets, lengths, apids, seq_counts), the last four as
        arrays of type "I", "I", "H", "H".
    """
    n = len(buf)
    if n > MAX_BUFFER_LEN:
        raise LengthError("buffer", 0, "<= 4 GiB", n)
    if max_length < HEADER_LEN + 1 or max_length > MAX_PACKET_LEN:
        raise FieldRangeError("max_length", HEADER_LEN + 1, MAX_PACKET_LEN, max_length)
    offsets = array("I")
    lengths = array("I")
    apids = array("H")
    seq_counts = array("H")
    min_length = HEADER_LEN + 3 if check_crc else HEADER_LEN + 1
    view = memoryview(buf)
    pos = 0
    skipped = 0
    while n - pos >= HEADER_LEN:
        b0 = buf[pos]
        total = ((buf[pos + 4] << 8) | buf[pos + 5]) + HEADER_LEN + 1
        if b0 >> 5 != 0 or total > max_length or total < min_length:
            pos += 1
            skipped += 1
            continue
        if total > n - pos:
            break
        if check_crc and crc16(view[pos : pos + total]) != 0:
            pos += 1
            skipped += 1
            continue
        offsets.append(pos)
        lengths.append(total)
        apids.append(((b0 & 0x07) << 8) | buf[pos + 1])
        seq_counts.append(((buf[pos + 2] & 0x3F) << 8) | buf[pos + 3])
        pos += total
    return (len(offsets), pos, skipped, offsets, lengths, apids, seq_counts)


def packetize(
    payload: bytes | bytearray | memoryview,
    apid: int,
    seq_count: int,
    chunk: int,
    ptype: int = 0,
    crc: bool = True,
) -> tuple[bytearray, int]:
    """Cut `payload` into packets of at most `chunk` data octets each.

    Each packet gets a primary header (no secondary header), segmentation flags (first,
    continuation, last, or unsegmented for a single packet), a sequence count that starts at
    `seq_count` and wraps at 2**14, and with `crc` a CRC-16 trailer over the whole packet.

    Returns:
        (stream bytearray, the sequence count that follows the last packet).
    """
    _check("apid", apid, 0x7FF)
    _check("sequence_count", seq_count, 0x3FFF)
    _check("packet_type", ptype, 1)
    trailer = 2 if crc else 0
    if chunk < 1 or chunk > 65536 - trailer:
        raise FieldRangeError("chunk", 1, 65536 - trailer, chunk)
    n = len(payload)
    out = bytearray()
    pos = 0
    while pos < n:
        size = min(chunk, n - pos)
        if n <= chunk:
            flags = 3
        elif pos == 0:
            flags = 1
        elif pos + size == n:
            flags = 2
        else:
            flags = 0
        start = len(out)
        out += pack_header(ptype, 0, apid, flags, seq_count, size + trailer - 1)
        out += payload[pos : pos + size]
        if crc:
            value = crc16(memoryview(out)[start:])
            out.append(value >> 8)
            out.append(value & 0xFF)
        seq_count = (seq_count + 1) & 0x3FFF
        pos += size
    return out, seq_count
