"""spacepackets 0.28 (the library tmtccmd ground systems use) as an independent peer.

Both sides must produce identical PUS-C TC and TM octets, CRC included, and decode each
other's packets. spacepackets takes the TM time field as raw octets (`timestamp=`) and needs
its length to decode (`timestamp_len=`), so the CUC time is handed over as packed octets.
"""

import binascii

import cobs.cobs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacepackets.ccsds.spacepacket import PacketType as SpPacketType
from spacepackets.ccsds.spacepacket import SequenceFlags as SpSequenceFlags
from spacepackets.ccsds.spacepacket import SpacePacketHeader as SpHeader
from spacepackets.crc import CRC16_CCITT_FUNC
from spacepackets.ecss import PusTc as SpPusTc
from spacepackets.ecss import PusTm as SpPusTm

from flight.ccsds import (
    ChecksumError,
    CucTime,
    FramingError,
    PusTc,
    PusTm,
    SequenceFlags,
    SpacePacketHeader,
    cobs_decode,
    cobs_encode,
    crc16,
    split_packets,
)
from tests.support.ccsds import cuc_times, headers, pus_tms

SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# spacepackets builds unsegmented PUS packets only
unsegmented_tcs = st.builds(
    PusTc,
    apid=st.integers(0, 0x7FF),
    service=st.integers(0, 255),
    subtype=st.integers(0, 255),
    app_data=st.binary(max_size=64),
    seq_count=st.integers(0, 0x3FFF),
    source_id=st.integers(0, 0xFFFF),
    ack_flags=st.integers(0, 15),
    seq_flags=st.just(SequenceFlags.UNSEGMENTED),  # builds() fills a NamedTuple's every field
)
unsegmented_tms = pus_tms(cuc_times()).map(
    lambda tm: PusTm(
        tm.apid, tm.service, tm.subtype, tm.source_data, tm.seq_count, tm.msg_counter,
        tm.dest_id, tm.time, tm.time_ref_status,
    )
)  # fmt: skip


def _sp_tc(tc: PusTc) -> SpPusTc:
    return SpPusTc(
        service=tc.service,
        subservice=tc.subtype,
        apid=tc.apid,
        app_data=tc.app_data,
        seq_count=tc.seq_count,
        source_id=tc.source_id,
        ack_flags=tc.ack_flags,
    )


def _sp_tm(tm: PusTm) -> SpPusTm:
    return SpPusTm(
        service=tm.service,
        subservice=tm.subtype,
        timestamp=tm.time.pack(),
        source_data=tm.source_data,
        apid=tm.apid,
        seq_count=tm.seq_count,
        message_counter=tm.msg_counter,
        space_time_ref=tm.time_ref_status,
        destination_id=tm.dest_id,
    )


def _time_kwargs(time: CucTime) -> dict:
    if time.pfield:
        return {"pfield": True}
    return {"coarse_octets": time.coarse_octets, "fine_octets": time.fine_octets}


@SETTINGS
@given(unsegmented_tcs)
def test_tc_octets_are_identical(codec, tc):
    assert tc.pack().hex() == bytes(_sp_tc(tc).pack()).hex()


@SETTINGS
@given(unsegmented_tcs)
def test_each_side_decodes_the_others_tc(codec, tc):
    theirs = bytes(_sp_tc(tc).pack())
    assert PusTc.unpack(theirs) == tc
    decoded = SpPusTc.unpack(tc.pack())
    assert (decoded.apid, decoded.seq_count) == (tc.apid, tc.seq_count)
    assert (decoded.service, decoded.subservice) == (tc.service, tc.subtype)
    assert (decoded.source_id, decoded.pus_tc_sec_header.ack_flags) == (tc.source_id, tc.ack_flags)
    assert bytes(decoded.app_data) == tc.app_data


@SETTINGS
@given(unsegmented_tms)
def test_tm_octets_are_identical(codec, tm):
    assert tm.pack().hex() == bytes(_sp_tm(tm).pack()).hex()


@SETTINGS
@given(unsegmented_tms)
def test_each_side_decodes_the_others_tm(codec, tm):
    theirs = bytes(_sp_tm(tm).pack())
    assert PusTm.unpack(theirs, **_time_kwargs(tm.time)) == tm
    decoded = SpPusTm.unpack(tm.pack(), timestamp_len=tm.time.length)
    assert (decoded.apid, decoded.seq_count) == (tm.apid, tm.seq_count)
    assert (decoded.service, decoded.subservice) == (tm.service, tm.subtype)
    sec = decoded.pus_tm_sec_header
    assert (sec.message_counter, sec.dest_id) == (tm.msg_counter, tm.dest_id)
    assert sec.spacecraft_time_ref == tm.time_ref_status
    assert decoded.timestamp == tm.time.pack()
    assert decoded.source_data == tm.source_data


@SETTINGS
@given(headers)
def test_primary_headers_agree(codec, header):
    theirs = SpHeader(
        packet_type=SpPacketType(int(header.packet_type)),
        apid=header.apid,
        seq_count=header.seq_count,
        data_len=header.data_length,
        sec_header_flag=header.sec_header_flag,
        seq_flags=SpSequenceFlags(int(header.seq_flags)),
    )
    assert header.pack() == bytes(theirs.pack())
    back = SpHeader.unpack(header.pack())
    assert back == theirs
    assert SpacePacketHeader.unpack(bytes(theirs.pack())) == header


def test_corrupted_spacepackets_tc_is_rejected(codec):
    raw = bytearray(_sp_tc(PusTc(apid=1, service=17, subtype=1)).pack())
    raw[7] ^= 0x40
    with pytest.raises(ChecksumError):
        PusTc.unpack(raw)


@SETTINGS
@given(st.lists(unsegmented_tcs, min_size=1, max_size=5))
def test_split_finds_spacepackets_stream(codec, tcs):
    stream = b"".join(bytes(_sp_tc(tc).pack()) for tc in tcs)
    batch = split_packets(stream, check_crc=True)
    assert (batch.count, batch.consumed, batch.skipped) == (len(tcs), len(stream), 0)
    assert [PusTc.unpack(v) for v in batch] == tcs


@SETTINGS
@given(st.binary(max_size=500), st.integers(0, 0xFFFF))
def test_crc_agrees_with_spacepackets_and_binascii(codec, data, init):
    assert crc16(data) == CRC16_CCITT_FUNC(data) == binascii.crc_hqx(data, 0xFFFF)
    assert crc16(data, init) == binascii.crc_hqx(data, init)


@SETTINGS
@given(st.binary(max_size=800) | st.binary(max_size=600).map(lambda b: b.replace(b"\x00", b"")))
def test_cobs_agrees_with_the_cobs_package(codec, data):
    encoded = cobs_encode(data)
    assert encoded == cobs.cobs.encode(data)
    assert cobs_decode(encoded) == cobs.cobs.decode(encoded) == data


@SETTINGS
@given(st.binary(max_size=300))
def test_cobs_accepts_and_rejects_what_the_cobs_package_does(codec, frame):
    try:
        theirs = cobs.cobs.decode(frame)
    except cobs.cobs.DecodeError:
        theirs = None
    try:
        ours = cobs_decode(frame)
    except FramingError:
        ours = None
    assert ours == theirs
