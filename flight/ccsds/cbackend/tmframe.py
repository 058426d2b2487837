"""TM Transfer Frames and ASM synchronisation in C (csrc/tmframe.c)."""

from typing import Any

from flight.ccsds import pure
from flight.ccsds.cbackend._glue import (
    ARG_ERRORS,
    NULL,
    buffer,
    fail,
    lib,
    new,
    new_unzeroed,
    octets,
)

__all__ = ["tm_frame_pack", "tm_frame_unpack", "tm_sync"]

_MAX = pure.tmframe.TM_MAX_FRAME_LEN


def tm_frame_pack(  # noqa: PLR0917 - the twin's positional signature
    scid: Any,
    vcid: Any,
    mc: Any,
    vc: Any,
    fhp: Any,
    data: Any,
    ocf: Any = -1,
    fecf: Any = True,
) -> Any:
    """Return a TM Transfer Frame (see `flight.ccsds.pure.tmframe.tm_frame_pack`)."""
    args = (scid, vcid, mc, vc, fhp, data, ocf, fecf)
    octs = octets(data)
    if octs is None:
        return pure.tm_frame_pack(*args)
    n = len(data)
    flag = 1 if fecf else 0
    out = new_unzeroed("uint8_t[]", _MAX)
    size = new("size_t *")
    head = (scid, vcid, mc, vc, fhp)
    try:
        status = lib.ccsds_tm_frame_pack(*head, octs, n, ocf, flag, out, _MAX, size, NULL)
    except ARG_ERRORS:
        return pure.tm_frame_pack(*args)
    if status:
        fail(
            status,
            lambda err: lib.ccsds_tm_frame_pack(*head, octs, n, ocf, flag, out, _MAX, size, err),
            pure.tm_frame_pack,
            *args,
        )
    return buffer(out, size[0])[:]


def tm_frame_unpack(data: Any, fecf: Any = True) -> Any:
    """Decode one TM Transfer Frame (see `flight.ccsds.pure.tmframe.tm_frame_unpack`)."""
    octs = octets(data)
    if octs is None:
        return pure.tm_frame_unpack(data, fecf)
    n = len(data)
    flag = 1 if fecf else 0
    out = new("ccsds_tm_frame *")
    status = lib.ccsds_tm_frame_unpack(octs, n, flag, out, NULL)
    if status:
        fail(
            status,
            lambda err: lib.ccsds_tm_frame_unpack(octs, n, flag, out, err),
            pure.tm_frame_unpack,
            data,
            fecf,
        )
    return (
        out.scid,
        out.vcid,
        out.mc,
        out.vc,
        out.fhp,
        out.data_offset,
        out.data_length,
        out.ocf,
    )


def tm_sync(buf: Any, frame_length: Any, check_fecf: Any = False) -> Any:
    """Find ASM-framed TM frames in a byte stream, in one C call.

    Returns:
        (count, consumed, skipped, offsets), `offsets` a memoryview "I" over an array C
        filled.
    """
    octs = octets(buf)
    if octs is None or type(frame_length) is not int:
        return pure.tm_sync(buf, frame_length, check_fecf)
    n = len(buf)
    flag = 1 if check_fecf else 0
    capacity = lib.ccsds_tm_sync_capacity(n)
    offsets = new_unzeroed("uint32_t[]", capacity)
    res = new("ccsds_split_result *")
    try:
        status = lib.ccsds_tm_sync(octs, n, frame_length, flag, offsets, capacity, res, NULL)
    except ARG_ERRORS:
        return pure.tm_sync(buf, frame_length, check_fecf)
    if status:
        fail(
            status,
            lambda err: lib.ccsds_tm_sync(octs, n, frame_length, flag, offsets, capacity, res, err),
            pure.tm_sync,
            buf,
            frame_length,
            check_fecf,
        )
    count = res.count
    return count, res.consumed, res.skipped, memoryview(buffer(offsets)).cast("I")[:count]
