"""CRC-16/CCITT-FALSE, the PUS packet error control (ECSS-E-ST-70-41C)."""

import binascii

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flight.ccsds import crc16

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def test_catalogue_check_value(codec):
    # Greg Cook's CRC catalogue, CRC-16/IBM-3740 (alias CRC-16/CCITT-FALSE): check=0x29b1
    assert crc16(b"123456789") == 0x29B1
    assert codec.crc16(b"123456789", 0xFFFF) == 0x29B1


def test_empty_input_returns_the_initial_value(codec):
    assert crc16(b"") == 0xFFFF
    assert crc16(b"", 0x1234) == 0x1234


def test_residue_is_zero(codec):
    # appending the CRC big-endian leaves a zero remainder (catalogue: residue=0x0000)
    data = b"Starling"
    value = crc16(data)
    assert crc16(data + value.to_bytes(2, "big")) == 0


@SETTINGS
@given(st.binary(max_size=600))
def test_matches_binascii_crc_hqx(codec, data):
    assert crc16(data) == binascii.crc_hqx(data, 0xFFFF)


@SETTINGS
@given(st.binary(max_size=300), st.binary(max_size=300))
def test_continuation_equals_one_pass(codec, head, tail):
    assert crc16(tail, crc16(head)) == crc16(head + tail)


@SETTINGS
@given(st.binary(max_size=300), st.integers(0, 0xFFFF))
def test_any_initial_value_matches_crc_hqx(codec, data, init):
    assert crc16(data, init) == binascii.crc_hqx(data, init)


@SETTINGS
@given(st.binary(max_size=600), st.integers(0, 0xFFFF))
def test_bytes_entry_matches_crc_hqx(codec, data, init):
    """The unchecked entry the PUS values use computes the same CRC as the checked one."""
    assert codec.crc16_bytes(data, len(data), init) == binascii.crc_hqx(data, init)


def test_accepts_every_buffer_type(codec):
    data = bytes(range(256))
    expected = binascii.crc_hqx(data, 0xFFFF)
    for form in (data, bytearray(data), memoryview(data), memoryview(bytearray(data))[0:]):
        assert crc16(form) == expected


def test_detects_every_single_bit_flip(codec):
    data = bytearray(b"\x18\x01\xc0\x16\x00\x06\x2f\x11\x01\x00\x00")
    good = crc16(data)
    for bit in range(len(data) * 8):
        data[bit // 8] ^= 1 << (bit % 8)
        assert crc16(data) != good, bit
        data[bit // 8] ^= 1 << (bit % 8)
