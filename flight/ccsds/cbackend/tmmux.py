"""Space packets into TM Transfer Frames and back, in C (csrc/tmmux.c)."""

from typing import Any

from flight.ccsds import pure
from flight.ccsds.cbackend._glue import (
    ARG_ERRORS,
    NULL,
    buffer,
    fail,
    ffi,
    from_buffer,
    lib,
    new,
    new_unzeroed,
    octets,
)

__all__ = ["tm_demux", "tm_mux"]

_MAX_PACKET_LEN = pure.packet.MAX_PACKET_LEN


def tm_mux(  # noqa: PLR0917 - the twin's positional signature
    stream: Any,
    lead: Any,
    scid: Any,
    vcid: Any,
    mc: Any,
    vc: Any,
    frame_length: Any,
    ocf: Any = -1,
    fecf: Any = True,
    flush: Any = False,
) -> Any:
    """Pack whole packets into TM frames (see `flight.ccsds.pure.tmmux.tm_mux`)."""
    args = (stream, lead, scid, vcid, mc, vc, frame_length, ocf, fecf, flush)
    octs = octets(stream)
    if octs is None:
        return pure.tm_mux(*args)
    n = len(stream)
    flags = (1 if fecf else 0, 1 if flush else 0)
    res = new("ccsds_tm_mux_result *")
    try:
        cap = lib.ccsds_tm_mux_capacity(n, frame_length, ocf, flags[0])
        frames = bytearray(cap)
        out = from_buffer("uint8_t[]", frames)
        call = (octs, n, lead, scid, vcid, mc, vc, frame_length, ocf, *flags, out, cap, res)
        status = lib.ccsds_tm_mux(*call, NULL)
    except ARG_ERRORS:
        return pure.tm_mux(*args)
    if status:
        fail(status, lambda err: lib.ccsds_tm_mux(*call, err), pure.tm_mux, *args)
    ffi.release(out)  # the view pins the bytearray's size
    del frames[res.out_len :]
    return frames, res.count, res.consumed, res.lead, res.mc, res.vc


def tm_demux(  # noqa: PLR0917 - the twin's positional signature
    frames: Any,
    frame_length: Any,
    fecf: Any,
    vcid: Any,
    expected_vc: Any = -1,
    carry: Any = b"",
) -> Any:
    """Rebuild one virtual channel's packets (see `flight.ccsds.pure.tmmux.tm_demux`)."""
    args = (frames, frame_length, fecf, vcid, expected_vc, carry)
    octs = octets(frames)
    carried = octets(carry)
    if octs is None or carried is None or len(carry) > pure.tmmux.MAX_CARRY:
        return pure.tm_demux(*args)
    n = len(frames)
    part = len(carry)
    state = new_unzeroed("uint8_t[]", _MAX_PACKET_LEN)
    buffer(state, part)[:] = bytes(carry)
    cap = max(n + part, 1)
    packets = bytearray(cap)
    res = new("ccsds_tm_demux_result *")
    flag = 1 if fecf else 0
    view = from_buffer("uint8_t[]", packets)
    call = (octs, n, frame_length, flag, vcid, expected_vc, state, part, view, cap, res)
    try:
        status = lib.ccsds_tm_demux(*call, NULL)
    except ARG_ERRORS:
        return pure.tm_demux(*args)
    if status:
        fail(status, lambda err: lib.ccsds_tm_demux(*call, err), pure.tm_demux, *args)
    ffi.release(view)  # the view pins the bytearray's size
    del packets[res.out_len :]
    return (
        packets,
        buffer(state, res.carry_len)[:],
        res.expected_vc,
        res.frames,
        res.gaps,
        res.bad,
        res.other,
        res.dropped,
    )
