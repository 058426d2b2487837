"""TC Transfer Frames (CCSDS 232.0-B-4) and the CLCW of COP-1 (232.1-B-2).

TC primary header (5 octets, big-endian):
    version:2 | bypass_flag:1 | control_command_flag:1 | spare:2 | spacecraft_id:10
    virtual_channel_id:6 | frame_length:10   (octets in the frame minus one)
    frame_sequence_number:8
then an optional segment header (sequence_flags:2 | map_id:6, never on control commands),
the data field, and an optional frame error control field (CRC-16/CCITT-FALSE, the PEC's CRC).

Control command frames (bypass 1, control 1) carry Unlock (``00``) or Set V(R)
(``82 00 V(R)``), the two commands FARM-1 obeys, which unpacking recognises; any other data
field (a sealed command, on a mission that authenticates them) is the FARM's to judge.

CLCW (4 octets): type:1 (0) | version:2 (0) | status:3 | cop_in_effect:2 | vcid:6 | spare:2 |
no_rf_available:1 | no_bit_lock:1 | lockout:1 | wait:1 | retransmit:1 | farm_b_counter:2 |
spare:1 | report_value:8.
"""

from flight.ccsds.errors import (
    ChecksumError,
    FieldRangeError,
    HeaderError,
    LengthError,
    TruncatedError,
)
from flight.ccsds.pure.crc import crc16

TC_HEADER_LEN = 5
TC_MAX_FRAME_LEN = 1024
CLCW_LEN = 4
UNLOCK = 0
SET_VR = 1


def _check(name: str, value: int, high: int) -> None:
    if value < 0 or value > high:
        raise FieldRangeError(name, 0, high, value)


def tc_frame_pack(
    bypass: int,
    control: int,
    scid: int,
    vcid: int,
    seq: int,
    segment: int,
    data: bytes | bytearray | memoryview,
    fecf: bool = True,
) -> bytes:
    """Return a TC Transfer Frame.

    Args:
        bypass: 1 for a Type-B frame (bypasses FARM acceptance checks), 0 for Type-A.
        control: 1 for a control command frame (needs `bypass` 1 and no segment header).
        scid: spacecraft identifier, 10 bits.
        vcid: virtual channel identifier, 6 bits.
        seq: frame sequence number N(S), 8 bits.
        segment: the segment header octet (sequence_flags << 6 | map_id), or -1 for none.
        data: the data field (packets, a segment, or a control command).
        fecf: append the frame error control field.

    Raises:
        FieldRangeError: a field out of range, or an impossible flag combination.
        LengthError: the frame would be empty or longer than 1024 octets.
    """
    _check("bypass_flag", bypass, 1)
    _check("control_command_flag", control, 1)
    _check("spacecraft_id", scid, 0x3FF)
    _check("virtual_channel_id", vcid, 0x3F)
    _check("frame_sequence_number", seq, 0xFF)
    if segment < -1 or segment > 0xFF:
        raise FieldRangeError("segment_header", -1, 0xFF, segment)
    if control and not bypass:
        raise FieldRangeError("bypass_flag", 1, 1, bypass)
    if control and segment != -1:
        raise FieldRangeError("segment_header", -1, -1, segment)
    trailer = 2 if fecf else 0
    low = TC_HEADER_LEN + (1 if segment >= 0 else 0) + 1 + trailer
    total = low - 1 + len(data)
    if total < low or total > TC_MAX_FRAME_LEN:
        raise LengthError("frame_length", -1, str(low) + ".." + str(TC_MAX_FRAME_LEN), total)
    word = (vcid << 10) | (total - 1)
    out = bytearray(
        (
            (bypass << 5) | (control << 4) | (scid >> 8),
            scid & 0xFF,
            word >> 8,
            word & 0xFF,
            seq,
        )
    )
    if segment >= 0:
        out.append(segment)
    out += bytes(data)
    if fecf:
        value = crc16(out)
        out.append(value >> 8)
        out.append(value & 0xFF)
    return bytes(out)


def tc_frame_unpack(
    data: bytes | bytearray | memoryview, fecf: bool = True, segmented: bool = False
) -> tuple[int, int, int, int, int, int, int, int, int, int, int]:
    """Decode the TC Transfer Frame at the start of `data`.

    Octets after the frame (a CLTU's fill) are allowed; the frame's own length is returned.

    Args:
        data: the frame, possibly followed by fill.
        fecf: the frame carries a frame error control field (a managed parameter).
        segmented: the virtual channel uses segment headers (a managed parameter); control
            command frames never carry one.

    Returns:
        (bypass, control, scid, vcid, frame_length, seq, segment, data_offset, data_length,
        command, set_vr): `frame_length` is the frame's size in octets, `segment` the segment
        header octet or -1, `command` 0 for Unlock, 1 for Set V(R), -1 on a data frame, and
        `set_vr` the Set V(R) value or -1.

    Raises:
        TruncatedError: `data` ends before the header or the frame does.
        HeaderError: version or spare bits not 0, a control flag without the bypass flag, or
            a control command other than Unlock or Set V(R).
        LengthError: the frame length field is too small for the header and trailer.
        ChecksumError: the FECF does not match (field ``"frame_error_control"``).
    """
    n = len(data)
    if n < TC_HEADER_LEN:
        raise TruncatedError("primary_header", 0, TC_HEADER_LEN, n)
    b0 = data[0]
    if b0 >> 6 != 0:
        raise HeaderError("version", 0, 0, b0 >> 6)
    if (b0 >> 2) & 3 != 0:
        raise HeaderError("spare", 0, 0, (b0 >> 2) & 3)
    bypass = (b0 >> 5) & 1
    control = (b0 >> 4) & 1
    if control and not bypass:
        raise HeaderError("control_command_flag", 0, "0 when bypass_flag is 0", 1)
    trailer = 2 if fecf else 0
    has_segment = 1 if segmented and not control else 0
    length = (((data[2] & 3) << 8) | data[3]) + 1
    low = TC_HEADER_LEN + has_segment + 1 + trailer
    if length < low:
        raise LengthError("frame_length", 2, str(low) + ".." + str(TC_MAX_FRAME_LEN), length)
    if length > n:
        raise TruncatedError("frame", 0, length, n)
    if fecf:
        computed = crc16(memoryview(data)[: length - 2])
        stored = (data[length - 2] << 8) | data[length - 1]
        if computed != stored:
            raise ChecksumError(length - 2, computed, stored, "frame_error_control")
    segment = data[TC_HEADER_LEN] if has_segment else -1
    offset = TC_HEADER_LEN + has_segment
    size = length - offset - trailer
    command = -1
    set_vr = -1
    # A control frame's data field is the FARM's to judge: it may hold a sealed command
    # (SDLS) rather than a bare one. The two bare commands are recognised here.
    if control and size == 1 and data[offset] == 0x00:
        command = UNLOCK
    elif control and size == 3 and data[offset] == 0x82 and data[offset + 1] == 0x00:
        command = SET_VR
        set_vr = data[offset + 2]
    return (
        bypass,
        control,
        ((b0 & 3) << 8) | data[1],
        data[2] >> 2,
        length,
        data[4],
        segment,
        offset,
        size,
        command,
        set_vr,
    )


def clcw_pack(
    status: int,
    cop: int,
    vcid: int,
    no_rf: int,
    no_bitlock: int,
    lockout: int,
    wait: int,
    retransmit: int,
    farm_b: int,
    report: int,
) -> bytes:
    """Return the 4-octet CLCW (type 0, version 0, spare bits 0)."""
    _check("status_field", status, 7)
    _check("cop_in_effect", cop, 3)
    _check("virtual_channel_id", vcid, 0x3F)
    _check("no_rf_available", no_rf, 1)
    _check("no_bit_lock", no_bitlock, 1)
    _check("lockout", lockout, 1)
    _check("wait", wait, 1)
    _check("retransmit", retransmit, 1)
    _check("farm_b_counter", farm_b, 3)
    _check("report_value", report, 0xFF)
    flags = (no_rf << 7) | (no_bitlock << 6) | (lockout << 5) | (wait << 4) | (retransmit << 3)
    return bytes(((status << 2) | cop, vcid << 2, flags | (farm_b << 1), report))


def clcw_unpack(
    data: bytes | bytearray | memoryview, offset: int = 0
) -> tuple[int, int, int, int, int, int, int, int, int, int]:
    """Decode the CLCW at `offset` (spare bits are ignored, as 232.1-B lets receivers do).

    Returns:
        (status, cop, vcid, no_rf, no_bitlock, lockout, wait, retransmit, farm_b, report)

    Raises:
        TruncatedError: fewer than 4 octets from `offset`.
        HeaderError: the control word type or the CLCW version number is not 0.
    """
    if offset < 0:
        raise FieldRangeError("offset", 0, len(data), offset)
    available = len(data) - offset
    if available < CLCW_LEN:
        raise TruncatedError("clcw", offset, CLCW_LEN, max(available, 0))
    b0 = data[offset]
    if b0 >> 7:
        raise HeaderError("control_word_type", offset, 0, 1)
    if (b0 >> 5) & 3:
        raise HeaderError("clcw_version", offset, 0, (b0 >> 5) & 3)
    b2 = data[offset + 2]
    return (
        (b0 >> 2) & 7,
        b0 & 3,
        data[offset + 1] >> 2,
        b2 >> 7,
        (b2 >> 6) & 1,
        (b2 >> 5) & 1,
        (b2 >> 4) & 1,
        (b2 >> 3) & 1,
        (b2 >> 1) & 3,
        data[offset + 3],
    )
