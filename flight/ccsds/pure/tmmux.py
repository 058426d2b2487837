"""Space packets into fixed-length TM Transfer Frames and back (CCSDS 132.0-B-3, 4.1.4).

`tm_mux` packs a stream of whole packets into frames of one virtual channel, letting
packets span frame boundaries and setting each frame's first header pointer. Between calls
the caller keeps the unconsumed tail of the stream and `lead`, how many of its first octets
continue a packet already begun. With `flush` the last frame is completed with an idle
packet (APID 0x7FF), and with nothing pending at all one idle frame (first header pointer
0x7FE) goes out, so a downlink always has a frame to send.

`tm_demux` rebuilds the packets of one virtual channel from frames. The partial packet at
the end of a call is handed back as `carry` for the next. A jump in the virtual channel
frame count means frames were lost: the partial packet is dropped and decoding resumes at
the next first header pointer. Frames of other virtual channels are counted and passed
over, frames that fail their checks are counted as bad, idle packets are dropped.
"""

from flight.ccsds.errors import (
    CodecError,
    FieldRangeError,
    HeaderError,
    LengthError,
    TruncatedError,
)
from flight.ccsds.pure.tmframe import (
    IDLE,
    NO_PACKET,
    OCF_LEN,
    TM_HEADER_LEN,
    TM_MAX_FRAME_LEN,
    tm_frame_pack,
    tm_frame_unpack,
)

IDLE_APID = 0x7FF
IDLE_OCTET = 0x55
PACKET_HEADER_LEN = 6
MIN_DATA_FIELD = 7  # room for the smallest idle packet
MAX_CARRY = 65541  # a partial packet is at most one octet short of the largest


def _check(name: str, value: int, low: int, high: int) -> None:
    if value < low or value > high:
        raise FieldRangeError(name, low, high, value)


def _packet_len(data: bytes | bytearray | memoryview, pos: int) -> int:
    return ((data[pos + 4] << 8) | data[pos + 5]) + PACKET_HEADER_LEN + 1


def idle_packet(length: int) -> bytes:
    """Return an idle packet (APID 0x7FF, data octets 0x55) of `length` >= 7 octets."""
    size = length - PACKET_HEADER_LEN - 1
    header = bytes((0x07, 0xFF, 0xC0, 0x00, size >> 8, size & 0xFF))
    return header + bytes((IDLE_OCTET,)) * (length - PACKET_HEADER_LEN)


def tm_mux(
    stream: bytes | bytearray | memoryview,
    lead: int,
    scid: int,
    vcid: int,
    mc: int,
    vc: int,
    frame_length: int,
    ocf: int = -1,
    fecf: bool = True,
    flush: bool = False,
) -> tuple[bytearray, int, int, int, int, int]:
    """Pack `stream` (`lead` continuation octets, then whole packets) into TM frames.

    Returns:
        (frames, count, consumed, lead, mc, vc): the frames back to back, how many, the
        stream octets they hold, the new `lead` for stream[consumed:], and the frame
        counts that follow the last frame.

    Raises:
        FieldRangeError: a field out of range, `lead` outside the stream, or a frame length
            without room for the header, trailer and a 7-octet data field.
        TruncatedError, HeaderError: the stream does not hold whole version-0 packets.
    """
    _check("spacecraft_id", scid, 0, 0x3FF)
    _check("virtual_channel_id", vcid, 0, 7)
    _check("master_channel_frame_count", mc, 0, 0xFF)
    _check("virtual_channel_frame_count", vc, 0, 0xFF)
    _check("ocf", ocf, -1, 0xFFFFFFFF)
    trailer = (OCF_LEN if ocf >= 0 else 0) + (2 if fecf else 0)
    _check("frame_length", frame_length, TM_HEADER_LEN + trailer + MIN_DATA_FIELD, TM_MAX_FRAME_LEN)
    n = len(stream)
    _check("lead", lead, 0, n)
    pos = lead
    while pos < n:
        if n - pos < PACKET_HEADER_LEN:
            raise TruncatedError("primary_header", pos, PACKET_HEADER_LEN, n - pos)
        if stream[pos] >> 5:
            raise HeaderError("version", pos, 0, stream[pos] >> 5)
        total = _packet_len(stream, pos)
        if total > n - pos:
            raise TruncatedError("packet", pos, total, n - pos)
        pos += total
    dfs = frame_length - TM_HEADER_LEN - trailer
    view = memoryview(stream)
    out = bytearray()
    count = 0
    pos = 0
    start = lead  # the next packet start at or after pos; n when none is left
    while n - pos >= dfs:
        fhp = start - pos if start < pos + dfs else NO_PACKET
        out += tm_frame_pack(scid, vcid, mc, vc, fhp, view[pos : pos + dfs], ocf, fecf)
        count += 1
        mc = (mc + 1) & 0xFF
        vc = (vc + 1) & 0xFF
        pos += dfs
        while start < pos:
            start += _packet_len(stream, start)
    if not flush:
        return out, count, pos, start - pos, mc, vc
    rest = n - pos
    if rest or count == 0:
        if rest == 0:
            chunks = [(IDLE, bytes((IDLE_OCTET,)) * dfs)]
        else:
            room = dfs - rest
            filler = idle_packet(room if room >= MIN_DATA_FIELD else room + dfs)
            fhp = start - pos if start < n else rest
            chunks = [(fhp, bytes(view[pos:]) + filler[:room])]
            if room < MIN_DATA_FIELD:
                chunks.append((NO_PACKET, filler[room:]))
        for fhp, data in chunks:
            out += tm_frame_pack(scid, vcid, mc, vc, fhp, data, ocf, fecf)
            count += 1
            mc = (mc + 1) & 0xFF
            vc = (vc + 1) & 0xFF
    return out, count, n, 0, mc, vc


def tm_demux(
    frames: bytes | bytearray | memoryview,
    frame_length: int,
    fecf: bool,
    vcid: int,
    expected_vc: int = -1,
    carry: bytes | bytearray | memoryview = b"",
) -> tuple[bytearray, bytes, int, int, int, int, int, int]:
    """Rebuild the packets of virtual channel `vcid` from frames laid back to back.

    Args:
        frames: whole frames of `frame_length` octets each, without ASMs.
        frame_length: the physical channel's frame length.
        fecf: the frames carry a frame error control field.
        vcid: the virtual channel to decode.
        expected_vc: the virtual channel frame count expected next, or -1 when unknown.
        carry: the partial packet the previous call returned.

    Returns:
        (packets, carry, expected_vc, frames, gaps, bad, other, dropped): the complete
        packets back to back (idle packets left out), the new partial packet, the frame
        count expected next, and counters: frames of `vcid` decoded, frame count gaps, frames
        that failed their checks, frames of other virtual channels, octets dropped.
    """
    _check("frame_length", frame_length, TM_HEADER_LEN + 1 + (2 if fecf else 0), TM_MAX_FRAME_LEN)
    _check("virtual_channel_id", vcid, 0, 7)
    _check("expected_vc", expected_vc, -1, 0xFF)
    n = len(frames)
    if n % frame_length:
        raise LengthError("frames", 0, "a multiple of %d" % frame_length, n)
    if len(carry) > MAX_CARRY:
        raise LengthError("carry", -1, "<= %d" % MAX_CARRY, len(carry))
    view = memoryview(frames)
    out = bytearray()
    part = bytearray(carry)
    decoded = gaps = bad = other = dropped = 0
    for at in range(0, n, frame_length):
        frame = view[at : at + frame_length]
        try:
            fields = tm_frame_unpack(frame, fecf)
        except CodecError:
            bad += 1
            continue
        if fields[1] != vcid:
            other += 1
            continue
        decoded += 1
        count, fhp, offset, size = fields[3], fields[4], fields[5], fields[6]
        if expected_vc >= 0 and count != expected_vc:
            gaps += 1
            dropped += len(part)
            part = bytearray()
        expected_vc = (count + 1) & 0xFF
        data = frame[offset : offset + size]
        if fhp == IDLE:
            dropped += len(part)
            part = bytearray()
            continue
        end = size if fhp == NO_PACKET else fhp
        used = 0
        if part:
            used, done = _continue(part, data, end)
            if done:
                if _packet_apid(part) != IDLE_APID:
                    out += part
                part = bytearray()
            elif used < 0:
                dropped += len(part)
                part = bytearray()
                used = 0
        if fhp == NO_PACKET:
            dropped += size - used if not part else 0
            continue
        if part:  # the packet must end where the first header pointer says the next begins
            dropped += len(part)
            part = bytearray()
        dropped += fhp - used
        pos = fhp
        while pos < size:
            left = size - pos
            if left < PACKET_HEADER_LEN:
                part = bytearray(data[pos:])
                break
            if data[pos] >> 5:
                dropped += left
                break
            total = _packet_len(data, pos)
            if total > left:
                part = bytearray(data[pos:])
                break
            if _packet_apid(data[pos : pos + 2]) != IDLE_APID:
                out += data[pos : pos + total]
            pos += total
    return out, bytes(part), expected_vc, decoded, gaps, bad, other, dropped


def _packet_apid(data: bytes | bytearray | memoryview) -> int:
    return ((data[0] & 0x07) << 8) | data[1]


def _continue(part: bytearray, data: bytes | bytearray | memoryview, end: int) -> tuple[int, bool]:
    """Extend the partial packet `part` from data[:end].

    Returns:
        (used, done): octets taken, and whether the packet is complete; used is -1 when
        the partial packet proves malformed (version not 0) and must be dropped.
    """
    used = 0
    if len(part) < PACKET_HEADER_LEN:
        take = min(PACKET_HEADER_LEN - len(part), end)
        part += data[:take]
        used = take
        if len(part) < PACKET_HEADER_LEN:
            return used, False
    if part[0] >> 5:
        return -1, False
    need = _packet_len(part, 0) - len(part)
    take = min(need, end - used)
    part += data[used : used + take]
    used += take
    return used, take == need
