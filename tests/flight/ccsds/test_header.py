"""The Space Packet primary header (CCSDS 133.0-B-2 section 4.1.3)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flight.ccsds import (
    IDLE_APID,
    FieldRangeError,
    HeaderError,
    PacketType,
    SequenceFlags,
    SpacePacketHeader,
    TruncatedError,
)
from tests.support.ccsds import headers

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _by_hand(h: SpacePacketHeader) -> bytes:
    # 133.0-B-2 figure 4-2: version(3) type(1) sec_hdr(1) apid(11) | flags(2) count(14) | len(16)
    word0 = (0 << 13) | (int(h.packet_type) << 12) | (int(h.sec_header_flag) << 11) | h.apid
    word1 = (int(h.seq_flags) << 14) | h.seq_count
    return word0.to_bytes(2, "big") + word1.to_bytes(2, "big") + h.data_length.to_bytes(2, "big")


@SETTINGS
@given(headers)
def test_round_trip(codec, assert_codec, header):
    assert_codec(codec, _by_hand(header), header)


@SETTINGS
@given(headers, st.binary(max_size=20))
def test_unpack_reads_only_the_first_six_octets(codec, header, rest):
    assert SpacePacketHeader.unpack(header.pack() + rest) == header


def test_example_telecommand_header(codec, assert_codec):
    header = SpacePacketHeader(PacketType.TC, apid=100, seq_count=5, data_length=6)
    assert_codec(codec, bytes.fromhex("1064c0050006"), header)
    assert header.packet_length == 13
    assert header.seq_flags is SequenceFlags.UNSEGMENTED
    assert not header.is_idle


def test_idle_apid(codec):
    header = SpacePacketHeader(PacketType.TM, apid=IDLE_APID)
    assert header.is_idle
    assert header.pack()[:2] == b"\x07\xff"


def test_extreme_values(codec, assert_codec):
    header = SpacePacketHeader(
        PacketType.TC, 0x7FF, 0x3FFF, 0xFFFF, sec_header_flag=True, seq_flags=SequenceFlags.LAST
    )
    assert_codec(codec, bytes.fromhex("1fffbfffffff"), header)
    assert header.packet_length == 65542
    assert_codec(codec, bytes(6), SpacePacketHeader(PacketType.TM, 0, seq_flags=0))


@pytest.mark.parametrize("version", range(1, 8))
def test_nonzero_version_is_rejected(codec, version):
    raw = bytes([version << 5, 0x64, 0xC0, 0x00, 0x00, 0x00])
    with pytest.raises(HeaderError) as info:
        SpacePacketHeader.unpack(raw)
    assert (info.value.field, info.value.offset) == ("version", 0)
    assert (info.value.expected, info.value.actual) == (0, version)


@pytest.mark.parametrize("size", range(6))
def test_short_input_is_truncated(codec, size):
    with pytest.raises(TruncatedError) as info:
        SpacePacketHeader.unpack(bytes.fromhex("1064c0050006")[:size])
    assert (info.value.field, info.value.offset) == ("primary_header", 0)
    assert (info.value.needed, info.value.available) == (6, size)


def test_unpack_header_at_an_offset(codec):
    raw = b"\xff\xff\xff" + bytes.fromhex("1064c0050006")
    assert codec.unpack_header(raw, 3) == (0, 1, 0, 100, 3, 5, 6)
    with pytest.raises(TruncatedError) as info:
        codec.unpack_header(raw, 4)
    assert (info.value.offset, info.value.needed, info.value.available) == (4, 6, 5)
    with pytest.raises(HeaderError) as info:
        codec.unpack_header(raw, 0)
    assert (info.value.field, info.value.offset) == ("version", 0)


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("apid", {"apid": 0x800}),
        ("apid", {"apid": -1}),
        ("sequence_count", {"seq_count": 0x4000}),
        ("packet_data_length", {"data_length": 0x10000}),
        ("packet_data_length", {"data_length": -1}),
        ("sequence_flags", {"seq_flags": 4}),
        ("packet_type", {"packet_type": 2}),
    ],
)
def test_out_of_range_fields_are_refused(codec, field, kwargs):
    args = {"packet_type": PacketType.TM, "apid": 1} | kwargs
    with pytest.raises(FieldRangeError) as info:
        SpacePacketHeader(**args)
    assert info.value.field == field
    assert info.value.offset == -1


def test_header_is_immutable(codec):
    header = SpacePacketHeader(PacketType.TM, apid=1)
    with pytest.raises(AttributeError):
        header.apid = 2  # type: ignore[misc]
