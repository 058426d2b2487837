"""CCSDS Unsegmented Time Code (CCSDS 301.0-B-4 section 3.2)."""

import pytest
from hypothesis import HealthCheck, given, settings

from flight.ccsds import (
    EPOCH_AGENCY,
    EPOCH_CCSDS,
    CucTime,
    FieldRangeError,
    HeaderError,
    LengthError,
    TruncatedError,
)
from tests.support.ccsds import cuc_times

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _pfield_by_hand(t: CucTime) -> bytes:
    # 301.0-B-4 3.2.2: first octet ext(1) id(3) coarse-1(2) fine(2); second octet, when
    # the first's extension bit is set: ext(1) extra coarse(2) extra fine(3) reserved(2)
    base_coarse, base_fine = min(t.coarse_octets, 4), min(t.fine_octets, 3)
    extra_coarse, extra_fine = t.coarse_octets - base_coarse, t.fine_octets - base_fine
    first = (t.time_code_id << 4) | ((base_coarse - 1) << 2) | base_fine
    if not (extra_coarse or extra_fine):
        return bytes([first])
    return bytes([0x80 | first, (extra_coarse << 5) | (extra_fine << 2)])


def _by_hand(t: CucTime) -> bytes:
    time = t.coarse.to_bytes(t.coarse_octets, "big") + t.fine.to_bytes(t.fine_octets, "big")
    return (_pfield_by_hand(t) if t.pfield else b"") + time


def _unpack_kwargs(t: CucTime) -> dict:
    if t.pfield:
        return {"pfield": True}
    return {"coarse_octets": t.coarse_octets, "fine_octets": t.fine_octets}


@SETTINGS
@given(cuc_times())
def test_round_trip(codec, assert_codec, time):
    assert_codec(codec, _by_hand(time), time, **_unpack_kwargs(time))
    assert time.length == len(_by_hand(time))


def test_default_format_is_four_coarse_two_fine_without_pfield(codec, assert_codec):
    time = CucTime(coarse=0x01020304, fine=0x0506)
    assert_codec(codec, bytes.fromhex("010203040506"), time)
    assert time.length == 6


def test_pfield_values(codec):
    # 0x1E: CCSDS epoch (001), 4 coarse (11), 2 fine (10); 0x2E the same with agency epoch
    assert CucTime(pfield=True).pack()[0] == 0x1E
    assert CucTime(pfield=True, time_code_id=EPOCH_AGENCY).pack()[0] == 0x2E
    assert CucTime(coarse_octets=1, fine_octets=0, pfield=True).pack() == b"\x10\x00"
    # 7 coarse, 7 fine: base 4+3, extension 3+4 -> 0x9F, 0b0_11_100_00 = 0x70
    extended = CucTime(coarse_octets=7, fine_octets=7, pfield=True).pack()
    assert extended[:2] == b"\x9f\x70"
    assert len(extended) == 16


def test_seconds(codec):
    assert CucTime.from_seconds(1.5).pack() == bytes.fromhex("000000018000")
    assert CucTime.unpack(bytes.fromhex("000000018000")).seconds == 1.5
    assert CucTime.from_seconds(2.25, fine_octets=1).fine == 0x40
    assert CucTime(coarse=7, fine=0).seconds == 7.0


def test_time_code_id_is_kept_without_pfield(codec):
    time = CucTime.unpack(bytes(6), time_code_id=EPOCH_AGENCY)
    assert time.time_code_id == EPOCH_AGENCY
    assert CucTime.unpack(bytes(6)).time_code_id == EPOCH_CCSDS


@pytest.mark.parametrize("code_id", [0, 3, 4, 5, 6, 7])
def test_unsupported_time_code_ids_are_rejected(codec, code_id):
    with pytest.raises(HeaderError) as info:
        CucTime.unpack(bytes([code_id << 4 | 0x0E]) + bytes(6), pfield=True)
    assert (info.value.field, info.value.offset, info.value.actual) == ("time_code_id", 0, code_id)
    with pytest.raises(FieldRangeError):
        CucTime(time_code_id=code_id)


def test_a_third_pfield_octet_is_rejected(codec):
    with pytest.raises(HeaderError) as info:
        CucTime.unpack(bytes([0x9E, 0x80]) + bytes(6), pfield=True)
    assert (info.value.field, info.value.offset) == ("pfield_extension", 1)


@pytest.mark.parametrize("mission_bits", [1, 2, 3])
def test_mission_defined_bits_of_the_pfield_extension_are_left_alone(codec, mission_bits):
    # 301.0-B-4 section 3.2: bits 6-7 of the second P-field octet are reserved for mission
    # definition, so a decoder reads past them rather than refusing the time
    time = CucTime.unpack(bytes([0x9E, 1 << 5 | mission_bits]) + bytes(6) + b"\x01", pfield=True)
    assert (time.coarse_octets, time.fine_octets, time.fine) == (5, 2, 1)


def test_more_than_seven_fine_octets_are_rejected(codec):
    # 3 fine octets in the first octet and 5 more in the extension: 8
    with pytest.raises(HeaderError) as info:
        CucTime.unpack(bytes([0x9F, 5 << 2]) + bytes(12), pfield=True)
    assert (info.value.field, info.value.offset, info.value.actual) == ("fine_octets", 1, 8)


def test_trailing_octets_are_a_length_error(codec):
    with pytest.raises(LengthError) as info:
        CucTime.unpack(bytes(7))
    assert (info.value.field, info.value.expected, info.value.actual) == ("cuc_time", 6, 7)


@pytest.mark.parametrize("size", range(6))
def test_short_input_is_truncated(codec, size):
    with pytest.raises(TruncatedError) as info:
        CucTime.unpack(bytes(size))
    assert (info.value.field, info.value.needed, info.value.available) == ("cuc_time", 6, size)


def test_truncated_pfield(codec):
    with pytest.raises(TruncatedError) as info:
        CucTime.unpack(b"", pfield=True)
    assert (info.value.field, info.value.needed, info.value.available) == ("pfield", 1, 0)
    with pytest.raises(TruncatedError) as info:
        CucTime.unpack(b"\x9e", pfield=True)
    assert (info.value.field, info.value.needed, info.value.available) == ("pfield", 2, 1)


def test_cuc_unpack_at_an_offset(codec):
    data = b"\xaa\xbb" + bytes.fromhex("2e0000002a8000")
    assert codec.cuc_unpack(data, 2, 4, 2, True) == (42, 0x8000, 4, 2, 2, 7)
    assert codec.cuc_unpack(data, 3, 4, 2, False) == (42, 0x8000, 4, 2, 0, 6)
    with pytest.raises(TruncatedError) as info:
        codec.cuc_unpack(data, 4, 4, 2, False)
    assert (info.value.offset, info.value.needed, info.value.available) == (4, 6, 5)


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("coarse_octets", {"coarse_octets": 0}),
        ("coarse_octets", {"coarse_octets": 8}),
        ("fine_octets", {"fine_octets": -1}),
        ("fine_octets", {"fine_octets": 8}),
        ("coarse", {"coarse": 1 << 32}),
        ("coarse", {"coarse": -1}),
        ("fine", {"fine": 1 << 16}),
        ("fine", {"fine": 1, "fine_octets": 0}),
        ("time_code_id", {"time_code_id": 0}),
    ],
)
def test_out_of_range_values_are_refused(codec, field, kwargs):
    with pytest.raises(FieldRangeError) as info:
        CucTime(**kwargs)
    assert info.value.field == field


@pytest.mark.parametrize(("coarse_octets", "fine_octets"), [(0, 2), (8, 2), (4, -1), (4, 8)])
def test_unpack_refuses_unsupported_formats(codec, coarse_octets, fine_octets):
    with pytest.raises(FieldRangeError):
        CucTime.unpack(bytes(16), coarse_octets=coarse_octets, fine_octets=fine_octets)
