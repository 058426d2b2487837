"""COBS framing, byte-compatible with the `cobs` package (tmtccmd's SerialCobsComIF)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flight.ccsds import FramingError, cobs_decode, cobs_encode

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Data with long zero-free runs, where the 254-octet block boundary matters.
runs = st.lists(
    st.one_of(
        st.just(b"\x00"),
        st.binary(min_size=1, max_size=600).map(lambda b: b.replace(b"\x00", b"\x01")),
    ),
    max_size=6,
).map(b"".join)
payloads = st.one_of(st.binary(max_size=700), runs)


@SETTINGS
@given(payloads)
def test_round_trip(codec, data):
    encoded = cobs_encode(data)
    assert b"\x00" not in encoded
    assert cobs_decode(encoded) == data


@SETTINGS
@given(payloads)
def test_overhead_is_bounded(codec, data):
    # one code octet per started 254-octet block, and at least one
    assert len(cobs_encode(data)) <= len(data) + 1 + len(data) // 254


def test_empty(codec):
    assert cobs_encode(b"") == b"\x01"
    assert cobs_decode(b"") == b""
    assert cobs_decode(b"\x01") == b""


@pytest.mark.parametrize(
    ("frame", "offset"),
    [
        (b"\x00", 0),  # a code of zero
        (b"\x03\x11\x00", 2),  # a zero inside a block
        (b"\x02\x11\x00\x01", 2),  # a stray delimiter where a code belongs
        (b"\x02", 0),  # the code promises one more octet than the frame holds
        (b"\x05\x11\x22", 0),
        (b"\x02\x11\xff" + bytes(range(1, 100)), 2),  # the second block runs past the end
    ],
)
def test_malformed_frames_raise_framing_error(codec, frame, offset):
    with pytest.raises(FramingError) as info:
        cobs_decode(frame)
    assert info.value.field == "cobs"
    assert info.value.offset == offset


@SETTINGS
@given(st.binary(max_size=400))
def test_decode_never_raises_anything_but_framing_error(codec, frame):
    try:
        decoded = cobs_decode(frame)
    except FramingError:
        return
    # whatever decodes re-encodes to a frame that decodes to the same octets
    assert cobs_decode(cobs_encode(decoded)) == decoded


def test_accepts_every_buffer_type(codec):
    data = b"\x11\x00\x22\x00"
    for form in (data, bytearray(data), memoryview(data)):
        assert cobs_encode(form) == b"\x02\x11\x02\x22\x01"
    encoded = cobs_encode(data)
    for form in (encoded, bytearray(encoded), memoryview(encoded)):
        assert cobs_decode(form) == data
