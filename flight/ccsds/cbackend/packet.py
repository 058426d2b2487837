"""Primary header, CRC, stream splitting and packetizing in C (csrc/packet.c, csrc/crc.c)."""

from typing import Any

from flight.ccsds import pure
from flight.ccsds.cbackend._glue import (
    ARG_ERRORS,
    NULL,
    buffer,
    error,
    fail,
    from_buffer,
    lib,
    new,
    new_unzeroed,
    octets,
    output_bytearray,
    raw,
)
from flight.ccsds.errors import CodecError

__all__ = ["crc16", "crc16_bytes", "pack_header", "packetize", "split", "unpack_header"]

_MAX_PACKET_LEN = pure.packet.MAX_PACKET_LEN


def crc16(data: Any, crc: Any = 0xFFFF) -> Any:
    """Return the CRC-16/CCITT-FALSE of `data`, continuing from `crc`."""
    # the API checks one packet per call with this: spare the common case a second call
    if type(data) is bytes and type(crc) is int and 0 <= crc <= 0xFFFF:
        return lib.ccsds_crc16(data, len(data), crc)
    octs = raw(data)
    if octs is None or type(crc) is not int or not 0 <= crc <= 0xFFFF:
        return pure.crc16(data, crc)
    return lib.ccsds_crc16(octs, len(octs), crc)


# The C function itself, for a caller that holds a `bytes` and passes its length: the PUS
# values' hot path, where crc16's checks would cost half as much as the packet's CRC.
crc16_bytes = lib.ccsds_crc16


def pack_header(  # noqa: PLR0917 - the twin's positional signature
    ptype: Any, sec_hdr: Any, apid: Any, seq_flags: Any, seq_count: Any, data_length: Any
) -> Any:
    """Return the 6-octet primary header; `data_length` is the field value (octets - 1)."""
    args = (ptype, sec_hdr, apid, seq_flags, seq_count, data_length)
    out = new("uint8_t[6]")
    try:
        status = lib.ccsds_pack_header(*args, out, NULL)
    except ARG_ERRORS:
        return pure.pack_header(*args)
    if status:
        fail(status, lambda err: lib.ccsds_pack_header(*args, out, err), pure.pack_header, *args)
    return buffer(out)[:]


def unpack_header(data: Any, offset: Any = 0) -> Any:
    """Return (version, type, sec_hdr, apid, seq_flags, seq_count, data_length) at `offset`."""
    octs = octets(data)
    if octs is None or type(offset) is not int or not 0 <= offset <= len(data):
        return pure.unpack_header(data, offset)
    n = len(data)
    out = new("ccsds_header *")
    try:
        status = lib.ccsds_unpack_header(octs, n, offset, out, NULL)
    except ARG_ERRORS:
        return pure.unpack_header(data, offset)
    if status:
        fail(
            status,
            lambda err: lib.ccsds_unpack_header(octs, n, offset, out, err),
            pure.unpack_header,
            data,
            offset,
        )
    return (0, out.type, out.sec_hdr, out.apid, out.seq_flags, out.seq_count, out.data_length)


def split(buf: Any, max_length: Any = _MAX_PACKET_LEN, check_crc: Any = False) -> Any:
    """Walk a byte stream and locate every complete packet in it, in one C call.

    Returns:
        (count, consumed, skipped, offsets, lengths, apids, seq_counts), the last four as
        memoryviews of type "I", "I", "H", "H" over arrays C filled.
    """
    octs = octets(buf)
    if octs is None or type(max_length) is not int:
        return pure.split(buf, max_length, check_crc)
    n = len(buf)
    crc = 1 if check_crc else 0
    # room for the worst case (all minimum-size packets) in two blocks, one per item size;
    # only the first `count` entries of each array are written and shown, and the pages past
    # them are never touched
    capacity = lib.ccsds_split_capacity(n, crc)
    words = new_unzeroed("uint32_t[]", 2 * capacity)  # offsets, then lengths
    halves = new_unzeroed("uint16_t[]", 2 * capacity)  # apids, then sequence counts
    arrays = new(
        "ccsds_split_arrays *",
        (words, words + capacity, halves, halves + capacity, capacity),
    )
    res = new("ccsds_split_result *")
    try:
        status = lib.ccsds_split(octs, n, max_length, crc, arrays, res, NULL)
    except ARG_ERRORS:
        return pure.split(buf, max_length, check_crc)
    if status:
        fail(
            status,
            lambda err: lib.ccsds_split(octs, n, max_length, crc, arrays, res, err),
            pure.split,
            buf,
            max_length,
            check_crc,
        )
    count = res.count
    word_view = memoryview(buffer(words)).cast("I")
    half_view = memoryview(buffer(halves)).cast("H")
    return (
        count,
        res.consumed,
        res.skipped,
        word_view[:count],
        word_view[capacity : capacity + count],
        half_view[:count],
        half_view[capacity : capacity + count],
    )


def packetize(  # noqa: PLR0917 - the twin's positional signature
    payload: Any, apid: Any, seq_count: Any, chunk: Any, ptype: Any = 0, crc: Any = True
) -> Any:
    """Cut `payload` into packets of at most `chunk` data octets each, in one C call.

    Returns:
        (stream bytes, the sequence count that follows the last packet).
    """
    args = (payload, apid, seq_count, chunk, ptype, crc)
    octs = octets(payload)
    if octs is None:
        return pure.packetize(*args)
    n = len(payload)
    flag = 1 if crc else 0
    size = new("size_t *")
    try:
        status = lib.ccsds_packetize_size(n, apid, seq_count, chunk, ptype, flag, size, NULL)
    except ARG_ERRORS:
        return pure.packetize(*args)
    if status:
        fail(
            status,
            lambda err: lib.ccsds_packetize_size(n, apid, seq_count, chunk, ptype, flag, size, err),
            pure.packetize,
            *args,
        )
    cap = size[0]
    if cap == 0:
        return bytearray(), seq_count  # no packets: the twin hands the count back untouched
    # C fills the caller's stream in place, saving a copy of many MiB out of a scratch buffer,
    # and writes every octet of it, so the stream skips bytearray's zero fill
    stream = output_bytearray(cap)
    following = new("uint16_t *")
    err = new("ccsds_error *")
    status = lib.ccsds_packetize(
        octs, n, apid, seq_count, chunk, ptype, flag, from_buffer("uint8_t[]", stream), cap,
        size, following, err,
    )  # fmt: skip
    if status:
        raise error(status, err)
    if size[0] != cap:  # never: C sized the stream; no unwritten octet may reach the caller
        raise CodecError(f"packetize wrote {size[0]} of {cap} octets", "output")
    return stream, following[0]
