"""PUS-C telecommand and telemetry packets in C (csrc/pus.c)."""

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

__all__ = ["pus_tc_pack", "pus_tc_unpack", "pus_tm_pack", "pus_tm_unpack"]

_TC_OVERHEAD = 6 + 5 + 2  # primary header, TC secondary header, CRC
_TM_OVERHEAD = 6 + 7 + 2  # primary header, TM secondary header without time, CRC


def pus_tc_pack(  # noqa: PLR0917 - the twin's positional signature
    apid: Any,
    seq_flags: Any,
    seq_count: Any,
    ack_flags: Any,
    service: Any,
    subtype: Any,
    source_id: Any,
    app_data: Any,
) -> Any:
    """Return a complete PUS-C telecommand packet."""
    args = (apid, seq_flags, seq_count, ack_flags, service, subtype, source_id, app_data)
    octs = octets(app_data)
    if octs is None:
        return pure.pus_tc_pack(*args)
    n = len(app_data)
    cap = n + _TC_OVERHEAD
    out = new_unzeroed("uint8_t[]", cap)
    size = new("size_t *")
    head = args[:-1]
    try:
        status = lib.ccsds_pus_tc_pack(*head, octs, n, out, cap, size, NULL)
    except ARG_ERRORS:
        return pure.pus_tc_pack(*args)
    if status:
        fail(
            status,
            lambda err: lib.ccsds_pus_tc_pack(*head, octs, n, out, cap, size, err),
            pure.pus_tc_pack,
            *args,
        )
    return buffer(out, size[0])[:]


def pus_tm_pack(  # noqa: PLR0917 - the twin's positional signature
    apid: Any,
    seq_flags: Any,
    seq_count: Any,
    time_ref: Any,
    service: Any,
    subtype: Any,
    msg_counter: Any,
    dest_id: Any,
    time: Any,
    source_data: Any,
) -> Any:
    """Return a complete PUS-C telemetry packet; `time` is the packed time field."""
    args = (
        apid, seq_flags, seq_count, time_ref, service, subtype, msg_counter, dest_id, time,
        source_data,
    )  # fmt: skip
    octs_time = octets(time)
    octs_data = octets(source_data)
    if octs_time is None or octs_data is None:
        return pure.pus_tm_pack(*args)
    nt = len(time)
    nd = len(source_data)
    cap = nt + nd + _TM_OVERHEAD
    out = new_unzeroed("uint8_t[]", cap)
    size = new("size_t *")
    head = args[:-2]
    try:
        status = lib.ccsds_pus_tm_pack(*head, octs_time, nt, octs_data, nd, out, cap, size, NULL)
    except ARG_ERRORS:
        return pure.pus_tm_pack(*args)
    if status:
        fail(
            status,
            lambda err: lib.ccsds_pus_tm_pack(
                *head, octs_time, nt, octs_data, nd, out, cap, size, err
            ),
            pure.pus_tm_pack,
            *args,
        )
    return buffer(out, size[0])[:]


def pus_tc_unpack(data: Any) -> Any:
    """Validate one PUS-C telecommand packet filling all of `data`.

    Returns:
        (apid, seq_flags, seq_count, ack_flags, service, subtype, source_id,
        app_data_offset, app_data_length)
    """
    octs = octets(data)
    if octs is None:
        return pure.pus_tc_unpack(data)
    n = len(data)
    out = new("ccsds_pus_tc *")
    status = lib.ccsds_pus_tc_unpack(octs, n, out, NULL)
    if status:
        fail(status, lambda err: lib.ccsds_pus_tc_unpack(octs, n, out, err), pure.pus_tc_unpack)
    return (
        out.apid,
        out.seq_flags,
        out.seq_count,
        out.ack_flags,
        out.service,
        out.subtype,
        out.source_id,
        out.app_data_offset,
        out.app_data_length,
    )


def pus_tm_unpack(data: Any, time_len: Any) -> Any:
    """Validate one PUS-C telemetry packet filling all of `data`, with a `time_len` time field.

    Returns:
        (apid, seq_flags, seq_count, time_ref, service, subtype, msg_counter, dest_id,
        time_offset, source_data_offset, source_data_length)
    """
    octs = octets(data)
    if octs is None or type(time_len) is not int:
        return pure.pus_tm_unpack(data, time_len)
    n = len(data)
    out = new("ccsds_pus_tm *")
    try:
        status = lib.ccsds_pus_tm_unpack(octs, n, time_len, out, NULL)
    except ARG_ERRORS:
        return pure.pus_tm_unpack(data, time_len)
    if status:
        fail(
            status,
            lambda err: lib.ccsds_pus_tm_unpack(octs, n, time_len, out, err),
            pure.pus_tm_unpack,
            data,
            time_len,
        )
    return (
        out.apid,
        out.seq_flags,
        out.seq_count,
        out.time_ref,
        out.service,
        out.subtype,
        out.msg_counter,
        out.dest_id,
        out.time_offset,
        out.source_data_offset,
        out.source_data_length,
    )
