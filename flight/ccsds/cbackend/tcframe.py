"""TC Transfer Frames and the CLCW in C (csrc/tcframe.c)."""

from typing import Any

from flight.ccsds import pure
from flight.ccsds.cbackend._glue import ARG_ERRORS, NULL, buffer, fail, lib, new, octets

__all__ = ["clcw_pack", "clcw_unpack", "tc_frame_pack", "tc_frame_unpack"]

_MAX = pure.tcframe.TC_MAX_FRAME_LEN


def tc_frame_pack(  # noqa: PLR0917 - the twin's positional signature
    bypass: Any,
    control: Any,
    scid: Any,
    vcid: Any,
    seq: Any,
    segment: Any,
    data: Any,
    fecf: Any = True,
) -> Any:
    """Return a TC Transfer Frame (see `flight.ccsds.pure.tcframe.tc_frame_pack`)."""
    args = (bypass, control, scid, vcid, seq, segment, data, fecf)
    octs = octets(data)
    if octs is None:
        return pure.tc_frame_pack(*args)
    n = len(data)
    flag = 1 if fecf else 0
    out = new("uint8_t[]", _MAX)
    size = new("size_t *")
    head = (bypass, control, scid, vcid, seq, segment)
    try:
        status = lib.ccsds_tc_frame_pack(*head, octs, n, flag, out, _MAX, size, NULL)
    except ARG_ERRORS:
        return pure.tc_frame_pack(*args)
    if status:
        fail(
            status,
            lambda err: lib.ccsds_tc_frame_pack(*head, octs, n, flag, out, _MAX, size, err),
            pure.tc_frame_pack,
            *args,
        )
    return buffer(out, size[0])[:]


def tc_frame_unpack(data: Any, fecf: Any = True, segmented: Any = False) -> Any:
    """Decode the TC Transfer Frame at the start of `data` (see the twin for the tuple)."""
    octs = octets(data)
    if octs is None:
        return pure.tc_frame_unpack(data, fecf, segmented)
    n = len(data)
    flags = (1 if fecf else 0, 1 if segmented else 0)
    out = new("ccsds_tc_frame *")
    status = lib.ccsds_tc_frame_unpack(octs, n, *flags, out, NULL)
    if status:
        fail(
            status,
            lambda err: lib.ccsds_tc_frame_unpack(octs, n, *flags, out, err),
            pure.tc_frame_unpack,
            data,
            fecf,
            segmented,
        )
    return (
        out.bypass,
        out.control,
        out.scid,
        out.vcid,
        out.length,
        out.seq,
        out.segment,
        out.data_offset,
        out.data_length,
        out.command,
        out.set_vr,
    )


def clcw_pack(*fields: Any) -> Any:
    """Return the 4-octet CLCW (see `flight.ccsds.pure.tcframe.clcw_pack`)."""
    if len(fields) != 10:
        return pure.clcw_pack(*fields)
    out = new("uint8_t[4]")
    try:
        status = lib.ccsds_clcw_pack(*fields, out, NULL)
    except ARG_ERRORS:
        return pure.clcw_pack(*fields)
    if status:
        fail(status, lambda err: lib.ccsds_clcw_pack(*fields, out, err), pure.clcw_pack, *fields)
    return buffer(out)[:]


def clcw_unpack(data: Any, offset: Any = 0) -> Any:
    """Decode the CLCW at `offset` (see `flight.ccsds.pure.tcframe.clcw_unpack`)."""
    octs = octets(data)
    if octs is None or type(offset) is not int or not 0 <= offset <= len(data):
        return pure.clcw_unpack(data, offset)
    n = len(data)
    out = new("ccsds_clcw *")
    status = lib.ccsds_clcw_unpack(octs, n, offset, out, NULL)
    if status:
        fail(
            status,
            lambda err: lib.ccsds_clcw_unpack(octs, n, offset, out, err),
            pure.clcw_unpack,
            data,
            offset,
        )
    return (
        out.status,
        out.cop,
        out.vcid,
        out.no_rf,
        out.no_bitlock,
        out.lockout,
        out.wait,
        out.retransmit,
        out.farm_b,
        out.report,
    )
