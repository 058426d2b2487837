"""PUS-C telecommands and telemetry (ECSS-E-ST-70-41C 7.4.3 and 7.4.4)."""

import binascii
import inspect

import pytest
from hypothesis import HealthCheck, given, settings

from flight.ccsds import (
    EPOCH_AGENCY,
    EPOCH_CCSDS,
    ChecksumError,
    CucTime,
    FieldRangeError,
    HeaderError,
    LengthError,
    PacketType,
    PusTc,
    PusTm,
    SequenceFlags,
    SpacePacketHeader,
    TruncatedError,
)
from tests.support.ccsds import cuc_times, pus_tcs, pus_tms, tm_unpack_kwargs

SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _with_crc(body: bytes) -> bytes:
    return body + binascii.crc_hqx(body, 0xFFFF).to_bytes(2, "big")


def _tc_by_hand(tc: PusTc) -> bytes:
    header = SpacePacketHeader(
        PacketType.TC, tc.apid, tc.seq_count, 5 + len(tc.app_data) + 2 - 1, True, tc.seq_flags
    ).pack()
    secondary = bytes([0x20 | tc.ack_flags, tc.service, tc.subtype]) + tc.source_id.to_bytes(
        2, "big"
    )
    return _with_crc(header + secondary + tc.app_data)


def _tm_by_hand(tm: PusTm) -> bytes:
    time = tm.time.pack()
    header = SpacePacketHeader(
        PacketType.TM, tm.apid, tm.seq_count, 7 + len(time) + len(tm.source_data) + 1,
        True, tm.seq_flags,
    ).pack()  # fmt: skip
    secondary = bytes([0x20 | tm.time_ref_status, tm.service, tm.subtype])
    secondary += tm.msg_counter.to_bytes(2, "big") + tm.dest_id.to_bytes(2, "big")
    return _with_crc(header + secondary + time + tm.source_data)


@SETTINGS
@given(pus_tcs)
def test_tc_round_trip(codec, assert_codec, tc):
    raw = _tc_by_hand(tc)
    assert_codec(codec, raw, tc)
    assert tc.header == SpacePacketHeader.unpack(raw)


@SETTINGS
@given(pus_tms())
def test_tm_round_trip(codec, assert_codec, tm):
    raw = _tm_by_hand(tm)
    assert_codec(codec, raw, tm, **tm_unpack_kwargs(tm))
    assert tm.header == SpacePacketHeader.unpack(raw)


@SETTINGS
@given(pus_tms(cuc_times(pfield=True)))
def test_tm_with_pfield_time_needs_no_format(codec, tm):
    assert PusTm.unpack(tm.pack(), pfield=True) == tm


def test_defaults_match_the_design_contract(codec):
    tc = PusTc(apid=100, service=17, subtype=1)
    assert (tc.app_data, tc.seq_count, tc.source_id, tc.ack_flags) == (b"", 0, 0, 0b1111)
    tm = PusTm(apid=100, service=17, subtype=2)
    assert (tm.source_data, tm.seq_count, tm.msg_counter, tm.dest_id) == (b"", 0, 0, 0)
    assert tm.time == CucTime()


def test_app_data_may_be_any_buffer(codec):
    for form in (bytearray(b"\x01\x02"), memoryview(b"\x01\x02")):
        tc = PusTc(apid=1, service=8, subtype=1, app_data=form)
        assert tc.app_data == b"\x01\x02"
        assert type(tc.app_data) is bytes
    tm = PusTm(apid=1, service=3, subtype=25, source_data=bytearray(b"\x07"))
    assert type(tm.source_data) is bytes


def test_largest_telecommand(codec):
    tc = PusTc(apid=1, service=23, subtype=1, app_data=bytes(65529))
    raw = tc.pack()
    assert len(raw) == 6 + 65536
    assert raw[4:6] == b"\xff\xff"
    assert PusTc.unpack(raw) == tc
    with pytest.raises(FieldRangeError) as info:
        PusTc(apid=1, service=23, subtype=1, app_data=bytes(65530))
    assert info.value.field == "app_data_length"
    with pytest.raises(FieldRangeError) as info:
        codec.pus_tc_pack(1, 3, 0, 15, 23, 1, 0, bytes(65530))
    assert info.value.field == "app_data_length"


def test_largest_telemetry_packet(codec):
    tm = PusTm(apid=1, service=13, subtype=1, source_data=bytes(65536 - 7 - 6 - 2))
    raw = tm.pack()
    assert len(raw) == 6 + 65536
    assert PusTm.unpack(raw) == tm
    with pytest.raises(FieldRangeError) as info:
        PusTm(apid=1, service=13, subtype=1, source_data=bytes(65536 - 7 - 6 - 1)).pack()
    assert info.value.field == "source_data_length"


# ---- decoding checks, in the order pus.py documents them ----

PING = PusTc(apid=100, service=17, subtype=1)


def _resealed(raw: bytes | bytearray) -> bytes:
    """`raw` with its CRC recomputed, so only the deliberate change is wrong."""
    return _with_crc(bytes(raw[:-2]))


def test_wrong_packet_type(codec):
    tm_raw = PusTm(apid=100, service=17, subtype=2).pack()
    with pytest.raises(HeaderError) as info:
        PusTc.unpack(tm_raw)
    assert (info.value.field, info.value.offset, info.value.expected) == ("packet_type", 0, 1)
    with pytest.raises(HeaderError) as info:
        PusTm.unpack(PING.pack())
    assert (info.value.field, info.value.offset, info.value.expected) == ("packet_type", 0, 0)


def test_missing_secondary_header_flag(codec):
    raw = bytearray(PING.pack())
    raw[0] &= ~0x08
    with pytest.raises(HeaderError) as info:
        PusTc.unpack(_resealed(raw))
    assert (info.value.field, info.value.offset) == ("secondary_header_flag", 0)


def test_data_length_below_the_pus_minimum(codec):
    raw = bytearray(PING.pack())
    raw[4:6] = (5).to_bytes(2, "big")  # one short of secondary header + CRC
    with pytest.raises(LengthError) as info:
        PusTc.unpack(bytes(raw[:12]))
    assert (info.value.field, info.value.offset, info.value.actual) == ("packet_data_length", 4, 5)


def test_truncated_packet(codec):
    raw = PusTc(apid=100, service=17, subtype=1, app_data=b"abc").pack()
    with pytest.raises(TruncatedError) as info:
        PusTc.unpack(raw[:-1])
    assert (info.value.field, info.value.offset) == ("packet", 0)
    assert (info.value.needed, info.value.available) == (len(raw), len(raw) - 1)


def test_trailing_octets(codec):
    raw = PING.pack()
    with pytest.raises(LengthError) as info:
        PusTc.unpack(raw + b"\x00")
    assert (info.value.field, info.value.offset) == ("packet_data_length", 4)
    assert (info.value.expected, info.value.actual) == (7, 6)


def test_crc_mismatch(codec):
    raw = bytearray(PusTc(apid=100, service=17, subtype=1, app_data=b"xyz").pack())
    good = int.from_bytes(raw[-2:], "big")
    raw[-1] ^= 0x01
    with pytest.raises(ChecksumError) as info:
        PusTc.unpack(raw)
    assert (info.value.field, info.value.offset) == ("packet_error_control", len(raw) - 2)
    assert (info.value.expected, info.value.actual) == (good, good ^ 0x01)


@pytest.mark.parametrize("version", [0, 1, 3, 15])
def test_pus_version_other_than_c(codec, version):
    raw = bytearray(PING.pack())
    raw[6] = (version << 4) | (raw[6] & 0x0F)
    with pytest.raises(HeaderError) as info:
        PusTc.unpack(_resealed(raw))
    assert (info.value.field, info.value.offset) == ("pus_version", 6)
    assert (info.value.expected, info.value.actual) == (2, version)
    tm = bytearray(PusTm(apid=1, service=3, subtype=25).pack())
    tm[6] = (version << 4) | (tm[6] & 0x0F)
    with pytest.raises(HeaderError) as info:
        PusTm.unpack(_resealed(tm))
    assert (info.value.field, info.value.offset) == ("pus_version", 6)


def test_tm_time_format_must_match(codec):
    raw = PusTm(apid=1, service=3, subtype=25, time=CucTime(coarse_octets=2, fine_octets=0)).pack()
    # the default 4+2 format needs 4 more octets than this packet holds
    with pytest.raises(LengthError) as info:
        PusTm.unpack(raw)
    assert info.value.field == "packet_data_length"
    assert PusTm.unpack(raw, coarse_octets=2, fine_octets=0).time.coarse_octets == 2


def test_unpack_gives_offsets_of_the_user_data(codec):
    raw = PusTc(apid=5, service=8, subtype=1, app_data=b"abc").pack()
    fields = codec.pus_tc_unpack(raw)
    assert fields[-2:] == (11, 3)
    assert raw[11:14] == b"abc"
    raw = PusTm(apid=5, service=3, subtype=25, source_data=b"hk").pack()
    fields = codec.pus_tm_unpack(raw, 6)
    assert fields[-3:] == (13, 19, 2)
    assert raw[19:21] == b"hk"


@pytest.mark.parametrize(
    ("cls", "field", "kwargs"),
    [
        (PusTc, "apid", {"apid": 0x800}),
        (PusTc, "service", {"service": 256}),
        (PusTc, "subtype", {"subtype": -1}),
        (PusTc, "source_id", {"source_id": 0x10000}),
        (PusTc, "ack_flags", {"ack_flags": 16}),
        (PusTc, "sequence_count", {"seq_count": 0x4000}),
        (PusTm, "msg_counter", {"msg_counter": 0x10000}),
        (PusTm, "dest_id", {"dest_id": -1}),
        (PusTm, "time_ref_status", {"time_ref_status": 16}),
        (PusTm, "sequence_count", {"seq_count": -1}),
    ],
)
def test_out_of_range_fields_are_refused(codec, cls, field, kwargs):
    args = {"apid": 1, "service": 17, "subtype": 1} | kwargs
    with pytest.raises(FieldRangeError) as info:
        cls(**args)
    assert info.value.field == field


def test_sequence_flags_are_carried(codec):
    for flags in SequenceFlags:
        tc = PusTc(apid=1, service=13, subtype=9, seq_flags=flags)
        assert PusTc.unpack(tc.pack()).seq_flags is flags
        assert tc.pack()[2] >> 6 == flags


@pytest.mark.parametrize("cls", [PusTc, PusTm])
def test_constructor_takes_the_fields_in_order_with_their_defaults(cls):
    """The written-out __new__ stays the NamedTuple's: same names, order and defaults."""
    params = list(inspect.signature(cls).parameters.values())
    assert [p.name for p in params] == list(cls._fields)
    for param in params:
        assert param.default == cls._field_defaults.get(param.name, inspect.Parameter.empty)
        assert param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD


def test_tm_time_without_pfield_takes_the_epoch_it_is_told(codec):
    """Without a P-field nothing on the wire names the epoch: the mission says which."""
    tm = PusTm(apid=5, service=3, subtype=25, time=CucTime(7, 1, time_code_id=EPOCH_AGENCY))
    assert PusTm.unpack(tm.pack(), time_code_id=EPOCH_AGENCY) == tm
    assert PusTm.unpack(tm.pack()).time.time_code_id == EPOCH_CCSDS


def test_copies_are_checked_and_values_equal_only_their_own_kind(codec):
    tc = PusTc(apid=1, service=17, subtype=1)
    with pytest.raises(FieldRangeError):
        tc._replace(apid=0x800)
    with pytest.raises(FieldRangeError):
        PusTm._make((1, 17, 2, b"", 0, 0x10000))
    assert tc != tuple(tc)
    assert tc == PusTc._make(tuple(tc))
    assert len({tc, PusTc.unpack(tc.pack())}) == 1


def test_immutable_values(codec):
    tc = PusTc(apid=1, service=17, subtype=1)
    tm = PusTm(apid=1, service=17, subtype=2)
    for value in (tc, tm):
        with pytest.raises(AttributeError):
            value.apid = 2
    assert tc._replace(seq_count=5) == PusTc(apid=1, service=17, subtype=1, seq_count=5)
    assert hash(tc) == hash(PusTc.unpack(tc.pack()))
    assert tm.time == CucTime()
