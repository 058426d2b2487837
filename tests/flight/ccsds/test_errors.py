"""The codec's error tree: every error is a `CodecError` naming its field and offset."""

import inspect

import pytest

import flight.ccsds
from flight.ccsds import (
    ChecksumError,
    CodecError,
    CodingError,
    CucTime,
    FieldRangeError,
    FramingError,
    HeaderError,
    LengthError,
    PusTc,
    PusTm,
    SpacePacketHeader,
    TruncatedError,
    cobs_decode,
    split_packets,
)
from flight.ccsds import errors as errors_module

SUBCLASSES = (
    TruncatedError,
    HeaderError,
    LengthError,
    ChecksumError,
    FramingError,
    CodingError,
    FieldRangeError,
)
PING = PusTc(apid=100, service=17, subtype=1).pack()


def _bad_crc() -> bytes:
    raw = bytearray(PING)
    raw[-1] ^= 0xFF
    return bytes(raw)


def test_tree_is_rooted_at_codec_error():
    assert issubclass(CodecError, Exception)
    for cls in SUBCLASSES:
        assert cls.__bases__ == (CodecError,), cls
    declared = {
        obj
        for _, obj in inspect.getmembers(errors_module, inspect.isclass)
        if issubclass(obj, BaseException)
    }
    assert declared == {CodecError, *SUBCLASSES}
    assert set(errors_module.__all__) == {cls.__name__ for cls in declared}


def test_package_exports_the_same_classes():
    for cls in (CodecError, *SUBCLASSES):
        assert getattr(flight.ccsds, cls.__name__) is cls


# one real input per error class, with the field and offset the error must name
CASES = [
    (lambda: PusTc.unpack(PING[:4]), TruncatedError, "primary_header", 0),
    (lambda: PusTc.unpack(PING[:-1]), TruncatedError, "packet", 0),
    (lambda: CucTime.unpack(b"\x00\x01"), TruncatedError, "cuc_time", 0),
    (lambda: SpacePacketHeader.unpack(b"\xe0" + bytes(5)), HeaderError, "version", 0),
    (lambda: PusTm.unpack(PING), HeaderError, "packet_type", 0),
    (lambda: CucTime.unpack(b"\x7e" + bytes(6), pfield=True), HeaderError, "time_code_id", 0),
    (lambda: PusTc.unpack(PING + b"\x00"), LengthError, "packet_data_length", 4),
    (lambda: CucTime.unpack(bytes(8)), LengthError, "cuc_time", 0),
    (lambda: PusTc.unpack(_bad_crc()), ChecksumError, "packet_error_control", len(PING) - 2),
    (lambda: cobs_decode(b"\x02\x00"), FramingError, "cobs", 1),
    (lambda: PusTc(apid=4096, service=1, subtype=1), FieldRangeError, "apid", -1),
    (lambda: split_packets(b"", max_length=3), FieldRangeError, "max_length", -1),
]


@pytest.mark.parametrize(("call", "cls", "field", "offset"), CASES)
def test_errors_carry_field_and_offset(codec, call, cls, field, offset):
    with pytest.raises(CodecError) as info:
        call()
    error = info.value
    assert type(error) is cls
    assert (error.field, error.offset) == (field, offset)
    assert hasattr(error, "expected")
    assert hasattr(error, "actual")
    assert str(error) == error.message
    assert str(error)


def test_truncated_error_says_what_was_needed():
    error = TruncatedError("packet", 0, 13, 12)
    assert (error.needed, error.available) == (13, 12)
    assert (error.expected, error.actual) == (13, 12)
    assert "13" in str(error)
    assert "12" in str(error)


def test_range_error_gives_the_range():
    error = FieldRangeError("apid", 0, 0x7FF, 4096)
    assert (error.expected, error.actual, error.offset) == ((0, 0x7FF), 4096, -1)
    assert "apid" in str(error)


def test_checksum_error_shows_both_values():
    error = ChecksumError(11, 0xAB62, 0x1234)
    assert str(error) == "packet error control at offset 11: computed 0xAB62, packet holds 0x1234"


def test_codec_error_defaults():
    error = CodecError("something")
    assert (error.field, error.offset, error.expected, error.actual) == ("", -1, None, None)
