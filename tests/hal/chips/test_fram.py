"""FRAM driver and persistent counter against the MB85RC256V model."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hal.backends.sim.i2c import SimI2CBus
from hal.backends.sim.models.fram import FramModel
from hal.chips.fram import SLOT_SIZE, Fram, PersistentCounter, crc16_ccitt
from hal.errors import ConfigError, DeviceNotFound, NackError


def make(i2c: SimI2CBus, *, with_id: bool = True) -> tuple[FramModel, Fram]:
    model = FramModel()
    i2c.attach(model)
    if with_id:
        i2c.attach(model.id_port())
    return model, Fram(i2c, device_id=None if not with_id else b"\x00\xa5\x10")


def test_crc_check_value() -> None:
    # CRC-16/CCITT-FALSE check value from the CRC catalogue (reveng): "123456789" -> 0x29B1.
    assert crc16_ccitt(b"123456789") == 0x29B1


def test_device_id_datasheet_bytes(i2c: SimI2CBus) -> None:
    make(i2c)  # probe passes: manufacturer 0x00A, product 0x510 = bytes 00 A5 10
    assert i2c.write_read(0x7C, bytes([0x50 << 1]), 3) == b"\x00\xa5\x10"


def test_wrong_device_id(i2c: SimI2CBus) -> None:
    model = FramModel()
    i2c.attach(model)
    i2c.attach(model.id_port())
    with pytest.raises(DeviceNotFound) as info:
        Fram(i2c, device_id=b"\x00\xa7\x10")
    assert info.value.got == b"\x00\xa5\x10"


def test_no_id_port_is_device_not_found(i2c: SimI2CBus) -> None:
    i2c.attach(FramModel())
    with pytest.raises(DeviceNotFound) as info:
        Fram(i2c)
    assert isinstance(info.value.__cause__, NackError)


def test_read_write_and_rollover(i2c: SimI2CBus) -> None:
    model, fram = make(i2c, with_id=False)
    fram.write(0x1234, b"hello")
    assert fram.read(0x1234, 5) == b"hello"
    # The chip itself rolls over at the end; the driver refuses such ranges.
    i2c.write(0x50, b"\x7f\xff" + b"AB")
    assert bytes(model.memory[0x7FFF:]) + bytes(model.memory[:1]) == b"AB"
    with pytest.raises(ConfigError):
        fram.write(0x7FFF, b"AB")


def test_counter_survives_restart(i2c: SimI2CBus) -> None:
    _, fram = make(i2c)
    counter = PersistentCounter(fram, offset=64)
    assert counter.value() == 0
    for _ in range(5):
        counter.increment()
    assert PersistentCounter(fram, offset=64).value() == 5


@settings(max_examples=30, deadline=None)
@given(start=st.integers(0, 1000), cut=st.integers(0, SLOT_SIZE - 1))
def test_torn_write_keeps_old_value(start: int, cut: int) -> None:
    i2c = SimI2CBus()
    model, fram = make(i2c)
    counter = PersistentCounter(fram)
    counter.set(start)
    counter.increment()
    model.inject("torn_write", cut)  # power fails after `cut` bytes of the next write
    counter.increment()
    reloaded = PersistentCounter(fram)
    assert reloaded.value() == start + 1


def test_corrupt_slot_counted(i2c: SimI2CBus) -> None:
    model, fram = make(i2c)
    counter = PersistentCounter(fram)
    counter.increment()
    counter.increment()
    model.memory[SLOT_SIZE + 5] ^= 0xFF  # flip a value byte of the newer copy
    reloaded = PersistentCounter(fram)
    assert reloaded.value() == 1
    assert reloaded.rejected_slots == 1
