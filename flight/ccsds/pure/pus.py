"""ECSS-E-ST-70-41C (PUS-C) telecommand and telemetry packets with packet error control.

TC secondary header (5 octets): pus_version:4 (=2) | ack_flags:4 | service:8 | subtype:8 |
source_id:16.  TM secondary header (7 octets + time): pus_version:4 (=2) |
time_ref_status:4 | service:8 | subtype:8 | msg_counter:16 | dest_id:16 | time.
Both end in a CRC-16/CCITT-FALSE over the whole packet.

Unpacking checks, in this order: the primary header is present; version 0; the packet type;
the secondary header flag; the data length covers the PUS headers and CRC; the buffer holds
exactly one packet; the CRC; the PUS version.
"""

from flight.ccsds.errors import (
    ChecksumError,
    FieldRangeError,
    HeaderError,
    LengthError,
    TruncatedError,
)
from flight.ccsds.pure.crc import crc16
from flight.ccsds.pure.packet import HEADER_LEN, pack_header

PUS_VERSION = 2
TC_SEC_LEN = 5
TM_SEC_LEN = 7  # without the time field
CRC_LEN = 2
TYPE_TM = 0
TYPE_TC = 1


def _check(name: str, value: int, high: int) -> None:
    if value < 0 or value > high:
        raise FieldRangeError(name, 0, high, value)


def _finish(out: bytearray) -> bytes:
    value = crc16(out)
    out.append(value >> 8)
    out.append(value & 0xFF)
    return bytes(out)


def pus_tc_pack(
    apid: int,
    seq_flags: int,
    seq_count: int,
    ack_flags: int,
    service: int,
    subtype: int,
    source_id: int,
    app_data: bytes | bytearray | memoryview,
) -> bytes:
    """Return a complete PUS-C telecommand packet."""
    _check("ack_flags", ack_flags, 0x0F)
    _check("service", service, 0xFF)
    _check("subtype", subtype, 0xFF)
    _check("source_id", source_id, 0xFFFF)
    data_len = TC_SEC_LEN + len(app_data) + CRC_LEN
    _check("app_data_length", len(app_data), 65536 - TC_SEC_LEN - CRC_LEN)
    out = bytearray(pack_header(TYPE_TC, 1, apid, seq_flags, seq_count, data_len - 1))
    out.append((PUS_VERSION << 4) | ack_flags)
    out.append(service)
    out.append(subtype)
    out.append(source_id >> 8)
    out.append(source_id & 0xFF)
    out += app_data
    return _finish(out)


def pus_tm_pack(
    apid: int,
    seq_flags: int,
    seq_count: int,
    time_ref: int,
    service: int,
    subtype: int,
    msg_counter: int,
    dest_id: int,
    time: bytes | bytearray | memoryview,
    source_data: bytes | bytearray | memoryview,
) -> bytes:
    """Return a complete PUS-C telemetry packet; `time` is the packed time field."""
    _check("time_ref_status", time_ref, 0x0F)
    _check("service", service, 0xFF)
    _check("subtype", subtype, 0xFF)
    _check("msg_counter", msg_counter, 0xFFFF)
    _check("dest_id", dest_id, 0xFFFF)
    fixed = TM_SEC_LEN + len(time) + CRC_LEN
    _check("source_data_length", len(source_data), 65536 - fixed)
    data_len = fixed + len(source_data)
    out = bytearray(pack_header(TYPE_TM, 1, apid, seq_flags, seq_count, data_len - 1))
    out.append((PUS_VERSION << 4) | time_ref)
    out.append(service)
    out.append(subtype)
    out.append(msg_counter >> 8)
    out.append(msg_counter & 0xFF)
    out.append(dest_id >> 8)
    out.append(dest_id & 0xFF)
    out += time
    out += source_data
    return _finish(out)


def _check_packet(data: bytes | bytearray | memoryview, ptype: int, min_total: int) -> int:
    """Validate the framing shared by TC and TM; return the packet's total length."""
    n = len(data)
    if n < HEADER_LEN:
        raise TruncatedError("primary_header", 0, HEADER_LEN, n)
    b0 = data[0]
    if b0 >> 5 != 0:
        raise HeaderError("version", 0, 0, b0 >> 5)
    if (b0 >> 4) & 1 != ptype:
        raise HeaderError("packet_type", 0, ptype, (b0 >> 4) & 1)
    if (b0 >> 3) & 1 != 1:
        raise HeaderError("secondary_header_flag", 0, 1, 0)
    data_length = (data[4] << 8) | data[5]
    total = data_length + HEADER_LEN + 1
    if total < min_total:
        raise LengthError("packet_data_length", 4, ">= %d" % (min_total - 7), data_length)
    if n < total:
        raise TruncatedError("packet", 0, total, n)
    if n > total:
        raise LengthError("packet_data_length", 4, n - HEADER_LEN - 1, data_length)
    computed = crc16(memoryview(data)[: total - CRC_LEN])
    stored = (data[total - 2] << 8) | data[total - 1]
    if computed != stored:
        raise ChecksumError(total - CRC_LEN, computed, stored)
    version = data[HEADER_LEN] >> 4
    if version != PUS_VERSION:
        raise HeaderError("pus_version", HEADER_LEN, PUS_VERSION, version)
    return total


def pus_tc_unpack(
    data: bytes | bytearray | memoryview,
) -> tuple[int, int, int, int, int, int, int, int, int]:
    """Validate one PUS-C telecommand packet filling all of `data`.

    Returns:
        (apid, seq_flags, seq_count, ack_flags, service, subtype, source_id,
        app_data_offset, app_data_length)
    """
    total = _check_packet(data, TYPE_TC, HEADER_LEN + TC_SEC_LEN + CRC_LEN)
    start = HEADER_LEN + TC_SEC_LEN
    return (
        ((data[0] & 0x07) << 8) | data[1],
        data[2] >> 6,
        ((data[2] & 0x3F) << 8) | data[3],
        data[6] & 0x0F,
        data[7],
        data[8],
        (data[9] << 8) | data[10],
        start,
        total - CRC_LEN - start,
    )


def pus_tm_unpack(
    data: bytes | bytearray | memoryview, time_len: int
) -> tuple[int, int, int, int, int, int, int, int, int, int, int]:
    """Validate one PUS-C telemetry packet filling all of `data`, with a `time_len` time field.

    Returns:
        (apid, seq_flags, seq_count, time_ref, service, subtype, msg_counter, dest_id,
        time_offset, source_data_offset, source_data_length)
    """
    if time_len < 0 or time_len > 64:
        raise FieldRangeError("time_len", 0, 64, time_len)
    total = _check_packet(data, TYPE_TM, HEADER_LEN + TM_SEC_LEN + time_len + CRC_LEN)
    time_offset = HEADER_LEN + TM_SEC_LEN
    start = time_offset + time_len
    return (
        ((data[0] & 0x07) << 8) | data[1],
        data[2] >> 6,
        ((data[2] & 0x3F) << 8) | data[3],
        data[6] & 0x0F,
        data[7],
        data[8],
        (data[9] << 8) | data[10],
        (data[11] << 8) | data[12],
        time_offset,
        start,
        total - CRC_LEN - start,
    )
