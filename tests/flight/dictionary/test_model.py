"""Field encoding, parsing and range checks, the ground's source of truth."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flight.dictionary import DictionaryError, FieldSpec


def test_known_answer_encodings() -> None:
    assert FieldSpec("a", "uint", 16).encode(0x1234) == b"\x12\x34"
    assert FieldSpec("a", "int", 8).encode(-1) == b"\xff"
    assert FieldSpec("a", "float", 32).encode(1.5) == bytes.fromhex("3fc00000")
    assert FieldSpec("a", "bool", 8).decode(b"\x01") is True


def test_float32_decodes_to_the_shortest_decimal_it_holds() -> None:
    spec = FieldSpec("load", "float", 32)
    assert spec.decode(spec.encode(0.1)) == 0.1
    assert spec.decode(spec.encode(3.2)) == 3.2
    assert spec.decode(spec.encode(1 / 3)) == 0.33333334
    assert math.isnan(spec.decode(bytes.fromhex("7fc00000")))
    assert spec.decode(spec.encode(math.inf)) == math.inf


@given(st.binary(min_size=4, max_size=4))
def test_float32_decoding_packs_back_to_the_same_octets(octets: bytes) -> None:
    spec = FieldSpec("x", "float", 32)
    value = spec.decode(octets)
    assert math.isnan(value) or spec.encode(value) == octets


def test_type_limits_apply_without_declared_range() -> None:
    spec = FieldSpec("n", "uint", 8)
    assert spec.check(255) is None
    assert spec.check(256) == "n must be <= 255, got 256"
    assert spec.check(-1) == "n must be >= 0, got -1"
    assert FieldSpec("n", "int", 16).limits() == (-32768, 32767)


def test_parse_and_check() -> None:
    gain = FieldSpec("gain", "uint", 8, 1, 16)
    assert gain.parse("0x10") == 16
    with pytest.raises(DictionaryError, match="not a uint8"):
        gain.parse("1.5")
    assert gain.check(True) == "gain must be an integer, got True"
    ratio = FieldSpec("ratio", "float", 32)
    assert ratio.check(math.inf) == "ratio must be finite, got inf"
    flag = FieldSpec("on", "bool", 8)
    assert flag.parse("yes") is True
    with pytest.raises(DictionaryError):
        flag.parse("maybe")


def test_unknown_wire_type_is_refused() -> None:
    with pytest.raises(DictionaryError, match="no wire type uint24"):
        FieldSpec("x", "uint", 24)
