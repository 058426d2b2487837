"""The HAL error tree: hierarchy, context fields, messages."""

import pytest

from hal import errors
from hal.errors import (
    BusError,
    BusTimeout,
    ConfigError,
    DataError,
    DeviceNotFound,
    HalError,
    NackError,
    NotOpen,
)


def test_tree_matches_the_contract() -> None:
    assert issubclass(NotOpen, HalError)
    assert issubclass(BusError, HalError)
    assert issubclass(NackError, BusError)
    assert issubclass(BusTimeout, BusError)
    assert issubclass(DeviceNotFound, HalError)
    assert issubclass(DataError, HalError)
    assert issubclass(ConfigError, HalError)
    assert not issubclass(DataError, BusError)
    assert set(errors.__all__) == {
        "HalError",
        "NotOpen",
        "BusError",
        "NackError",
        "BusTimeout",
        "DeviceNotFound",
        "DataError",
        "ConfigError",
    }


def test_context_fields_and_message() -> None:
    exc = NackError("no ACK", bus="sim:i2c1", address=0x76, register=0xD0)
    assert (exc.bus, exc.address, exc.register, exc.message) == ("sim:i2c1", 0x76, 0xD0, "no ACK")
    assert str(exc) == "no ACK (bus=sim:i2c1, address=0x76, register=0xD0)"
    assert str(HalError("plain")) == "plain"


def test_device_not_found_carries_expected_and_got() -> None:
    exc = DeviceNotFound(expected=0x60, got=0x58, bus="linux:/dev/i2c-1", address=0x76)
    assert (exc.expected, exc.got) == (0x60, 0x58)
    assert "expected=0x60" in str(exc)
    assert "got=0x58" in str(exc)
    assert exc.register is None


def test_data_error_reason_defaults_to_message() -> None:
    assert DataError("bad NMEA checksum").reason == "bad NMEA checksum"
    assert DataError("bad NMEA checksum", reason="checksum").reason == "checksum"


def test_context_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        NackError("no ACK", "sim:i2c1")  # type: ignore[call-arg]
