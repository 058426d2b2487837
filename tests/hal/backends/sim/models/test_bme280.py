"""BME280 model behaviour the datasheet specifies, checked at register level."""

from hal.backends.sim.models.bme280 import Bme280Model


def test_pair_writes_and_burst_reads() -> None:
    model = Bme280Model()
    model.i2c_write(bytes([0xF2, 0x05, 0xF5, 0xA0]))  # (register, value) pairs, section 6.2.1
    model.i2c_write(b"\xf2")
    assert model.i2c_read(4) == bytes([0x05, 0x00, 0x00, 0xA0])  # auto-increment on reads


def test_ctrl_hum_needs_ctrl_meas_write() -> None:
    model = Bme280Model()
    model.i2c_write(bytes([0xF2, 0x01]))
    before = model.measurement_time_s()
    model.i2c_write(bytes([0xF4, 0x00]))
    assert model.measurement_time_s() > before  # humidity counted only after ctrl_meas


def test_forced_mode_sets_measuring_then_returns_to_sleep() -> None:
    model = Bme280Model()
    model.i2c_write(bytes([0xF4, 0b001_001_01]))
    model.i2c_write(b"\xf3")
    assert model.i2c_read(1)[0] & 0x08
    model.advance(model.measurement_time_s())
    model.i2c_write(b"\xf3")
    assert model.i2c_read(1)[0] & 0x08 == 0
    model.i2c_write(b"\xf4")
    assert model.i2c_read(1)[0] & 0x03 == 0


def test_read_only_registers_ignore_writes() -> None:
    model = Bme280Model()
    model.i2c_write(bytes([0xD0, 0x00, 0x88, 0x00]))
    model.i2c_write(b"\xd0")
    assert model.i2c_read(1) == b"\x60"
    assert model.regs[0x88] == 27504 & 0xFF
