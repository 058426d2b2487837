"""TM Transfer Frames (CCSDS 132.0-B-3) and ASM synchronisation (131.0-B).

TM primary header (6 octets, big-endian):
    version:2 | spacecraft_id:10 | virtual_channel_id:3 | ocf_flag:1
    master_channel_frame_count:8
    virtual_channel_frame_count:8
    data field status:16 = secondary_header_flag:1 | synchronization_flag:1 |
                           packet_order_flag:1 | segment_length_id:2 | first_header_pointer:11
then the data field (packets, spanning frames), the optional operational control field (4
octets, the CLCW) and the optional frame error control field (CRC-16). Frames have a fixed
length per physical channel, at most 2048 octets. The first header pointer is the offset of
the first packet header in the data field, 0x7FF when no packet starts in the frame and
0x7FE in an idle (only idle data) frame. Starling sends packets only: secondary header,
synchronization and packet order flags 0, segment length identifier 3.

On the wire each frame follows the attached sync marker ``1A CF FC 1D``.
"""

from array import array

from flight.ccsds.errors import (
    ChecksumError,
    FieldRangeError,
    HeaderError,
    LengthError,
    TruncatedError,
)
from flight.ccsds.pure.crc import crc16

TM_HEADER_LEN = 6
TM_MAX_FRAME_LEN = 2048
OCF_LEN = 4
ASM = b"\x1a\xcf\xfc\x1d"
NO_PACKET = 0x7FF
IDLE = 0x7FE
MAX_BUFFER_LEN = 0xFFFFFFFF
FHP_RULE = "below %d, or 0x7FE/0x7FF"


def _check(name: str, value: int, low: int, high: int) -> None:
    if value < low or value > high:
        raise FieldRangeError(name, low, high, value)


def tm_frame_pack(
    scid: int,
    vcid: int,
    mc: int,
    vc: int,
    fhp: int,
    data: bytes | bytearray | memoryview,
    ocf: int = -1,
    fecf: bool = True,
) -> bytes:
    """Return a TM Transfer Frame of 6 + len(data) + 4 (with an OCF) + 2 (with FECF) octets.

    Args:
        scid: spacecraft identifier, 10 bits.
        vcid: virtual channel identifier, 3 bits.
        mc: master channel frame count, 8 bits.
        vc: virtual channel frame count, 8 bits.
        fhp: first header pointer: below len(data), or 0x7FF (no packet starts), 0x7FE (idle).
        data: the data field.
        ocf: the operational control field as a 32-bit value (a CLCW), or -1 for none.
        fecf: append the frame error control field.

    Raises:
        FieldRangeError: a field out of range.
        LengthError: the frame would be empty or longer than 2048 octets, or `fhp` points
            outside the data field.
    """
    _check("spacecraft_id", scid, 0, 0x3FF)
    _check("virtual_channel_id", vcid, 0, 7)
    _check("master_channel_frame_count", mc, 0, 0xFF)
    _check("virtual_channel_frame_count", vc, 0, 0xFF)
    _check("first_header_pointer", fhp, 0, 0x7FF)
    _check("ocf", ocf, -1, 0xFFFFFFFF)
    n = len(data)
    trailer = (OCF_LEN if ocf >= 0 else 0) + (2 if fecf else 0)
    total = TM_HEADER_LEN + n + trailer
    if n < 1 or total > TM_MAX_FRAME_LEN:
        low = TM_HEADER_LEN + 1 + trailer
        raise LengthError("frame_length", -1, str(low) + ".." + str(TM_MAX_FRAME_LEN), total)
    if fhp < IDLE and fhp >= n:
        raise LengthError("first_header_pointer", -1, FHP_RULE % n, fhp)
    word = (scid << 4) | (vcid << 1) | (1 if ocf >= 0 else 0)
    status = 0x1800 | fhp
    out = bytearray((word >> 8, word & 0xFF, mc, vc, status >> 8, status & 0xFF))
    out += bytes(data)
    if ocf >= 0:
        out += bytes((ocf >> 24, (ocf >> 16) & 0xFF, (ocf >> 8) & 0xFF, ocf & 0xFF))
    if fecf:
        value = crc16(out)
        out.append(value >> 8)
        out.append(value & 0xFF)
    return bytes(out)


def tm_frame_unpack(
    data: bytes | bytearray | memoryview, fecf: bool = True
) -> tuple[int, int, int, int, int, int, int, int]:
    """Decode one TM Transfer Frame; `data` is exactly the frame (its length is managed).

    Returns:
        (scid, vcid, mc, vc, fhp, data_offset, data_length, ocf): `ocf` is the 32-bit
        operational control field, or -1 when the OCF flag is 0.

    Raises:
        TruncatedError: shorter than the primary header.
        HeaderError: version not 0, or a data field status other than packets without a
            secondary header (flags 0, segment length identifier 3).
        LengthError: the frame is too short for its trailer or longer than 2048 octets, or
            the first header pointer points past the data field.
        ChecksumError: the FECF does not match (field ``"frame_error_control"``).
    """
    n = len(data)
    if n < TM_HEADER_LEN:
        raise TruncatedError("primary_header", 0, TM_HEADER_LEN, n)
    b0 = data[0]
    if b0 >> 6:
        raise HeaderError("version", 0, 0, b0 >> 6)
    b4 = data[4]
    if b4 >> 7:
        raise HeaderError("secondary_header_flag", 4, 0, 1)
    if (b4 >> 6) & 1:
        raise HeaderError("synchronization_flag", 4, 0, 1)
    if (b4 >> 5) & 1:
        raise HeaderError("packet_order_flag", 4, 0, 1)
    if (b4 >> 3) & 3 != 3:
        raise HeaderError("segment_length_id", 4, 3, (b4 >> 3) & 3)
    has_ocf = data[1] & 1
    trailer = (OCF_LEN if has_ocf else 0) + (2 if fecf else 0)
    size = n - TM_HEADER_LEN - trailer
    if size < 1 or n > TM_MAX_FRAME_LEN:
        low = TM_HEADER_LEN + 1 + trailer
        raise LengthError("frame_length", 0, str(low) + ".." + str(TM_MAX_FRAME_LEN), n)
    if fecf:
        computed = crc16(memoryview(data)[: n - 2])
        stored = (data[n - 2] << 8) | data[n - 1]
        if computed != stored:
            raise ChecksumError(n - 2, computed, stored, "frame_error_control")
    fhp = ((b4 & 7) << 8) | data[5]
    if fhp < IDLE and fhp >= size:
        raise LengthError("first_header_pointer", 4, FHP_RULE % size, fhp)
    ocf = -1
    if has_ocf:
        at = TM_HEADER_LEN + size
        ocf = (data[at] << 24) | (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3]
    return (
        ((b0 & 0x3F) << 4) | (data[1] >> 4),
        (data[1] >> 1) & 7,
        data[2],
        data[3],
        fhp,
        TM_HEADER_LEN,
        size,
        ocf,
    )


def tm_sync(
    buf: bytes | bytearray | memoryview, frame_length: int, check_fecf: bool = False
) -> tuple[int, int, int, array]:  # type: ignore[type-arg]
    """Find ASM-framed TM Transfer Frames of `frame_length` octets in a noisy byte stream.

    A frame is taken where the ASM is followed by a version-0 header and, with
    `check_fecf`, a frame whose CRC-16 checks. Anything else is junk: one octet is skipped
    and counted and the search goes on. A frame that runs past the end is left for the next
    read, as are the last 3 octets when no ASM fits (they may begin one).

    Returns:
        (count, consumed, skipped, offsets): `offsets` an array "I" of frame starts (just
        after each ASM); consumed == skipped + count * (4 + frame_length).
    """
    n = len(buf)
    if n > MAX_BUFFER_LEN:
        raise LengthError("buffer", 0, "<= 4 GiB", n)
    _check("frame_length", frame_length, TM_HEADER_LEN + 1, TM_MAX_FRAME_LEN)
    offsets = array("I")
    view = memoryview(buf)
    span = 4 + frame_length
    pos = 0
    skipped = 0
    while n - pos >= 4:
        if buf[pos] != 0x1A or buf[pos + 1] != 0xCF or buf[pos + 2] != 0xFC or buf[pos + 3] != 0x1D:
            pos += 1
            skipped += 1
            continue
        if n - pos < span:
            break
        if buf[pos + 4] >> 6 or (check_fecf and crc16(view[pos + 4 : pos + span]) != 0):
            pos += 1
            skipped += 1
            continue
        offsets.append(pos + 4)
        pos += span
    return (len(offsets), pos, skipped, offsets)
